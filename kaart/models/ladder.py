"""The activiteitenladder: activities at or near a school by weekday, and the school holidays
of the DUO vakantieregio they pause in."""

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Gemeente
from core.periods import PeriodeField
from kaart.models.aanbod import Aanbod
from kaart.models.instellingen import KaartInstelling
from kaart.models.locatie import Openingstijd
from network.models import Organisatie


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
