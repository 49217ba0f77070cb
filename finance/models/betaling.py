"""What follows a decision on an aanvraag: voorschottermijnen, betalingen, beschikkingen,
wijzigingen and terugbetalingen, and the idempotency key of each money-moving step
(`Handeling`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Gemeente
from core.money import MoneyField
from finance.models.aanvraag import Aanvraag, AanvraagDeel


class Termijn(AanvraagDeel):
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


class Betaling(AanvraagDeel):
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


class Beschikking(AanvraagDeel):
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


class Wijziging(AanvraagDeel):
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


class Terugbetaling(AanvraagDeel):
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
