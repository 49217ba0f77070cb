"""The network: partner organisations, people, and per gebied a stuurgroep with its roles."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Gemeente
from regions.models import Gebied


class Organisatie(models.Model):
    class Type(models.TextChoices):
        BASISSCHOOL = "basisschool", _("basisschool")
        SPECIAAL_ONDERWIJS = "speciaal_onderwijs", _("speciaal onderwijs")
        VOORTGEZET_ONDERWIJS = "voortgezet_onderwijs", _("voortgezet onderwijs")
        MBO = "mbo", _("mbo")
        KINDEROPVANG = "kinderopvang", _("kinderopvang")
        JGZ = "jgz", _("jeugdgezondheidszorg (JGZ)")
        WIJ_TEAM = "wij_team", _("WIJ-team")
        JEUGDWERK = "jeugdwerk", _("jeugdwerk")
        OPBOUWWERK = "opbouwwerk", _("opbouwwerk")
        SPORTVERENIGING = "sportvereniging", _("sportvereniging")
        CULTUUR = "cultuur", _("kunst en cultuur")
        ZORG = "zorg", _("zorgaanbieder")
        POLITIE = "politie", _("politie")
        GEMEENTE = "gemeente", _("gemeente")
        KENNISINSTELLING = "kennisinstelling", _("kennisinstelling")
        BEWONERSINITIATIEF = "bewonersinitiatief", _("bewonersinitiatief")
        OVERIG = "overig", _("overig")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE,
                                 related_name="organisaties", verbose_name=_("gemeente"))
    naam = models.CharField(_("naam"), max_length=200)
    type = models.CharField(_("soort"), max_length=32, choices=Type.choices)
    beschrijving = models.TextField(_("beschrijving"), blank=True)
    adres = models.CharField(_("adres"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    telefoon = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    gebieden = models.ManyToManyField(Gebied, blank=True, related_name="organisaties",
                                      verbose_name=_("actief in gebieden"))

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["naam"]
        constraints = [models.UniqueConstraint(fields=["gemeente", "naam"],
                                               name="organisatie_unique_naam")]

    def __str__(self):
        return self.naam

    def get_absolute_url(self):
        return reverse("network:organisatie-detail",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    def policy_organisatie_ids(self):
        return {self.pk} if self.pk else set()


class Persoon(models.Model):
    """A contact person. Only work contact data; nothing about children."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="personen",
                                 verbose_name=_("gemeente"))
    naam = models.CharField(_("naam"), max_length=200)
    organisatie = models.ForeignKey(Organisatie, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="personen",
                                    verbose_name=_("organisatie"))
    functie = models.CharField(_("functie"), max_length=200, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    telefoon = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="persoon",
                                verbose_name=_("gebruikersaccount"))

    class Meta:
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")
        ordering = ["naam"]

    def __str__(self):
        return self.naam

    def get_absolute_url(self):
        return reverse("network:persoon-detail",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    def clean(self):
        if self.organisatie_id and self.organisatie.gemeente_id != self.gemeente_id:
            raise ValidationError({"organisatie": _("Deze organisatie hoort bij een andere "
                                                    "gemeente.")})

    def policy_organisatie_ids(self):
        return {self.organisatie_id} if self.organisatie_id else set()

    def policy_gebied_ids(self):
        """A coördinator may keep the contact data of people in their stuurgroep current."""
        if not self.pk:
            return set()
        return set(StuurgroepRol.objects.filter(persoon=self)
                   .values_list("stuurgroep__gebied_id", flat=True))


class Stuurgroep(models.Model):
    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE,
                                 related_name="stuurgroepen", verbose_name=_("gemeente"))
    gebied = models.OneToOneField(Gebied, on_delete=models.PROTECT, related_name="stuurgroep",
                                  verbose_name=_("gebied"))
    naam = models.CharField(_("naam"), max_length=200)
    werkwijze = models.TextField(
        _("werkwijze"), blank=True,
        help_text=_("Hoe de stuurgroep werkt, bijvoorbeeld wie het overleg voorbereidt."))

    class Meta:
        verbose_name = _("stuurgroep")
        verbose_name_plural = _("stuurgroepen")
        ordering = ["naam"]

    def __str__(self):
        return self.naam

    def get_absolute_url(self):
        return reverse("network:stuurgroep-detail",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    def clean(self):
        if self.gebied_id and self.gebied.gemeente_id != self.gemeente_id:
            raise ValidationError({"gebied": _("Dit gebied hoort bij een andere gemeente.")})

    def policy_gebied_ids(self):
        return {self.gebied_id} if self.gebied_id else set()


class StuurgroepRol(models.Model):
    """A seat in a stuurgroep (voorzitter, vertegenwoordiger, coördinator, lid) and its tasks.
    The seat is held by an organisatie and optionally a named persoon."""

    class Rol(models.TextChoices):
        VOORZITTER = "voorzitter", _("voorzitter")
        VERTEGENWOORDIGER = "vertegenwoordiger", _("vertegenwoordiger")
        COORDINATOR = "coordinator", _("coördinator")
        LID = "lid", _("lid")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    stuurgroep = models.ForeignKey(Stuurgroep, on_delete=models.CASCADE, related_name="rollen",
                                   verbose_name=_("stuurgroep"))
    rol = models.CharField(_("rol"), max_length=20, choices=Rol.choices)
    titel = models.CharField(_("titel"), max_length=200, blank=True,
                             help_text=_("Bijvoorbeeld 'Coördinator Positief Opgroeien'."))
    organisatie = models.ForeignKey(Organisatie, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="stuurgroeprollen",
                                    verbose_name=_("organisatie"))
    persoon = models.ForeignKey(Persoon, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="stuurgroeprollen", verbose_name=_("persoon"))
    taken = models.TextField(_("taken"), blank=True, help_text=_("Eén taak per regel."))
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("rol in de stuurgroep")
        verbose_name_plural = _("rollen in de stuurgroep")
        ordering = ["volgorde", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stuurgroep", "rol"], condition=~models.Q(rol="lid"),
                name="stuurgroeprol_one_per_kernrol",
                violation_error_message=_("Deze stuurgroep heeft deze rol al."),
            ),
        ]

    def __str__(self):
        label = self.titel or self.get_rol_display().capitalize()
        return f"{label} – {self.organisatie}" if self.organisatie_id else label

    def get_absolute_url(self):
        return self.stuurgroep.get_absolute_url()

    def takenlijst(self):
        return [line.strip(" -•\t") for line in self.taken.splitlines() if line.strip(" -•\t")]

    def clean(self):
        errors = {}
        if self.stuurgroep_id and self.stuurgroep.gemeente_id != self.gemeente_id:
            errors["stuurgroep"] = _("Deze stuurgroep hoort bij een andere gemeente.")
        if self.organisatie_id and self.organisatie.gemeente_id != self.gemeente_id:
            errors["organisatie"] = _("Deze organisatie hoort bij een andere gemeente.")
        if self.persoon_id and self.persoon.gemeente_id != self.gemeente_id:
            errors["persoon"] = _("Deze persoon hoort bij een andere gemeente.")
        if not (self.organisatie_id or self.persoon_id or self.titel):
            errors["organisatie"] = _("Vul een organisatie, een persoon of een titel in.")
        if errors:
            raise ValidationError(errors)

    def policy_gebied_ids(self):
        return {self.stuurgroep.gebied_id} if self.stuurgroep_id else set()
