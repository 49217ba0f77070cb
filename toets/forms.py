import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.models import Organisatie
from toets import tekst
from toets.models import Beleidsdocument, Status


class DocumentForm(forms.ModelForm):
    """Upload a file or paste the text; the file is checked by size here and by content when
    it is read (toets.tekst)."""

    bestand = forms.FileField(
        label=_("Bestand"), required=False,
        help_text=_("PDF, Word (DOCX), OpenDocument (ODT), HTML, Markdown of tekst; hoogstens "
                    "20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt,.html,.htm,.md,.txt"}))
    geplakte_tekst = forms.CharField(
        label=_("Of plak de tekst"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Koppen op een eigen regel; een lege regel tussen alinea's."))
    # A one-time key per rendered form: the same form posted twice stores one document.
    sleutel = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)

    class Meta:
        model = Beleidsdocument
        fields = ["titel", "beleidsterrein", "jaar", "eigenaar", "organisatie"]

    def __init__(self, *args, gemeente, organisaties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jaar"].initial = timezone.localdate().year
        qs = Organisatie.objects.filter(gemeente=gemeente).order_by("naam")
        if organisaties is not None:  # a partner: only their own organisatie, required
            qs = qs.filter(pk__in=organisaties)
            self.fields["organisatie"].required = True
            self.fields["organisatie"].empty_label = None
        self.fields["organisatie"].queryset = qs

    def clean_bestand(self):
        bestand = self.cleaned_data.get("bestand")
        if bestand and bestand.size > tekst.MAX_BYTES:
            raise ValidationError(
                _("Het bestand is te groot (%(mb)s MB). Het mag hoogstens %(max)s MB zijn."),
                params={"mb": bestand.size // (1024 * 1024),
                        "max": tekst.MAX_BYTES // (1024 * 1024)})
        return bestand

    def clean(self):
        data = super().clean()
        if not data.get("bestand") and not (data.get("geplakte_tekst") or "").strip():
            raise ValidationError(_("Kies een bestand of plak de tekst van het document."))
        return data

    def inhoud(self) -> tuple[bytes, str]:
        bestand = self.cleaned_data.get("bestand")
        if bestand:
            return bestand.read(), bestand.name
        return self.cleaned_data["geplakte_tekst"].encode("utf-8"), ""


class OordeelForm(forms.Form):
    status = forms.ChoiceField(label=_("Uw oordeel"), choices=Status.choices,
                               widget=forms.RadioSelect)
    reden = forms.CharField(label=_("Reden"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("Verplicht als u afwijkt van de uitkomst van de toets."))


class BewijsToevoegenForm(forms.Form):
    passage = forms.IntegerField(label=_("Passagenummer"), min_value=1,
                                 help_text=_("Het nummer staat bij de passage in de tekst."))


class LexiconForm(forms.Form):
    """The whole lexicon as JSON: signals, thresholds and every doel (for experts)."""

    inhoud = forms.CharField(label=_("Lexicon (JSON)"), widget=forms.Textarea(
        attrs={"rows": 24, "spellcheck": "false", "class": "og-code"}))
    toelichting = forms.CharField(label=_("Wat is er veranderd?"), max_length=500)
    basis = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TermForm(forms.Form):
    term = forms.CharField(label=_("Woord of zinsdeel"), max_length=100)
    gewicht = forms.TypedChoiceField(
        label=_("Gewicht"), coerce=int, initial=2,
        choices=[(3, _("3 – noemt het doel ondubbelzinnig")),
                 (2, _("2 – sterk, maar kan ook algemeen zijn")),
                 (1, _("1 – ondersteunend"))])
    uitgezonderd = forms.CharField(
        label=_("Telt niet in"), required=False, max_length=500,
        help_text=_("Woorden waarin dit woord niet meetelt, gescheiden door komma's, "
                    "bijvoorbeeld: gezondheidszorg, transport."))
    samenstelling = forms.BooleanField(
        label=_("Ook als deel van een langer woord"), required=False, initial=True)

    def clean_term(self):
        from toets import analyse

        term = self.cleaned_data["term"].strip().lower()
        if not analyse.woorden(term):
            raise ValidationError(_("Schrijf een woord of zinsdeel met letters."))
        return term

    def clean_uitgezonderd(self):
        return [w.strip().lower() for w in self.cleaned_data["uitgezonderd"].split(",")
                if w.strip()]

    def als_term(self) -> dict:
        d = self.cleaned_data
        term = {"term": d["term"], "gewicht": d["gewicht"]}
        if d["uitgezonderd"]:
            term["uitgezonderd"] = d["uitgezonderd"]
        if not d["samenstelling"]:
            term["samenstelling"] = False
        return term


TermFormSet = forms.formset_factory(TermForm, extra=3, can_delete=True, max_num=200,
                                    validate_max=True)


class LexiconDoelForm(forms.Form):
    toelichting = forms.CharField(label=_("Wat is er veranderd en waarom?"), max_length=500)
    basis = forms.IntegerField(widget=forms.HiddenInput)


class HertoetsForm(forms.Form):
    documenten = forms.ModelMultipleChoiceField(
        label=_("Documenten"), queryset=Beleidsdocument.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één document.")})
    sleutel = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, documenten, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documenten"].queryset = documenten
