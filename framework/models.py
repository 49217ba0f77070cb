"""Goal frameworks: the gemeente's Klaverblad (missie, visie, thema's, doelen), other frameworks
mapped onto it, and one generic way to tag any object with Klaverblad doelen (DoelKoppeling)."""

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Gemeente

# Youth policy covers -9 months (pregnancy) up to 27 years.
LEEFTIJD_MIN_MAANDEN = -9
LEEFTIJD_MAX_MAANDEN = 27 * 12
# The validators of every age field (in months) of a kader, activiteit or aanbod.
LEEFTIJD_GRENZEN = [MinValueValidator(LEEFTIJD_MIN_MAANDEN),
                    MaxValueValidator(LEEFTIJD_MAX_MAANDEN)]


def leeftijd_label(maanden: int) -> str:
    """-9 → '-9 maanden', 6 → '6 maanden', 48 → '4 jaar', 54 → '4 jaar en 6 maanden'."""
    if maanden is None:
        return ""
    if maanden < 12:
        return _("%(n)s maanden") % {"n": maanden} if maanden != 1 else _("1 maand")
    jaren, rest = divmod(maanden, 12)
    if rest:
        return _("%(j)s jaar en %(m)s maanden") % {"j": jaren, "m": rest}
    return _("%(j)s jaar") % {"j": jaren}


class Kader(models.Model):
    """A goal framework of one gemeente, valid for a period.

    The leading one is the Klaverblad: everything is held against its doelen. Other frameworks
    (Assen's "Oog voor jeugd" acties, a national programme) have their own doelen that are
    mapped onto Klaverblad doelen with DoelKoppeling.
    """

    class Soort(models.TextChoices):
        KLAVERBLAD = "klaverblad", _("Klaverblad (leidend kader)")
        ANDER = "ander", _("ander kader, vertaald naar het Klaverblad")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="kaders",
                                 verbose_name=_("gemeente"))
    soort = models.CharField(_("soort kader"), max_length=12, choices=Soort.choices,
                             default=Soort.KLAVERBLAD)
    naam = models.CharField(_("naam"), max_length=200)
    missie = models.TextField(_("missie"), blank=True)
    visie = models.TextField(_("visie"), blank=True)
    kern = models.CharField(_("kern"), max_length=200, blank=True,
                            help_text=_("Wat in het midden staat, bijvoorbeeld "
                                        "'Kind, jongere, gezin centraal'."))
    leeftijd_van = models.SmallIntegerField(
        _("leeftijd vanaf (maanden)"), default=LEEFTIJD_MIN_MAANDEN,
        validators=LEEFTIJD_GRENZEN,
        help_text=_("In maanden; -9 is vanaf het begin van de zwangerschap."))
    leeftijd_tot = models.SmallIntegerField(
        _("leeftijd tot (maanden)"), default=LEEFTIJD_MAX_MAANDEN,
        validators=LEEFTIJD_GRENZEN,
        help_text=_("In maanden; 324 is 27 jaar."))
    geldig_van = models.DateField(_("geldig vanaf"))
    geldig_tot = models.DateField(_("geldig tot en met"), null=True, blank=True,
                                  help_text=_("Leeg: geldt tot een nieuw kader het vervangt."))
    bron = models.CharField(_("bron"), max_length=500, blank=True,
                            help_text=_("Document of adres waar het kader vandaan komt."))

    class Meta:
        verbose_name = _("doelenkader")
        verbose_name_plural = _("doelenkaders")
        ordering = ["soort", "-geldig_van", "naam"]
        constraints = [
            models.CheckConstraint(
                condition=Q(geldig_tot__isnull=True) | Q(geldig_tot__gte=models.F("geldig_van")),
                name="kader_geldigheid_oplopend",
                violation_error_message=_("'Geldig tot' ligt voor 'geldig vanaf'."),
            ),
            models.CheckConstraint(
                condition=Q(leeftijd_tot__gte=models.F("leeftijd_van")),
                name="kader_leeftijd_oplopend",
                violation_error_message=_("De leeftijd 'tot' ligt onder de leeftijd 'vanaf'."),
            ),
        ]

    def __str__(self):
        return self.naam

    def get_absolute_url(self):
        return reverse("framework:kader-detail",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    @property
    def is_klaverblad(self):
        return self.soort == self.Soort.KLAVERBLAD

    def leeftijd_tekst(self):
        return _("van %(van)s tot %(tot)s") % {"van": leeftijd_label(self.leeftijd_van),
                                              "tot": leeftijd_label(self.leeftijd_tot)}

    def clean(self):
        if (self.soort == self.Soort.KLAVERBLAD and self.gemeente_id and self.geldig_van):
            # Two Klaverbladen of one gemeente may not be valid on the same day.
            overlap = Kader.objects.filter(gemeente_id=self.gemeente_id,
                                           soort=self.Soort.KLAVERBLAD).exclude(pk=self.pk)
            overlap = overlap.filter(Q(geldig_tot__isnull=True)
                                     | Q(geldig_tot__gte=self.geldig_van))
            if self.geldig_tot:
                overlap = overlap.filter(geldig_van__lte=self.geldig_tot)
            other = overlap.first()
            if other:
                raise ValidationError({"geldig_van": _(
                    "In deze periode geldt al een Klaverblad: %(naam)s. Laat dat eerder eindigen "
                    "of kies een andere periode.") % {"naam": other.naam}})


class Thema(models.Model):
    """An optional, editable grouping of doelen within a kader."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    kader = models.ForeignKey(Kader, on_delete=models.CASCADE, related_name="themas",
                              verbose_name=_("kader"))
    naam = models.CharField(_("naam"), max_length=200)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["volgorde", "naam"]
        constraints = [models.UniqueConstraint(fields=["kader", "naam"],
                                               name="thema_unique_naam")]

    def __str__(self):
        return self.naam

    def get_absolute_url(self):
        return self.kader.get_absolute_url()

    def clean(self):
        if self.kader_id and self.kader.gemeente_id != self.gemeente_id:
            raise ValidationError({"kader": _("Dit kader hoort bij een andere gemeente.")})


class Doelgericht(models.Model):
    """Mixin for any model whose objects can be tagged with Klaverblad doelen.

    Subclasses may define `doelen_bewerkbaar()` → (bool, reason) to freeze their tags (a
    vastgestelde wijkplanversie). The tags themselves live in DoelKoppeling.
    `werkt_aan_doel` says whether a tagged object is work on the doel (an activiteit, a
    regeling) or only measures it (a monitor indicator): a doel with nothing that works on it
    is a witte vlek, however well it is measured. `doel_rol` overrides both: "aanbod" for what
    is on offer (the sociale kaart), shown apart and not filling a witte vlek in policy.
    """

    werkt_aan_doel = True
    doel_rol = ""  # "" = by werkt_aan_doel ("werkt" / "meet"); or "aanbod"

    doel_koppelingen = GenericRelation("framework.DoelKoppeling",
                                       related_query_name="%(app_label)s_%(class)s")

    class Meta:
        abstract = True

    def klaverblad_doelen(self):
        """The tagged doelen; uses the prefetch cache when present."""
        return sorted((k.doel for k in self.doel_koppelingen.all()),
                      key=lambda d: (d.kader_id, d.nummer))


class Doel(Doelgericht):
    """One doel of a kader. A doel of another kader can itself be tagged with Klaverblad
    doelen: that is the mapping of that framework onto the Klaverblad."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    kader = models.ForeignKey(Kader, on_delete=models.CASCADE, related_name="doelen",
                              verbose_name=_("kader"))
    nummer = models.PositiveSmallIntegerField(_("nummer"))
    tekst = models.TextField(_("tekst"))
    toelichting = models.TextField(_("toelichting"), blank=True)
    thema = models.ForeignKey(Thema, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="doelen", verbose_name=_("thema"))

    class Meta:
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        ordering = ["kader", "nummer"]
        constraints = [models.UniqueConstraint(
            fields=["kader", "nummer"], name="doel_unique_nummer",
            violation_error_message=_("Dit kader heeft al een doel met dit nummer."))]

    def __str__(self):
        return f"{self.nummer}. {self.tekst}"

    def get_absolute_url(self):
        return reverse("framework:doel-detail",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    def kort(self, lengte=60):
        tekst = self.tekst if len(self.tekst) <= lengte else self.tekst[: lengte - 1] + "…"
        return f"{self.nummer}. {tekst}"

    def clean(self):
        errors = {}
        if self.kader_id and self.kader.gemeente_id != self.gemeente_id:
            errors["kader"] = _("Dit kader hoort bij een andere gemeente.")
        if self.thema_id and self.thema.kader_id != self.kader_id:
            errors["thema"] = _("Dit thema hoort bij een ander kader.")
        if errors:
            raise ValidationError(errors)

    def doelen_bewerkbaar(self):
        if self.kader_id and self.kader.is_klaverblad:
            return False, _("Doelen van het Klaverblad zelf worden niet aan Klaverblad-doelen "
                            "gekoppeld.")
        return True, ""


class DoelKoppeling(models.Model):
    """One object (of any model that is Doelgericht) tagged with one Klaverblad doel."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    doel = models.ForeignKey(Doel, on_delete=models.PROTECT, related_name="koppelingen",
                             verbose_name=_("doel"))
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    object = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("koppeling aan een doel")
        verbose_name_plural = _("koppelingen aan doelen")
        ordering = ["doel__nummer"]
        constraints = [models.UniqueConstraint(fields=["doel", "content_type", "object_id"],
                                               name="doelkoppeling_unique")]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.doel.kort()} ← {self.content_type.name} {self.object_id}"

    def save(self, *args, **kwargs):
        self._check_target()  # a frozen object keeps its doelen, also via admin or shell
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.doel.get_absolute_url()

    def delete(self, *args, **kwargs):
        self._check_target()
        return super().delete(*args, **kwargs)

    def _check_target(self):
        target = self.object
        if target is None:
            raise ValidationError(_("Het gekoppelde object bestaat niet."))
        if target.gemeente_id != self.gemeente_id:
            raise ValidationError(_("Het gekoppelde object hoort bij een andere gemeente."))
        check = getattr(target, "doelen_bewerkbaar", None)
        if check:
            ok, reason = check()
            if not ok:
                raise ValidationError(reason)

    def clean(self):
        if self.doel_id:
            if self.doel.gemeente_id != self.gemeente_id:
                raise ValidationError({"doel": _("Dit doel hoort bij een andere gemeente.")})
            if not self.doel.kader.is_klaverblad:
                raise ValidationError({"doel": _("Koppel alleen aan doelen van het Klaverblad.")})
