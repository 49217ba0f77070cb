"""Forms of youth voices ("Jouw stem"). The public ones speak to children (A2 Dutch: short
sentences, 'je')."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import TenantModelForm
from framework.selectors import klaverblad_doelen
from participation import selectors
from participation.forms.common import DateInput
from participation.models import Adviesronde, Inzending, Terugkoppeling, Vervolgactie

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
                 (Inzending.Soort.ADVIES, _("Een advies"))])
    onderwerp = forms.CharField(label=_("Waar gaat het over?"), max_length=120,
                                help_text=_("Een paar woorden, bijvoorbeeld 'speeltuin'."))
    tekst = forms.CharField(label=_("Vertel het ons"), max_length=3000,
                            widget=forms.Textarea(attrs={"rows": 6}))
    wijk = forms.ModelChoiceField(label=_("In welke wijk?"), queryset=None, required=False,
                                  empty_label=_("Weet ik niet / hele gemeente"))
    doel = forms.ModelChoiceField(
        label=_("Bij welk doel van de gemeente past het?"), queryset=None, required=False,
        empty_label=_("Weet ik niet"),
        help_text=_("De gemeente werkt aan deze doelen voor kinderen en jongeren."))
    email = forms.EmailField(
        label=_("Je e-mailadres"), required=False,
        help_text=_("Dan sturen we je een mailtje als er antwoord is. Dat hoeft niet: je krijgt "
                    "ook een volgcode."))
    openbaar = forms.BooleanField(
        label=_("Iedereen mag mijn bericht en het antwoord lezen (zonder mijn naam)."),
        required=False)

    def __init__(self, *args, gemeente, advies=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wijk"].queryset = selectors.wijken(gemeente)
        self.fields["wijk"].label_from_instance = lambda region: region.naam
        self.fields["doel"].queryset = klaverblad_doelen(gemeente)
        self.fields["doel"].label_from_instance = lambda doel: doel.tekst
        if not self.fields["doel"].queryset.exists():
            del self.fields["doel"]
        if advies:
            del self.fields["soort"]
            self.fields["tekst"].label = _("Jouw advies")
            self.fields["onderwerp"].label = _("Je advies in een paar woorden")


class VolgForm(forms.Form):
    code = forms.CharField(label=_("Je volgcode"), max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "off",
                                                         "spellcheck": "false"}))

