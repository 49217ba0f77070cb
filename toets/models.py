"""Klaverblad-toets: a policy document, its passages, the lexicon it is held against, and each
run (Toetsing) with per doel what the machine said and what the beleidsmedewerker decided.

A Toetsing records everything needed to reproduce it years later: the lexicon version, the
stemmer and the versions of the packages that read the file. Results are never overwritten:
a new lexicon or a new run makes a new Toetsing beside the old one.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
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

    class Meta:
        verbose_name = _("beleidsdocument")
        verbose_name_plural = _("beleidsdocumenten")
        ordering = ["-jaar", "titel"]

    def __str__(self):
        return f"{self.titel} ({self.jaar})"

    def get_absolute_url(self):
        return reverse("toets:document", kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    def policy_organisatie_ids(self):
        return {self.organisatie_id} if self.organisatie_id else set()

    @property
    def laatste_toetsing(self):
        return self.toetsingen.order_by("-pk").first()


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
