"""Settings participation shares between its two parts: per gemeente, the answer deadline of
youth voices and the retention of children's personal data."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Gemeente

DEFAULT_ANTWOORDTERMIJN_DAGEN = 28
DEFAULT_BEWAARTERMIJN_DAGEN = 30
DEFAULT_BEWAARTERMIJN_KANDIDATEN_DAGEN = 30
DEFAULT_BEWAARTERMIJN_NA_TERMIJN_DAGEN = 30
DEFAULT_MINIMUM_PER_KANAAL = 10
DEFAULT_EMAIL_BEWAARTERMIJN_DAGEN = 60
DEFAULT_ANONIMISEREN_NA_MAANDEN = 12


class Instelling(models.Model):
    """Per gemeente: the answer deadline for youth voices and the retention of personal data."""

    gemeente = models.OneToOneField(Gemeente, on_delete=models.CASCADE,
                                    related_name="participatie_instelling",
                                    verbose_name=_("gemeente"))
    antwoordtermijn_dagen = models.PositiveSmallIntegerField(
        _("antwoordtermijn (dagen)"), default=DEFAULT_ANTWOORDTERMIJN_DAGEN,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Binnen zoveel dagen krijgt elk idee, elke vraag en elk advies een openbaar "
                    "antwoord."))
    bewaartermijn_dagen = models.PositiveSmallIntegerField(
        _("bewaartermijn (dagen)"), default=DEFAULT_BEWAARTERMIJN_DAGEN,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_("Zoveel dagen na de verkiezing of na het afsluiten worden persoonsgegevens "
                    "van kinderen gewist: aanmeldingen die niet gekozen zijn, vlogs en "
                    "e-mailadressen."))
    bewaartermijn_kandidaten_dagen = models.PositiveSmallIntegerField(
        _("bewaartermijn kandidaten die niet gewonnen hebben (dagen)"),
        default=DEFAULT_BEWAARTERMIJN_KANDIDATEN_DAGEN,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_("Zoveel dagen na de uitslag worden de achternaam, de foto en het verhaal "
                    "gewist van kandidaten die geen kinderburgemeester of loco zijn geworden."))
    bewaartermijn_na_termijn_dagen = models.PositiveSmallIntegerField(
        _("bewaartermijn kinderburgemeester en loco na hun jaar (dagen)"),
        default=DEFAULT_BEWAARTERMIJN_NA_TERMIJN_DAGEN,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_("Zoveel dagen na het einde van hun jaar worden de achternaam, de foto, het "
                    "verhaal en de gegevens van de ouder gewist van de kinderburgemeester en de "
                    "loco. Hun voornaam en school blijven in de uitslag staan."))
    minimum_per_kanaal = models.PositiveSmallIntegerField(
        _("kleinste aantal stemmen per manier van stemmen"),
        default=DEFAULT_MINIMUM_PER_KANAAL, validators=[MinValueValidator(1),
                                                        MaxValueValidator(1000)],
        help_text=_("In de openbare uitslag staat een manier van stemmen (school, brief, "
                    "e-mail) met minder stemmen niet apart: die wordt samengevoegd met een "
                    "andere. Zo kan niemand uit kleine aantallen afleiden wie op wie stemde."))
    email_bewaartermijn_dagen = models.PositiveSmallIntegerField(
        _("e-mailadres van een kind bewaren (dagen)"),
        default=DEFAULT_EMAIL_BEWAARTERMIJN_DAGEN,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Het e-mailadres bij een idee, vraag of advies wordt gewist zodra het "
                    "antwoord is verstuurd, en uiterlijk zoveel dagen na het insturen, ook als "
                    "er nog geen antwoord is."))
    anonimiseren_na_maanden = models.PositiveSmallIntegerField(
        _("teksten van kinderen anonimiseren (maanden)"),
        default=DEFAULT_ANONIMISEREN_NA_MAANDEN,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Zoveel maanden na het afsluiten wordt de tekst die het kind schreef "
                    "gewist. Alleen de goedgekeurde openbare tekst blijft."))

    class Meta:
        verbose_name = _("instelling participatie")
        verbose_name_plural = _("instellingen participatie")

    def __str__(self):
        return _("Instellingen participatie %(gemeente)s") % {"gemeente": self.gemeente}

    def get_absolute_url(self):
        return reverse("participation:instelling", kwargs={"gemeente": self.gemeente.slug})

