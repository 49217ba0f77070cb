"""Klaverblad-toets: a policy document, its passages, the lexicon it is held against, and each
run (Toetsing) with per doel what the machine said and what the beleidsmedewerker decided.

A Toetsing records everything needed to reproduce it years later: the lexicon version, the
stemmer and the versions of the packages that read the file. Results are never overwritten:
a new lexicon or a new run makes a new Toetsing beside the old one.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Gemeente
from framework.models import Doel
from network.models import Organisatie


class Status(models.TextChoices):
    AANGETOOND = "aangetoond", _("aangetoond")
    BEPERKT = "beperkt", _("beperkt")
    ONTBREEKT = "ontbreekt", _("ontbreekt")


class Beleidsterrein(models.TextChoices):
    JEUGD = "jeugd", _("jeugd en gezin")
    ONDERWIJS = "onderwijs", _("onderwijs")
    ZORG = "zorg", _("zorg en welzijn")
    GEZONDHEID = "gezondheid", _("gezondheid en sport")
    WONEN = "wonen", _("wonen en wijken")
    VEILIGHEID = "veiligheid", _("veiligheid")
    INKOMEN = "inkomen", _("werk en inkomen")
    CULTUUR = "cultuur", _("cultuur")
    OVERIG = "overig", _("overig")


class Lexicon(models.Model):
    """Per gemeente, versioned: per doel nummer the weighted terms, plus the signals and
    thresholds (see toets/analyse.py for the keys). Never edited in place: a change is a new
    version."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    versie = models.PositiveIntegerField(_("versie"))
    inhoud = models.JSONField(_("inhoud"))
    toelichting = models.CharField(_("toelichting"), max_length=500, blank=True)
    gemaakt_op = models.DateTimeField(_("gemaakt op"), auto_now_add=True)
    gemaakt_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("gemaakt door"))

    class Meta:
        verbose_name = _("lexicon")
        verbose_name_plural = _("lexicons")
        ordering = ["gemeente", "-versie"]
        constraints = [models.UniqueConstraint(fields=["gemeente", "versie"],
                                               name="lexicon_versie_uniek")]

    def __str__(self):
        return _("Lexicon versie %(v)s") % {"v": self.versie}

    def get_absolute_url(self):
        return reverse("toets:lexicon", kwargs={"gemeente": self.gemeente.slug})


class Beleidsdocument(models.Model):
    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    titel = models.CharField(_("titel"), max_length=300)
    beleidsterrein = models.CharField(_("beleidsterrein"), max_length=20,
                                      choices=Beleidsterrein.choices)
    jaar = models.PositiveSmallIntegerField(
        _("jaar"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    eigenaar = models.CharField(_("eigenaar"), max_length=200,
                                help_text=_("Wie het document heeft gemaakt, bijvoorbeeld een "
                                            "afdeling of organisatie."))
    organisatie = models.ForeignKey(
        Organisatie, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("organisatie"),
        help_text=_("Alleen bij een plan van een partner: die ziet dan alleen zijn eigen plannen."))
    bestandsnaam = models.CharField(_("bestandsnaam"), max_length=255, blank=True)
    soort = models.CharField(_("bestandssoort"), max_length=10)
    paginas = models.PositiveIntegerField(_("pagina's of hoofdstukken"), default=0)
    sha256 = models.CharField(_("controlegetal"), max_length=64)
    aangemaakt_op = models.DateTimeField(_("toegevoegd op"), auto_now_add=True)
    aangemaakt_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                        null=True, blank=True, related_name="+",
                                        verbose_name=_("toegevoegd door"))
    # The upload form's one-time key: the same form posted twice stores one document.
    sleutel = models.UUIDField(_("formuliersleutel"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("beleidsdocument")
        verbose_name_plural = _("beleidsdocumenten")
        ordering = ["-jaar", "titel"]
        constraints = [models.UniqueConstraint(fields=["gemeente", "sleutel"],
                                               name="beleidsdocument_sleutel_uniek")]

    def __str__(self):
        return f"{self.titel} ({self.jaar})"

    def get_absolute_url(self):
        return reverse("toets:document", kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    def policy_organisatie_ids(self):
        return {self.organisatie_id} if self.organisatie_id else set()

    @property
    def laatste_toetsing(self):
        return self.toetsingen.order_by("-pk").first()

    @property
    def lopende_opdracht(self):
        """The toets still waiting or running for this document (background), if any."""
        return self.opdrachten.filter(stand__in=Toetsopdracht.OPEN).order_by("-pk").first()

    @property
    def mislukte_opdracht(self):
        """The newest background toets, when it failed and no run came after it."""
        laatste = self.opdrachten.order_by("-pk").first()
        return laatste if laatste and laatste.stand == Toetsopdracht.Stand.MISLUKT else None


class Passage(models.Model):
    document = models.ForeignKey(Beleidsdocument, on_delete=models.CASCADE,
                                 related_name="passages")
    nummer = models.PositiveIntegerField(_("nummer"))
    pagina = models.PositiveIntegerField(_("pagina of hoofdstuk"))
    kop = models.CharField(_("kop"), max_length=300, blank=True)
    tekst = models.TextField(_("tekst"))

    class Meta:
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        ordering = ["document", "nummer"]
        constraints = [models.UniqueConstraint(fields=["document", "nummer"],
                                               name="passage_nummer_uniek")]

    def __str__(self):
        return _("blz. %(p)s, passage %(n)s") % {"p": self.pagina, "n": self.nummer}


class Hertoetsronde(models.Model):
    """Documents tested again with a new lexicon version, to see what the change did."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+")
    lexicon = models.ForeignKey(Lexicon, on_delete=models.PROTECT, related_name="rondes",
                                verbose_name=_("lexicon"))
    sleutel = models.UUIDField(_("formuliersleutel"), editable=False)
    gemaakt_op = models.DateTimeField(_("gestart op"), auto_now_add=True)
    gemaakt_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("gestart door"))

    class Meta:
        verbose_name = _("hertoetsing")
        verbose_name_plural = _("hertoetsingen")
        ordering = ["gemeente", "-pk"]
        constraints = [models.UniqueConstraint(fields=["gemeente", "sleutel"],
                                               name="hertoetsronde_sleutel_uniek")]

    def __str__(self):
        return _("Opnieuw getoetst met lexicon versie %(v)s") % {"v": self.lexicon.versie}

    def get_absolute_url(self):
        return reverse("toets:hertoetsronde", kwargs={"gemeente": self.gemeente.slug,
                                                      "pk": self.pk})


class Toetsopdracht(models.Model):
    """One request to test a document with a lexicon version; a long document is tested by the
    worker, which writes its progress here. It yields at most one Toetsing (the one-to-one on
    Toetsing), however often the task runs."""

    class Stand(models.TextChoices):
        WACHT = "wacht", _("wacht op zijn beurt")
        BEZIG = "bezig", _("bezig")
        KLAAR = "klaar", _("klaar")
        MISLUKT = "mislukt", _("mislukt")

    OPEN = (Stand.WACHT, Stand.BEZIG)
    # A run still open this long after it was asked for has lost its worker (a restart): it
    # may be started again (the one-to-one on Toetsing keeps that to one result).
    VASTGELOPEN_NA = datetime.timedelta(minutes=15)

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Beleidsdocument, on_delete=models.CASCADE,
                                 related_name="opdrachten", verbose_name=_("document"))
    lexicon = models.ForeignKey(Lexicon, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("lexicon"))
    ronde = models.ForeignKey(Hertoetsronde, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="opdrachten")
    vorige = models.ForeignKey("Toetsing", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("vorige toetsing"))
    achtergrond = models.BooleanField(_("op de achtergrond"), default=False)
    stand = models.CharField(_("stand"), max_length=10, choices=Stand.choices,
                             default=Stand.WACHT)
    gedaan = models.PositiveIntegerField(_("passages getoetst"), default=0)
    totaal = models.PositiveIntegerField(_("passages"), default=0)
    melding = models.CharField(_("melding"), max_length=300, blank=True)
    gemaakt_op = models.DateTimeField(_("gevraagd op"), auto_now_add=True)
    gemaakt_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("gevraagd door"))

    class Meta:
        verbose_name = _("toetsopdracht")
        verbose_name_plural = _("toetsopdrachten")
        ordering = ["document", "-pk"]
        constraints = [models.UniqueConstraint(
            fields=["document"], condition=models.Q(stand__in=["wacht", "bezig"]),
            name="toetsopdracht_een_open_per_document")]

    def __str__(self):
        return _("Toets van %(d)s: %(s)s") % {"d": self.document, "s": self.get_stand_display()}

    @property
    def vastgelopen(self) -> bool:
        return self.stand in self.OPEN and timezone.now() - self.gemaakt_op > self.VASTGELOPEN_NA

    @property
    def procent(self) -> int:
        return int(100 * self.gedaan / self.totaal) if self.totaal else 0

    def policy_organisatie_ids(self):
        return self.document.policy_organisatie_ids()


class Toetsing(models.Model):
    """One run of the toets on a document with one lexicon version."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Beleidsdocument, on_delete=models.CASCADE,
                                 related_name="toetsingen", verbose_name=_("document"))
    lexicon = models.ForeignKey(Lexicon, on_delete=models.PROTECT, related_name="toetsingen",
                                verbose_name=_("lexicon"))
    stemmer = models.CharField(_("stemmer"), max_length=60)
    pakketten = models.JSONField(_("pakketversies"), default=dict)
    gemaakt_op = models.DateTimeField(_("getoetst op"), auto_now_add=True)
    gemaakt_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("getoetst door"))
    opdracht = models.OneToOneField(Toetsopdracht, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="toetsing",
                                    verbose_name=_("opdracht"))

    class Meta:
        verbose_name = _("toetsing")
        verbose_name_plural = _("toetsingen")
        ordering = ["document", "-pk"]

    def __str__(self):
        return _("Toetsing van %(d)s met lexicon %(v)s") % {"d": self.document,
                                                           "v": self.lexicon.versie}

    def policy_organisatie_ids(self):
        return self.document.policy_organisatie_ids()


class Oordeel(models.Model):
    """Per doel: what the machine said, and the final judgement (the same until a
    beleidsmedewerker overrides it, with a reason)."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+")
    toetsing = models.ForeignKey(Toetsing, on_delete=models.CASCADE, related_name="oordelen")
    doel = models.ForeignKey(Doel, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("doel"))
    machine_status = models.CharField(_("uitkomst van de toets"), max_length=12,
                                      choices=Status.choices)
    machine_reden = models.CharField(_("waarom"), max_length=300)
    status = models.CharField(_("oordeel"), max_length=12, choices=Status.choices)
    reden = models.TextField(_("reden van het oordeel"), blank=True)
    beoordeeld_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                        null=True, blank=True, related_name="+",
                                        verbose_name=_("beoordeeld door"))
    beoordeeld_op = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)

    class Meta:
        verbose_name = _("oordeel per doel")
        verbose_name_plural = _("oordelen per doel")
        ordering = ["toetsing", "doel__nummer"]
        constraints = [models.UniqueConstraint(fields=["toetsing", "doel"],
                                               name="oordeel_per_doel_uniek")]

    def __str__(self):
        return _("Doel %(n)s: %(s)s") % {"n": self.doel.nummer, "s": self.get_status_display()}

    @property
    def overschreven(self):
        return self.status != self.machine_status

    def policy_organisatie_ids(self):
        return self.toetsing.policy_organisatie_ids()


class Bewijs(models.Model):
    class Bron(models.TextChoices):
        MACHINE = "machine", _("gevonden door de toets")
        HANDMATIG = "handmatig", _("toegevoegd door beleidsmedewerker")

    class Beoordeling(models.TextChoices):
        OPEN = "open", _("nog niet beoordeeld")
        BEVESTIGD = "bevestigd", _("bevestigd")
        AFGEWEZEN = "afgewezen", _("afgewezen")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+")
    oordeel = models.ForeignKey(Oordeel, on_delete=models.CASCADE, related_name="bewijzen")
    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("passage"))
    termen = models.JSONField(_("termen"), default=list)
    score = models.FloatField(_("score"), default=0)
    niveau = models.CharField(_("niveau"), max_length=12, choices=Status.choices)
    regel = models.CharField(_("regel"), max_length=300, blank=True)
    bron = models.CharField(_("bron"), max_length=10, choices=Bron.choices, default=Bron.MACHINE)
    beoordeling = models.CharField(_("beoordeling"), max_length=10, choices=Beoordeling.choices,
                                   default=Beoordeling.OPEN)

    class Meta:
        verbose_name = _("bewijs")
        verbose_name_plural = _("bewijzen")
        ordering = ["oordeel", "-score", "passage__nummer"]
        constraints = [models.UniqueConstraint(fields=["oordeel", "passage"],
                                               name="bewijs_per_passage_uniek")]

    def __str__(self):
        return str(self.passage)

    def policy_organisatie_ids(self):
        return self.oordeel.policy_organisatie_ids()
