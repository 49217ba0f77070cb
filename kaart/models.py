"""The sociale kaart (HSDS 3.0): aanbod (service) of an organisatie (network.Organisatie as HSDS
organization), at locaties with opening hours; freshness (laatst gecontroleerd vs gewijzigd);
change requests from providers; public reports ("Klopt er iets niet?"); verwijsroutes.

Every row has an int pk (for DoelKoppeling and the staff pages) and a UUID (`uuid`) that is its
HSDS id. Aanbod is never deleted: it ends with status beëindigd.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Gemeente
from core.periods import PeriodeField
from framework.models import (
    LEEFTIJD_GRENZEN,
    LEEFTIJD_MAX_MAANDEN,
    LEEFTIJD_MIN_MAANDEN,
    Doelgericht,
)
from network.models import Organisatie, Persoon
from regions.models import Region


class Levensdomein(models.Model):
    """A life domain (opvoeden, gezondheid, onderwijs, ...): national reference data, the same
    for every gemeente (an HSDS taxonomy term)."""

    code = models.SlugField(_("code"), unique=True)
    naam = models.CharField(_("naam"), max_length=100)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("levensdomein")
        verbose_name_plural = _("levensdomeinen")
        ordering = ["volgorde", "naam"]

    def __str__(self):
        return self.naam


class KaartInstelling(models.Model):
    """Per gemeente: how the kaart is kept current."""

    class Vakantieregio(models.TextChoices):
        NOORD = "noord", _("Noord")
        MIDDEN = "midden", _("Midden")
        ZUID = "zuid", _("Zuid")

    gemeente = models.OneToOneField(Gemeente, on_delete=models.CASCADE,
                                    related_name="kaart_instelling", verbose_name=_("gemeente"))
    telefoon_direct = models.BooleanField(
        _("telefoonnummer meteen zichtbaar"), default=True,
        help_text=_("Een nieuw telefoonnummer van een aanbieder is meteen te zien, zonder "
                    "controle door de redacteur."))
    openingstijden_direct = models.BooleanField(
        _("openingstijden meteen zichtbaar"), default=True,
        help_text=_("Nieuwe openingstijden van een aanbieder zijn meteen te zien."))
    controle_maanden = models.PositiveSmallIntegerField(
        _("controleren na (maanden)"), default=6, validators=[MinValueValidator(1)])
    verouderd_maanden = models.PositiveSmallIntegerField(
        _("van de openbare kaart na (maanden zonder controle)"), default=18,
        validators=[MinValueValidator(1)])
    herinnering_dagen = models.PositiveSmallIntegerField(
        _("herinnering (dagen voor de controledatum)"), default=14)
    link_dagen = models.PositiveSmallIntegerField(
        _("controlelink geldig (dagen)"), default=30, validators=[MinValueValidator(1)])
    melding_werkdagen = models.PositiveSmallIntegerField(
        _("antwoord op een melding binnen (werkdagen)"), default=10,
        validators=[MinValueValidator(1)])
    melding_email_dagen = models.PositiveSmallIntegerField(
        _("e-mailadres bij een melding bewaren (dagen)"), default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Het e-mailadres van wie iets meldt, wordt gewist zodra het antwoord is "
                    "verstuurd, en uiterlijk zoveel dagen na de melding, ook zonder antwoord."))
    vakantieregio = models.CharField(_("vakantieregio (DUO)"), max_length=6,
                                     choices=Vakantieregio.choices, default=Vakantieregio.NOORD)

    class Meta:
        verbose_name = _("instelling van de sociale kaart")
        verbose_name_plural = _("instellingen van de sociale kaart")

    def __str__(self):
        return str(self.gemeente)

    @classmethod
    def voor(cls, gemeente):
        """The gemeente's settings (the defaults when it has none stored)."""
        found = cls.objects.filter(gemeente=gemeente).first()
        return found or cls(gemeente=gemeente)


class Aanbieder(models.Model):
    """The HSDS side of a network.Organisatie: its stable UUID (kept on import)."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    organisatie = models.OneToOneField(Organisatie, on_delete=models.CASCADE,
                                       related_name="aanbieder", verbose_name=_("organisatie"))
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("aanbieder")
        verbose_name_plural = _("aanbieders")

    def __str__(self):
        return str(self.organisatie)

    def policy_organisatie_ids(self):
        return {self.organisatie_id}


class PostcodeBuurt(models.Model):
    """Which CBS buurt a postcode (PC6 '9741AB' or PC4 '9741') lies in."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    postcode = models.CharField(_("postcode"), max_length=6)
    buurt = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("buurt"))

    class Meta:
        verbose_name = _("postcode in een buurt")
        verbose_name_plural = _("postcodes per buurt")
        constraints = [models.UniqueConstraint(fields=["gemeente", "postcode"],
                                               name="postcodebuurt_unique")]

    def __str__(self):
        return f"{self.postcode} → {self.buurt.naam}"


def normaliseer_postcode(postcode: str) -> str:
    """'9741 ab ' → '9741AB'."""
    return "".join((postcode or "").split()).upper()


class Locatie(models.Model):
    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisatie = models.ForeignKey(Organisatie, on_delete=models.PROTECT,
                                    related_name="kaart_locaties", verbose_name=_("organisatie"))
    naam = models.CharField(_("naam"), max_length=200)
    adres = models.CharField(_("straat en huisnummer"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=7)
    plaats = models.CharField(_("plaats"), max_length=100)
    buurt = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("buurt"),
        help_text=_("Leeg laten: dan volgt de buurt uit de postcode."))
    latitude = models.DecimalField(_("breedtegraad"), max_digits=9, decimal_places=6,
                                   null=True, blank=True)
    longitude = models.DecimalField(_("lengtegraad"), max_digits=9, decimal_places=6,
                                    null=True, blank=True)
    telefoon = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    toegankelijkheid = models.TextField(
        _("toegankelijkheid"), blank=True,
        help_text=_("Bijvoorbeeld: rolstoeltoegankelijk, invalidentoilet, ringleiding."))
    gewijzigd_op = models.DateTimeField(_("laatst gewijzigd"), default=timezone.now)

    class Meta:
        verbose_name = _("locatie")
        verbose_name_plural = _("locaties")
        ordering = ["naam"]

    def __str__(self):
        return f"{self.naam}, {self.adres}"

    def get_absolute_url(self):
        return reverse("kaart:locatie-detail",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    def clean(self):
        errors = {}
        self.postcode = normaliseer_postcode(self.postcode)
        if self.postcode and not (len(self.postcode) == 6 and self.postcode[:4].isdigit()
                                  and self.postcode[4:].isalpha()):
            errors["postcode"] = _("Een postcode is vier cijfers en twee letters, "
                                   "bijvoorbeeld 9741 AB.")
        if self.organisatie_id and self.organisatie.gemeente_id != self.gemeente_id:
            errors["organisatie"] = _("Deze organisatie hoort bij een andere gemeente.")
        if self.buurt_id and (self.buurt.gemeente_id != self.gemeente_id
                              or self.buurt.soort != Region.Soort.BUURT):
            errors["buurt"] = _("Kies een buurt van deze gemeente.")
        if errors:
            raise ValidationError(errors)

    def policy_organisatie_ids(self):
        return {self.organisatie_id} if self.organisatie_id else set()

    def open_op(self, moment: datetime.datetime) -> bool:
        """Is this locatie open at `moment` (local time), exceptions first?"""
        moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
        tijd = moment.time()
        for u in self.uitzonderingen.all():
            if u.datum == moment.date():
                return bool(not u.gesloten and u.open and u.sluit and u.open <= tijd < u.sluit)
        return any(o.weekdag == moment.isoweekday() and o.open <= tijd < o.sluit
                   for o in self.openingstijden.all())


class Openingstijd(models.Model):
    class Weekdag(models.IntegerChoices):
        MAANDAG = 1, _("maandag")
        DINSDAG = 2, _("dinsdag")
        WOENSDAG = 3, _("woensdag")
        DONDERDAG = 4, _("donderdag")
        VRIJDAG = 5, _("vrijdag")
        ZATERDAG = 6, _("zaterdag")
        ZONDAG = 7, _("zondag")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    locatie = models.ForeignKey(Locatie, on_delete=models.CASCADE, related_name="openingstijden",
                                verbose_name=_("locatie"))
    weekdag = models.PositiveSmallIntegerField(_("dag"), choices=Weekdag.choices)
    open = models.TimeField(_("open vanaf"))
    sluit = models.TimeField(_("open tot"))

    class Meta:
        verbose_name = _("openingstijd")
        verbose_name_plural = _("openingstijden")
        ordering = ["weekdag", "open"]

    def __str__(self):
        return f"{self.get_weekdag_display()} {self.open:%H:%M}–{self.sluit:%H:%M}"

    def clean(self):
        if self.open and self.sluit and self.sluit <= self.open:
            raise ValidationError({"sluit": _("De sluitingstijd moet na de openingstijd "
                                              "liggen.")})

    def policy_organisatie_ids(self):
        return self.locatie.policy_organisatie_ids()


class Uitzondering(models.Model):
    """A day with other opening hours than usual (a holiday, a closing day)."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    locatie = models.ForeignKey(Locatie, on_delete=models.CASCADE, related_name="uitzonderingen",
                                verbose_name=_("locatie"))
    datum = models.DateField(_("datum"))
    gesloten = models.BooleanField(_("de hele dag gesloten"), default=True)
    open = models.TimeField(_("open vanaf"), null=True, blank=True)
    sluit = models.TimeField(_("open tot"), null=True, blank=True)
    reden = models.CharField(_("reden"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("afwijkende openingstijd")
        verbose_name_plural = _("afwijkende openingstijden")
        ordering = ["datum"]
        constraints = [models.UniqueConstraint(fields=["locatie", "datum"],
                                               name="uitzondering_unique_dag")]

    def __str__(self):
        return f"{self.datum:%d-%m-%Y} ({self.reden})" if self.reden else f"{self.datum:%d-%m-%Y}"

    def get_absolute_url(self):
        return reverse("kaart:locatie-openingstijden",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.locatie_id})

    def clean(self):
        if not self.gesloten and not (self.open and self.sluit and self.open < self.sluit):
            raise ValidationError(_("Vul de openingstijden van deze dag in, of kies 'de hele "
                                    "dag gesloten'."))

    def policy_organisatie_ids(self):
        return self.locatie.policy_organisatie_ids()


class Aanbod(Doelgericht):
    """One service of an organisatie (HSDS service)."""

    doel_rol = "aanbod"  # on the doel page apart from policy; it fills no witte vlek

    class Status(models.TextChoices):
        ACTIEF = "actief", _("actief")
        TIJDELIJK_GESLOTEN = "tijdelijk_gesloten", _("tijdelijk gesloten")
        BEEINDIGD = "beeindigd", _("beëindigd")

    class Kosten(models.TextChoices):
        GRATIS = "gratis", _("gratis")
        PRIJS = "prijs", _("betaald")
        INKOMEN = "inkomen", _("prijs hangt af van het inkomen")

    class Aanmelden(models.TextChoices):
        DIRECT = "direct", _("zelf aanmelden")
        VERWIJZING = "verwijzing", _("verwijzing nodig")
        WACHTTIJD = "wachttijd", _("zelf aanmelden, er is een wachttijd")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisatie = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="aanbod",
                                    verbose_name=_("aanbieder"))
    naam = models.CharField(_("naam"), max_length=200)
    korte_beschrijving = models.CharField(
        _("korte beschrijving"), max_length=200,
        help_text=_("In eenvoudige taal (B1), hooguit 200 tekens."))
    beschrijving = models.TextField(_("uitgebreide beschrijving"), blank=True)
    levensdomeinen = models.ManyToManyField(Levensdomein, blank=True, related_name="aanbod",
                                            verbose_name=_("levensdomeinen"))
    leeftijd_van = models.SmallIntegerField(_("leeftijd vanaf (maanden)"),
                                            default=LEEFTIJD_MIN_MAANDEN,
                                            validators=LEEFTIJD_GRENZEN)
    leeftijd_tot = models.SmallIntegerField(_("leeftijd tot en met (maanden)"),
                                            default=LEEFTIJD_MAX_MAANDEN,
                                            validators=LEEFTIJD_GRENZEN)
    doelgroep = models.CharField(_("voor wie"), max_length=200, blank=True,
                                 help_text=_("Bijvoorbeeld: ouders van baby's, meiden 12-16."))
    kosten = models.CharField(_("kosten"), max_length=10, choices=Kosten.choices,
                              default=Kosten.GRATIS)
    prijs = models.DecimalField(_("prijs (euro)"), max_digits=8, decimal_places=2, null=True,
                                blank=True, validators=[MinValueValidator(0)])
    kosten_toelichting = models.CharField(_("toelichting op de kosten"), max_length=300,
                                          blank=True)
    aanmelden = models.CharField(_("aanmelden"), max_length=12, choices=Aanmelden.choices,
                                 default=Aanmelden.DIRECT)
    aanmelden_toelichting = models.TextField(_("zo meldt u zich aan"), blank=True)
    wachttijd = models.CharField(_("wachttijd"), max_length=100, blank=True)
    talen = models.CharField(_("talen"), max_length=200, blank=True, default="nl",
                             help_text=_("Taalcodes met komma's, bijvoorbeeld: nl, en, ar."))
    toegankelijkheid = models.TextField(_("toegankelijkheid"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    telefoon = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    locaties = models.ManyToManyField(Locatie, blank=True, related_name="aanbod",
                                      verbose_name=_("locaties"))
    # Only for professionals.
    verwijzen = models.TextField(_("zo verwijst u door (voor professionals)"), blank=True)
    contactpersoon = models.ForeignKey(
        Persoon, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("contactpersoon (voor professionals)"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.ACTIEF)
    # Freshness.
    aangemaakt_op = models.DateField(_("aangemaakt op"), default=datetime.date.today)
    gewijzigd_op = models.DateTimeField(_("laatst gewijzigd"), default=timezone.now)
    gecontroleerd_op = models.DateField(
        _("laatst gecontroleerd"), null=True, blank=True,
        help_text=_("Alleen gezet door een uitdrukkelijke controle ('klopt nog')."))
    gecontroleerd_door = models.CharField(_("gecontroleerd door"), max_length=200, blank=True)
    controle_voor = models.DateField(_("controleren voor"), null=True, blank=True)
    herinnerd_op = models.DateField(_("herinnering verstuurd op"), null=True, blank=True)
    # Search: stemmed words (kaart.zoeken), indexed per database (see the migrations).
    zoektekst = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("aanbod")
        verbose_name_plural = _("aanbod")
        ordering = ["naam"]
        indexes = [
            models.Index(fields=["gemeente", "status", "gecontroleerd_op"]),
            models.Index(fields=["gemeente", "gewijzigd_op"]),
            models.Index(fields=["gemeente", "leeftijd_van", "leeftijd_tot"]),
        ]

    def __str__(self):
        return self.naam

    def get_absolute_url(self):
        return reverse("kaart:aanbod-detail",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    def get_public_url(self):
        return reverse("kaart:publiek-aanbod",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    def clean(self):
        errors = {}
        if self.organisatie_id and self.organisatie.gemeente_id != self.gemeente_id:
            errors["organisatie"] = _("Deze organisatie hoort bij een andere gemeente.")
        if self.contactpersoon_id and self.contactpersoon.gemeente_id != self.gemeente_id:
            errors["contactpersoon"] = _("Deze persoon hoort bij een andere gemeente.")
        if (self.leeftijd_van is not None and self.leeftijd_tot is not None
                and self.leeftijd_tot < self.leeftijd_van):
            errors["leeftijd_tot"] = _("De leeftijd 'tot' moet na de leeftijd 'vanaf' liggen.")
        if self.kosten == self.Kosten.PRIJS and self.prijs is None:
            errors["prijs"] = _("Vul de prijs in.")
        if self.kosten == self.Kosten.GRATIS and self.prijs:
            errors["prijs"] = _("Gratis aanbod heeft geen prijs.")
        if errors:
            raise ValidationError(errors)

    def policy_organisatie_ids(self):
        return {self.organisatie_id} if self.organisatie_id else set()

    def taalcodes(self):
        return [t.strip().lower() for t in self.talen.split(",") if t.strip()]


class Wijzigingsverzoek(models.Model):
    """A provider's proposed change to an aanbod: waits for the redacteur (beleidsmedewerker)
    unless every changed field may go live at once (KaartInstelling). Or, with `locatie` and
    no aanbod, new weekly opening hours of a locatie while they may not go live at once
    (voorstel {"openingstijden": [[weekdag, "HH:MM", "HH:MM"], ...]})."""

    class Status(models.TextChoices):
        INGEDIEND = "ingediend", _("wacht op de redacteur")
        GOEDGEKEURD = "goedgekeurd", _("goedgekeurd")
        TERUGGESTUURD = "teruggestuurd", _("teruggestuurd")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    aanbod = models.ForeignKey(Aanbod, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="wijzigingsverzoeken", verbose_name=_("aanbod"))
    locatie = models.ForeignKey(Locatie, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="wijzigingsverzoeken", verbose_name=_("locatie"))
    voorstel = models.JSONField(_("voorgestelde waarden"))
    huidig = models.JSONField(_("waarden op het moment van indienen"))
    status = models.CharField(_("status"), max_length=15, choices=Status.choices,
                              default=Status.INGEDIEND)
    ingediend_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                       null=True, blank=True, related_name="+",
                                       verbose_name=_("ingediend door"))
    ingediend_op = models.DateTimeField(_("ingediend op"), default=timezone.now)
    beoordeeld_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                        null=True, blank=True, related_name="+",
                                        verbose_name=_("beoordeeld door"))
    beoordeeld_op = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    reden = models.TextField(_("reden"), blank=True)

    class Meta:
        verbose_name = _("wijzigingsverzoek")
        verbose_name_plural = _("wijzigingsverzoeken")
        ordering = ["-ingediend_op"]

    def __str__(self):
        if self.locatie_id and not self.aanbod_id:
            return _("Openingstijden van %(locatie)s") % {"locatie": self.locatie.naam}
        return _("Wijziging van %(aanbod)s") % {"aanbod": self.aanbod}

    def get_absolute_url(self):
        return reverse("kaart:wijziging-detail",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    @property
    def onderwerp(self):
        """What the request changes: the aanbod, or the locatie of new opening hours."""
        return self.aanbod if self.aanbod_id else self.locatie

    def policy_organisatie_ids(self):
        return self.onderwerp.policy_organisatie_ids() if self.onderwerp else set()


class Melding(models.Model):
    """A public report that something on the kaart is wrong ("Klopt er iets niet?")."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        BEANTWOORD = "beantwoord", _("beantwoord")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    aanbod = models.ForeignKey(Aanbod, on_delete=models.CASCADE, related_name="meldingen",
                               verbose_name=_("aanbod"))
    tekst = models.TextField(_("wat klopt er niet?"), max_length=2000)
    email = models.EmailField(
        _("e-mailadres voor een antwoord"), blank=True,
        help_text=_("Niet verplicht. We gebruiken het alleen om u te antwoorden."))
    ingediend_op = models.DateTimeField(_("ingediend op"), default=timezone.now)
    antwoord_voor = models.DateField(_("antwoord uiterlijk"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.OPEN)
    antwoord = models.TextField(_("antwoord"), blank=True)
    beantwoord_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                        null=True, blank=True, related_name="+",
                                        verbose_name=_("beantwoord door"))
    beantwoord_op = models.DateTimeField(_("beantwoord op"), null=True, blank=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-ingediend_op"]
        indexes = [models.Index(fields=["aanbod", "status"])]

    def __str__(self):
        return _("Melding over %(aanbod)s") % {"aanbod": self.aanbod}

    def get_absolute_url(self):
        return reverse("kaart:melding-detail",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    def policy_organisatie_ids(self):
        return self.aanbod.policy_organisatie_ids()


class Zoekterm(models.Model):
    """Every distinct search term of a gemeente's aanbod (for typo tolerance in kaart.zoeken)."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=60)

    class Meta:
        verbose_name = _("zoekterm")
        verbose_name_plural = _("zoektermen")
        constraints = [models.UniqueConstraint(fields=["gemeente", "term"],
                                               name="zoekterm_unique")]

    def __str__(self):
        return self.term


# Activiteitenladder ------------------------------------------------------------------------

class Schoolvakantie(models.Model):
    """A school holiday of a DUO vakantieregio in one school year (dates editable: the
    gemeente's own calendar may differ from the advice)."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    regio = models.CharField(_("vakantieregio"), max_length=6,
                             choices=KaartInstelling.Vakantieregio.choices)
    schooljaar = PeriodeField(_("schooljaar"))
    naam = models.CharField(_("naam"), max_length=100)
    van = models.DateField(_("eerste vrije dag"))
    tot = models.DateField(_("laatste vrije dag"))

    class Meta:
        verbose_name = _("schoolvakantie")
        verbose_name_plural = _("schoolvakanties")
        ordering = ["van"]

    def __str__(self):
        return f"{self.naam} {self.van:%d-%m-%Y} – {self.tot:%d-%m-%Y}"

    def get_absolute_url(self):
        return reverse("kaart:schoolvakantie-list", kwargs={
            "gemeente": self.gemeente.slug}) + f"?jaar={self.schooljaar.code}"

    def clean(self):
        if self.van and self.tot and self.tot < self.van:
            raise ValidationError({"tot": _("De laatste dag ligt voor de eerste.")})


class Ladderactiviteit(models.Model):
    """One weekly after-school activity at or for a basisschool in one school year."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="ladder",
                               verbose_name=_("school"))
    schooljaar = PeriodeField(_("schooljaar"))
    aanbieder = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("aanbieder"))
    aanbod = models.ForeignKey(Aanbod, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("aanbod op de sociale kaart"))
    naam = models.CharField(_("activiteit"), max_length=200)
    weekdag = models.PositiveSmallIntegerField(_("dag"), choices=Openingstijd.Weekdag.choices)
    begin = models.TimeField(_("begint om"))
    eind = models.TimeField(_("eindigt om"))
    groep_van = models.PositiveSmallIntegerField(
        _("vanaf groep"), default=1, validators=[MinValueValidator(1), MaxValueValidator(8)])
    groep_tot = models.PositiveSmallIntegerField(
        _("tot en met groep"), default=8, validators=[MinValueValidator(1), MaxValueValidator(8)])
    plaatsen = models.PositiveSmallIntegerField(_("plaatsen"), null=True, blank=True)
    bezet = models.PositiveSmallIntegerField(_("bezette plaatsen"), default=0)
    prijs = models.DecimalField(_("prijs per seizoen (euro)"), max_digits=7, decimal_places=2,
                                default=0, validators=[MinValueValidator(0)])
    korting = models.PositiveSmallIntegerField(
        _("korting bij een laag inkomen (%)"), default=0, validators=[MaxValueValidator(100)])
    locatie = models.CharField(_("waar"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("activiteit op de ladder")
        verbose_name_plural = _("activiteitenladder")
        ordering = ["weekdag", "begin", "naam"]
        indexes = [models.Index(fields=["school", "schooljaar"])]

    def __str__(self):
        return f"{self.naam} ({self.get_weekdag_display()} {self.begin:%H:%M})"

    def get_absolute_url(self):
        url = reverse("kaart:ladder", kwargs={"gemeente": self.gemeente.slug,
                                              "pk": self.school_id})
        return f"{url}?jaar={self.schooljaar.code}"

    def clean(self):
        errors = {}
        if self.school_id and (self.school.gemeente_id != self.gemeente_id
                               or self.school.type != Organisatie.Type.BASISSCHOOL):
            errors["school"] = _("Kies een basisschool van deze gemeente.")
        if self.aanbieder_id and self.aanbieder.gemeente_id != self.gemeente_id:
            errors["aanbieder"] = _("Deze organisatie hoort bij een andere gemeente.")
        if self.begin and self.eind and self.eind <= self.begin:
            errors["eind"] = _("De activiteit moet eindigen na het begin.")
        if self.groep_tot < self.groep_van:
            errors["groep_tot"] = _("'Tot en met groep' moet na 'vanaf groep' liggen.")
        if self.plaatsen is not None and self.bezet > self.plaatsen:
            errors["bezet"] = _("Er zijn meer plaatsen bezet dan er zijn.")
        if errors:
            raise ValidationError(errors)

    def policy_organisatie_ids(self):
        """A partner's own activities are those their organisation provides."""
        return {self.aanbieder_id} if self.aanbieder_id else set()

    @property
    def vrij(self):
        return None if self.plaatsen is None else self.plaatsen - self.bezet

    @property
    def prijs_met_korting(self):
        from decimal import ROUND_HALF_UP, Decimal

        return (self.prijs * (100 - self.korting) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)


# Verwijsroutes -----------------------------------------------------------------------------

class Verwijsroute(models.Model):
    """The route the gemeente agreed for one need ("één gezin, één plan, één regisseur"): who to
    go to first, which aanbod follows, who is regisseur. No personal case data: a route is the
    same for every family."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    behoefte = models.CharField(_("zorg of vraag"), max_length=200,
                                help_text=_("In de woorden van een ouder of jongere, bijvoorbeeld "
                                            "'Mijn kind gaat niet naar school'."))
    toelichting = models.TextField(_("toelichting"), blank=True)
    eerst_naar = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("ga eerst naar"))
    regisseur = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("regisseur"),
                                  help_text=_("Wie het overzicht houdt: één plan, één regisseur."))
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("verwijsroute")
        verbose_name_plural = _("verwijsroutes")
        ordering = ["volgorde", "behoefte"]

    def __str__(self):
        return self.behoefte

    def clean(self):
        for veld in ("eerst_naar", "regisseur"):
            org = getattr(self, veld, None) if getattr(self, f"{veld}_id") else None
            if org is not None and org.gemeente_id != self.gemeente_id:
                raise ValidationError({veld: _("Deze organisatie hoort bij een andere "
                                               "gemeente.")})


class Verwijsstap(models.Model):
    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    route = models.ForeignKey(Verwijsroute, on_delete=models.CASCADE, related_name="stappen",
                              verbose_name=_("route"))
    volgorde = models.PositiveSmallIntegerField(_("stap"), default=1)
    tekst = models.CharField(_("wat gebeurt er"), max_length=300)
    aanbod = models.ForeignKey(Aanbod, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("aanbod"))

    class Meta:
        verbose_name = _("stap van een verwijsroute")
        verbose_name_plural = _("stappen van verwijsroutes")
        ordering = ["volgorde"]

    def __str__(self):
        return f"{self.volgorde}. {self.tekst}"

    def clean(self):
        if self.aanbod_id and self.aanbod.gemeente_id != self.gemeente_id:
            raise ValidationError({"aanbod": _("Dit aanbod hoort bij een andere gemeente.")})


# Register imports --------------------------------------------------------------------------

class Registerinschrijving(models.Model):
    """An organisatie as a national register knows it: a DUO school vestiging or an LRK
    kinderopvang location. Upserted by its register code; closed, never deleted."""

    class Register(models.TextChoices):
        DUO = "duo", _("DUO (scholen)")
        LRK = "lrk", _("Landelijk Register Kinderopvang")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    register = models.CharField(_("register"), max_length=3, choices=Register.choices)
    code = models.CharField(_("code in het register"), max_length=20)
    organisatie = models.OneToOneField(Organisatie, on_delete=models.CASCADE,
                                       related_name="registerinschrijving",
                                       verbose_name=_("organisatie"))
    gegevens = models.JSONField(_("gegevens uit het register"), default=dict)
    gesloten = models.BooleanField(_("gesloten"), default=False)

    class Meta:
        verbose_name = _("inschrijving in een register")
        verbose_name_plural = _("inschrijvingen in registers")
        constraints = [models.UniqueConstraint(fields=["gemeente", "register", "code"],
                                               name="registerinschrijving_unique")]

    def __str__(self):
        return f"{self.get_register_display()} {self.code}"
