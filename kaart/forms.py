import html

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core import imports, policy
from core.forms import TenantModelForm
from framework.models import LEEFTIJD_MAX_MAANDEN, LEEFTIJD_MIN_MAANDEN
from framework.selectors import klaverblad_doelen
from kaart import registers, selectors
from kaart.models import (
    Aanbod,
    Ladderactiviteit,
    Locatie,
    Openingstijd,
    Schoolvakantie,
    Uitzondering,
)
from kaart.services import WIJZIGBARE_VELDEN
from regions.models import Region

AANBOD_VELDEN = ["organisatie", "naam", "korte_beschrijving", "beschrijving", "levensdomeinen",
                 "doelgroep", "kosten", "prijs", "kosten_toelichting", "aanmelden",
                 "aanmelden_toelichting", "wachttijd", "talen", "toegankelijkheid", "website",
                 "email", "telefoon", "locaties", "verwijzen", "contactpersoon", "status"]


class LeeftijdMixin:
    """Age entered as years and months (−9 months is 0 years and −9 months: pregnancy)."""

    def add_leeftijd_fields(self, instance):
        for prefix, label, waarde in (("van", _("vanaf"), instance.leeftijd_van),
                                      ("tot", _("tot en met"), instance.leeftijd_tot)):
            jaren, maanden = (divmod(waarde, 12) if waarde >= 0 else (0, waarde))
            self.fields[f"{prefix}_jaren"] = forms.IntegerField(
                label=_("Leeftijd %(w)s: jaren") % {"w": label}, min_value=0, max_value=27,
                initial=jaren)
            self.fields[f"{prefix}_maanden"] = forms.IntegerField(
                label=_("Leeftijd %(w)s: maanden") % {"w": label}, min_value=-9, max_value=11,
                initial=maanden, help_text=_("-9 tot en met -1: tijdens de zwangerschap."))

    def leeftijd(self, prefix):
        jaren = self.cleaned_data.get(f"{prefix}_jaren") or 0
        maanden = self.cleaned_data.get(f"{prefix}_maanden") or 0
        if maanden < 0 and jaren:
            raise ValidationError(_("Een negatief aantal maanden kan alleen bij 0 jaar."))
        totaal = jaren * 12 + maanden
        if not LEEFTIJD_MIN_MAANDEN <= totaal <= LEEFTIJD_MAX_MAANDEN:
            raise ValidationError(_("Een leeftijd ligt tussen -9 maanden en 27 jaar."))
        return totaal

    def clean_leeftijd(self, instance):
        try:
            instance.leeftijd_van = self.leeftijd("van")
            instance.leeftijd_tot = self.leeftijd("tot")
        except ValidationError as exc:
            self.add_error(None, exc)


class AanbodForm(LeeftijdMixin, TenantModelForm):
    doelen = forms.ModelMultipleChoiceField(
        label=_("Klaverblad-doelen"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Aanbod
        fields = AANBOD_VELDEN
        widgets = {"levensdomeinen": forms.CheckboxSelectMultiple,
                   "locaties": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_leeftijd_fields(self.instance)
        self.fields["doelen"].queryset = klaverblad_doelen(self.gemeente)
        if self.instance.pk:
            self.fields["doelen"].initial = [d.pk for d in self.instance.klaverblad_doelen()]

    def clean(self):
        cleaned = super().clean()
        self.clean_leeftijd(self.instance)
        return cleaned


class WijzigingForm(LeeftijdMixin, forms.ModelForm):
    """What a provider may propose (no organisatie, locaties, contact person of the gemeente)."""

    class Meta:
        model = Aanbod
        fields = [v for v in WIJZIGBARE_VELDEN if v not in ("leeftijd_van", "leeftijd_tot")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_leeftijd_fields(self.instance)

    def _post_clean(self):
        pass  # the service validates the proposal against the model

    def voorstel(self):
        data = {v: self.cleaned_data[v] for v in self._meta.fields}
        data["leeftijd_van"] = self.leeftijd("van")
        data["leeftijd_tot"] = self.leeftijd("tot")
        if data.get("prijs") is not None:
            data["prijs"] = str(data["prijs"])
        return data


class LocatieForm(TenantModelForm):
    class Meta:
        model = Locatie
        fields = ["organisatie", "naam", "adres", "postcode", "plaats", "buurt", "telefoon",
                  "email", "toegankelijkheid"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buurt"].queryset = Region.objects.filter(
            gemeente=self.gemeente, soort=Region.Soort.BUURT).order_by("-jaar", "naam")


class SnelInvoer:
    """Mixin for an <input> widget rendered in Python, with the markup of Django's
    input.html and attrs.html (True: the bare attribute, False: left out): two templates per
    field cost more than the rest of the search form. See SnelSelect."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value = widget["value"]
        return format_html('<input type="{}" name="{}"{}{}>', widget["type"], name,
                           "" if value is None else format_html(' value="{}"', value),
                           flatatt(widget["attrs"]))


class SnelTekst(SnelInvoer, forms.TextInput):
    pass


class SnelGetal(SnelInvoer, forms.NumberInput):
    pass


class SnelVinkje(SnelInvoer, forms.CheckboxInput):
    pass


class SnelSelect(forms.Select):
    """A select rendered in Python: Django builds a dict and renders a template per option,
    which costs more than the whole search on a list of every wijk and buurt of a large
    gemeente. The same markup (name, id, aria attributes, selected option), straight from
    `choices` (which may be plain (value, label) pairs, see ZoekForm)."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in self.format_value(value)}
        parts = [format_html('<select name="{}"{}>', name,
                             flatatt(self.build_attrs(self.attrs, attrs)))]
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(format_html('<optgroup label="{}">', option_value))
                parts.extend(self._option(v, lbl, selected) for v, lbl in label)
                parts.append("</optgroup>")
            else:
                parts.append(self._option(option_value, label, selected))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every part is escaped)

    @staticmethod
    def _option(value, label, selected) -> str:
        # html.escape directly: Django's escape() is the same function behind a lazy-string
        # check that costs more than the escaping, for every one of hundreds of options.
        value = "" if value is None else str(value)
        label = label.__html__() if hasattr(label, "__html__") else html.escape(str(label))
        return (f'<option value="{html.escape(value)}"'
                f'{" selected" if value in selected else ""}>{label}</option>')


class LijstKeuze(forms.TypedChoiceField):
    """A choice field over a ready list of (value, label) pairs (the cached zoekkeuzes),
    rendered by SnelSelect: the list is taken as it is and a value is checked against a set.
    Django would normalise a list of hundreds of wijken and buurten twice for every form
    (field and widget) and search it for every value."""

    def __init__(self, **kwargs):
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("empty_value", None)
        super().__init__(required=False, widget=SnelSelect, **kwargs)
        self.waarden = frozenset()

    def zet_keuzes(self, choices):
        self._choices = self.widget._choices = choices  # the setters' storage, as given
        self.waarden = frozenset(str(value) for value, _label in choices)

    def valid_value(self, value):
        return str(value) in self.waarden


class ZoekForm(forms.Form):
    """The search of the sociale kaart. Wijk or buurt, onderwerp and doel are checked against
    the cached choice lists (selectors.zoekkeuzes), so a search reads no rows to validate
    them; a value that is not in the lists is refused as Django's choice fields do."""

    q = forms.CharField(label=_("Zoek"), required=False, max_length=100, widget=SnelTekst)
    leeftijd = forms.IntegerField(label=_("Leeftijd (jaar)"), min_value=0, max_value=27,
                                  required=False, widget=SnelGetal)
    regio = LijstKeuze(label=_("Wijk of buurt"))
    domein = LijstKeuze(label=_("Onderwerp"), coerce=str, empty_value="")
    doel = LijstKeuze(label=_("Doel"))
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=7,
                               widget=SnelTekst,
                               help_text=_("Zoek in de buurt van een postcode, bijvoorbeeld "
                                           "9741 AB of 9741."))
    afstand = forms.TypedChoiceField(
        label=_("Afstand van de postcode"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Elke afstand")), (1, _("1 km")), (2, _("2 km")), (5, _("5 km")),
                 (10, _("10 km"))], widget=SnelSelect)
    gratis = forms.BooleanField(label=_("Alleen gratis"), required=False, widget=SnelVinkje)
    open = forms.BooleanField(label=_("Nu open"), required=False, widget=SnelVinkje)

    def __init__(self, *args, gemeente, **kwargs):
        super().__init__(*args, **kwargs)
        self.gemeente = gemeente
        self.keuzes = keuzes = selectors.zoekkeuzes(gemeente)
        for name, empty, choices in (("regio", _("Alle wijken"), keuzes.regios),
                                     ("domein", _("Alle onderwerpen"), keuzes.domeinen),
                                     ("doel", _("Alle doelen"), keuzes.doelen)):
            self.fields[name].zet_keuzes([("", empty), *choices])

    def buurten(self) -> list[int] | None:
        """The buurt ids of the chosen wijk (its buurten) or buurt (itself); None: no choice."""
        regio = self.cleaned_data.get("regio")
        if regio is None:
            return None
        return self.keuzes.wijk_buurten.get(regio, [regio])

    def levensdomein_id(self) -> int | None:
        return self.keuzes.domein_ids.get(self.cleaned_data.get("domein") or "")


class MeldingForm(forms.Form):
    tekst = forms.CharField(label=_("Wat klopt er niet?"), max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 4}))
    email = forms.EmailField(
        label=_("Uw e-mailadres (niet verplicht)"), required=False,
        help_text=_("Alleen als u een antwoord wilt. We wissen het na ons antwoord."))


class RedenForm(forms.Form):
    reden = forms.CharField(label=_("Reden"), widget=forms.Textarea(attrs={"rows": 3}))


class AntwoordForm(forms.Form):
    antwoord = forms.CharField(label=_("Antwoord"), widget=forms.Textarea(attrs={"rows": 4}))


class RegisterImportForm(forms.Form):
    bestand = imports.UploadField(
        label=_("Bestand"), formats=("csv", "xlsx"), max_bytes=registers.MAX_BYTES,
        help_text=_("Het bestand zoals u het van DUO of het Landelijk Register Kinderopvang "
                    "downloadt: CSV of Excel (.xlsx), hoogstens 20 MB."))


TIJD = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATUM = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OpeningstijdenForm(forms.Form):
    """The regular opening hours of a locatie: per weekday one fieldset with a period and,
    after a break, an optional second one. An empty day is closed."""

    BLOKKEN = (("open", "sluit", _("open vanaf"), _("open tot")),
               ("open2", "sluit2", _("na een pauze weer open vanaf"), _("na de pauze open tot")))

    def __init__(self, *args, locatie, **kwargs):
        super().__init__(*args, **kwargs)
        self.locatie = locatie
        bestaand = {}
        for o in locatie.openingstijden.all():
            bestaand.setdefault(o.weekdag, []).append(o)
        for dag, naam in Openingstijd.Weekdag.choices:
            tijden = bestaand.get(dag, [])
            for i, (van, tot, van_label, tot_label) in enumerate(self.BLOKKEN):
                for veld, label, attr in ((van, van_label, "open"), (tot, tot_label, "sluit")):
                    self.fields[f"d{dag}_{veld}"] = forms.TimeField(
                        label=f"{naam.capitalize()}: {label}", required=False, widget=TIJD,
                        initial=getattr(tijden[i], attr) if i < len(tijden) else None)

    def fieldsets(self):
        return [(naam, [self[f"d{dag}_{veld}"] for blok in self.BLOKKEN for veld in blok[:2]])
                for dag, naam in Openingstijd.Weekdag.choices]

    def clean(self):
        cleaned = super().clean()
        for dag, _naam in Openingstijd.Weekdag.choices:
            for van, tot, *_labels in self.BLOKKEN:
                begin, eind = cleaned.get(f"d{dag}_{van}"), cleaned.get(f"d{dag}_{tot}")
                if begin and not eind:
                    self.add_error(f"d{dag}_{tot}", _("Vul ook in tot hoe laat."))
                elif eind and not begin:
                    self.add_error(f"d{dag}_{van}", _("Vul ook in vanaf hoe laat."))
                elif begin and eind and eind <= begin:
                    self.add_error(f"d{dag}_{tot}", _("De sluitingstijd moet na de "
                                                      "openingstijd liggen."))
        return cleaned

    def tijden(self):
        """[(weekdag, open, sluit)] of the filled-in periods."""
        data = self.cleaned_data
        return [(dag, data[f"d{dag}_{van}"], data[f"d{dag}_{tot}"])
                for dag, _naam in Openingstijd.Weekdag.choices
                for van, tot, *_labels in self.BLOKKEN
                if data.get(f"d{dag}_{van}") and data.get(f"d{dag}_{tot}")]


class UitzonderingForm(TenantModelForm):
    class Meta:
        model = Uitzondering
        fields = ["datum", "gesloten", "open", "sluit", "reden"]
        widgets = {"datum": DATUM, "open": TIJD, "sluit": TIJD}
        help_texts = {"open": _("Alleen als de locatie die dag wel open is."),
                      "reden": _("Bijvoorbeeld: Koningsdag, studiedag, verbouwing.")}


class LadderactiviteitForm(TenantModelForm):
    """An activity on a school's ladder. A partner chooses only their own organisation as
    provider and only its aanbod."""

    class Meta:
        model = Ladderactiviteit
        fields = ["naam", "aanbieder", "aanbod", "locatie", "weekdag", "begin", "eind",
                  "groep_van", "groep_tot", "plaatsen", "bezet", "prijs", "korting"]
        widgets = {"begin": TIJD, "eind": TIJD}
        help_texts = {"plaatsen": _("Leeg laten als er geen maximum is."),
                      "korting": _("Bijvoorbeeld 100 als het gratis is met de Stadjerspas."),
                      "aanbod": _("Het aanbod op de sociale kaart waar deze activiteit bij "
                                  "hoort, als dat er is.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        action = policy.ADD if self.instance._state.adding else policy.CHANGE
        eigen = policy.organisatie_ids(self.user, action, Ladderactiviteit, self.gemeente)
        if eigen is not None:
            self.fields["aanbieder"].queryset = self.fields["aanbieder"].queryset.filter(
                pk__in=eigen)
            self.fields["aanbod"].queryset = self.fields["aanbod"].queryset.filter(
                organisatie_id__in=eigen)
        self.fields["weekdag"].choices = [c for c in self.fields["weekdag"].choices
                                          if not c[0] or c[0] <= 5]
        self.fields["aanbod"].queryset = self.fields["aanbod"].queryset.exclude(
            Q(status=Aanbod.Status.BEEINDIGD) & ~Q(pk=self.instance.aanbod_id)
        ).select_related("organisatie")  # an ended aanbod that is chosen already stays
        self.fields["aanbod"].label_from_instance = lambda a: f"{a.naam} ({a.organisatie.naam})"

    def clean(self):
        cleaned = super().clean()
        aanbod, aanbieder = cleaned.get("aanbod"), cleaned.get("aanbieder")
        if aanbod and aanbieder and aanbod.organisatie_id != aanbieder.pk:
            self.add_error("aanbod", _("Kies een aanbod van deze aanbieder, of laat het leeg."))
        return cleaned

    def fieldsets(self):
        groepen = [(_("Wat en wie"), ["naam", "aanbieder", "aanbod", "locatie"]),
                   (_("Wanneer"), ["weekdag", "begin", "eind"]),
                   (_("Voor welke groepen"), ["groep_van", "groep_tot"]),
                   (_("Plaatsen"), ["plaatsen", "bezet"]),
                   (_("Prijs"), ["prijs", "korting"])]
        return [(legend, [self[n] for n in namen]) for legend, namen in groepen]


class SchoolvakantieForm(TenantModelForm):
    class Meta:
        model = Schoolvakantie
        fields = ["naam", "regio", "van", "tot"]
        widgets = {"van": DATUM, "tot": DATUM}

    def clean(self):
        cleaned = super().clean()
        jaar, van = self.instance.schooljaar, cleaned.get("van")
        if jaar and van and not jaar.start <= van <= jaar.end:
            self.add_error("van", _("De eerste vrije dag ligt niet in schooljaar %(jaar)s.")
                           % {"jaar": jaar.label})
        return cleaned
