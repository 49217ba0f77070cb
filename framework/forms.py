from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import TenantModelForm
from framework import selectors
from framework.models import Doel, Kader, Thema


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
