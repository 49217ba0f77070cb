"""The aanbod (HSDS service) of an organisatie, its aanbieder record, the search terms drawn
from it (Zoekterm) and the verwijsroutes that lead to it."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.models import Gemeente
from framework.models import (
    LEEFTIJD_GRENZEN,
    LEEFTIJD_MAX_MAANDEN,
    LEEFTIJD_MIN_MAANDEN,
    Doelgericht,
    leeftijd_label,
)
from kaart.models.instellingen import Levensdomein
from kaart.models.locatie import Locatie
from network.models import Organisatie, Persoon


class Aanbieder(models.Model):
    """The HSDS side of a network.Organisatie: its stable UUID (kept on import)."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    organisatie = models.OneToOneField(Organisatie, on_delete=models.CASCADE,
                                       related_name="aanbieder", verbose_name=_("organisatie"))
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("aanbieder")
        verbose_name_plural = _("aanbieders")

    def __str__(self):
        return str(self.organisatie)

    def policy_organisatie_ids(self):
        return {self.organisatie_id}


class Aanbod(Doelgericht):
    """One service of an organisatie (HSDS service)."""

    doel_rol = "aanbod"  # on the doel page apart from policy; it fills no witte vlek

    class Status(models.TextChoices):
        ACTIEF = "actief", _("actief")
        TIJDELIJK_GESLOTEN = "tijdelijk_gesloten", _("tijdelijk gesloten")
        BEEINDIGD = "beeindigd", _("beëindigd")

    class Kosten(models.TextChoices):
        GRATIS = "gratis", _("gratis")
        PRIJS = "prijs", _("betaald")
        INKOMEN = "inkomen", _("prijs hangt af van het inkomen")

    class Aanmelden(models.TextChoices):
        DIRECT = "direct", _("zelf aanmelden")
        VERWIJZING = "verwijzing", _("verwijzing nodig")
        WACHTTIJD = "wachttijd", _("zelf aanmelden, er is een wachttijd")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisatie = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="aanbod",
                                    verbose_name=_("aanbieder"))
    naam = models.CharField(_("naam"), max_length=200)
    korte_beschrijving = models.CharField(
        _("korte beschrijving"), max_length=200,
        help_text=_("In eenvoudige taal (B1), hooguit 200 tekens."))
    beschrijving = models.TextField(_("uitgebreide beschrijving"), blank=True)
    levensdomeinen = models.ManyToManyField(Levensdomein, blank=True, related_name="aanbod",
                                            verbose_name=_("levensdomeinen"))
    leeftijd_van = models.SmallIntegerField(_("leeftijd vanaf (maanden)"),
                                            default=LEEFTIJD_MIN_MAANDEN,
                                            validators=LEEFTIJD_GRENZEN)
    leeftijd_tot = models.SmallIntegerField(_("leeftijd tot en met (maanden)"),
                                            default=LEEFTIJD_MAX_MAANDEN,
                                            validators=LEEFTIJD_GRENZEN)
    doelgroep = models.CharField(_("voor wie"), max_length=200, blank=True,
                                 help_text=_("Bijvoorbeeld: ouders van baby's, meiden 12-16."))
    kosten = models.CharField(_("kosten"), max_length=10, choices=Kosten.choices,
                              default=Kosten.GRATIS)
    prijs = models.DecimalField(_("prijs (euro)"), max_digits=8, decimal_places=2, null=True,
                                blank=True, validators=[MinValueValidator(0)])
    kosten_toelichting = models.CharField(_("toelichting op de kosten"), max_length=300,
                                          blank=True)
    aanmelden = models.CharField(_("aanmelden"), max_length=12, choices=Aanmelden.choices,
                                 default=Aanmelden.DIRECT)
    aanmelden_toelichting = models.TextField(_("zo meldt u zich aan"), blank=True)
    wachttijd = models.CharField(_("wachttijd"), max_length=100, blank=True)
    talen = models.CharField(_("talen"), max_length=200, blank=True, default="nl",
                             help_text=_("Taalcodes met komma's, bijvoorbeeld: nl, en, ar."))
    toegankelijkheid = models.TextField(_("toegankelijkheid"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    telefoon = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    locaties = models.ManyToManyField(Locatie, blank=True, related_name="aanbod",
                                      verbose_name=_("locaties"))
    # Only for professionals.
    verwijzen = models.TextField(_("zo verwijst u door (voor professionals)"), blank=True)
    contactpersoon = models.ForeignKey(
        Persoon, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("contactpersoon (voor professionals)"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.ACTIEF)
    # Freshness.
    aangemaakt_op = models.DateField(_("aangemaakt op"), default=datetime.date.today)
    gewijzigd_op = models.DateTimeField(_("laatst gewijzigd"), default=timezone.now)
    gecontroleerd_op = models.DateField(
        _("laatst gecontroleerd"), null=True, blank=True,
        help_text=_("Alleen gezet door een uitdrukkelijke controle ('klopt nog')."))
    gecontroleerd_door = models.CharField(_("gecontroleerd door"), max_length=200, blank=True)
    controle_voor = models.DateField(_("controleren voor"), null=True, blank=True)
    herinnerd_op = models.DateField(_("herinnering verstuurd op"), null=True, blank=True)
    # Search: stemmed words (kaart.zoeken), indexed per database (see the migrations).
    zoektekst = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("aanbod")
        verbose_name_plural = _("aanbod")
        ordering = ["naam"]
        indexes = [
            models.Index(fields=["gemeente", "status", "gecontroleerd_op"]),
            models.Index(fields=["gemeente", "gewijzigd_op"]),
            models.Index(fields=["gemeente", "leeftijd_van", "leeftijd_tot"]),
        ]

    def __str__(self):
        return self.naam

    def get_absolute_url(self):
        return reverse("kaart:aanbod-detail",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    def get_public_url(self):
        return reverse("kaart:publiek-aanbod",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    # Texts of the result card and the aanbod page, made here rather than with template tags:
    # a search page shows twenty cards, and these cost a fifth of a template's time.
    @property
    def leeftijd_tekst(self) -> str:
        return gettext("Leeftijd: %(van)s tot en met %(tot)s") % {
            "van": leeftijd_label(self.leeftijd_van), "tot": leeftijd_label(self.leeftijd_tot)}

    @property
    def kosten_tekst(self) -> str:
        if self.kosten == self.Kosten.GRATIS:
            return gettext("Gratis")
        if self.kosten == self.Kosten.INKOMEN:
            return gettext("Prijs hangt af van uw inkomen")
        return f"€ {formats.localize(self.prijs)}"

    def clean(self):
        errors = {}
        if self.organisatie_id and self.organisatie.gemeente_id != self.gemeente_id:
            errors["organisatie"] = _("Deze organisatie hoort bij een andere gemeente.")
        if self.contactpersoon_id and self.contactpersoon.gemeente_id != self.gemeente_id:
            errors["contactpersoon"] = _("Deze persoon hoort bij een andere gemeente.")
        if (self.leeftijd_van is not None and self.leeftijd_tot is not None
                and self.leeftijd_tot < self.leeftijd_van):
            errors["leeftijd_tot"] = _("De leeftijd 'tot' moet na de leeftijd 'vanaf' liggen.")
        if self.kosten == self.Kosten.PRIJS and self.prijs is None:
            errors["prijs"] = _("Vul de prijs in.")
        if self.kosten == self.Kosten.GRATIS and self.prijs:
            errors["prijs"] = _("Gratis aanbod heeft geen prijs.")
        if errors:
            raise ValidationError(errors)

    def policy_organisatie_ids(self):
        return {self.organisatie_id} if self.organisatie_id else set()

    def taalcodes(self):
        return [t.strip().lower() for t in self.talen.split(",") if t.strip()]


class Zoekterm(models.Model):
    """Every distinct search term of a gemeente's aanbod (for typo tolerance in kaart.zoeken)."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=60)

    class Meta:
        verbose_name = _("zoekterm")
        verbose_name_plural = _("zoektermen")
        constraints = [models.UniqueConstraint(fields=["gemeente", "term"],
                                               name="zoekterm_unique")]

    def __str__(self):
        return self.term


class Verwijsroute(models.Model):
    """The route the gemeente agreed for one need ("één gezin, één plan, één regisseur"): who to
    go to first, which aanbod follows, who is regisseur. No personal case data: a route is the
    same for every family."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    behoefte = models.CharField(_("zorg of vraag"), max_length=200,
                                help_text=_("In de woorden van een ouder of jongere, bijvoorbeeld "
                                            "'Mijn kind gaat niet naar school'."))
    toelichting = models.TextField(_("toelichting"), blank=True)
    eerst_naar = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("ga eerst naar"))
    regisseur = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("regisseur"),
                                  help_text=_("Wie het overzicht houdt: één plan, één regisseur."))
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("verwijsroute")
        verbose_name_plural = _("verwijsroutes")
        ordering = ["volgorde", "behoefte"]

    def __str__(self):
        return self.behoefte

    def clean(self):
        for veld in ("eerst_naar", "regisseur"):
            org = getattr(self, veld, None) if getattr(self, f"{veld}_id") else None
            if org is not None and org.gemeente_id != self.gemeente_id:
                raise ValidationError({veld: _("Deze organisatie hoort bij een andere "
                                               "gemeente.")})


class Verwijsstap(models.Model):
    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    route = models.ForeignKey(Verwijsroute, on_delete=models.CASCADE, related_name="stappen",
                              verbose_name=_("route"))
    volgorde = models.PositiveSmallIntegerField(_("stap"), default=1)
    tekst = models.CharField(_("wat gebeurt er"), max_length=300)
    aanbod = models.ForeignKey(Aanbod, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("aanbod"))

    class Meta:
        verbose_name = _("stap van een verwijsroute")
        verbose_name_plural = _("stappen van verwijsroutes")
        ordering = ["volgorde"]

    def __str__(self):
        return f"{self.volgorde}. {self.tekst}"

    def clean(self):
        if self.aanbod_id and self.aanbod.gemeente_id != self.gemeente_id:
            raise ValidationError({"aanbod": _("Dit aanbod hoort bij een andere gemeente.")})
