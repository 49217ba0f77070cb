from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core import imports
from core.forms import TenantModelForm
from regions.models import CODE_PATTERNS, PREFIX_SOORT, Gebied, Region


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
    bestand = imports.UploadField(
        label=_("CSV-bestand met CBS-regio's"),
        help_text=_("Kolommen: code, naam, jaar. Gescheiden door komma of puntkomma, "
                    "UTF-8. Hoogstens 5 MB."),
        formats=("csv",), max_bytes=lambda: settings.REGIONS_CSV_MAX_BYTES)


class RegionRowForm(forms.ModelForm):
    """One row of a regions CSV (code, naam, jaar as text) → a Region of the gemeente; the
    model's rules (naam, the code pattern of its soort) hold. Uniqueness is not checked: a
    row with the code and year of an existing region updates it."""

    code = forms.CharField()
    jaar = forms.CharField()

    class Meta:
        model = Region
        fields = ["code", "naam", "jaar"]
        error_messages = {"naam": {"required": _("de naam ontbreekt."),
                                   "max_length": _("de naam is langer dan 200 tekens.")}}

    def __init__(self, *args, gemeente, **kwargs):
        super().__init__(*args, instance=Region(gemeente=gemeente), **kwargs)
        self.gemeente = gemeente
        self.fields["code"].error_messages["required"] = _("de code ontbreekt.")
        self.fields["jaar"].error_messages["required"] = _("het jaar ontbreekt.")

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        soort = PREFIX_SOORT.get(code[:2])
        if not soort or not CODE_PATTERNS[soort].match(code):
            raise forms.ValidationError(_(
                "'%(code)s' is geen CBS-code (GM + 4 cijfers, WK + 6 cijfers of BU + 8 "
                "cijfers).") % {"code": code})
        if code[2:6] != self.gemeente.cbs_code[2:]:
            raise forms.ValidationError(_("%(code)s hoort niet bij gemeente %(gm)s.") % {
                "code": code, "gm": self.gemeente.cbs_code})
        self.instance.soort = soort
        return code

    def clean_jaar(self):
        tekst = self.cleaned_data["jaar"].strip()
        try:
            jaar = int(tekst)
        except ValueError:
            jaar = None
        if jaar is None or not 1900 <= jaar <= 2100:
            raise forms.ValidationError(_("'%(jaar)s' is geen jaartal.") % {"jaar": tekst})
        return jaar

    def validate_unique(self):
        """A row for an existing code and year updates that region (regions.services)."""
