"""The verantwoording after the subsidy period and the files uploaded with it."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Gemeente
from finance.models.aanvraag import Aanvraag, AanvraagDeel


class Verantwoording(AanvraagDeel):
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
