"""CBS regions per year of indeling, and Gebieden: named sets of wijken/buurten."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Gemeente

CODE_PATTERNS = {
    "gemeente": re.compile(r"^GM\d{4}$"),
    "wijk": re.compile(r"^WK\d{6}$"),
    "buurt": re.compile(r"^BU\d{8}$"),
    "land": re.compile(r"^NL01$"),
}
# Only these come from a regions CSV; the 'land' region (Nederland) is made by the monitor
# import when a national figure arrives (regions.services.land_regio).
PREFIX_SOORT = {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}
LAND_CODE, LAND_NAAM = "NL01", "Nederland"  # CBS StatLine: Nederland


def parent_code(code: str) -> str | None:
    """BU00140000 → WK001400 → GM0014 → None (CBS codes nest by prefix)."""
    if code.startswith("BU"):
        return "WK" + code[2:8]
    if code.startswith("WK"):
        return "GM" + code[2:6]
    return None


class Region(models.Model):
    """A CBS region as it exists in one year's indeling (GM0014 in 2018 ≠ GM0014 in 2019).

    Soort 'land' is Nederland (NL01): a gemeente has one per indeling year once a national
    figure was imported for that year, so the national series is stored and read like the
    gemeente's own. It is never part of a gebied and never counts as a wijk or buurt."""

    class Soort(models.TextChoices):
        GEMEENTE = "gemeente", _("gemeente")
        WIJK = "wijk", _("wijk")
        BUURT = "buurt", _("buurt")
        LAND = "land", _("land (Nederland)")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="regions",
                                 verbose_name=_("gemeente"))
    jaar = models.PositiveSmallIntegerField(_("jaar van de CBS-indeling"))
    soort = models.CharField(_("soort"), max_length=10, choices=Soort.choices)
    code = models.CharField(_("CBS-code"), max_length=10)
    naam = models.CharField(_("naam"), max_length=200)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("ligt in"))

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["jaar", "code"]
        constraints = [
            models.UniqueConstraint(fields=["gemeente", "jaar", "code"],
                                    name="region_unique_code_per_year"),
        ]
        indexes = [models.Index(fields=["gemeente", "jaar", "soort"])]

    def __str__(self):
        return f"{self.naam} ({self.code}, {self.jaar})"

    def get_absolute_url(self):
        return reverse("regions:region-detail", kwargs={"gemeente": self.gemeente.slug,
                                                        "pk": self.pk})

    def clean(self):
        pattern = CODE_PATTERNS.get(self.soort)
        if pattern and not pattern.match(self.code or ""):
            raise ValidationError({"code": _("Deze code past niet bij de soort regio.")})


class Gebied(models.Model):
    """A named set of wijken/buurten of one CBS indeling year that a programme works in."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="gebieden",
                                 verbose_name=_("gemeente"))
    naam = models.CharField(_("naam"), max_length=200)
    afkorting = models.CharField(_("afkorting"), max_length=20, blank=True)
    beschrijving = models.TextField(_("beschrijving"), blank=True)
    jaar = models.PositiveSmallIntegerField(
        _("jaar van de CBS-indeling"),
        help_text=_("De wijken en buurten komen uit de CBS-indeling van dit jaar."),
    )
    regions = models.ManyToManyField(Region, related_name="gebieden", blank=False,
                                     verbose_name=_("wijken en buurten"))

    class Meta:
        verbose_name = _("gebied")
        verbose_name_plural = _("gebieden")
        ordering = ["naam"]
        constraints = [
            models.UniqueConstraint(fields=["gemeente", "naam"], name="gebied_unique_naam"),
        ]

    def __str__(self):
        return self.naam

    def get_absolute_url(self):
        return reverse("regions:gebied-detail", kwargs={"gemeente": self.gemeente.slug,
                                                        "pk": self.pk})

    def policy_gebied_ids(self):
        return {self.pk} if self.pk else set()
