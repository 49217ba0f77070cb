"""The kinderburgemeester election: the election and its phases, jury criteria, applications
and scores, the five candidates, voting codes and e-mail voters, the secret ballots and the
established result.

Privacy by design:
- there is no row per ballot: a Stembus (ballot box) holds only counts per candidate number, and a
  vote adds one to a box chosen at random, so nothing stored follows the order of voting and
  nothing links a vote to the code or e-mail that cast it;
- voting codes and e-mail addresses of voters are stored only as keyed hashes;
- personal data of children (applications that were not shortlisted, vlogs, e-mail addresses) is
  deleted by `participation.tasks.purge_participation_data` after a retention period.
"""

import datetime
import hashlib
import hmac
import os
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Gemeente
from network.models import Organisatie

MAX_KANDIDATEN = 5  # the jury chooses five; a Stembus counts each candidate number in a column
AANTAL_STEMBUSSEN = 16  # per election and channel: votes are spread over them at random
SAFE_EXTENSIONS = {".mp4", ".webm", ".mov", ".mkv", ".jpg", ".png", ".gif", ".webp"}


def upload_path(instance, filename):
    """A random name under participation/. Services name the file after the type its content
    check found, so only that extension survives."""
    ext = os.path.splitext(filename)[1].lower()
    return f"participation/{uuid.uuid4().hex}{ext if ext in SAFE_EXTENSIONS else ''}"


def new_pepper():
    return secrets.token_hex(32)


def keyed_hash(pepper: str, value: str) -> str:
    """HMAC-SHA256 of value under the election's pepper (hex)."""
    return hmac.new(bytes.fromhex(pepper), value.encode(), hashlib.sha256).hexdigest()



class Fase(models.TextChoices):
    VOORBEREIDING = "voorbereiding", _("voorbereiding")
    AANMELDING = "aanmelding", _("aanmelden")
    JURY = "jury", _("jury kiest")
    CAMPAGNE = "campagne", _("campagne")
    STEMMEN = "stemmen", _("stemmen")
    UITSLAG = "uitslag", _("uitslag")
    TERMIJN = "termijn", _("kinderburgemeester aan het werk")
    AFGELOPEN = "afgelopen", _("afgelopen")


class Verkiezing(models.Model):
    """The yearly kinderburgemeester election of a gemeente, with its phases and dates."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="verkiezingen",
                                 verbose_name=_("gemeente"))
    jaar = models.PositiveSmallIntegerField(
        _("jaar"), validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("Het jaar waarin de kinderburgemeester wordt geïnstalleerd."))
    toelichting = models.TextField(_("toelichting voor kinderen"), blank=True)
    aanmelding_start = models.DateField(_("aanmelden vanaf"))
    aanmelding_eind = models.DateField(_("aanmelden tot en met"))
    jury_eind = models.DateField(_("jury kiest kandidaten uiterlijk op"))
    stemmen_start = models.DateTimeField(_("stemmen vanaf"))
    stemmen_eind = models.DateTimeField(_("stemmen tot"))
    uitslag_datum = models.DateField(_("uitslag bekend op"))
    installatie_datum = models.DateField(
        _("installatie in de raadsvergadering van"),
        help_text=_("Een raadsvergadering in september. De kinderburgemeester is een jaar "
                    "kinderburgemeester."))
    installatie_vergadering = models.CharField(
        _("raadsvergadering"), max_length=200, blank=True,
        help_text=_("Bijvoorbeeld 'Raadsvergadering 22 september 2027, stadhuis'."))
    kanaal_codes = models.BooleanField(
        _("stemmen met een stemcode"), default=True,
        help_text=_("Stemcodes op papier, per schoolklas of per brief."))
    kanaal_email = models.BooleanField(
        _("stemmen met een e-mailadres"), default=False,
        help_text=_("Kiezers krijgen een link per e-mail; elk e-mailadres stemt één keer."))
    pepper = models.CharField(max_length=64, default=new_pepper, editable=False)

    class Meta:
        verbose_name = _("verkiezing kinderburgemeester")
        verbose_name_plural = _("verkiezingen kinderburgemeester")
        ordering = ["-jaar"]
        constraints = [models.UniqueConstraint(fields=["gemeente", "jaar"],
                                               name="verkiezing_unique_jaar",
                                               violation_error_message=_(
                                                   "Er is al een verkiezing in dit jaar."))]

    def __str__(self):
        return _("Kinderburgemeester %(jaar)s") % {"jaar": self.jaar}

    def get_absolute_url(self):
        return reverse("participation:verkiezing-detail",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    def get_public_url(self):
        return reverse("participation:publiek-verkiezing",
                       kwargs={"gemeente": self.gemeente.slug, "jaar": self.jaar})

    def clean(self):
        errors = {}
        order = [
            ("aanmelding_eind", self.aanmelding_start, self.aanmelding_eind,
             _("Het aanmelden stopt na de start.")),
            ("jury_eind", self.aanmelding_eind, self.jury_eind,
             _("De jury kiest na het aanmelden.")),
            ("stemmen_start", self.jury_eind, self._local_date(self.stemmen_start),
             _("Het stemmen begint na de keuze van de jury.")),
            ("uitslag_datum", self._local_date(self.stemmen_eind), self.uitslag_datum,
             _("De uitslag komt na het stemmen.")),
            ("installatie_datum", self.uitslag_datum, self.installatie_datum,
             _("De installatie is na de uitslag.")),
        ]
        for field, before, after, message in order:
            if before and after and after < before:
                errors[field] = message
        if self.stemmen_start and self.stemmen_eind and self.stemmen_eind <= self.stemmen_start:
            errors["stemmen_eind"] = _("Het stemmen stopt na de start.")
        if self.installatie_datum:
            if self.installatie_datum.month != 9:
                errors["installatie_datum"] = _(
                    "De kinderburgemeester wordt in september geïnstalleerd, in een "
                    "raadsvergadering.")
            elif self.jaar and self.installatie_datum.year != self.jaar:
                errors["installatie_datum"] = _("De installatie is in het jaar van de verkiezing.")
        if not (self.kanaal_codes or self.kanaal_email):
            errors["kanaal_codes"] = _("Kies minstens één manier van stemmen.")
        if self.pk and (self.kanaal_codes is False or self.kanaal_email is False):
            stored = Verkiezing.objects.filter(pk=self.pk).values(
                "kanaal_codes", "kanaal_email").first() or {}
            used = {bus.kanaal for bus in self.stembussen.all() if bus.totaal}
            if not self.kanaal_codes and stored.get("kanaal_codes") and used & CODE_KANALEN:
                errors["kanaal_codes"] = _("Er is al met stemcodes gestemd.")
            if not self.kanaal_email and stored.get("kanaal_email") and Kanaal.EMAIL in used:
                errors["kanaal_email"] = _("Er is al met e-mail gestemd.")
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def _local_date(value):
        return timezone.localtime(value).date() if value else None

    # Phases ----------------------------------------------------------------------------------
    @property
    def termijn_start(self):
        return self.installatie_datum

    @property
    def termijn_eind(self):
        """The term is one year: until the day before the next installation date."""
        d = self.installatie_datum
        try:
            return d.replace(year=d.year + 1) - datetime.timedelta(days=1)
        except ValueError:  # 29 February cannot happen in September; kept for safety
            return d + datetime.timedelta(days=364)

    def fase(self, now=None) -> str:
        now = now or timezone.now()
        today = timezone.localtime(now).date()
        if today < self.aanmelding_start:
            return Fase.VOORBEREIDING
        if today <= self.aanmelding_eind:
            return Fase.AANMELDING
        if now < self.stemmen_start:
            return Fase.JURY if today <= self.jury_eind else Fase.CAMPAGNE
        if now < self.stemmen_eind:
            return Fase.STEMMEN
        if today < self.installatie_datum:
            return Fase.UITSLAG
        if today <= self.termijn_eind:
            return Fase.TERMIJN
        return Fase.AFGELOPEN

    def get_fase_display(self):
        return Fase(self.fase()).label

    def aanmelding_open(self, now=None) -> bool:
        return self.fase(now) == Fase.AANMELDING

    def stemmen_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.stemmen_start <= now < self.stemmen_eind

    def stemmen_gesloten(self, now=None) -> bool:
        return (now or timezone.now()) >= self.stemmen_eind

    def fasen(self):
        """[(fase, label, from, until)] for the timeline shown to children and staff."""
        local = self._local_date
        return [
            (Fase.AANMELDING, Fase.AANMELDING.label, self.aanmelding_start, self.aanmelding_eind),
            (Fase.JURY, Fase.JURY.label, self.aanmelding_eind + datetime.timedelta(days=1),
             self.jury_eind),
            (Fase.CAMPAGNE, Fase.CAMPAGNE.label, self.jury_eind + datetime.timedelta(days=1),
             local(self.stemmen_start)),
            (Fase.STEMMEN, Fase.STEMMEN.label, timezone.localtime(self.stemmen_start),
             timezone.localtime(self.stemmen_eind)),
            (Fase.UITSLAG, Fase.UITSLAG.label, self.uitslag_datum, None),
            (Fase.TERMIJN, _("installatie en termijn"), self.installatie_datum,
             self.termijn_eind),
        ]

    def code_hash(self, code: str) -> str:
        return keyed_hash(self.pepper, code)

    def email_hash(self, email: str) -> str:
        """E-mail addresses have little entropy: the key also holds SECRET_KEY, so a copy of
        the database alone is not enough to test guesses."""
        from django.utils.crypto import salted_hmac

        return salted_hmac(f"participation.email.{self.pepper}", email.strip().lower(),
                           algorithm="sha256").hexdigest()


class Criterium(models.Model):
    """A published jury criterion of one election; each is scored 1-5."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    verkiezing = models.ForeignKey(Verkiezing, on_delete=models.CASCADE,
                                   related_name="criteria", verbose_name=_("verkiezing"))
    naam = models.CharField(_("criterium"), max_length=120)
    toelichting = models.TextField(_("toelichting"), blank=True)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("jurycriterium")
        verbose_name_plural = _("jurycriteria")
        ordering = ["volgorde", "id"]
        constraints = [models.UniqueConstraint(fields=["verkiezing", "naam"],
                                               name="criterium_unique_naam")]

    def __str__(self):
        return self.naam

    def get_absolute_url(self):
        return self.verkiezing.get_absolute_url()

    def clean(self):
        if self.verkiezing_id and self.verkiezing.gemeente_id != self.gemeente_id:
            raise ValidationError(_("Deze verkiezing hoort bij een andere gemeente."))


class Aanmelding(models.Model):
    """A pupil's application (groep 6 or 7), with the parent's consent."""

    class Status(models.TextChoices):
        INGEDIEND = "ingediend", _("ingediend")
        KANDIDAAT = "kandidaat", _("kandidaat")
        NIET_GEKOZEN = "niet_gekozen", _("niet gekozen")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    # PROTECT: children's data leaves only through the retention service, files included.
    verkiezing = models.ForeignKey(Verkiezing, on_delete=models.PROTECT,
                                   related_name="aanmeldingen", verbose_name=_("verkiezing"))
    voornaam = models.CharField(_("voornaam"), max_length=50)
    achternaam = models.CharField(_("achternaam"), max_length=80)
    groep = models.PositiveSmallIntegerField(
        _("groep"), validators=[MinValueValidator(6), MaxValueValidator(7)])
    school = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("school"), null=True, blank=True,
                               limit_choices_to={"type": Organisatie.Type.BASISSCHOOL})
    andere_school = models.CharField(
        _("andere school"), max_length=120, blank=True,
        help_text=_("De naam van de school, als die niet in de lijst van de gemeente staat."))
    motivatie = models.TextField(_("waarom wil je kinderburgemeester worden?"), max_length=2000)
    foto = models.ImageField(_("foto"), upload_to=upload_path, blank=True)
    vlog = models.FileField(_("vlog"), upload_to=upload_path, blank=True)
    ouder_naam = models.CharField(_("naam ouder of verzorger"), max_length=120, blank=True)
    ouder_email = models.EmailField(_("e-mailadres ouder of verzorger"), blank=True)
    ouder_toestemming = models.BooleanField(_("toestemming ouder of verzorger"), default=False)
    toestemming_publiek = models.BooleanField(
        _("toestemming voor een openbare kandidaatpagina"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.INGEDIEND)
    ingediend_op = models.DateTimeField(_("ingediend op"), auto_now_add=True)
    gewist_op = models.DateTimeField(_("persoonsgegevens gewist op"), null=True, blank=True)

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["ingediend_op", "id"]

    def __str__(self):
        return f"{self.voornaam} {self.achternaam[:1]}." if self.achternaam else self.voornaam

    def get_absolute_url(self):
        return reverse("participation:aanmelding-detail",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    @property
    def school_naam(self):
        return self.school.naam if self.school_id else self.andere_school

    def clean(self):
        errors = {}
        if not self.school_id and not self.andere_school.strip() and not self.gewist_op:
            errors["school"] = _("Kies je school, of schrijf de naam van je school op.")
        if self.school_id and self.school.gemeente_id != self.gemeente_id:
            errors["school"] = _("Deze school hoort bij een andere gemeente.")
        elif self.school_id and self.school.type != Organisatie.Type.BASISSCHOOL:
            errors["school"] = _("Kies een basisschool.")
        if self.verkiezing_id and self.verkiezing.gemeente_id != self.gemeente_id:
            errors["verkiezing"] = _("Deze verkiezing hoort bij een andere gemeente.")
        if not self.ouder_toestemming and not self.gewist_op:
            errors["ouder_toestemming"] = _("Een ouder of verzorger moet toestemming geven.")
        if errors:
            raise ValidationError(errors)


class JuryScore(models.Model):
    """One juror's score (1-5) of one application on one criterion."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    aanmelding = models.ForeignKey(Aanmelding, on_delete=models.CASCADE, related_name="scores",
                                   verbose_name=_("aanmelding"))
    criterium = models.ForeignKey(Criterium, on_delete=models.CASCADE, related_name="scores",
                                  verbose_name=_("criterium"))
    jurylid = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="+", verbose_name=_("jurylid"))
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        verbose_name = _("juryscore")
        verbose_name_plural = _("juryscores")
        constraints = [
            models.UniqueConstraint(fields=["aanmelding", "criterium", "jurylid"],
                                    name="juryscore_once_per_juror"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5),
                                   name="juryscore_1_to_5"),
        ]

    def __str__(self):
        return f"{self.aanmelding} – {self.criterium}: {self.score}"

    def get_absolute_url(self):
        return self.aanmelding.get_absolute_url()


class Kandidaat(models.Model):
    """One of the five applicants the jury shortlisted."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    verkiezing = models.ForeignKey(Verkiezing, on_delete=models.CASCADE,
                                   related_name="kandidaten", verbose_name=_("verkiezing"))
    aanmelding = models.OneToOneField(Aanmelding, on_delete=models.PROTECT,
                                      related_name="kandidaat", verbose_name=_("aanmelding"))
    nummer = models.PositiveSmallIntegerField(
        _("nummer op het stembiljet"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_KANDIDATEN)])
    publiek = models.BooleanField(
        _("openbare kandidaatpagina"), default=False,
        help_text=_("Alleen als de ouder daar toestemming voor gaf."))

    class Meta:
        verbose_name = _("kandidaat")
        verbose_name_plural = _("kandidaten")
        ordering = ["verkiezing", "nummer"]
        constraints = [
            models.UniqueConstraint(fields=["verkiezing", "nummer"],
                                    name="kandidaat_unique_nummer"),
            # A vote is counted in the column of its candidate's number (Stembus).
            models.CheckConstraint(
                condition=models.Q(nummer__gte=1, nummer__lte=MAX_KANDIDATEN),
                name="kandidaat_nummer_1_tot_5"),
        ]

    def __str__(self):
        return _("%(nummer)s. %(naam)s") % {"nummer": self.nummer, "naam": self.naam}

    def get_absolute_url(self):
        return reverse("participation:publiek-kandidaat",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    @property
    def naam(self):
        """On the ballot: first name and school (no surname)."""
        return f"{self.aanmelding.voornaam} ({self.aanmelding.school_naam})"

    def clean(self):
        if self.publiek and not self.aanmelding.toestemming_publiek:
            raise ValidationError({"publiek": _("Er is geen toestemming voor een openbare "
                                                "pagina.")})


class Kanaal(models.TextChoices):
    SCHOOL = "school", _("stemcode via school")
    BRIEF = "brief", _("stemcode per brief")
    EMAIL = "email", _("e-mail")


CODE_KANALEN = {Kanaal.SCHOOL, Kanaal.BRIEF}


class StemcodeReeks(models.Model):
    """A batch of voting codes, printed as one PDF: for one school class or one letter batch.
    The codes themselves exist in plain text only in that PDF."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    verkiezing = models.ForeignKey(Verkiezing, on_delete=models.CASCADE,
                                   related_name="codereeksen", verbose_name=_("verkiezing"))
    kanaal = models.CharField(_("voor"), max_length=10,
                              choices=[(Kanaal.SCHOOL.value, _("een schoolklas")),
                                       (Kanaal.BRIEF.value, _("brieven"))])
    school = models.ForeignKey(Organisatie, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("school"),
                               limit_choices_to={"type": Organisatie.Type.BASISSCHOOL})
    omschrijving = models.CharField(
        _("klas of omschrijving"), max_length=120,
        help_text=_("Bijvoorbeeld 'groep 7b' of 'brieven wijk Paddepoel'."))
    aantal = models.PositiveIntegerField(_("aantal codes"),
                                         validators=[MinValueValidator(1),
                                                     MaxValueValidator(1000)])
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    ingetrokken_op = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        verbose_name = _("reeks stemcodes")
        verbose_name_plural = _("reeksen stemcodes")
        ordering = ["-aangemaakt_op", "-id"]

    def __str__(self):
        wie = f"{self.school} – {self.omschrijving}" if self.school_id else self.omschrijving
        return _("%(aantal)s codes: %(wie)s") % {"aantal": self.aantal, "wie": wie}

    def get_absolute_url(self):
        return reverse("participation:stemcodes",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.verkiezing_id})

    def clean(self):
        errors = {}
        if self.kanaal == Kanaal.SCHOOL and not self.school_id:
            errors["school"] = _("Kies de school van deze klas.")
        if self.school_id and self.school.gemeente_id != self.gemeente_id:
            errors["school"] = _("Deze school hoort bij een andere gemeente.")
        if errors:
            raise ValidationError(errors)


class Stemcode(models.Model):
    """A single-use voting code, stored only as a keyed hash. `status` moves from OPEN to
    GEBRUIKT by one conditional UPDATE, so a code can be used once also under concurrency."""

    OPEN, GEBRUIKT, INGETROKKEN = 0, 1, 2

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+")
    verkiezing = models.ForeignKey(Verkiezing, on_delete=models.CASCADE, related_name="+")
    reeks = models.ForeignKey(StemcodeReeks, on_delete=models.CASCADE, related_name="codes")
    kanaal = models.CharField(max_length=10, choices=Kanaal.choices)
    code_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(default=OPEN)

    class Meta:
        verbose_name = _("stemcode")
        verbose_name_plural = _("stemcodes")
        constraints = [models.UniqueConstraint(fields=["verkiezing", "code_hash"],
                                               name="stemcode_unique_hash")]

    def __str__(self):
        return _("stemcode %(id)s") % {"id": self.pk}


class EmailKiezer(models.Model):
    """A voter who votes by e-mail: only a keyed hash of the address is stored, with the hash
    of the current one-time link. One row per address per election; `gestemd` flips once."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+")
    verkiezing = models.ForeignKey(Verkiezing, on_delete=models.CASCADE, related_name="+")
    email_hash = models.CharField(max_length=64)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    token_geldig_tot = models.DateTimeField(null=True, blank=True)
    gestemd = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("kiezer met e-mail")
        verbose_name_plural = _("kiezers met e-mail")
        constraints = [models.UniqueConstraint(fields=["verkiezing", "email_hash"],
                                               name="emailkiezer_unique_email")]

    def __str__(self):
        return _("kiezer %(id)s") % {"id": self.pk}


class Stembus(models.Model):
    """One of an election's ballot boxes for one channel: how many votes each candidate number
    (1-5) got in it, and nothing else. There is no row per ballot: a vote adds one to one
    column of a box chosen at random (participation.stembus), so no row, key, row order or
    physical position in the table follows the order of voting, and the row a voter's
    transaction wrote last holds the sum of every vote in that box, not one voter's choice
    (docs/participation-voting.md, "Ballot secrecy"). The boxes of an election are merged into
    one per channel when the result is established."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No database FK constraints and no single-column FK indexes: every vote writes a box row
    # pointing at the same gemeente and election, and each FK check would take a share lock on
    # the parent row (MultiXacts under load, docs/participation-voting.md). Boxes are written
    # only by participation.stembus, whose statement checks the election and the candidate
    # itself; Django still refuses (PROTECT) to delete an election that has votes and removes a
    # gemeente's boxes with it. The unique (verkiezing, kanaal, nummer) index serves every read.
    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 db_constraint=False, db_index=False)
    verkiezing = models.ForeignKey(Verkiezing, on_delete=models.PROTECT,
                                   related_name="stembussen", db_constraint=False,
                                   db_index=False)
    kanaal = models.CharField(max_length=10, choices=Kanaal.choices)
    nummer = models.PositiveSmallIntegerField(_("stembus"))
    stemmen_1 = models.PositiveIntegerField(default=0)
    stemmen_2 = models.PositiveIntegerField(default=0)
    stemmen_3 = models.PositiveIntegerField(default=0)
    stemmen_4 = models.PositiveIntegerField(default=0)
    stemmen_5 = models.PositiveIntegerField(default=0)

    KOLOMMEN = tuple(f"stemmen_{n}" for n in range(1, MAX_KANDIDATEN + 1))

    class Meta:
        verbose_name = _("stembus")
        verbose_name_plural = _("stembussen")
        constraints = [models.UniqueConstraint(fields=["verkiezing", "kanaal", "nummer"],
                                               name="stembus_unique_nummer")]

    def __str__(self):
        return _("stembus %(nummer)s") % {"nummer": self.nummer}

    @property
    def totaal(self):
        return sum(getattr(self, k) for k in self.KOLOMMEN)


class Uitslag(models.Model):
    """The established result: counts per candidate and channel, the kinderburgemeester and the
    loco, and the lot drawing if votes were tied (seed and order stored, so it can be redone)."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    verkiezing = models.OneToOneField(Verkiezing, on_delete=models.CASCADE,
                                      related_name="uitslag", verbose_name=_("verkiezing"))
    kinderburgemeester = models.ForeignKey(Kandidaat, on_delete=models.PROTECT, related_name="+",
                                           verbose_name=_("kinderburgemeester"))
    loco = models.ForeignKey(Kandidaat, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("loco-kinderburgemeester"))
    telling = models.JSONField(_("telling"))
    loting = models.JSONField(_("loting"), null=True, blank=True)
    vastgesteld_op = models.DateTimeField(_("vastgesteld op"), auto_now_add=True)
    vastgesteld_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                         null=True, blank=True, related_name="+",
                                         verbose_name=_("vastgesteld door"))

    class Meta:
        verbose_name = _("uitslag")
        verbose_name_plural = _("uitslagen")

    def __str__(self):
        return _("Uitslag %(verkiezing)s") % {"verkiezing": self.verkiezing}

    def get_absolute_url(self):
        return self.verkiezing.get_absolute_url()

