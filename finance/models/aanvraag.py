"""An aanvraag for a subsidy and the rows that belong to it: its years, its begroting and its
bijlagen. `AanvraagDeel` is the base of every row that shares an aanvraag's gemeente and
permission scope."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Gemeente
from core.money import ZERO, MoneyField
from finance.models.budget import JAAR_VALIDATORS
from finance.models.regeling import Eis, Regeling
from framework.models import Doelgericht
from network.models import Organisatie
from regions.models import Gebied


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


class AanvraagDeel(models.Model):
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


class AanvraagJaar(AanvraagDeel):
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


class Begrotingsregel(AanvraagDeel):
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


def bijlage_pad(instance, filename):
    return (f"finance/{instance.gemeente.cbs_code}/aanvragen/"
            f"{instance.aanvraag_id}/{filename}")


class AanvraagBestand(AanvraagDeel):
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
