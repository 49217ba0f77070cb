"""Monitor: indicators, measurements per CBS region and period, targets, import batches, the
published view of every measurement (RegioWaarde) and the pre-computed rollup (ReeksWaarde, per
indicator × gebied or gemeente × periode) that pages, exports and API answers read.

Privacy by construction: small numbers are suppressed in one place, the database view behind
RegioWaarde (status 'onderdrukt', no waarde); the rollup copies its gemeente rows from that
view and suppresses its gebied rows itself, so nothing downstream can show them by accident.
Complementary suppression (monitor.suppressie, run by the rollup) hides the figures that would
let someone compute a small one: region figures through Afscherming (read by the same view),
gebied and gemeente rows of the rollup directly.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Gemeente
from core.periods import JAAR, SOORTEN, PeriodeField
from framework.models import Doelgericht
from regions.models import Gebied, Region


def _url(name, gemeente, **kwargs):
    """The monitor page `name` of this gemeente."""
    return reverse(name, kwargs={"gemeente": gemeente.slug, **kwargs})


NIVEAUS = [("gemeente", _("gemeente")), ("wijk", _("wijk")), ("buurt", _("buurt"))]
NIVEAU_CODES = {code for code, _label in NIVEAUS}


class Eenheid(models.TextChoices):
    AANTAL = "aantal", _("aantal")
    PERCENTAGE = "percentage", _("percentage")
    PER_1000 = "per_1000", _("per 1.000")
    SCORE = "score", _("score")
    DAGEN = "dagen", _("dagen")


# waarde = FACTOR × teller / noemer for ratio indicators.
FACTOR = {Eenheid.PERCENTAGE: 100.0, Eenheid.PER_1000: 1000.0}
# The range of a value when the indicator sets none (ondergrens/bovengrens empty): counts and
# rates are never negative, a percentage stays within 0-100, a score (such as SES-WOA,
# centred on 0) has no bounds.
STANDAARD_BEREIK = {Eenheid.AANTAL: (0.0, None), Eenheid.PERCENTAGE: (0.0, 100.0),
                    Eenheid.PER_1000: (0.0, 1000.0), Eenheid.SCORE: (None, None),
                    Eenheid.DAGEN: (0.0, None)}


class Status(models.TextChoices):
    """The status of one value; kept from the source through the rollup to every answer."""

    WAARGENOMEN = "waargenomen", _("waargenomen")
    GEHEIM = "geheim", _("geheim (CBS)")
    AFGEROND = "afgerond", _("afgerond (CBS)")
    ONDERDRUKT = "onderdrukt", _("onderdrukt (te klein aantal)")
    # Rollup only: a gebied value for which not every wijk/buurt has a usable figure.
    ONVOLLEDIG = "onvolledig", _("onvolledig (niet alle wijken en buurten hebben een cijfer)")


class Indicator(Doelgericht):
    """One indicator of a gemeente's monitor. Tagged with Klaverblad doelen through
    framework.DoelKoppeling (framework.services.set_doelen)."""

    werkt_aan_doel = False  # it measures a doel; it does not fill a witte vlek

    class Richting(models.TextChoices):
        HOGER = "hoger", _("hoger is beter")
        LAGER = "lager", _("lager is beter")
        CONTEXT = "context", _("context (geen goed of slecht)")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE,
                                 related_name="monitor_indicatoren", verbose_name=_("gemeente"))
    code = models.SlugField(_("code"), max_length=50,
                            help_text=_("Korte code, bijvoorbeeld armoede_kind. Wordt gebruikt "
                                        "in importbestanden."))
    naam = models.CharField(_("naam"), max_length=200)
    definitie = models.TextField(_("definitie"))
    eenheid = models.CharField(_("eenheid"), max_length=12, choices=Eenheid.choices)
    richting = models.CharField(_("gewenste richting"), max_length=8, choices=Richting.choices,
                                default=Richting.CONTEXT)
    bron = models.CharField(_("bron"), max_length=200, blank=True)
    niveaus = models.JSONField(_("geografische niveaus"), default=list, blank=True,
                               help_text=_("Op welke niveaus er cijfers zijn: gemeente, wijk, "
                                           "buurt."))
    periodetype = models.CharField(_("soort periode"), max_length=10, choices=SOORTEN,
                                   default=JAAR)
    is_ratio = models.BooleanField(
        _("teller en noemer"), default=False,
        help_text=_("De waarde is teller gedeeld door noemer. Alleen dan kan een gebied uit "
                    "zijn wijken en buurten berekend worden."))
    teller_definitie = models.TextField(_("teller"), blank=True)
    noemer_definitie = models.TextField(_("noemer"), blank=True)
    toelichting = models.TextField(_("toelichting"), blank=True,
                                   help_text=_("Bijvoorbeeld: peiling om de vier jaar."))
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    ondergrens = models.FloatField(
        _("laagste waarde"), null=True, blank=True,
        help_text=_("Leeg: 0, en bij een score geen grens. Een verschil, een verandering of "
                    "een score die onder 0 kan komen (zoals SES-WOA) krijgt een negatieve "
                    "ondergrens. Een percentage blijft tussen 0 en 100."))
    bovengrens = models.FloatField(
        _("hoogste waarde"), null=True, blank=True,
        help_text=_("Leeg: geen grens (een percentage: 100, per 1.000: 1.000)."))

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatoren")
        ordering = ["volgorde", "naam"]
        constraints = [models.UniqueConstraint(
            fields=["gemeente", "code"], name="monitor_indicator_unique_code",
            violation_error_message=_("Deze gemeente heeft al een indicator met deze code."))]

    def __str__(self):
        return self.naam

    def get_absolute_url(self):
        return _url("monitor:indicator-detail", self.gemeente, pk=self.pk)

    @property
    def bereik(self) -> tuple[float | None, float | None]:
        """(lowest, highest) allowed waarde; None is no bound. Set on the indicator, or the
        default of its eenheid (STANDAARD_BEREIK)."""
        onder, boven = STANDAARD_BEREIK.get(self.eenheid, (None, None))
        return (onder if self.ondergrens is None else self.ondergrens,
                boven if self.bovengrens is None else self.bovengrens)

    def bereik_tekst(self) -> str:
        onder, boven = self.bereik
        if onder is not None and boven is not None:
            return _("van %(onder)g tot en met %(boven)g") % {"onder": onder, "boven": boven}
        if onder is not None:
            return _("vanaf %(onder)g") % {"onder": onder}
        if boven is not None:
            return _("tot en met %(boven)g") % {"boven": boven}
        return _("zonder grenzen")

    def in_bereik(self, waarde: float) -> bool:
        onder, boven = self.bereik
        return (onder is None or waarde >= onder) and (boven is None or waarde <= boven)

    def clean(self):
        errors = {}
        onbekend = [n for n in (self.niveaus or []) if n not in NIVEAU_CODES]
        if not isinstance(self.niveaus, list) or onbekend:
            errors["niveaus"] = _("Kies uit gemeente, wijk en buurt.")
        if self.is_ratio and not (self.teller_definitie and self.noemer_definitie):
            errors["teller_definitie"] = _("Beschrijf bij teller en noemer wat er geteld wordt.")
        if self.is_ratio and self.eenheid not in (Eenheid.PERCENTAGE, Eenheid.PER_1000):
            errors["eenheid"] = _("Een indicator met teller en noemer is een percentage of een "
                                  "aantal per 1.000.")
        onder, boven = self.ondergrens, self.bovengrens
        if self.eenheid == Eenheid.PERCENTAGE and any(
                g is not None and not 0 <= g <= 100 for g in (onder, boven)):
            errors["ondergrens" if onder is not None and not 0 <= onder <= 100
                   else "bovengrens"] = _("Een percentage ligt tussen 0 en 100.")
        elif self.is_ratio and onder is not None and onder < 0:
            errors["ondergrens"] = _("Teller gedeeld door noemer is nooit negatief.")
        if onder is not None and boven is not None and onder > boven:
            errors["bovengrens"] = _("De hoogste waarde is lager dan de laagste.")
        if errors:
            raise ValidationError(errors)


# The minimum n of a gemeente without its own setting: the view monitor_regiowaarde (migration
# 0002/0004, as a literal there), the rollup and complementary suppression's pre-test use it.
DEFAULT_MINIMUM_N = 10


class MonitorInstelling(models.Model):
    """Per gemeente: the minimum number below which values are suppressed, and whether the
    monitor is public (read-only, without login)."""

    gemeente = models.OneToOneField(Gemeente, on_delete=models.CASCADE,
                                    related_name="monitor_instelling",
                                    verbose_name=_("gemeente"))
    minimum_n = models.PositiveIntegerField(
        _("minimum aantal"), default=DEFAULT_MINIMUM_N,
        help_text=_("Cijfers die op minder dan dit aantal personen of gevallen berusten, worden "
                    "nergens getoond."))
    publiek = models.BooleanField(_("monitor is openbaar"), default=False,
                                  help_text=_("Iedereen kan de monitor lezen, zonder in te "
                                              "loggen."))

    class Meta:
        verbose_name = _("instelling van de monitor")
        verbose_name_plural = _("instellingen van de monitor")
        constraints = [models.CheckConstraint(condition=Q(minimum_n__gte=1),
                                              name="monitor_instelling_minimum_n_positief")]

    def __str__(self):
        return str(_("Monitor van %(gemeente)s")) % {"gemeente": self.gemeente}

    def get_absolute_url(self):
        return _url("monitor:instellingen", self.gemeente)


class ImportBatch(models.Model):
    """One imported file. The same file again (same sha256) changes nothing; a corrected file
    for the same indicators, bron and periodes replaces the batch (status 'vervangen').

    Formaat 'berekend': no file but the figures another app of Opgroeien computed from its own
    data (monitor.services.schrijf_berekening; the sociale kaart's share of current aanbod),
    one batch per indicator and periode whose measurements a later computation replaces."""

    class Formaat(models.TextChoices):
        CBS = "cbs", _("CBS StatLine (CSV met statistische symbolen)")
        CBS_JSON = "cbs_json", _("CBS StatLine (OData/JSON)")
        SJABLOON = "sjabloon", _("sjabloon van Opgroeien (CSV of Excel)")
        BEREKEND = "berekend", _("berekend door Opgroeien")

    class BatchStatus(models.TextChoices):
        ACTIEF = "actief", _("actief")
        VERVANGEN = "vervangen", _("vervangen door een nieuwer bestand")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE,
                                 related_name="monitor_batches", verbose_name=_("gemeente"))
    indicatoren = models.ManyToManyField(Indicator, related_name="batches",
                                         verbose_name=_("indicatoren"))
    formaat = models.CharField(_("formaat"), max_length=10, choices=Formaat.choices)
    bron = models.CharField(_("bron"), max_length=200, blank=True)
    bestandsnaam = models.CharField(_("bestandsnaam"), max_length=255)
    sha256 = models.CharField(_("SHA-256 van het bestand"), max_length=64)
    periodes = models.JSONField(_("periodes"), default=list)
    rijen = models.PositiveIntegerField(_("aantal metingen"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus.choices,
                              default=BatchStatus.ACTIEF)
    vervangen_door = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="vervangt",
                                       verbose_name=_("vervangen door"))
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+", verbose_name=_("ingelezen door"))
    aangemaakt = models.DateTimeField(_("ingelezen op"), auto_now_add=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-aangemaakt", "-pk"]
        indexes = [models.Index(fields=["gemeente", "sha256"])]

    def __str__(self):
        return f"{self.bestandsnaam} ({self.aangemaakt:%d-%m-%Y %H:%M})" if self.aangemaakt \
            else self.bestandsnaam

    def get_absolute_url(self):
        return _url("monitor:batch-detail", self.gemeente, pk=self.pk)


class Meting(models.Model):
    """One measurement: an indicator in one CBS region (code + indeling year) and periode.

    Written only by the import (PostgreSQL COPY of rows it has checked) and by
    services.schrijf_berekening (figures another app computes, same path). Millions of rows:
    the database enforces the references that matter (indicator, region) and uniqueness;
    gemeente (a copy of indicator.gemeente) and batch (created in the same transaction) are
    not FK-checked per row, and the single-column FK indexes are left out where the unique
    index (indicator, region, periode) already serves.
    """

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"), db_constraint=False,
                                 db_index=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="metingen",
                                  verbose_name=_("indicator"), db_index=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("regio"), db_index=False)
    periode = PeriodeField(_("periode"))
    waarde = models.FloatField(_("waarde"), null=True, blank=True)
    teller = models.FloatField(_("teller"), null=True, blank=True)
    noemer = models.FloatField(_("noemer"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.WAARGENOMEN)
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="metingen",
                              verbose_name=_("import"), db_constraint=False)

    class Meta:
        verbose_name = _("meting")
        verbose_name_plural = _("metingen")
        ordering = ["indicator", "periode", "region"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "region", "periode"],
                                    name="monitor_meting_unique"),
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.region_id} {self.periode}"

    def get_absolute_url(self):
        return self.indicator.get_absolute_url()


class Streefwaarde(models.Model):
    """A target for an indicator in a gebied or in the gemeente as a whole (its GM region),
    for one periode — the wijkplan's "te behalen resultaten".

    Wijkplan activiteiten link to targets from their side (plans.Activiteit.streefwaarden, so
    `streefwaarde.activiteiten` exists): plans imports monitor, monitor never imports plans.
    Monitor pages show those activiteiten through the monitor.koppelingen registry.
    """

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE,
                                  related_name="streefwaarden", verbose_name=_("indicator"))
    gebied = models.ForeignKey(Gebied, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+", verbose_name=_("gebied"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("gemeente (CBS-regio)"),
                               limit_choices_to={"soort": "gemeente"})
    periode = PeriodeField(_("periode"))
    waarde = models.FloatField(_("streefwaarde"))
    toelichting = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("streefwaarde")
        verbose_name_plural = _("streefwaarden")
        ordering = ["indicator", "periode"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(gebied__isnull=False, region__isnull=True)
                           | Q(gebied__isnull=True, region__isnull=False)),
                name="monitor_streefwaarde_gebied_of_gemeente",
                violation_error_message=_("Kies een gebied of de gemeente, niet allebei.")),
            models.UniqueConstraint(fields=["indicator", "gebied", "periode"],
                                    condition=Q(gebied__isnull=False),
                                    name="monitor_streefwaarde_unique_gebied"),
            models.UniqueConstraint(fields=["indicator", "region", "periode"],
                                    condition=Q(region__isnull=False),
                                    name="monitor_streefwaarde_unique_region"),
        ]

    def __str__(self):
        return f"{self.indicator} {self.gebied or self.region} {self.periode}: {self.waarde:g}"

    def get_absolute_url(self):
        return self.indicator.get_absolute_url()

    def policy_gebied_ids(self):
        return {self.gebied_id} if self.gebied_id else set()

    def clean(self):
        errors = {}
        if self.indicator_id and self.indicator.gemeente_id != self.gemeente_id:
            errors["indicator"] = _("Deze indicator hoort bij een andere gemeente.")
        if self.gebied_id and self.gebied.gemeente_id != self.gemeente_id:
            errors["gebied"] = _("Dit gebied hoort bij een andere gemeente.")
        if self.region_id and (self.region.gemeente_id != self.gemeente_id
                               or self.region.soort != Region.Soort.GEMEENTE):
            errors["region"] = _("Kies de CBS-regio van de eigen gemeente.")
        # An unreadable periode (still text) has its own message from clean_fields.
        if (self.indicator_id
                and getattr(self.periode, "soort", None) not in (None,
                                                                 self.indicator.periodetype)):
            errors["periode"] = _("Deze indicator gebruikt periodes van het soort %(soort)s.") % {
                "soort": self.indicator.get_periodetype_display()}
        if self.indicator_id and isinstance(self.waarde, (int, float)) \
                and not self.indicator.in_bereik(self.waarde):
            onder, boven = self.indicator.bereik
            if self.indicator.eenheid == Eenheid.PERCENTAGE and (onder, boven) == (0, 100):
                errors["waarde"] = _("Een percentage ligt tussen 0 en 100.")
            elif onder == 0 and self.waarde < 0:
                errors["waarde"] = _("Deze streefwaarde kan niet negatief zijn.")
            else:
                errors["waarde"] = _("De streefwaarde ligt buiten het bereik van deze "
                                     "indicator (%(bereik)s).") % {
                    "bereik": self.indicator.bereik_tekst()}
        if "periode" not in errors and (dubbel := self.dubbel()) is not None:
            # Keyed on periode, so Django skips the unique constraints: one clear message.
            errors["periode"] = _(
                "Voor %(waar)s is er al een streefwaarde voor %(periode)s. Wijzig die "
                "streefwaarde in plaats van een nieuwe toe te voegen.") % {
                "waar": dubbel.gebied.naam if dubbel.gebied_id else _("de hele gemeente"),
                "periode": dubbel.periode.label}
        if errors:
            raise ValidationError(errors)

    def dubbel(self):
        """Another target of this indicator for the same gebied, or for the gemeente as a
        whole (its CBS code, whatever the indeling year), and the same periode."""
        if not self.indicator_id or getattr(self.periode, "soort", None) is None:
            return None
        if self.gebied_id:
            waar = Q(gebied_id=self.gebied_id)
        elif self.region_id:
            waar = Q(region__code=self.region.code, region__soort=self.region.soort)
        else:
            return None
        return (Streefwaarde.objects.filter(waar, indicator_id=self.indicator_id,
                                            periode=self.periode)
                .exclude(pk=self.pk).select_related("gebied").first())


WIJK_BUURT = ("wijk", "buurt")  # region soorten read from RegioWaarde, not kept in the rollup


class Waarde(models.Model):
    """The value columns that RegioWaarde (the view) and ReeksWaarde (the rollup) share: one
    published value of an indicator in a region (or, in the rollup, a gebied) and periode.

    - regio_code: the CBS code of the region ('' for a gebied row in the rollup);
    - soort: the region soort, or 'gebied' in the rollup;
    - waarde/teller/noemer/n: NULL when the value is suppressed (status 'onderdrukt') or
      CBS-secret; n is the noemer, or the value itself for an 'aantal' indicator;
    - indeling_jaar: the CBS indeling the value was measured on; breuk: a break in series.
    `blank` and `default` are the rollup's; the view is never written or validated.
    """

    regio_code = models.CharField(max_length=10, blank=True)
    soort = models.CharField(max_length=10)
    periode = PeriodeField()
    waarde = models.FloatField(null=True)
    teller = models.FloatField(null=True)
    noemer = models.FloatField(null=True)
    n = models.FloatField(null=True)
    status = models.CharField(max_length=12, choices=Status.choices)
    indeling_jaar = models.PositiveSmallIntegerField()
    breuk = models.BooleanField(default=False)

    class Meta:
        abstract = True


class RegioWaarde(Waarde):
    """Every measurement as it may be published: the database view monitor_regiowaarde over
    Meting (migration 0002), the ONE definition of suppression and of the break flag for
    region values. Read-only; wijk and buurt series are read from here (through Meting's unique
    index (indicator, region, periode)), gemeente (and other non-wijk/buurt) rows are copied
    from here into the rollup by monitor.rollup.

    - n = noemer, or the value itself for an 'aantal' indicator;
    - n below the gemeente's minimum_n (default 10) and not CBS-secret: status 'onderdrukt',
      waarde/teller/noemer/n NULL;
    - breuk: the first measurement of this indicator in this region (code + indeling year)
      when the same code also exists in an earlier indeling of the gemeente.
    `id` is the Meting's id.
    """

    gemeente = models.ForeignKey(Gemeente, on_delete=models.DO_NOTHING, related_name="+",
                                 db_constraint=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.DO_NOTHING, related_name="+",
                                  db_constraint=False)
    region = models.ForeignKey(Region, on_delete=models.DO_NOTHING, related_name="+",
                               db_constraint=False)

    class Meta:
        managed = False
        db_table = "monitor_regiowaarde"
        verbose_name = _("regiowaarde")
        verbose_name_plural = _("regiowaarden")

    def __str__(self):
        return f"{self.indicator_id} {self.regio_code} {self.periode}"


class ReeksWaarde(Waarde):
    """The rollup: one pre-computed value per indicator × (gebied | region code) × periode, for
    gebieden and for every region soort except wijk and buurt (the gemeente; a national 'land'
    region). Wijk and buurt values are read from RegioWaarde instead: copying millions of them
    would make every full rebuild slow and buys nothing (one index range scan either way).

    Written only by monitor.rollup (set-based SQL). Suppressed as in RegioWaarde: a value on
    fewer than the gemeente's minimum_n has status 'onderdrukt' and waarde/teller/noemer NULL.
    `indeling_jaar` is the CBS indeling the value was measured on; `breuk` marks a point whose
    indeling differs from the previous point of the same series (a break in series).
    """

    # Derived data, rebuilt in bulk: no database FK constraints or FK indexes (they would be
    # checked and maintained for millions of rows on every rebuild); the covering indexes below
    # serve the reads, and Django's on_delete still removes rows of a deleted indicator/gebied.
    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 db_constraint=False, db_index=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+",
                                  db_constraint=False, db_index=False)
    gebied = models.ForeignKey(Gebied, on_delete=models.CASCADE, null=True, related_name="+",
                               db_constraint=False, db_index=False)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, related_name="+",
                               db_constraint=False, db_index=False)

    class Meta:
        verbose_name = _("reekswaarde")
        verbose_name_plural = _("reekswaarden")
        constraints = [
            models.CheckConstraint(
                condition=(Q(gebied__isnull=False, region__isnull=True)
                           | Q(gebied__isnull=True, region__isnull=False)),
                name="monitor_reeks_gebied_of_regio"),
            models.CheckConstraint(
                condition=~Q(status="onderdrukt") | Q(waarde__isnull=True, teller__isnull=True,
                                                      noemer__isnull=True),
                name="monitor_reeks_onderdrukt_zonder_getal"),
        ]
        indexes = [
            # Covering indexes for the trend query: one index-only range scan per series.
            models.Index(fields=["indicator", "gebied", "periode"],
                         include=["gemeente", "waarde", "teller", "noemer", "n", "status",
                                  "breuk", "indeling_jaar"],
                         condition=Q(gebied__isnull=False), name="monitor_reeks_gebied"),
            models.Index(fields=["indicator", "regio_code", "periode"],
                         include=["gemeente", "waarde", "teller", "noemer", "n", "status",
                                  "breuk", "indeling_jaar"],
                         condition=Q(region__isnull=False), name="monitor_reeks_regio"),
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.gebied_id or self.regio_code} {self.periode}"


class Afscherming(models.Model):
    """A region figure hidden by complementary suppression (monitor.suppressie): shown, it
    would let someone compute a figure that is suppressed for being too small. Written only by
    the rollup (monitor.rollup → monitor.suppressie.afschermen); the view behind RegioWaarde
    shows such a Meting as 'onderdrukt', like a primary suppressed one.

    Derived data, rebuilt with the rollup: keyed by the Meting without a database FK (a
    replaced batch's rows are removed by the rebuild that follows it)."""

    meting = models.OneToOneField(Meting, on_delete=models.DO_NOTHING, primary_key=True,
                                  related_name="+", db_constraint=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+",
                                  db_constraint=False)
    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 db_constraint=False, db_index=False)

    class Meta:
        verbose_name = _("aanvullend onderdrukt cijfer")
        verbose_name_plural = _("aanvullend onderdrukte cijfers")

    def __str__(self):
        return str(self.meting_id)
