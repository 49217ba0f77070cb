from django import forms

from core.forms import TenantModelForm
from network.models import Organisatie, Persoon, Stuurgroep, StuurgroepRol


class OrganisatieForm(TenantModelForm):
    class Meta:
        model = Organisatie
        fields = ["naam", "type", "beschrijving", "adres", "website", "email", "telefoon",
                  "gebieden"]
        widgets = {"beschrijving": forms.Textarea(attrs={"rows": 4})}


class PersoonForm(TenantModelForm):
    class Meta:
        model = Persoon
        fields = ["naam", "organisatie", "functie", "email", "telefoon"]


class StuurgroepForm(TenantModelForm):
    class Meta:
        model = Stuurgroep
        fields = ["naam", "gebied", "werkwijze"]
        widgets = {"werkwijze": forms.Textarea(attrs={"rows": 4})}


class StuurgroepRolForm(TenantModelForm):
    class Meta:
        model = StuurgroepRol
        fields = ["rol", "titel", "organisatie", "persoon", "taken", "volgorde"]
        widgets = {"taken": forms.Textarea(attrs={"rows": 6})}
