"""What a gemeente sets for its sociale kaart (KaartInstelling), the levensdomeinen aanbod is
sorted by, and the national registers' view of an organisatie (Registerinschrijving)."""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Gemeente
from network.models import Organisatie


class Levensdomein(models.Model):
    """A life domain (opvoeden, gezondheid, onderwijs, ...): national reference data, the same
    for every gemeente (an HSDS taxonomy term)."""

    code = models.SlugField(_("code"), unique=True)
    naam = models.CharField(_("naam"), max_length=100)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("levensdomein")
        verbose_name_plural = _("levensdomeinen")
        ordering = ["volgorde", "naam"]

    def __str__(self):
        return self.naam


class KaartInstelling(models.Model):
    """Per gemeente: how the kaart is kept current."""

    class Vakantieregio(models.TextChoices):
        NOORD = "noord", _("Noord")
        MIDDEN = "midden", _("Midden")
        ZUID = "zuid", _("Zuid")

    gemeente = models.OneToOneField(Gemeente, on_delete=models.CASCADE,
                                    related_name="kaart_instelling", verbose_name=_("gemeente"))
    telefoon_direct = models.BooleanField(
        _("telefoonnummer meteen zichtbaar"), default=True,
        help_text=_("Een nieuw telefoonnummer van een aanbieder is meteen te zien, zonder "
                    "controle door de redacteur."))
    openingstijden_direct = models.BooleanField(
        _("openingstijden meteen zichtbaar"), default=True,
        help_text=_("Nieuwe openingstijden van een aanbieder zijn meteen te zien."))
    controle_maanden = models.PositiveSmallIntegerField(
        _("controleren na (maanden)"), default=6, validators=[MinValueValidator(1)])
    verouderd_maanden = models.PositiveSmallIntegerField(
        _("van de openbare kaart na (maanden zonder controle)"), default=18,
        validators=[MinValueValidator(1)])
    herinnering_dagen = models.PositiveSmallIntegerField(
        _("herinnering (dagen voor de controledatum)"), default=14)
    link_dagen = models.PositiveSmallIntegerField(
        _("controlelink geldig (dagen)"), default=30, validators=[MinValueValidator(1)])
    melding_werkdagen = models.PositiveSmallIntegerField(
        _("antwoord op een melding binnen (werkdagen)"), default=10,
        validators=[MinValueValidator(1)])
    melding_email_dagen = models.PositiveSmallIntegerField(
        _("e-mailadres bij een melding bewaren (dagen)"), default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Het e-mailadres van wie iets meldt, wordt gewist zodra het antwoord is "
                    "verstuurd, en uiterlijk zoveel dagen na de melding, ook zonder antwoord."))
    vakantieregio = models.CharField(_("vakantieregio (DUO)"), max_length=6,
                                     choices=Vakantieregio.choices, default=Vakantieregio.NOORD)

    class Meta:
        verbose_name = _("instelling van de sociale kaart")
        verbose_name_plural = _("instellingen van de sociale kaart")

    def __str__(self):
        return str(self.gemeente)

    @classmethod
    def voor(cls, gemeente):
        """The gemeente's settings (the defaults when it has none stored)."""
        found = cls.objects.filter(gemeente=gemeente).first()
        return found or cls(gemeente=gemeente)


class Registerinschrijving(models.Model):
    """An organisatie as a national register knows it: a DUO school vestiging or an LRK
    kinderopvang location. Upserted by its register code; closed, never deleted."""

    class Register(models.TextChoices):
        DUO = "duo", _("DUO (scholen)")
        LRK = "lrk", _("Landelijk Register Kinderopvang")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    register = models.CharField(_("register"), max_length=3, choices=Register.choices)
    code = models.CharField(_("code in het register"), max_length=20)
    organisatie = models.OneToOneField(Organisatie, on_delete=models.CASCADE,
                                       related_name="registerinschrijving",
                                       verbose_name=_("organisatie"))
    gegevens = models.JSONField(_("gegevens uit het register"), default=dict)
    gesloten = models.BooleanField(_("gesloten"), default=False)

    class Meta:
        verbose_name = _("inschrijving in een register")
        verbose_name_plural = _("inschrijvingen in registers")
        constraints = [models.UniqueConstraint(fields=["gemeente", "register", "code"],
                                               name="registerinschrijving_unique")]

    def __str__(self):
        return f"{self.get_register_display()} {self.code}"
