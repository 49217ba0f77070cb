"""What others ask to change: a provider's wijzigingsverzoek and a visitor's melding
("Klopt er iets niet?")."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Gemeente
from kaart.models.aanbod import Aanbod
from kaart.models.locatie import Locatie


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
