"""Money for Positief Opgroeien: budgets, subsidieregelingen, aanvragen and what follows them.

Counters that limits depend on (`Programmabudget.toegewezen`, `Gebiedsbudget.toegekend`,
`Regeling.toegekend`, `AanvraagJaar.betaald`) are not editable: only finance.services changes
them, with a conditional UPDATE inside the decision's transaction, so two decisions at the same
moment can never over-commit a budget (DESIGN.md §5). A CHECK constraint on each table is the
last line of defence.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Gemeente
from core.money import ZERO, MoneyField
from framework.models import Doelgericht
from network.models import Organisatie
from regions.models import Gebied

MAX_JAREN = 4  # multi-year grants run at most four years
JAAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class Programmabudget(models.Model):
    """The programme's budget of one year (e.g. Positief Opgroeien 2026), split into
    gebiedsbudgetten; what is allocated never exceeds it."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE,
                                 related_name="programmabudgetten", verbose_name=_("gemeente"))
    jaar = models.PositiveSmallIntegerField(_("jaar"), validators=JAAR_VALIDATORS)
    naam = models.CharField(_("naam"), max_length=200)
    bedrag = MoneyField(_("budget"))
    toegewezen = MoneyField(_("verdeeld over gebieden"), default=ZERO, editable=False)
    toelichting = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("programmabudget")
        verbose_name_plural = _("programmabudgetten")
        ordering = ["-jaar"]
        constraints = [
            models.UniqueConstraint(fields=["gemeente", "jaar"],
                                    name="programmabudget_one_per_year",
                                    violation_error_message=_(
                                        "Voor dit jaar is er al een programmabudget.")),
            models.CheckConstraint(condition=Q(toegewezen__lte=F("bedrag")),
                                   name="programmabudget_not_overallocated",
                                   violation_error_message=_(
                                       "Er is al meer over de gebieden verdeeld dan dit "
                                       "budget. Verlaag eerst de gebiedsbudgetten.")),
        ]

    def __str__(self):
        return f"{self.naam} ({self.jaar})"

    def get_absolute_url(self):
        return reverse("finance:programmabudget-detail",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    @property
    def vrij(self):
        return self.bedrag - self.toegewezen


class Gebiedsbudget(models.Model):
    """The part of a programmabudget allocated to one gebied; grants tied to the gebied are
    reserved from it."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    programmabudget = models.ForeignKey(Programmabudget, on_delete=models.PROTECT,
                                        related_name="gebiedsbudgetten",
                                        verbose_name=_("programmabudget"))
    gebied = models.ForeignKey(Gebied, on_delete=models.PROTECT, related_name="budgetten",
                               verbose_name=_("gebied"))
    bedrag = MoneyField(_("budget"))
    toegekend = MoneyField(_("toegekend"), default=ZERO, editable=False)

    class Meta:
        verbose_name = _("gebiedsbudget")
        verbose_name_plural = _("gebiedsbudgetten")
        ordering = ["programmabudget", "gebied__naam"]
        constraints = [
            models.UniqueConstraint(fields=["programmabudget", "gebied"],
                                    name="gebiedsbudget_one_per_gebied",
                                    violation_error_message=_(
                                        "Dit gebied heeft in dit jaar al een budget.")),
            models.CheckConstraint(condition=Q(toegekend__lte=F("bedrag")),
                                   name="gebiedsbudget_not_overcommitted",
                                   violation_error_message=_(
                                       "Uit dit gebiedsbudget is al meer toegekend.")),
        ]

    def __str__(self):
        return f"{self.gebied} {self.programmabudget.jaar}"

    def get_absolute_url(self):
        return self.programmabudget.get_absolute_url()

    def clean(self):
        errors = {}
        if self.gebied_id and self.gebied.gemeente_id != self.gemeente_id:
            errors["gebied"] = _("Dit gebied hoort bij een andere gemeente.")
        if self.programmabudget_id and self.programmabudget.gemeente_id != self.gemeente_id:
            errors["programmabudget"] = _("Dit budget hoort bij een andere gemeente.")
        if errors:
            raise ValidationError(errors)

    def policy_gebied_ids(self):
        return {self.gebied_id} if self.gebied_id else set()

    @property
    def jaar(self):
        return self.programmabudget.jaar

    @property
    def vrij(self):
        return self.bedrag - self.toegekend


class Eis(models.TextChoices):
    """What a grant's accountability tier asks after the period."""

    GEEN = "geen", _("vaststelling bij verlening, geen verslag")
    ACTIVITEITENVERSLAG = "activiteitenverslag", _("activiteitenverslag")
    FINANCIEEL = "financieel", _("financieel verslag met accountantsverklaring")


class Verantwoordingsklasse(models.Model):
    """An accountability tier of a gemeente, by granted amount (VNG model ASV). Without any,
    the three default tiers of `DEFAULT_KLASSEN` apply."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE,
                                 related_name="verantwoordingsklassen",
                                 verbose_name=_("gemeente"))
    tot_en_met = MoneyField(_("toegekend bedrag tot en met"), null=True, blank=True,
                            help_text=_("Leeg: geen bovengrens (de hoogste klasse)."))
    eis = models.CharField(_("wat wordt gevraagd"), max_length=24, choices=Eis.choices)
    omschrijving = models.TextField(_("toelichting voor de aanvrager"), blank=True)

    class Meta:
        verbose_name = _("verantwoordingsklasse")
        verbose_name_plural = _("verantwoordingsklassen")
        ordering = [F("tot_en_met").asc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(fields=["gemeente", "tot_en_met"],
                                    name="verantwoordingsklasse_unique_grens",
                                    violation_error_message=_(
                                        "Er is al een klasse met deze grens.")),
            models.UniqueConstraint(fields=["gemeente"], condition=Q(tot_en_met__isnull=True),
                                    name="verantwoordingsklasse_one_open",
                                    violation_error_message=_(
                                        "Er is al een klasse zonder bovengrens.")),
        ]

    def __str__(self):
        from core.money import format_euro

        if self.tot_en_met is None:
            return _("Boven de andere grenzen: %(eis)s") % {"eis": self.get_eis_display()}
        return _("Tot en met %(grens)s: %(eis)s") % {"grens": format_euro(self.tot_en_met),
                                                    "eis": self.get_eis_display()}

    def get_absolute_url(self):
        return reverse("finance:klasse-list", kwargs={"gemeente": self.gemeente.slug})


DEFAULT_KLASSEN = [
    # (tot en met, eis, omschrijving) — VNG model Algemene subsidieverordening.
    ("5000.00", Eis.GEEN, _("De subsidie wordt bij de verlening meteen vastgesteld. U hoeft "
                            "geen verslag te sturen, maar bewaar wel de bonnen.")),
    ("50000.00", Eis.ACTIVITEITENVERSLAG, _(
        "Na afloop stuurt u een activiteitenverslag: wat heeft u gedaan en bereikt, en wat "
        "heeft het gekost.")),
    (None, Eis.FINANCIEEL, _("Na afloop stuurt u een activiteitenverslag, een financieel "
                             "verslag en een verklaring van een accountant.")),
]


class Regeling(Doelgericht):
    """A subsidieregeling with its plafond: what is granted under it never exceeds that. Tagged
    with the Klaverblad doelen it serves (framework's generic tagging)."""

    class Ritme(models.TextChoices):
        GEEN = "geen", _("geen voorschot: betaling na de vaststelling")
        INEENS = "ineens", _("voorschot in één keer na de verlening")
        PER_JAAR = "per_jaar", _("voorschot per jaar, in januari")
        PER_KWARTAAL = "per_kwartaal", _("voorschot per kwartaal")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="regelingen",
                                 verbose_name=_("gemeente"))
    naam = models.CharField(_("naam"), max_length=200)
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    criteria = models.TextField(_("criteria"), help_text=_(
        "Waar een aanvraag aan moet voldoen om subsidie te krijgen."))
    plafond = MoneyField(_("subsidieplafond"))
    toegekend = MoneyField(_("toegekend"), default=ZERO, editable=False)
    jaar_van = models.PositiveSmallIntegerField(_("eerste subsidiejaar"),
                                                validators=JAAR_VALIDATORS)
    jaar_tot = models.PositiveSmallIntegerField(_("laatste subsidiejaar"),
                                                validators=JAAR_VALIDATORS)
    aanvragen_van = models.DateField(_("aanvragen vanaf"))
    aanvragen_tot = models.DateField(_("aanvragen tot en met"))
    beslistermijn_weken = models.PositiveSmallIntegerField(
        _("beslistermijn in weken"), default=8,
        validators=[MinValueValidator(1), MaxValueValidator(52)])
    max_jaren = models.PositiveSmallIntegerField(
        _("hoogstens zoveel jaren per aanvraag"), default=MAX_JAREN,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_JAREN)])
    gebiedsgebonden = models.BooleanField(
        _("aanvraag hoort bij een gebied"), default=False,
        help_text=_("Dan komt de subsidie ook ten laste van het gebiedsbudget van dat jaar."))
    voorschot_ritme = models.CharField(_("voorschotten"), max_length=16, choices=Ritme.choices,
                                       default=Ritme.PER_JAAR)
    voorschot_percentage = models.PositiveSmallIntegerField(
        _("voorschot in procenten van de subsidie"), default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)])
    gepubliceerd_op = models.DateTimeField(
        _("gepubliceerd op"), null=True, blank=True, editable=False,
        help_text=_("Leeg: een concept, dat alleen de gemeente ziet."))
    verantwoording_weken = models.PositiveSmallIntegerField(
        _("verantwoording binnen zoveel weken na de subsidieperiode"), default=13,
        validators=[MinValueValidator(1), MaxValueValidator(52)])
    tussentijds_verantwoorden = models.BooleanField(
        _("verantwoorden vóór het einde van de subsidieperiode mag"), default=False)
    ondertekenaar_naam = models.CharField(
        _("naam van wie de beschikkingen ondertekent"), max_length=200, blank=True,
        help_text=_("Leeg: het college van burgemeester en wethouders."))
    ondertekenaar_functie = models.CharField(
        _("functie van wie ondertekent"), max_length=200, blank=True,
        help_text=_("Bijvoorbeeld: namens het college, de teamleider Jeugd."))
    beoordelingspunten = models.TextField(
        _("beoordelingspunten"), help_text=_("Eén punt per regel: de checklist bij het "
                                             "beoordelen van een aanvraag."),
        default="Past bij de criteria van de regeling\n"
                "Draagt bij aan de doelen van het Klaverblad\n"
                "De begroting is redelijk en sluitend\n"
                "De aanvrager kan de activiteiten uitvoeren")

    class Meta:
        verbose_name = _("subsidieregeling")
        verbose_name_plural = _("subsidieregelingen")
        ordering = ["-jaar_van", "naam"]
        constraints = [
            models.UniqueConstraint(fields=["gemeente", "naam"], name="regeling_unique_naam",
                                    violation_error_message=_(
                                        "Er is al een regeling met deze naam.")),
            models.CheckConstraint(condition=Q(toegekend__lte=F("plafond")),
                                   name="regeling_not_overcommitted",
                                   violation_error_message=_(
                                       "Onder deze regeling is al meer toegekend dan dit "
                                       "plafond.")),
            models.CheckConstraint(condition=Q(jaar_tot__gte=F("jaar_van")),
                                   name="regeling_years_in_order",
                                   violation_error_message=_(
                                       "Het laatste jaar ligt vóór het eerste jaar.")),
            models.CheckConstraint(condition=Q(aanvragen_tot__gte=F("aanvragen_van")),
                                   name="regeling_window_in_order",
                                   violation_error_message=_(
                                       "De einddatum ligt vóór de begindatum.")),
        ]

    def __str__(self):
        return self.naam

    def get_absolute_url(self):
        return reverse("finance:regeling-detail",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    def clean(self):
        errors = {}
        if self.jaar_van and self.jaar_tot and self.jaar_tot < self.jaar_van:
            errors["jaar_tot"] = _("Het laatste jaar ligt vóór het eerste jaar.")
        if self.aanvragen_van and self.aanvragen_tot and self.aanvragen_tot < self.aanvragen_van:
            errors["aanvragen_tot"] = _("De einddatum ligt vóór de begindatum.")
        if self.plafond is not None and self.toegekend and self.plafond < self.toegekend:
            errors["plafond"] = _("Er is al meer toegekend dan dit plafond.")
        if errors:
            raise ValidationError(errors)

    @property
    def beschikbaar(self):
        return self.plafond - self.toegekend

    @property
    def jaren(self):
        return list(range(self.jaar_van, self.jaar_tot + 1))

    def punten(self):
        return [p.strip() for p in self.beoordelingspunten.splitlines() if p.strip()]

    def open_op(self, day: datetime.date) -> bool:
        return self.aanvragen_van <= day <= self.aanvragen_tot

    @property
    def is_gepubliceerd(self):
        return self.gepubliceerd_op is not None


class Aanvraag(Doelgericht):
    """An application for a subsidy under a regeling, by an organisatie (a partner) or by a
    group of residents (entered by a beleidsmedewerker), and everything decided on it. The
    applicant tags it with the Klaverblad doelen it contributes to (fixed once submitted)."""

    class Status(models.TextChoices):
        CONCEPT = "concept", _("concept")
        INGEDIEND = "ingediend", _("ingediend")
        IN_BEHANDELING = "in_behandeling", _("in behandeling")
        VERLEEND = "verleend", _("verleend")
        GEWEIGERD = "geweigerd", _("geweigerd")
        VERANTWOORD = "verantwoord", _("verantwoording ingediend")
        VASTGESTELD = "vastgesteld", _("vastgesteld")
        INGETROKKEN = "ingetrokken", _("ingetrokken")

    OPEN = (Status.INGEDIEND, Status.IN_BEHANDELING)  # waiting for a decision
    BESLOTEN = (Status.VERLEEND, Status.GEWEIGERD, Status.VERANTWOORD, Status.VASTGESTELD,
                Status.INGETROKKEN)
    TOEGEKEND = (Status.VERLEEND, Status.VERANTWOORD, Status.VASTGESTELD)

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="aanvragen",
                                 verbose_name=_("gemeente"))
    regeling = models.ForeignKey(Regeling, on_delete=models.PROTECT, related_name="aanvragen",
                                 verbose_name=_("regeling"))
    organisatie = models.ForeignKey(Organisatie, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="aanvragen",
                                    verbose_name=_("organisatie"))
    initiatiefnemer = models.CharField(
        _("initiatief van bewoners"), max_length=200, blank=True,
        help_text=_("Alleen als er geen organisatie aanvraagt: de naam van het initiatief of "
                    "de groep bewoners."))
    gebied = models.ForeignKey(Gebied, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="aanvragen", verbose_name=_("gebied"))
    titel = models.CharField(_("titel"), max_length=200)
    activiteiten = models.TextField(_("activiteiten"), help_text=_(
        "Wat gaat u doen, voor wie, waar en wanneer? Wat wilt u bereiken?"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.CONCEPT, editable=False)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now,
                                         editable=False)
    aanvulling_gevraagd = models.TextField(_("gevraagde aanvulling"), blank=True,
                                           editable=False)
    ingediend_op = models.DateTimeField(_("ingediend op"), null=True, blank=True,
                                        editable=False)
    ingediend_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                       null=True, blank=True, related_name="+", editable=False,
                                       verbose_name=_("ingediend door"))
    uiterste_beslisdatum = models.DateField(_("uiterste beslisdatum"), null=True, blank=True,
                                            editable=False, db_index=True)
    beoordeling = models.JSONField(_("beoordeling"), default=list, blank=True, editable=False)
    besloten_op = models.DateTimeField(_("besloten op"), null=True, blank=True, editable=False)
    besloten_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="+", editable=False,
                                      verbose_name=_("besloten door"))
    besluit_toelichting = models.TextField(_("motivering van het besluit"), blank=True,
                                           editable=False)
    voorschot_percentage = models.PositiveSmallIntegerField(
        _("voorschot in procenten"), null=True, blank=True, editable=False)
    eis = models.CharField(_("verantwoording"), max_length=24, choices=Eis.choices,
                           blank=True, editable=False)
    # Totals over the years, kept by the services beside the per-year rows.
    gevraagd = MoneyField(_("gevraagd"), default=ZERO, editable=False)
    toegekend = MoneyField(_("toegekend"), default=ZERO, editable=False)
    betaald = MoneyField(_("betaald"), default=ZERO, editable=False)
    vastgesteld = MoneyField(_("vastgesteld"), null=True, blank=True, editable=False)
    terugvordering = MoneyField(_("terugvordering"), default=ZERO, editable=False)
    vrijgevallen = MoneyField(_("vrijgevallen"), default=ZERO, editable=False, help_text=_(
        "Toegekend maar niet nodig (vaststelling lager dan de verlening, of intrekking): terug "
        "in het plafond en het gebiedsbudget."))
    terugbetaald = MoneyField(_("terugbetaald"), default=ZERO, editable=False)
    terugbetalen_voor = models.DateField(_("terugbetalen vóór"), null=True, blank=True,
                                         editable=False)
    vastgesteld_op = models.DateTimeField(_("vastgesteld op"), null=True, blank=True,
                                          editable=False)
    vaststelling_toelichting = models.TextField(_("toelichting bij de vaststelling"),
                                                blank=True, editable=False)

    class Meta:
        verbose_name = _("aanvraag")
        verbose_name_plural = _("aanvragen")
        ordering = ["-aangemaakt_op", "-id"]
        indexes = [models.Index(fields=["gemeente", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(betaald__lte=F("toegekend")),
                                   name="aanvraag_paid_within_grant",
                                   violation_error_message=_(
                                       "Er is meer betaald dan toegekend.")),
            models.CheckConstraint(condition=Q(terugbetaald__lte=F("terugvordering")),
                                   name="aanvraag_repaid_within_recovery",
                                   violation_error_message=_(
                                       "Er is meer terugbetaald dan teruggevorderd.")),
            models.CheckConstraint(condition=Q(vrijgevallen__lte=F("toegekend")),
                                   name="aanvraag_released_within_grant",
                                   violation_error_message=_(
                                       "Er is meer vrijgevallen dan toegekend.")),
        ]

    def __str__(self):
        return f"{self.nummer} {self.titel}"

    def get_absolute_url(self):
        return reverse("finance:aanvraag-detail",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    @property
    def nummer(self):
        return f"A-{self.pk:05d}" if self.pk else "A-nieuw"

    @property
    def aanvrager(self):
        return self.organisatie.naam if self.organisatie_id else self.initiatiefnemer

    def clean(self):
        errors = {}
        if self.regeling_id and self.regeling.gemeente_id != self.gemeente_id:
            errors["regeling"] = _("Deze regeling hoort bij een andere gemeente.")
        if self.organisatie_id and self.organisatie.gemeente_id != self.gemeente_id:
            errors["organisatie"] = _("Deze organisatie hoort bij een andere gemeente.")
        if self.gebied_id and self.gebied.gemeente_id != self.gemeente_id:
            errors["gebied"] = _("Dit gebied hoort bij een andere gemeente.")
        if self.organisatie_id and self.initiatiefnemer:
            errors["initiatiefnemer"] = _(
                "Vul een organisatie óf een initiatief van bewoners in, niet allebei.")
        if not self.organisatie_id and not self.initiatiefnemer.strip():
            errors["organisatie"] = _(
                "Kies de organisatie die aanvraagt, of vul het initiatief van bewoners in.")
        if errors:
            raise ValidationError(errors)

    def policy_organisatie_ids(self):
        return {self.organisatie_id} if self.organisatie_id else set()

    def policy_gebied_ids(self):
        return {self.gebied_id} if self.gebied_id else set()

    @property
    def is_bewerkbaar(self):
        return self.status == self.Status.CONCEPT

    def doelen_bewerkbaar(self):
        stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if stored not in (None, self.Status.CONCEPT):
            return False, _("Een ingediende aanvraag verandert niet meer; ook haar doelen niet.")
        return True, ""

    def te_laat(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (self.status in self.OPEN and self.uiterste_beslisdatum is not None
                and self.uiterste_beslisdatum < today)

    @property
    def nog_te_betalen(self):
        plafond = self.vastgesteld if self.vastgesteld is not None else self.toegekend
        return max(plafond - self.betaald, ZERO)

    @property
    def nog_terug_te_betalen(self):
        return max(self.terugvordering - self.terugbetaald, ZERO)

    @property
    def beslag(self):
        """What this aanvraag holds of the plafond now: granted less what was released."""
        return self.toegekend - self.vrijgevallen

    def terugbetaling_te_laat(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (self.nog_terug_te_betalen > 0 and self.terugbetalen_voor is not None
                and self.terugbetalen_voor < today)


class _AanvraagDeel(models.Model):
    """Rows that belong to one aanvraag share its gemeente and its permission scope."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))

    class Meta:
        abstract = True

    def get_absolute_url(self):
        return self.aanvraag.get_absolute_url()

    def policy_organisatie_ids(self):
        return self.aanvraag.policy_organisatie_ids() if self.aanvraag_id else set()

    def policy_gebied_ids(self):
        return self.aanvraag.policy_gebied_ids() if self.aanvraag_id else set()


class AanvraagJaar(_AanvraagDeel):
    """One year of an aanvraag: requested, granted, paid, spent and finally set."""

    aanvraag = models.ForeignKey(Aanvraag, on_delete=models.CASCADE, related_name="jaren",
                                 verbose_name=_("aanvraag"))
    jaar = models.PositiveSmallIntegerField(_("jaar"), validators=JAAR_VALIDATORS)
    gevraagd = MoneyField(_("gevraagd"))
    toegekend = MoneyField(_("toegekend"), default=ZERO, editable=False)
    betaald = MoneyField(_("betaald"), default=ZERO, editable=False)
    besteed = MoneyField(_("besteed volgens de verantwoording"), null=True, blank=True,
                         editable=False)
    vastgesteld = MoneyField(_("vastgesteld"), null=True, blank=True, editable=False)
    terugvordering = MoneyField(_("terugvordering"), default=ZERO, editable=False)
    vrijgevallen = MoneyField(_("vrijgevallen"), default=ZERO, editable=False)

    class Meta:
        verbose_name = _("jaar van een aanvraag")
        verbose_name_plural = _("jaren van aanvragen")
        ordering = ["aanvraag", "jaar"]
        constraints = [
            models.UniqueConstraint(fields=["aanvraag", "jaar"], name="aanvraagjaar_unique",
                                    violation_error_message=_(
                                        "Dit jaar staat al in de aanvraag.")),
            models.CheckConstraint(condition=Q(betaald__lte=F("toegekend")),
                                   name="aanvraagjaar_paid_within_grant",
                                   violation_error_message=_(
                                       "Er is meer betaald dan toegekend.")),
            models.CheckConstraint(condition=Q(vrijgevallen__lte=F("toegekend")),
                                   name="aanvraagjaar_released_within_grant",
                                   violation_error_message=_(
                                       "Er is meer vrijgevallen dan toegekend.")),
        ]
        indexes = [models.Index(fields=["gemeente", "jaar"])]

    def __str__(self):
        return f"{self.aanvraag.nummer} {self.jaar}"


class Begrotingsregel(_AanvraagDeel):
    """A line of an aanvraag's begroting: a cost, or money from another source (co-funding)."""

    class Soort(models.TextChoices):
        KOSTEN = "kosten", _("kosten")
        DEKKING = "dekking", _("andere financiering")

    aanvraag = models.ForeignKey(Aanvraag, on_delete=models.CASCADE,
                                 related_name="begrotingsregels", verbose_name=_("aanvraag"))
    jaar = models.PositiveSmallIntegerField(_("jaar"), validators=JAAR_VALIDATORS)
    soort = models.CharField(_("soort"), max_length=10, choices=Soort.choices,
                             default=Soort.KOSTEN)
    omschrijving = models.CharField(_("omschrijving"), max_length=200)
    bedrag = MoneyField(_("bedrag"))

    class Meta:
        verbose_name = _("begrotingsregel")
        verbose_name_plural = _("begrotingsregels")
        ordering = ["aanvraag", "jaar", "soort", "id"]

    def __str__(self):
        return f"{self.jaar} {self.omschrijving}"


class Termijn(_AanvraagDeel):
    """One voorschot of the schedule set at the verlening. Only scheduled termijnen are paid
    before the vaststelling, each once."""

    aanvraag = models.ForeignKey(Aanvraag, on_delete=models.CASCADE, related_name="termijnen",
                                 verbose_name=_("aanvraag"))
    jaar = models.PositiveSmallIntegerField(_("subsidiejaar"))
    datum = models.DateField(_("te betalen op"))
    bedrag = MoneyField(_("bedrag"))
    vervallen = models.BooleanField(_("vervallen"), default=False, editable=False,
                                    help_text=_("Door een wijziging of de vaststelling."))

    class Meta:
        verbose_name = _("voorschottermijn")
        verbose_name_plural = _("voorschottermijnen")
        ordering = ["aanvraag", "datum", "id"]

    def __str__(self):
        from core.money import format_euro

        return f"{self.aanvraag.nummer} {self.datum:%d-%m-%Y} {format_euro(self.bedrag)}"


class Betaling(_AanvraagDeel):
    """Money paid out: a voorschot (one scheduled termijn) or a nabetaling after the
    vaststelling."""

    class Soort(models.TextChoices):
        VOORSCHOT = "voorschot", _("voorschot")
        NABETALING = "nabetaling", _("betaling na vaststelling")

    aanvraag = models.ForeignKey(Aanvraag, on_delete=models.PROTECT, related_name="betalingen",
                                 verbose_name=_("aanvraag"))
    termijn = models.OneToOneField(Termijn, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="betaling", verbose_name=_("termijn"))
    soort = models.CharField(_("soort"), max_length=12, choices=Soort.choices)
    jaar = models.PositiveSmallIntegerField(_("subsidiejaar"))
    datum = models.DateField(_("betaald op"))
    bedrag = MoneyField(_("bedrag"))
    geregistreerd_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                           null=True, blank=True, related_name="+",
                                           verbose_name=_("geregistreerd door"))

    class Meta:
        verbose_name = _("betaling")
        verbose_name_plural = _("betalingen")
        ordering = ["aanvraag", "datum", "id"]
        constraints = [models.CheckConstraint(condition=Q(bedrag__gt=0),
                                              name="betaling_positive",
                                              violation_error_message=_(
                                                  "Een betaling is meer dan € 0."))]
        indexes = [models.Index(fields=["gemeente", "jaar"])]

    def __str__(self):
        from core.money import format_euro

        return f"{self.get_soort_display()} {self.aanvraag.nummer} {format_euro(self.bedrag)}"


def beschikking_pad(instance, filename):
    return (f"finance/{instance.gemeente.cbs_code}/beschikkingen/"
            f"{instance.aanvraag_id}/{filename}")


class Beschikking(_AanvraagDeel):
    """A decision letter: verlening, weigering, wijziging or vaststelling; its text is kept,
    and the PDF made from it is stored."""

    class Soort(models.TextChoices):
        VERLENING = "verlening", _("verlening")
        WEIGERING = "weigering", _("weigering")
        WIJZIGING = "wijziging", _("wijziging")
        VASTSTELLING = "vaststelling", _("vaststelling")
        INTREKKING = "intrekking", _("intrekking")

    aanvraag = models.ForeignKey(Aanvraag, on_delete=models.PROTECT,
                                 related_name="beschikkingen", verbose_name=_("aanvraag"))
    soort = models.CharField(_("soort"), max_length=12, choices=Soort.choices)
    kenmerk = models.CharField(_("kenmerk"), max_length=40, unique=True)
    datum = models.DateField(_("datum"))
    inhoud = models.JSONField(_("inhoud"), default=dict)
    pdf = models.FileField(_("brief (PDF)"), upload_to=beschikking_pad, blank=True,
                           max_length=300)
    aangemaakt_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                        null=True, blank=True, related_name="+",
                                        verbose_name=_("door"))

    class Meta:
        verbose_name = _("beschikking")
        verbose_name_plural = _("beschikkingen")
        ordering = ["aanvraag", "datum", "id"]

    def __str__(self):
        return f"{self.kenmerk} ({self.get_soort_display()})"

    def get_pdf_url(self):
        return reverse("finance:beschikking-pdf",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})


class Wijziging(_AanvraagDeel):
    """A recorded amendment of a decided aanvraag: the only way its amounts change."""

    aanvraag = models.ForeignKey(Aanvraag, on_delete=models.PROTECT, related_name="wijzigingen",
                                 verbose_name=_("aanvraag"))
    op = models.DateTimeField(_("op"), default=timezone.now)
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+", verbose_name=_("door"))
    reden = models.TextField(_("reden"))
    voor = models.JSONField(_("toegekend vóór"), default=dict)
    na = models.JSONField(_("toegekend na"), default=dict)
    beschikking = models.OneToOneField(Beschikking, on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="wijziging",
                                       verbose_name=_("beschikking"))

    class Meta:
        verbose_name = _("wijziging")
        verbose_name_plural = _("wijzigingen")
        ordering = ["aanvraag", "op", "id"]

    def __str__(self):
        return f"{self.aanvraag.nummer} {self.op:%d-%m-%Y}"


class Terugbetaling(_AanvraagDeel):
    """Money the grantee paid back on a terugvordering (in full or in part)."""

    aanvraag = models.ForeignKey(Aanvraag, on_delete=models.PROTECT,
                                 related_name="terugbetalingen", verbose_name=_("aanvraag"))
    datum = models.DateField(_("ontvangen op"))
    bedrag = MoneyField(_("bedrag"))
    geregistreerd_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                           null=True, blank=True, related_name="+",
                                           verbose_name=_("geregistreerd door"))

    class Meta:
        verbose_name = _("terugbetaling")
        verbose_name_plural = _("terugbetalingen")
        ordering = ["aanvraag", "datum", "id"]
        constraints = [models.CheckConstraint(condition=Q(bedrag__gt=0),
                                              name="terugbetaling_positive",
                                              violation_error_message=_(
                                                  "Een terugbetaling is meer dan € 0."))]

    def __str__(self):
        from core.money import format_euro

        return f"{self.aanvraag.nummer} {self.datum:%d-%m-%Y} {format_euro(self.bedrag)}"


class Verantwoording(_AanvraagDeel):
    """What the grantee tells after the period: report, figures (per year, on the
    AanvraagJaar rows) and uploads, as the grant's tier asks."""

    aanvraag = models.OneToOneField(Aanvraag, on_delete=models.PROTECT,
                                    related_name="verantwoording", verbose_name=_("aanvraag"))
    verslag = models.TextField(_("verslag"), help_text=_(
        "Wat heeft u gedaan, voor wie, en wat heeft het opgeleverd?"))
    ingediend_op = models.DateTimeField(_("ingediend op"), default=timezone.now)
    ingediend_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                       null=True, blank=True, related_name="+",
                                       verbose_name=_("ingediend door"))
    overschrijding_reden = models.TextField(
        _("waarom meer is uitgegeven dan toegekend"), blank=True)

    class Meta:
        verbose_name = _("verantwoording")
        verbose_name_plural = _("verantwoordingen")

    def __str__(self):
        return f"{self.aanvraag.nummer}"


def bijlage_pad(instance, filename):
    return (f"finance/{instance.gemeente.cbs_code}/aanvragen/"
            f"{instance.aanvraag_id}/{filename}")


class AanvraagBestand(_AanvraagDeel):
    """A document with an aanvraag: the projectplan, the begroting or another bijlage (PDF,
    DOCX or XLSX; checked by content and size as the verantwoording uploads are)."""

    class Soort(models.TextChoices):
        PROJECTPLAN = "projectplan", _("projectplan")
        BEGROTING = "begroting", _("begroting")
        BIJLAGE = "bijlage", _("andere bijlage")

    aanvraag = models.ForeignKey(Aanvraag, on_delete=models.CASCADE, related_name="bestanden",
                                 verbose_name=_("aanvraag"))
    soort = models.CharField(_("soort"), max_length=16, choices=Soort.choices)
    bestand = models.FileField(_("bestand"), upload_to=bijlage_pad, max_length=300)
    naam = models.CharField(_("bestandsnaam"), max_length=200)
    formaat = models.CharField(_("formaat"), max_length=8)
    grootte = models.PositiveBigIntegerField(_("grootte in bytes"))
    geupload_op = models.DateTimeField(_("toegevoegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("bijlage bij een aanvraag")
        verbose_name_plural = _("bijlagen bij aanvragen")
        ordering = ["aanvraag", "soort", "id"]

    def __str__(self):
        return self.naam

    def get_download_url(self):
        return reverse("finance:bijlage-download",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})


def bestand_pad(instance, filename):
    return (f"finance/{instance.gemeente.cbs_code}/verantwoording/"
            f"{instance.verantwoording.aanvraag_id}/{filename}")


class VerantwoordingBestand(models.Model):
    """An uploaded PDF with a verantwoording (checked: a real PDF, within the size limit)."""

    class Soort(models.TextChoices):
        ACTIVITEITENVERSLAG = "activiteitenverslag", _("activiteitenverslag")
        FINANCIEEL = "financieel_verslag", _("financieel verslag")
        ACCOUNTANT = "accountantsverklaring", _("accountantsverklaring")
        BIJLAGE = "bijlage", _("andere bijlage")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    verantwoording = models.ForeignKey(Verantwoording, on_delete=models.CASCADE,
                                       related_name="bestanden",
                                       verbose_name=_("verantwoording"))
    soort = models.CharField(_("soort"), max_length=24, choices=Soort.choices)
    bestand = models.FileField(_("bestand"), upload_to=bestand_pad, max_length=300)
    naam = models.CharField(_("bestandsnaam"), max_length=200)
    grootte = models.PositiveBigIntegerField(_("grootte in bytes"))

    class Meta:
        verbose_name = _("bestand bij een verantwoording")
        verbose_name_plural = _("bestanden bij verantwoordingen")
        ordering = ["verantwoording", "soort", "id"]

    def __str__(self):
        return self.naam

    def get_absolute_url(self):
        return self.verantwoording.get_absolute_url()

    def get_download_url(self):
        return reverse("finance:bestand-download",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    def policy_organisatie_ids(self):
        return self.verantwoording.policy_organisatie_ids()

    def policy_gebied_ids(self):
        return self.verantwoording.policy_gebied_ids()


class WijkplanBegrotingsregel(models.Model):
    """A line of the begroting of a wijkplanversie: per activiteit (or for the plan as a whole,
    e.g. coördinatie) what it costs from the gebiedsbudget, and co-funding from other sources
    shown separately. Lines change only while the version is a concept (plans' lock)."""

    class Bron(models.TextChoices):
        GEBIEDSBUDGET = "gebiedsbudget", _("gebiedsbudget (wijkplan)")
        COFINANCIERING = "cofinanciering", _("cofinanciering (andere bron)")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    versie = models.ForeignKey("plans.WijkplanVersie", on_delete=models.CASCADE,
                               related_name="begrotingsregels", verbose_name=_("wijkplanversie"))
    activiteit = models.ForeignKey(
        "plans.Activiteit", on_delete=models.CASCADE, null=True, blank=True,
        related_name="begrotingsregels", verbose_name=_("activiteit"),
        help_text=_("Leeg: voor het plan als geheel, bijvoorbeeld coördinatie."))
    omschrijving = models.CharField(_("omschrijving"), max_length=200)
    bron = models.CharField(_("bron"), max_length=16, choices=Bron.choices,
                            default=Bron.GEBIEDSBUDGET)
    financier = models.CharField(_("financier"), max_length=200, blank=True, help_text=_(
        "Bij cofinanciering: wie betaalt, bijvoorbeeld een fonds of een partner."))
    bedrag = MoneyField(_("bedrag"))

    class Meta:
        verbose_name = _("regel van een wijkplanbegroting")
        verbose_name_plural = _("regels van wijkplanbegrotingen")
        ordering = ["versie", "activiteit__volgorde", "activiteit_id", "bron", "id"]

    def __str__(self):
        return self.omschrijving

    def get_absolute_url(self):
        return reverse("finance:versie-begroting",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.versie_id})

    def clean(self):
        errors = {}
        if self.versie_id and self.versie.gemeente_id != self.gemeente_id:
            errors["versie"] = _("Deze versie hoort bij een andere gemeente.")
        if self.activiteit_id and self.activiteit.versie_id != self.versie_id:
            errors["activiteit"] = _("Deze activiteit hoort bij een andere versie.")
        if self.bron == self.Bron.COFINANCIERING and not self.financier.strip():
            errors["financier"] = _("Vul in wie de cofinanciering betaalt.")
        if errors:
            raise ValidationError(errors)

    def policy_gebied_ids(self):
        return {self.versie.wijkplan.gebied_id} if self.versie_id else set()


class Handeling(models.Model):
    """One money-moving step as the user asked for it once: the key is made when the form is
    rendered (or sent by an API client), so a second post of the same form — a double click, a
    retry after a time-out — is recognised and answered with the first result instead of being
    applied twice. The unique key is the database's part of that promise: two identical posts
    at the same moment cannot both insert it."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    sleutel = models.CharField(_("sleutel"), max_length=64, unique=True)
    soort = models.CharField(_("soort"), max_length=24)
    aanvraag = models.ForeignKey(Aanvraag, on_delete=models.CASCADE, related_name="+",
                                 null=True, blank=True, verbose_name=_("aanvraag"))
    resultaat_id = models.PositiveBigIntegerField(_("resultaat"), null=True, blank=True)
    op = models.DateTimeField(_("op"), default=timezone.now)

    class Meta:
        verbose_name = _("handeling")
        verbose_name_plural = _("handelingen")

    def __str__(self):
        return f"{self.soort} {self.sleutel}"
