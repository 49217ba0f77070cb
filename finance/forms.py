import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import TenantModelForm
from core.money import MoneyFormField
from finance import services, uploads
from finance.models import (
    MAX_JAREN,
    Aanvraag,
    Begrotingsregel,
    Gebiedsbudget,
    Programmabudget,
    Regeling,
    VerantwoordingBestand,
    Verantwoordingsklasse,
    WijkplanBegrotingsregel,
)
from framework.forms import DoelenFormMixin

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class ProgrammabudgetForm(TenantModelForm):
    class Meta:
        model = Programmabudget
        fields = ["jaar", "naam", "bedrag", "toelichting"]
        widgets = {"toelichting": forms.Textarea(attrs={"rows": 3})}


class GebiedsbudgetForm(TenantModelForm):
    class Meta:
        model = Gebiedsbudget
        fields = ["gebied", "bedrag"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # What was granted from it stays with its gebied: only the amount changes.
            del self.fields["gebied"]


class RegelingForm(DoelenFormMixin, TenantModelForm):
    doelen_help = _("Aan welke doelen van het Klaverblad draagt deze regeling bij?")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_doelen_field()

    class Meta:
        model = Regeling
        fields = ["naam", "omschrijving", "criteria", "plafond", "jaar_van", "jaar_tot",
                  "aanvragen_van", "aanvragen_tot", "beslistermijn_weken", "max_jaren",
                  "gebiedsgebonden", "voorschot_ritme", "voorschot_percentage",
                  "beoordelingspunten"]
        widgets = {"omschrijving": forms.Textarea(attrs={"rows": 3}),
                   "criteria": forms.Textarea(attrs={"rows": 5}),
                   "beoordelingspunten": forms.Textarea(attrs={"rows": 5}),
                   "aanvragen_van": DATE, "aanvragen_tot": DATE}


class KlasseForm(TenantModelForm):
    class Meta:
        model = Verantwoordingsklasse
        fields = ["tot_en_met", "eis", "omschrijving"]
        widgets = {"omschrijving": forms.Textarea(attrs={"rows": 3})}


def _jaar_fields(form, jaren, *, prefix, label, initial=None, required=False, help_text=None):
    for jaar in jaren:
        form.fields[f"{prefix}{jaar}"] = MoneyFormField(
            label=label % {"jaar": jaar}, required=required,
            initial=(initial or {}).get(jaar), help_text=help_text or _(
                "In euro's, bijvoorbeeld 1.234,56."))


def _jaar_values(form, jaren, prefix):
    return {jaar: form.cleaned_data.get(f"{prefix}{jaar}") for jaar in jaren}


class AanvraagForm(DoelenFormMixin, TenantModelForm):
    """The aanvraag itself, the amount asked per year of the regeling, and the begroting (a
    formset of lines, see BegrotingsregelFormSet)."""

    class Meta:
        model = Aanvraag
        fields = ["organisatie", "initiatiefnemer", "gebied", "titel", "activiteiten"]
        widgets = {"activiteiten": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, organisaties=None, beleid=False, **kwargs):
        super().__init__(*args, **kwargs)
        regeling = self.instance.regeling
        if organisaties is not None:
            self.fields["organisatie"].queryset = organisaties
            self.fields["organisatie"].required = not beleid
            self.fields["organisatie"].empty_label = None if not beleid else "—"
        if not beleid:
            del self.fields["initiatiefnemer"]
        if regeling.gebiedsgebonden:
            self.fields["gebied"].required = True
        self.add_doelen_field()
        self.fields["klaverblad_doelen"].help_text = _(
            "Aan welke doelen van het Klaverblad dragen de activiteiten bij? Kies er minstens "
            "één.")
        self.jaren = regeling.jaren
        initial = {j.jaar: j.gevraagd for j in self.instance.jaren.all()} if (
            self.instance.pk) else {}
        _jaar_fields(self, self.jaren, prefix="jaar_", label=_("Gevraagd voor %(jaar)s"),
                     initial=initial, help_text=_(
                         "Laat leeg voor een jaar waarin u niets vraagt. Hoogstens %(n)s jaar, "
                         "aansluitend.") % {"n": min(regeling.max_jaren, MAX_JAREN)})

    def jaren_data(self):
        return {j: v for j, v in _jaar_values(self, self.jaren, "jaar_").items()
                if v is not None}


class BegrotingsregelForm(forms.Form):
    # An empty first choice and an initial soort: an untouched extra row counts as unchanged
    # (and is skipped), as it should.
    jaar = forms.TypedChoiceField(label=_("jaar"), coerce=int, choices=())
    soort = forms.ChoiceField(label=_("soort"), choices=Begrotingsregel.Soort.choices,
                              initial=Begrotingsregel.Soort.KOSTEN)
    omschrijving = forms.CharField(label=_("omschrijving"), max_length=200)
    bedrag = MoneyFormField(label=_("bedrag"), help_text="")

    def __init__(self, *args, jaren=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jaar"].choices = [("", "—")] + [(j, j) for j in jaren]


class BaseBegrotingFormSet(forms.BaseFormSet):
    def regels(self):
        return [f.cleaned_data for f in self.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")]


BegrotingFormSet = forms.formset_factory(BegrotingsregelForm, formset=BaseBegrotingFormSet,
                                         extra=3, can_delete=True)


class StepForm(forms.Form):
    """A form for one step of an aanvraag; it knows the aanvraag. Its hidden `sleutel` is made
    fresh each time the form is rendered: posting the same rendered form twice (a double click,
    a retry) is recognised by the service and answered with the first result."""

    sleutel = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, aanvraag=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.aanvraag = aanvraag
        if not self.is_bound:
            self.fields["sleutel"].initial = uuid.uuid4().hex


class ConfirmForm(StepForm):
    """A page whose only input is the button."""


class BeoordelenForm(StepForm):
    volledig = forms.TypedChoiceField(
        label=_("Is de aanvraag volledig?"), coerce=lambda v: v == "ja",
        choices=[("ja", _("Ja, in behandeling nemen")),
                 ("nee", _("Nee, terug naar de aanvrager voor aanvulling"))],
        widget=forms.RadioSelect, initial="ja")
    aanvulling = forms.CharField(label=_("Wat moet de aanvrager aanvullen?"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, aanvraag, **kwargs):
        super().__init__(*args, aanvraag=aanvraag, **kwargs)
        self.punten = aanvraag.regeling.punten()
        eerder = {p["punt"]: p for p in aanvraag.beoordeling}
        choices = [("", _("nog niet beoordeeld"))] + list(services.OORDELEN.items())
        for i, punt in enumerate(self.punten):
            self.fields[f"oordeel_{i}"] = forms.ChoiceField(
                label=punt, choices=choices, required=False,
                initial=eerder.get(punt, {}).get("oordeel", ""))
            self.fields[f"toelichting_{i}"] = forms.CharField(
                label=_("Toelichting: %(punt)s") % {"punt": punt}, required=False,
                initial=eerder.get(punt, {}).get("toelichting", ""),
                widget=forms.Textarea(attrs={"rows": 2}))

    def punten_data(self):
        return [(punt, self.cleaned_data.get(f"oordeel_{i}", ""),
                 self.cleaned_data.get(f"toelichting_{i}", ""))
                for i, punt in enumerate(self.punten)]


class VerlenenForm(StepForm):
    voorschot_percentage = forms.IntegerField(
        label=_("voorschot in procenten van de subsidie"), min_value=0, max_value=100)
    motivering = forms.CharField(label=_("motivering"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, aanvraag, **kwargs):
        super().__init__(*args, **kwargs)
        self.jaren = [j.jaar for j in aanvraag.jaren.all()]
        _jaar_fields(self, self.jaren, prefix="jaar_", label=_("Toegekend voor %(jaar)s"),
                     initial={j.jaar: j.gevraagd for j in aanvraag.jaren.all()}, required=True)
        self.fields["voorschot_percentage"].initial = aanvraag.regeling.voorschot_percentage
        if aanvraag.regeling.voorschot_ritme == Regeling.Ritme.GEEN:
            del self.fields["voorschot_percentage"]
        self.order_fields([f"jaar_{j}" for j in self.jaren])

    def bedragen(self):
        return _jaar_values(self, self.jaren, "jaar_")


class WeigerenForm(StepForm):
    redenen = forms.CharField(label=_("redenen van de weigering"),
                              widget=forms.Textarea(attrs={"rows": 6}))


class WijzigenForm(StepForm):
    reden = forms.CharField(label=_("reden van de wijziging"),
                            widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, aanvraag, **kwargs):
        super().__init__(*args, **kwargs)
        self.jaren = [j.jaar for j in aanvraag.jaren.all()]
        _jaar_fields(self, self.jaren, prefix="jaar_", label=_("Nieuw bedrag voor %(jaar)s"),
                     initial={j.jaar: j.toegekend for j in aanvraag.jaren.all()}, required=True)
        self.order_fields([f"jaar_{j}" for j in self.jaren])

    def bedragen(self):
        return _jaar_values(self, self.jaren, "jaar_")


class IntrekkenForm(StepForm):
    reden = forms.CharField(label=_("reden van de intrekking"),
                            widget=forms.Textarea(attrs={"rows": 4}))


class BijlageForm(forms.Form):
    soort = forms.ChoiceField(label=_("soort"), choices=())
    bestand = forms.FileField(label=_("bestand"), help_text=_(
        "PDF, Word (DOCX) of Excel (XLSX), hoogstens %(mb)s MB.") % {
        "mb": uploads.max_bytes() // (1024 * 1024)}, widget=forms.ClearableFileInput(attrs={
            "accept": ".pdf,.docx,.xlsx,application/pdf,application/vnd.openxmlformats-"
                      "officedocument.wordprocessingml.document,application/vnd."
                      "openxmlformats-officedocument.spreadsheetml.sheet"}))

    def __init__(self, *args, **kwargs):
        from finance.models import AanvraagBestand

        super().__init__(*args, **kwargs)
        self.fields["soort"].choices = AanvraagBestand.Soort.choices

    def clean_bestand(self):
        upload = self.cleaned_data["bestand"]
        uploads.check_document(upload)
        return upload


class TerugbetalenForm(StepForm):
    bedrag = MoneyFormField(label=_("terugbetaald bedrag"))
    datum = forms.DateField(label=_("ontvangen op"), widget=DATE)


class TermijnBetalenForm(StepForm):
    termijn = forms.ModelChoiceField(label=_("termijn"), queryset=None,
                                     widget=forms.RadioSelect, empty_label=None)
    datum = forms.DateField(label=_("betaald op"), widget=DATE)

    def __init__(self, *args, aanvraag, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["termijn"].queryset = aanvraag.termijnen.filter(
            vervallen=False, betaling__isnull=True).order_by("datum", "pk")


class NabetalenForm(StepForm):
    jaar = forms.TypedChoiceField(label=_("subsidiejaar"), coerce=int, choices=())
    bedrag = MoneyFormField(label=_("bedrag"))
    datum = forms.DateField(label=_("betaald op"), widget=DATE)

    def __init__(self, *args, aanvraag, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jaar"].choices = [(j.jaar, j.jaar) for j in aanvraag.jaren.all()]


class PdfField(forms.FileField):
    """An optional PDF upload, checked by content (not by name) and size."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": "application/pdf"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            uploads.check_pdf(upload)
        return upload


class VerantwoordenForm(StepForm):
    verslag = forms.CharField(label=_("verslag"), required=False,
                              widget=forms.Textarea(attrs={"rows": 8}),
                              help_text=_("Wat heeft u gedaan, voor wie, en wat heeft het "
                                          "opgeleverd?"))

    def __init__(self, *args, aanvraag, **kwargs):
        super().__init__(*args, **kwargs)
        self.jaren = [j.jaar for j in aanvraag.jaren.all() if j.toegekend > 0]
        _jaar_fields(self, self.jaren, prefix="besteed_",
                     label=_("Uitgegeven in %(jaar)s (subsidie)"), required=True)
        limit = uploads.max_bytes() // (1024 * 1024)
        for soort in VerantwoordingBestand.Soort:
            self.fields[f"bestand_{soort.value}"] = PdfField(
                label=soort.label, help_text=_("PDF, hoogstens %(mb)s MB.") % {"mb": limit})

        self.fields["overschrijding_reden"] = forms.CharField(
            label=_("Meer uitgegeven dan de subsidie? Schrijf waarom"), required=False,
            widget=forms.Textarea(attrs={"rows": 3}))

    def besteed(self):
        return _jaar_values(self, self.jaren, "besteed_")

    def bestanden(self):
        return [(soort.value, self.cleaned_data[f"bestand_{soort.value}"])
                for soort in VerantwoordingBestand.Soort
                if self.cleaned_data.get(f"bestand_{soort.value}")]


class VaststellenForm(StepForm):
    toelichting = forms.CharField(label=_("toelichting"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, aanvraag, **kwargs):
        super().__init__(*args, **kwargs)
        self.jaren = [j.jaar for j in aanvraag.jaren.all()]
        voorstel = services.voorstel_vaststelling(aanvraag)
        _jaar_fields(self, self.jaren, prefix="jaar_", label=_("Vastgesteld voor %(jaar)s"),
                     initial=voorstel, required=True)
        self.order_fields([f"jaar_{j}" for j in self.jaren])

    def bedragen(self):
        return _jaar_values(self, self.jaren, "jaar_")




class WijkplanregelForm(TenantModelForm):
    """A begroting line of a wijkplanversie; `revisie` is the version's lock as loaded."""

    class Meta:
        model = WijkplanBegrotingsregel
        fields = ["activiteit", "omschrijving", "bron", "financier", "bedrag"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        versie = self.instance.versie
        self.fields["activiteit"].queryset = versie.activiteiten.order_by(
            "pijler__volgorde", "volgorde", "id")
        self.fields["activiteit"].empty_label = _("het plan als geheel (bijvoorbeeld coördinatie)")
        self.fields["revisie"] = forms.IntegerField(widget=forms.HiddenInput,
                                                    initial=versie.revisie)


class WijkplanregelDeleteForm(forms.Form):
    revisie = forms.IntegerField(widget=forms.HiddenInput)
