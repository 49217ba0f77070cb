"""Settings participation shares between its two parts: per gemeente, the answer deadline of
youth voices and the retention of children's personal data."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Gemeente

DEFAULT_ANTWOORDTERMIJN_DAGEN = 28
DEFAULT_BEWAARTERMIJN_DAGEN = 30


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

    class Meta:
        verbose_name = _("instelling participatie")
        verbose_name_plural = _("instellingen participatie")

    def __str__(self):
        return _("Instellingen participatie %(gemeente)s") % {"gemeente": self.gemeente}

    def get_absolute_url(self):
        return reverse("participation:instelling", kwargs={"gemeente": self.gemeente.slug})

