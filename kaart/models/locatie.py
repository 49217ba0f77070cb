"""Where aanbod takes place: locaties with their opening hours and exceptions, and the
postcode → buurt table that places an address in a buurt."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Gemeente
from network.models import Organisatie
from regions.models import Region


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
