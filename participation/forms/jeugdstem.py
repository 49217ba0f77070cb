"""Forms of youth voices ("Jouw stem"). The public ones speak to children (A2 Dutch: short
sentences, 'je')."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import TenantModelForm
from framework.selectors import klaverblad_doelen
from participation import selectors
from participation.forms.common import DateInput
from participation.models import (
    Adviesronde,
    Inzending,
    Kinderthema,
    Terugkoppeling,
    Vervolgactie,
)

# Staff ---------------------------------------------------------------------------------------

class ToewijzenForm(forms.Form):
    behandelaar = forms.ModelChoiceField(label=_("Behandelaar"), queryset=None)

    def __init__(self, *args, gemeente, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["behandelaar"].queryset = selectors.behandelaars(gemeente)


class AntwoordForm(forms.Form):
    antwoord = forms.CharField(
        label=_("Openbaar antwoord"), widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        help_text=_("Schrijf voor een kind: korte zinnen, eenvoudige woorden. Het kind leest dit "
                    "met de volgcode."))


class VervolgactieForm(TenantModelForm):
    class Meta:
        model = Vervolgactie
        fields = ["omschrijving", "eigenaar", "status", "streefdatum"]
        widgets = {"streefdatum": DateInput()}


class TerugkoppelingForm(TenantModelForm):
    class Meta:
        model = Terugkoppeling
        fields = ["tekst", "datum"]
        widgets = {"tekst": forms.Textarea(attrs={"rows": 4}), "datum": DateInput()}
        help_texts = {"tekst": _("'Jij zei – wij deden': wat is er met het idee of advies "
                                 "gedaan? Het kind ziet dit op de volgpagina.")}


class AdviesrondeForm(TenantModelForm):
    class Meta:
        model = Adviesronde
        fields = ["titel", "vraag", "gesteld_door", "groep", "open_tot", "behandelaar"]
        widgets = {"vraag": forms.Textarea(attrs={"rows": 4}), "open_tot": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["behandelaar"].queryset = selectors.behandelaars(self.gemeente)


# Public (children) ---------------------------------------------------------------------------

class InzendingForm(forms.Form):
    soort = forms.ChoiceField(
        label=_("Wat wil je sturen?"), widget=forms.RadioSelect,
        choices=[(Inzending.Soort.IDEE, _("Een idee")), (Inzending.Soort.VRAAG, _("Een vraag")),
                 (Inzending.Soort.ADVIES, _("Een advies"))],
        error_messages={"required": _("Kies wat je wilt sturen.")})
    onderwerp = forms.CharField(
        label=_("Waar gaat het over?"), max_length=120,
        help_text=_("Een paar woorden, bijvoorbeeld 'speeltuin'."),
        error_messages={"required": _("Schrijf een paar woorden.")})
    tekst = forms.CharField(label=_("Vertel het ons"), max_length=3000,
                            widget=forms.Textarea(attrs={"rows": 6}),
                            help_text=_("Schrijf niet je naam, adres of telefoonnummer."),
                            error_messages={"required": _("Schrijf je bericht.")})
    thema = forms.ModelChoiceField(
        label=_("Bij welk onderwerp past het?"), queryset=None, required=False,
        widget=forms.RadioSelect, empty_label=_("Iets anders"))
    gebied = forms.ModelChoiceField(label=_("Over welke buurt gaat het?"), queryset=None,
                                    required=False, empty_label=_("Weet ik niet"))
    email = forms.EmailField(
        label=_("Je e-mailadres"), required=False,
        help_text=_("Dan mailen we je volgcode en ons antwoord. Daarna wissen we je "
                    "e-mailadres. Dat hoeft niet: je krijgt ook zo een volgcode."),
        error_messages={"invalid": _("Dit is geen goed e-mailadres. Kijk of er een @ in "
                                     "staat.")})
    openbaar = forms.BooleanField(
        label=_("Iedereen mag mijn bericht en het antwoord lezen (zonder mijn naam)."),
        required=False,
        help_text=_("Iemand van de gemeente leest het eerst. Staat er een naam, adres of "
                    "telefoonnummer in? Dan halen we dat weg."))

    def __init__(self, *args, gemeente, advies=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gebied"].queryset = selectors.gebieden(gemeente)
        self.fields["gebied"].label_from_instance = lambda gebied: gebied.naam
        self.fields["thema"].queryset = selectors.kinderthemas(gemeente)
        self.fields["thema"].label_from_instance = lambda thema: thema.tekst
        if not self.fields["thema"].queryset.exists():
            del self.fields["thema"]
        if not self.fields["gebied"].queryset.exists():
            del self.fields["gebied"]
        if advies:
            del self.fields["soort"]
            self.fields["tekst"].label = _("Jouw advies")
            self.fields["onderwerp"].label = _("Je advies in een paar woorden")


class VolgForm(forms.Form):
    code = forms.CharField(
        label=_("Je volgcode"), max_length=40,
        error_messages={"required": _("Typ je volgcode.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                      "autocapitalize": "characters"}))


# Staff: moderation and the children's themes --------------------------------------------------

class ModeratieForm(forms.Form):
    publiek_onderwerp = forms.CharField(label=_("Openbaar onderwerp"), max_length=120)
    publieke_tekst = forms.CharField(
        label=_("Openbare tekst"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Haal namen, klassen, adressen, telefoonnummers en e-mailadressen weg. "
                    "Alleen deze tekst komt op de openbare pagina; wat het kind schreef zien "
                    "alleen medewerkers."))
    ondanks_signalen = forms.BooleanField(
        label=_("Ik heb de tekst nagekeken: er staan geen persoonsgegevens in."),
        required=False)


class KinderthemasForm(forms.Form):
    """One text per doel of the current Klaverblad: the doel in children's words."""

    def __init__(self, *args, gemeente, **kwargs):
        super().__init__(*args, **kwargs)
        self.doelen = list(klaverblad_doelen(gemeente).order_by("nummer"))
        huidig = {t.doel_id: t.tekst for t in Kinderthema.objects.filter(gemeente=gemeente)}
        for doel in self.doelen:
            self.fields[f"doel_{doel.pk}"] = forms.CharField(
                label=str(doel), required=False, max_length=80,
                initial=huidig.get(doel.pk, ""))

    def teksten(self):
        return {doel: self.cleaned_data[f"doel_{doel.pk}"] for doel in self.doelen}
