from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import TenantModelForm
from framework import selectors
from framework.models import (
    LEEFTIJD_MAX_MAANDEN,
    LEEFTIJD_MIN_MAANDEN,
    Doel,
    Kader,
    Thema,
    leeftijd_label,
)


class DoelChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.nummer}. {obj.tekst}"


class DoelenFormMixin:
    """Adds a `klaverblad_doelen` field (checkboxes) to a TenantModelForm of a Doelgericht
    model. The view saves it with framework.services.set_doelen."""

    doelen_label = _("Klaverblad-doelen")
    doelen_help = _("Aan welke doelen van het Klaverblad werkt dit mee?")

    def add_doelen_field(self):
        qs = selectors.klaverblad_doelen(self.gemeente)
        if self.instance.pk:
            current = [d.pk for d in self.instance.klaverblad_doelen()]
            qs = (qs | selectors.alle_klaverblad_doelen(self.gemeente).filter(pk__in=current))
            self.initial.setdefault("klaverblad_doelen", current)
        self.fields["klaverblad_doelen"] = DoelChoiceField(
            queryset=qs.distinct().order_by("nummer"), required=False, label=self.doelen_label,
            help_text=self.doelen_help)


class KaderForm(TenantModelForm):
    class Meta:
        model = Kader
        fields = ["soort", "naam", "missie", "visie", "kern", "leeftijd_van", "leeftijd_tot",
                  "geldig_van", "geldig_tot", "bron"]
        widgets = {
            "missie": forms.Textarea(attrs={"rows": 4}),
            "visie": forms.Textarea(attrs={"rows": 3}),
            "geldig_van": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "geldig_tot": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        leeftijd_velden(self, "leeftijd_van", "leeftijd_tot")


class ThemaForm(TenantModelForm):
    class Meta:
        model = Thema
        fields = ["naam", "volgorde"]


class DoelForm(DoelenFormMixin, TenantModelForm):
    doelen_label = _("Vertaald naar Klaverblad-doelen")
    doelen_help = _("Met welke doelen van het Klaverblad komt dit doel overeen?")

    class Meta:
        model = Doel
        fields = ["nummer", "tekst", "toelichting", "thema"]
        widgets = {"tekst": forms.Textarea(attrs={"rows": 2}),
                   "toelichting": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thema"].queryset = Thema.objects.filter(kader_id=self.instance.kader_id)
        if not self.instance.kader.is_klaverblad:
            self.add_doelen_field()


class LeeftijdWidget(forms.MultiWidget):
    """An age as years and months (stored in months). A post with the plain field name (the
    number of months, as before) is read too."""

    template_name = "framework/widgets/leeftijd.html"

    def __init__(self, attrs=None):
        number = {"inputmode": "numeric", **(attrs or {})}
        super().__init__([forms.NumberInput(attrs={**number, "min": 0, "max": 27}),
                          forms.NumberInput(attrs={**number, "min": -9, "max": 11})], attrs)

    def decompress(self, value):
        if value is None or value == "":
            return [None, None]
        value = int(value)
        return [0, value] if value < 0 else list(divmod(value, 12))

    def value_from_datadict(self, data, files, name):
        if name in data and f"{name}_0" not in data:
            return self.decompress(data.get(name))
        return super().value_from_datadict(data, files, name)

    def get_context(self, name, value, attrs):
        ctx = super().get_context(name, value, attrs)
        for sub, label in zip(ctx["widget"]["subwidgets"], (_("jaar"), _("maanden")),
                              strict=True):
            sub["label"] = label
        return ctx


class LeeftijdField(forms.MultiValueField):
    """Years and months → months; -9 months (pregnancy) is 0 years and -9 months."""

    widget = LeeftijdWidget

    def __init__(self, *, min_value=LEEFTIJD_MIN_MAANDEN, max_value=LEEFTIJD_MAX_MAANDEN,
                 **kwargs):
        kwargs.pop("max_length", None)
        self.min_value, self.max_value = min_value, max_value
        fields = (forms.IntegerField(min_value=0, max_value=27, required=False),
                  forms.IntegerField(min_value=-9, max_value=11, required=False))
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        jaren, maanden = (data_list or [None, None]) + [None] * (2 - len(data_list or []))
        if jaren in (None, "") and maanden in (None, ""):
            return None
        jaren, maanden = int(jaren or 0), int(maanden or 0)
        if maanden < 0 and jaren:
            raise forms.ValidationError(_("Een negatief aantal maanden (zwangerschap) gaat "
                                          "alleen samen met 0 jaar."))
        totaal = jaren * 12 + maanden
        if not self.min_value <= totaal <= self.max_value:
            raise forms.ValidationError(_("Kies een leeftijd van %(van)s tot en met %(tot)s.") % {
                "van": leeftijd_label(self.min_value), "tot": leeftijd_label(self.max_value)})
        return totaal


def leeftijd_velden(form, *names):
    """Replace the month fields `names` of a ModelForm by years-and-months fields."""
    for name in names:
        old = form.fields[name]
        form.fields[name] = LeeftijdField(
            label=str(old.label).replace(" (maanden)", ""), required=old.required,
            help_text=_("In jaren en maanden; -9 maanden is het begin van de zwangerschap."))
