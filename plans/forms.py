from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import imports
from core.forms import TenantModelForm
from framework.forms import DoelenFormMixin
from monitor import selectors as monitor_selectors
from monitor import weergave
from network.models import Organisatie
from plans.models import Activiteit, Pijler, VoortgangRapportage, Wijkplan, WijkplanVersie
from plans.transfer import FORMATEN, MAX_BYTES


class RevisieMixin:
    """A hidden `revisie` field: the version's lock counter as the editor loaded it."""

    def add_revisie_field(self, versie):
        self.fields["revisie"] = forms.IntegerField(widget=forms.HiddenInput,
                                                    initial=versie.revisie)


class WijkplanForm(TenantModelForm):
    class Meta:
        model = Wijkplan
        fields = ["naam", "gebied", "jaar_van", "jaar_tot", "beschrijving"]
        widgets = {"beschrijving": forms.Textarea(attrs={"rows": 3})}


class VersieForm(RevisieMixin, TenantModelForm):
    class Meta:
        model = WijkplanVersie
        fields = ["jaar", "titel", "inleiding", "organisatie", "speerpunten"]
        widgets = {"inleiding": forms.Textarea(attrs={"rows": 8}),
                   "organisatie": forms.Textarea(attrs={"rows": 5}),
                   "speerpunten": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_revisie_field(self.instance)


class PijlerForm(RevisieMixin, DoelenFormMixin, TenantModelForm):
    class Meta:
        model = Pijler
        fields = ["naam", "doelen", "volgorde"]
        widgets = {"doelen": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_revisie_field(self.instance.versie)
        self.add_doelen_field()


class OrganisatieChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class StreefwaardeChoiceField(forms.ModelMultipleChoiceField):
    """Monitor targets as checkboxes: "indicator – gebied or gemeente – periode: waarde"."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return weergave.streefwaarde_tekst(obj)


class ActiviteitForm(RevisieMixin, DoelenFormMixin, TenantModelForm):
    class Meta:
        model = Activiteit
        fields = ["pijler", "naam", "beschrijving", "trekker", "partners", "locaties",
                  "locatie_omschrijving", "leeftijd_van", "leeftijd_tot", "start", "eind",
                  "beoogde_resultaten", "streefwaarden", "status", "volgorde"]
        widgets = {
            "beschrijving": forms.Textarea(attrs={"rows": 4}),
            "beoogde_resultaten": forms.Textarea(attrs={"rows": 3}),
            "partners": forms.CheckboxSelectMultiple,
            "locaties": forms.CheckboxSelectMultiple,
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "eind": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        versie = self.instance.versie
        self.fields["pijler"].queryset = Pijler.objects.filter(versie=versie)
        orgs = Organisatie.objects.filter(gemeente=self.gemeente).order_by("naam")
        for name in ("trekker", "partners", "locaties"):
            self.fields[name].queryset = orgs
        self.add_revisie_field(versie)
        self.add_doelen_field()
        keuzes = self.streefwaarde_keuzes(versie)
        gebied = {"gebied": versie.wijkplan.gebied.naam}
        self.fields["streefwaarden"] = StreefwaardeChoiceField(
            queryset=keuzes, required=False,
            label=_("Aan welke te behalen resultaten werkt deze activiteit?"),
            help_text=(_("Streefwaarden uit de monitor voor %(gebied)s of voor de hele "
                         "gemeente.") if keuzes.exists() else
                       _("De monitor heeft nog geen streefwaarden voor %(gebied)s of voor de "
                         "hele gemeente.")) % gebied)

    def streefwaarde_keuzes(self, versie):
        """The targets for the wijkplan's gebied or the whole gemeente, plus those already
        linked (so a link is never dropped just because it is not offered)."""
        qs = monitor_selectors.streefwaarden(self.user, self.gemeente)
        keuze = Q(gebied_id=versie.wijkplan.gebied_id) | Q(region__isnull=False)
        if self.instance.pk:
            keuze |= Q(pk__in=self.instance.streefwaarden.values("pk"))
        return qs.filter(keuze)


class RapportageForm(TenantModelForm):
    class Meta:
        model = VoortgangRapportage
        fields = ["periode", "status", "percentage", "bereikte_deelnemers", "toelichting"]
        widgets = {"toelichting": forms.Textarea(attrs={"rows": 4})}


class BijstellenForm(forms.Form):
    jaar = forms.IntegerField(label=_("Voor het jaar"), min_value=2000, max_value=2100)


class VaststellenForm(forms.Form):
    revisie = forms.IntegerField(widget=forms.HiddenInput)


class ImportForm(forms.Form):
    bestand = imports.UploadField(
        label=_("Bestand met activiteiten"),
        help_text=_("Een Excel-bestand (.xlsx) of CSV-bestand (.csv) volgens het sjabloon. "
                    "Hoogstens 2 MB."), formats=FORMATEN, max_bytes=MAX_BYTES)
    revisie = forms.IntegerField(widget=forms.HiddenInput)
