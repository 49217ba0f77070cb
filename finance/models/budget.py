"""The money to spend: a year's programmabudget, its gebiedsbudgetten, and the begroting of a
wijkplanversie drawn from a gebiedsbudget."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Gemeente
from core.money import ZERO, MoneyField
from regions.models import Gebied

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
