"""Wijkplannen: a multi-year plan per gebied, its yearly versions (concept → aangeboden →
vastgesteld → vervangen; an aangeboden version may be teruggestuurd to concept), pijlers,
activiteiten and progress reports (voortgang).

Only a concept changes. An aangeboden version waits unchanged for the stuurgroep's decision; a
vastgestelde (or vervangen) version is immutable. The services refuse changes, and so do the
models' save()/delete() and an m2m_changed guard, so admin, API, pages and shell are held to it.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.signals import m2m_changed, pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Gemeente
from core.periods import KWARTAAL, PeriodeField
from framework.models import (
    LEEFTIJD_GRENZEN,
    LEEFTIJD_MAX_MAANDEN,
    LEEFTIJD_MIN_MAANDEN,
    Doelgericht,
    leeftijd_label,
)
from network.models import Organisatie
from regions.models import Gebied


class VersieNietBewerkbaar(ValidationError):
    """A change to a version that is no longer a concept."""


def niet_bewerkbaar(status=None):
    """The refusal of a change to a version that is not a concept, saying why."""
    if status == WijkplanVersie.Status.AANGEBODEN:
        return VersieNietBewerkbaar(_(
            "Deze versie is aangeboden aan de stuurgroep en verandert niet terwijl die beslist. "
            "Als de stuurgroep de versie terugstuurt, kunt u haar weer aanpassen."))
    return VersieNietBewerkbaar(_(
        "Deze versie van het wijkplan is vastgesteld en kan niet meer veranderen. Kies "
        "'Bijstellen' om een nieuwe conceptversie te maken."))


class Wijkplan(models.Model):
    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="wijkplannen",
                                 verbose_name=_("gemeente"))
    gebied = models.ForeignKey(Gebied, on_delete=models.PROTECT, related_name="wijkplannen",
                               verbose_name=_("gebied"))
    naam = models.CharField(_("naam"), max_length=200)
    jaar_van = models.PositiveSmallIntegerField(_("eerste jaar"), validators=[
        MinValueValidator(2000), MaxValueValidator(2100)])
    jaar_tot = models.PositiveSmallIntegerField(_("laatste jaar"), validators=[
        MinValueValidator(2000), MaxValueValidator(2100)])
    beschrijving = models.TextField(_("beschrijving"), blank=True)

    class Meta:
        verbose_name = _("wijkplan")
        verbose_name_plural = _("wijkplannen")
        ordering = ["gebied__naam", "-jaar_van"]
        constraints = [
            models.CheckConstraint(condition=Q(jaar_tot__gte=F("jaar_van")),
                                   name="wijkplan_periode_oplopend",
                                   violation_error_message=_(
                                       "Het laatste jaar ligt voor het eerste jaar.")),
            models.UniqueConstraint(fields=["gebied", "jaar_van"],
                                    name="wijkplan_unique_gebied_start",
                                    violation_error_message=_(
                                        "Dit gebied heeft al een wijkplan dat in dit jaar "
                                        "begint.")),
        ]

    def __str__(self):
        return f"{self.naam} ({self.periode})"

    def get_absolute_url(self):
        return reverse("plans:wijkplan-detail",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    @property
    def periode(self):
        return f"{self.jaar_van}-{self.jaar_tot}"

    def clean(self):
        if self.gebied_id and self.gebied.gemeente_id != self.gemeente_id:
            raise ValidationError({"gebied": _("Dit gebied hoort bij een andere gemeente.")})

    def policy_gebied_ids(self):
        return {self.gebied_id} if self.gebied_id else set()


def stap_moment(label):
    """When a step (aanbieden, terugsturen, vaststellen) was last taken; set by the service."""
    return models.DateTimeField(label, null=True, blank=True, editable=False)


def stap_door(label):
    """Who took a step; the step stays when the account is deleted."""
    return models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+", editable=False, verbose_name=label)


class WijkplanVersie(models.Model):
    """One version of a wijkplan: the first plan or a yearly "bijgesteld wijkplan"."""

    class Status(models.TextChoices):
        CONCEPT = "concept", _("concept")
        AANGEBODEN = "aangeboden", _("aangeboden")
        VASTGESTELD = "vastgesteld", _("vastgesteld")
        VERVANGEN = "vervangen", _("vervangen")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    wijkplan = models.ForeignKey(Wijkplan, on_delete=models.PROTECT, related_name="versies",
                                 verbose_name=_("wijkplan"))
    nummer = models.PositiveSmallIntegerField(_("versienummer"), editable=False)
    jaar = models.PositiveSmallIntegerField(_("voor het jaar"), validators=[
        MinValueValidator(2000), MaxValueValidator(2100)])
    titel = models.CharField(_("titel"), max_length=200, blank=True)
    inleiding = models.TextField(_("inleiding"), blank=True)
    organisatie = models.TextField(
        _("organisatie"), blank=True,
        help_text=_("Hoe de stuurgroep en de uitvoering georganiseerd zijn. De rollen zelf staan "
                    "bij de stuurgroep van het gebied."))
    speerpunten = models.TextField(_("speerpunten"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.CONCEPT, editable=False)
    # Optimistic locking: every change of a concept raises this by one, with a conditional
    # UPDATE ... WHERE revisie = <what the editor saw>.
    revisie = models.PositiveIntegerField(_("revisie"), default=1, editable=False)
    bijgesteld_van = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="bijstellingen", editable=False,
                                       verbose_name=_("bijgesteld van"))
    # The latest aanbieding (by the coördinator, with a message) and terugsturing (by the
    # stuurgroep, with reasons); every earlier round is in the audit log.
    aangeboden_op = stap_moment(_("aangeboden op"))
    aangeboden_door = stap_door(_("aangeboden door"))
    aanbieding = models.TextField(_("bericht bij het aanbieden"), blank=True, editable=False)
    teruggestuurd_op = stap_moment(_("teruggestuurd op"))
    teruggestuurd_door = stap_door(_("teruggestuurd door"))
    terugstuurreden = models.TextField(_("reden van terugsturen"), blank=True, editable=False)
    vastgesteld_op = stap_moment(_("vastgesteld op"))
    vastgesteld_door = stap_door(_("vastgesteld door"))
    vastgesteld_als = models.CharField(_("vastgesteld als"), max_length=100, blank=True,
                                       editable=False)
    # The stuurgroep's roles at the moment of vaststellen (roles change; the version doesn't).
    rollen_snapshot = models.JSONField(_("rollen bij vaststelling"), default=list, blank=True,
                                       editable=False)

    class Meta:
        verbose_name = _("wijkplanversie")
        verbose_name_plural = _("wijkplanversies")
        ordering = ["wijkplan", "-nummer"]
        constraints = [
            models.UniqueConstraint(fields=["wijkplan", "nummer"], name="versie_unique_nummer"),
            # One open version (concept or aangeboden) per wijkplan.
            models.UniqueConstraint(fields=["wijkplan"],
                                    condition=Q(status__in=["concept", "aangeboden"]),
                                    name="versie_een_concept",
                                    violation_error_message=_(
                                        "Dit wijkplan heeft al een conceptversie.")),
            models.UniqueConstraint(fields=["wijkplan"], condition=Q(status="vastgesteld"),
                                    name="versie_een_vastgesteld"),
        ]

    def __str__(self):
        return _("%(plan)s, versie %(nr)s (%(jaar)s)") % {
            "plan": self.wijkplan.naam, "nr": self.nummer, "jaar": self.jaar}

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk:
            stored = self.stored_status()
            if stored and stored != self.Status.CONCEPT:
                # The only change after vaststellen: vastgesteld → vervangen, status only.
                fields = set(kwargs.get("update_fields") or ())
                if not (stored == self.Status.VASTGESTELD and self.status == self.Status.VERVANGEN
                        and fields == {"status"}):
                    raise niet_bewerkbaar(stored)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("plans:versie-detail",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    def delete(self, *args, **kwargs):
        stored = self.stored_status()
        if stored not in (None, self.Status.CONCEPT):
            raise niet_bewerkbaar(stored)
        return super().delete(*args, **kwargs)

    def stored_status(self):
        return type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()

    @property
    def kop(self):
        """The heading: the title (or the plan's name) with the year, unless it has it."""
        titel = self.titel or self.wijkplan.naam
        return titel if str(self.jaar) in titel else f"{titel} {self.jaar}"

    @property
    def is_concept(self):
        return self.status == self.Status.CONCEPT

    def clean(self):
        errors = {}
        if self.wijkplan_id:
            if self.wijkplan.gemeente_id != self.gemeente_id:
                errors["wijkplan"] = _("Dit wijkplan hoort bij een andere gemeente.")
            elif self.jaar and not (self.wijkplan.jaar_van <= self.jaar <= self.wijkplan.jaar_tot):
                errors["jaar"] = _("Kies een jaar binnen de looptijd van het wijkplan "
                                   "(%(periode)s).") % {"periode": self.wijkplan.periode}
        if errors:
            raise ValidationError(errors)

    def policy_gebied_ids(self):
        return {self.wijkplan.gebied_id} if self.wijkplan_id else set()

def assert_concept(versie_id):
    """Raise VersieNietBewerkbaar unless the version is (still, in the database) a concept."""
    status = WijkplanVersie.objects.filter(pk=versie_id).values_list("status", flat=True).first()
    if status != WijkplanVersie.Status.CONCEPT:
        raise niet_bewerkbaar(status)


class VersieOnderdeel(Doelgericht):
    """A part of a version (pijler, activiteit): only changeable while the version is a concept.
    `sleutel` stays the same when bijstellen copies it, so versions can be compared."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    sleutel = models.UUIDField(default=uuid.uuid4, editable=False)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        abstract = True

    def policy_gebied_ids(self):
        return {self.versie.wijkplan.gebied_id} if self.versie_id else set()

    def doelen_bewerkbaar(self):
        status = WijkplanVersie.objects.filter(pk=self.versie_id).values_list(
            "status", flat=True).first()
        if status != WijkplanVersie.Status.CONCEPT:
            return False, niet_bewerkbaar(status).messages[0]
        return True, ""

    def save(self, *args, **kwargs):
        assert_concept(self.versie_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        assert_concept(self.versie_id)
        return super().delete(*args, **kwargs)

    def clean(self):
        if self.versie_id and self.versie.gemeente_id != self.gemeente_id:
            raise ValidationError({"versie": _("Deze versie hoort bij een andere gemeente.")})


class Pijler(VersieOnderdeel):
    versie = models.ForeignKey(WijkplanVersie, on_delete=models.CASCADE, related_name="pijlers",
                               verbose_name=_("versie"))
    naam = models.CharField(_("naam"), max_length=100)
    doelen = models.TextField(_("doelen van de pijler"), blank=True,
                              help_text=_("Eén doel per regel."))

    class Meta:
        verbose_name = _("pijler")
        verbose_name_plural = _("pijlers")
        ordering = ["volgorde", "naam"]
        constraints = [
            models.UniqueConstraint(fields=["versie", "sleutel"], name="pijler_unique_sleutel"),
            models.UniqueConstraint(fields=["versie", "naam"], name="pijler_unique_naam",
                                    violation_error_message=_(
                                        "Deze versie heeft al een pijler met deze naam.")),
        ]

    def __str__(self):
        return self.naam

    def get_absolute_url(self):
        return self.versie.get_absolute_url() + f"#pijler-{self.pk}"

    def doelenlijst(self):
        return [r.strip(" -•\t") for r in self.doelen.splitlines() if r.strip(" -•\t")]


class Activiteit(VersieOnderdeel):
    class Status(models.TextChoices):
        VOORSTEL = "voorstel", _("voorstel")
        GEPLAND = "gepland", _("gepland")
        LOPEND = "lopend", _("lopend")
        AFGEROND = "afgerond", _("afgerond")
        GESTOPT = "gestopt", _("gestopt")

    versie = models.ForeignKey(WijkplanVersie, on_delete=models.CASCADE,
                               related_name="activiteiten", verbose_name=_("versie"))
    pijler = models.ForeignKey(Pijler, on_delete=models.PROTECT, related_name="activiteiten",
                               verbose_name=_("pijler"))
    naam = models.CharField(_("naam"), max_length=200)
    beschrijving = models.TextField(_("beschrijving"), blank=True)
    trekker = models.ForeignKey(Organisatie, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="getrokken_activiteiten",
                                verbose_name=_("trekker"),
                                help_text=_("De organisatie die de activiteit trekt en over de "
                                            "voortgang rapporteert."))
    partners = models.ManyToManyField(Organisatie, blank=True, related_name="partner_in",
                                      verbose_name=_("partnerorganisaties"))
    locaties = models.ManyToManyField(Organisatie, blank=True, related_name="locatie_van",
                                      verbose_name=_("locaties en scholen"))
    locatie_omschrijving = models.CharField(_("andere plek"), max_length=200, blank=True,
                                            help_text=_("Bijvoorbeeld 'op de pleintjes in de "
                                                        "wijk'."))
    leeftijd_van = models.SmallIntegerField(
        _("doelgroep vanaf (maanden)"), default=LEEFTIJD_MIN_MAANDEN,
        validators=LEEFTIJD_GRENZEN,
        help_text=_("Leeftijd in maanden: -9 is vanaf het begin van de zwangerschap, 48 is 4 jaar, "
                    "324 is 27 jaar."))
    leeftijd_tot = models.SmallIntegerField(
        _("doelgroep tot (maanden)"), default=LEEFTIJD_MAX_MAANDEN,
        validators=LEEFTIJD_GRENZEN,
        help_text=_("Leeftijd in maanden, tot en met; hoogstens 324 (27 jaar)."))
    start = models.DateField(_("start"), null=True, blank=True)
    eind = models.DateField(_("einde"), null=True, blank=True)
    beoogde_resultaten = models.TextField(_("beoogde resultaten"), blank=True)
    # The wijkplan's "te behalen resultaten": monitor targets this activiteit works on. Part of
    # the version's content like every other field (copied by bijstellen, frozen once
    # vastgesteld). plans → monitor: plans may import monitor, never the other way round;
    # monitor shows the activiteiten on its pages through monitor.koppelingen.
    streefwaarden = models.ManyToManyField(
        "monitor.Streefwaarde", through="ActiviteitStreefwaarde", blank=True,
        related_name="activiteiten", verbose_name=_("te behalen resultaten"),
        help_text=_("Streefwaarden uit de monitor voor het gebied van het wijkplan of voor de "
                    "hele gemeente."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.GEPLAND)

    # How the history (core.audit.regels) shows the ages stored in months.
    history_formatters = {"leeftijd_van": leeftijd_label, "leeftijd_tot": leeftijd_label}

    class Meta:
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")
        ordering = ["pijler__volgorde", "volgorde", "naam"]
        constraints = [
            models.UniqueConstraint(fields=["versie", "sleutel"],
                                    name="activiteit_unique_sleutel"),
            models.CheckConstraint(
                condition=Q(leeftijd_van__gte=LEEFTIJD_MIN_MAANDEN,
                            leeftijd_tot__lte=LEEFTIJD_MAX_MAANDEN,
                            leeftijd_tot__gte=F("leeftijd_van")),
                name="activiteit_leeftijd_geldig",
                violation_error_message=_("De leeftijd van de doelgroep klopt niet.")),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(eind__isnull=True)
                | Q(eind__gte=F("start")),
                name="activiteit_periode_oplopend",
                violation_error_message=_("Het einde ligt voor de start.")),
        ]

    def __str__(self):
        return self.naam

    def get_absolute_url(self):
        return reverse("plans:activiteit-detail",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    def doelgroep(self):
        return _("%(van)s tot %(tot)s") % {"van": leeftijd_label(self.leeftijd_van),
                                          "tot": leeftijd_label(self.leeftijd_tot)}

    def policy_organisatie_ids(self):
        return {self.trekker_id} if self.trekker_id else set()

    def clean(self):
        super().clean()
        errors = {}
        if self.pijler_id and self.versie_id and self.pijler.versie_id != self.versie_id:
            errors["pijler"] = _("Deze pijler hoort bij een andere versie.")
        if self.trekker_id and self.trekker.gemeente_id != self.gemeente_id:
            errors["trekker"] = _("Deze organisatie hoort bij een andere gemeente.")
        if (self.leeftijd_van is not None and self.leeftijd_tot is not None
                and self.leeftijd_tot < self.leeftijd_van):
            errors["leeftijd_tot"] = _(
                "De doelgroep loopt tot %(tot)s, maar begint bij %(van)s: de leeftijden staan "
                "omgedraaid.") % {"tot": leeftijd_label(self.leeftijd_tot),
                                  "van": leeftijd_label(self.leeftijd_van)}
        if self.start and self.eind and self.eind < self.start:
            errors["eind"] = _("Het einde ligt voor de start.")
        if errors:
            raise ValidationError(errors)


class ActiviteitStreefwaarde(models.Model):
    """An activiteit works on a monitor target (Activiteit.streefwaarden).

    A target that a wijkplan activiteit works on cannot be deleted (PROTECT): the link is part
    of the version's content, and a vastgestelde version must not change behind its back.
    Unlink it in the concept first."""

    activiteit = models.ForeignKey(Activiteit, on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("activiteit"))
    streefwaarde = models.ForeignKey("monitor.Streefwaarde", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("streefwaarde"))

    class Meta:
        verbose_name = _("activiteit van een wijkplan")
        verbose_name_plural = _("activiteiten van een wijkplan")
        constraints = [
            models.UniqueConstraint(fields=["activiteit", "streefwaarde"],
                                    name="activiteit_streefwaarde_uniek"),
        ]

    def __str__(self):
        return f"{self.activiteit_id} → {self.streefwaarde_id}"

    def save(self, *args, **kwargs):
        assert_concept(self._versie_id())
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        assert_concept(self._versie_id())
        return super().delete(*args, **kwargs)

    def _versie_id(self):
        return Activiteit.objects.filter(pk=self.activiteit_id).values_list(
            "versie_id", flat=True).first()


@receiver(pre_save, sender=Activiteit)
def _mark_raw_load(sender, instance, raw, **kwargs):
    """Loading stored rows as they are (fixtures, a test database snapshot) is no edit: the
    deserializer then sets the m2m fields of the same instance."""
    instance._raw_load = raw


@receiver(m2m_changed, sender=Activiteit.partners.through)
@receiver(m2m_changed, sender=Activiteit.locaties.through)
@receiver(m2m_changed, sender=Activiteit.streefwaarden.through)
def _guard_activiteit_m2m(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("pre_") or getattr(instance, "_raw_load", False):
        return
    if reverse:
        if pk_set is None:  # clear() from the other side: every activiteit linked to it
            field = next(f.name for f in Activiteit._meta.many_to_many
                         if f.remote_field.through is sender)
            linked = Activiteit.objects.filter(**{field: instance})
        else:
            linked = Activiteit.objects.filter(pk__in=pk_set)
        versie_ids = set(linked.values_list("versie_id", flat=True))
    else:
        versie_ids = {instance.versie_id}
    status = WijkplanVersie.objects.filter(pk__in=versie_ids).exclude(
        status=WijkplanVersie.Status.CONCEPT).values_list("status", flat=True).first()
    if status is not None:
        raise niet_bewerkbaar(status)


class VoortgangRapportage(models.Model):
    """A progress report on one activiteit for one quarter."""

    class Status(models.TextChoices):
        OP_SCHEMA = "op_schema", _("op schema")
        VERTRAAGD = "vertraagd", _("vertraagd")
        AFGEROND = "afgerond", _("afgerond")
        GESTOPT = "gestopt", _("gestopt")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    activiteit = models.ForeignKey(Activiteit, on_delete=models.PROTECT,
                                   related_name="rapportages", verbose_name=_("activiteit"))
    periode = PeriodeField(_("kwartaal"),
                           help_text=_("Bijvoorbeeld 2021-K1 voor het eerste kwartaal van 2021."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    percentage = models.PositiveSmallIntegerField(
        _("voortgang (%)"), validators=[MaxValueValidator(100)],
        help_text=_("Hoeveel van de activiteit is gedaan, van 0 tot en met 100."))
    bereikte_deelnemers = models.PositiveIntegerField(_("bereikte deelnemers"), null=True,
                                                      blank=True)
    toelichting = models.TextField(_("toelichting"), blank=True)
    gerapporteerd_door = stap_door(_("gerapporteerd door"))
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("voortgangsrapportage")
        verbose_name_plural = _("voortgangsrapportages")
        ordering = ["activiteit", "periode"]
        constraints = [
            models.UniqueConstraint(fields=["activiteit", "periode"],
                                    name="rapportage_unique_periode",
                                    violation_error_message=_(
                                        "Over dit kwartaal is al gerapporteerd. Pas die "
                                        "rapportage aan.")),
            models.CheckConstraint(condition=Q(percentage__lte=100),
                                   name="rapportage_percentage_max_100"),
        ]

    def __str__(self):
        return f"{self.activiteit} – {self.periode.label if self.periode else ''}"

    def get_absolute_url(self):
        return self.activiteit.get_absolute_url()

    def policy_gebied_ids(self):
        return self.activiteit.policy_gebied_ids() if self.activiteit_id else set()

    def policy_organisatie_ids(self):
        return self.activiteit.policy_organisatie_ids() if self.activiteit_id else set()

    def clean(self):
        if not self.activiteit_id:
            return
        activiteit = self.activiteit
        if activiteit.gemeente_id != self.gemeente_id:
            raise ValidationError({"activiteit": _("Deze activiteit hoort bij een andere "
                                                   "gemeente.")})
        if activiteit.versie.status != WijkplanVersie.Status.VASTGESTELD:
            raise ValidationError(_("Rapporteer alleen over activiteiten van de vastgestelde "
                                    "versie van het wijkplan."))
        if self.periode and self.periode.soort != KWARTAAL:
            raise ValidationError({"periode": _(
                "Rapporteer per kwartaal: schrijf bijvoorbeeld 2021-K1.")})
        if self.periode:
            wijkplan = activiteit.versie.wijkplan
            if not wijkplan.jaar_van <= self.periode.jaar <= wijkplan.jaar_tot:
                raise ValidationError({"periode": _(
                    "Kies een kwartaal binnen de looptijd van het wijkplan (%(p)s).") % {
                        "p": wijkplan.periode}})
