"""Subsidieregelingen with their plafond, and the accountability tiers (verantwoordingsklassen)
that decide what a grantee reports afterwards."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Gemeente
from core.money import ZERO, MoneyField
from finance.models.budget import JAAR_VALIDATORS
from framework.models import Doelgericht

MAX_JAREN = 4  # multi-year grants run at most four years


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
