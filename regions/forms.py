from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import TenantModelForm
from regions.models import Gebied, Region


class GebiedForm(TenantModelForm):
    class Meta:
        model = Gebied
        fields = ["naam", "afkorting", "beschrijving", "jaar", "regions"]
        widgets = {"beschrijving": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = Region.objects.filter(
            gemeente=self.gemeente, soort__in=[Region.Soort.WIJK, Region.Soort.BUURT]
        ).order_by("-jaar", "code")
        self.fields["regions"].help_text = _(
            "Houd Ctrl (of Cmd) ingedrukt om meer te kiezen. Alleen wijken en buurten uit de "
            "indeling van het gekozen jaar.")
        if not self.instance.pk and not self.initial.get("jaar"):
            latest = self.fields["regions"].queryset.values_list("jaar", flat=True).first()
            if latest:
                self.initial["jaar"] = latest


class RegionImportForm(forms.Form):
    bestand = forms.FileField(
        label=_("CSV-bestand met CBS-regio's"),
        help_text=_("Kolommen: code, naam, jaar. Gescheiden door komma of puntkomma, "
                    "UTF-8. Hoogstens 5 MB."),
    )

    def clean_bestand(self):
        f = self.cleaned_data["bestand"]
        if f.size > settings.REGIONS_CSV_MAX_BYTES:
            raise forms.ValidationError(_("Het bestand is te groot (hoogstens 5 MB)."))
        if not f.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Kies een CSV-bestand (.csv)."))
        head = f.read(2048)
        f.seek(0)
        if b"\x00" in head or head.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")):
            raise forms.ValidationError(_("Dit is geen CSV-bestand maar een ander soort bestand."))
        return f
