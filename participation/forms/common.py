"""Form pieces both parts of participation share: date inputs and the gemeente's settings."""

from django import forms

from core.forms import TenantModelForm
from participation.models import Instelling


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class InstellingForm(TenantModelForm):
    class Meta:
        model = Instelling
        fields = ["antwoordtermijn_dagen", "bewaartermijn_dagen", "bewaartermijn_kandidaten_dagen",
                  "bewaartermijn_na_termijn_dagen", "minimum_per_kanaal",
                  "email_bewaartermijn_dagen", "anonimiseren_na_maanden"]


# Public (children) ---------------------------------------------------------------------------
