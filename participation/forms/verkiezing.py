"""Forms of the kinderburgemeester election. The public ones speak to children (A2 Dutch: short
sentences, 'je')."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.forms import TenantModelForm
from participation import selectors
from participation.forms.common import DateInput, DateTimeInput
from participation.models import Aanmelding, Criterium, StemcodeReeks, Verkiezing
from participation.uploads import UploadRejected, check_vlog, clean_foto, vlog_max_bytes

# Staff ---------------------------------------------------------------------------------------

class VerkiezingForm(TenantModelForm):
    class Meta:
        model = Verkiezing
        fields = ["jaar", "toelichting", "aanmelding_start", "aanmelding_eind", "jury_eind",
                  "stemmen_start", "stemmen_eind", "uitslag_datum", "installatie_datum",
                  "installatie_vergadering", "kanaal_codes", "kanaal_email"]
        widgets = {
            "toelichting": forms.Textarea(attrs={"rows": 4}),
            **{f: DateInput() for f in ["aanmelding_start", "aanmelding_eind", "jury_eind",
                                        "uitslag_datum", "installatie_datum"]},
            "stemmen_start": DateTimeInput(), "stemmen_eind": DateTimeInput(),
        }


class CriteriumForm(TenantModelForm):
    class Meta:
        model = Criterium
        fields = ["naam", "toelichting", "volgorde"]
        widgets = {"toelichting": forms.Textarea(attrs={"rows": 3})}


class StemcodeReeksForm(TenantModelForm):
    class Meta:
        model = StemcodeReeks
        fields = ["kanaal", "school", "omschrijving", "aantal"]
        help_texts = {"aantal": _("Hoogstens 1000 per keer. Elke code werkt één keer.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = selectors.basisscholen(self.gemeente)


class ShortlistForm(forms.Form):
    aanmeldingen = forms.ModelMultipleChoiceField(
        label=_("Kandidaten"), queryset=None, widget=forms.CheckboxSelectMultiple,
        help_text=_("Kies precies 5 aanmeldingen. De eerste 5 van de jury staan al aangevinkt."))

    def __init__(self, *args, ranking, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aanmeldingen"].queryset = Aanmelding.objects.filter(
            pk__in=[a.pk for a in ranking], status=Aanmelding.Status.INGEDIEND)
        labels = {a.pk: a for a in ranking}

        def label(obj):
            row = labels.get(obj.pk, obj)
            avg = getattr(row, "gemiddelde", None)
            score = f"{avg:.2f}".replace(".", ",") if avg is not None else "–"
            return _("%(naam)s, groep %(groep)s, %(school)s – gemiddelde score %(score)s") % {
                "naam": obj, "groep": obj.groep, "school": obj.school_naam, "score": score}

        self.fields["aanmeldingen"].label_from_instance = label

    def clean_aanmeldingen(self):
        chosen = self.cleaned_data["aanmeldingen"]
        if len(chosen) != 5:
            raise forms.ValidationError(_("Kies precies 5 kandidaten. U koos er %(n)s.")
                                        % {"n": len(chosen)})
        return chosen


class JuryScoreForm(forms.Form):
    """One 1-5 choice per published criterion of the election."""

    def __init__(self, *args, criteria, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        choices = [(i, str(i)) for i in range(1, 6)]
        for c in self.criteria:
            self.fields[f"c{c.pk}"] = forms.TypedChoiceField(
                label=c.naam, help_text=c.toelichting, choices=choices, coerce=int,
                widget=forms.RadioSelect, initial=(initial_scores or {}).get(c.pk))

    def scores(self):
        return {c: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}



# Public (children) ---------------------------------------------------------------------------

ANDERE_SCHOOL = "anders"


class AanmeldForm(forms.Form):
    voornaam = forms.CharField(label=_("Je voornaam"), max_length=50)
    achternaam = forms.CharField(label=_("Je achternaam"), max_length=80)
    # Only the groups that may apply are offered; another value (a crafted post) gets the
    # same honest sentence.
    groep = forms.TypedChoiceField(
        label=_("In welke groep zit je?"), coerce=int,
        choices=[("", _("Kies je groep"))] + [(i, _("groep %(n)s") % {"n": i}) for i in (6, 7)],
        help_text=_("Je kunt meedoen als je in groep 6 of groep 7 zit."),
        error_messages={"invalid_choice": _(
            "Je kunt alleen meedoen als je in groep 6 of groep 7 zit. Zit je in een andere "
            "groep? Dan kun je dit jaar helaas niet meedoen."),
            "required": _("Kies je groep.")})
    school = forms.ChoiceField(label=_("Op welke school zit je?"),
                               error_messages={"required": _("Kies je school.")})
    andere_school = forms.CharField(
        label=_("Koos je 'Andere school'? Hoe heet je school?"), max_length=120, required=False)
    motivatie = forms.CharField(
        label=_("Waarom wil jij kinderburgemeester worden?"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Vertel wat jij wilt doen voor de kinderen in je stad of dorp."))
    vlog = forms.FileField(
        label=_("Je vlog"), help_text=_("Een filmpje over jezelf: mp4, mov of webm."),
        widget=forms.ClearableFileInput(attrs={"accept": "video/*"}))
    foto = forms.FileField(
        label=_("Een foto van jou"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text=_("Dat mag, het hoeft niet. Een jpg of png."))
    ouder_naam = forms.CharField(label=_("Naam van je vader, moeder of verzorger"),
                                 max_length=120)
    ouder_email = forms.EmailField(
        label=_("E-mailadres van je vader, moeder of verzorger"),
        help_text=_("We mailen alleen over de verkiezing."))
    ouder_toestemming = forms.BooleanField(
        label=_("Mijn vader, moeder of verzorger vindt het goed dat ik meedoe."),
        error_messages={"required": _("Je vader, moeder of verzorger moet het goed vinden dat "
                                      "je meedoet. Zet dan een vinkje.")})
    toestemming_publiek = forms.BooleanField(
        label=_("Als ik kandidaat word, mag iedereen mijn voornaam, school, verhaal, foto en "
                "vlog zien op de website."), required=False,
        help_text=_("Zonder dit vinkje staat alleen je voornaam en school op het stembiljet."))

    def __init__(self, *args, gemeente, **kwargs):
        super().__init__(*args, **kwargs)
        self.scholen = {str(s.pk): s for s in selectors.basisscholen(gemeente)}
        self.fields["school"].choices = (
            [("", _("Kies je school"))] + [(pk, s.naam) for pk, s in self.scholen.items()]
            + [(ANDERE_SCHOOL, _("Andere school"))])
        self.fields["vlog"].help_text = _(
            "Een filmpje over jezelf: mp4, mov of webm. Niet groter dan %(max)s.") % {
            "max": filesizeformat(vlog_max_bytes())}

    def clean_school(self):
        """The chosen Organisatie, or None for "Andere school"."""
        keuze = self.cleaned_data["school"]
        return None if keuze == ANDERE_SCHOOL else self.scholen[keuze]

    def clean(self):
        data = super().clean()
        if ("school" in data and data["school"] is None
                and not data.get("andere_school", "").strip()):
            self.add_error("andere_school", _("Schrijf op hoe je school heet."))
        return data

    def clean_vlog(self):
        vlog = self.cleaned_data["vlog"]
        try:
            check_vlog(vlog)
        except UploadRejected as exc:
            raise forms.ValidationError(str(exc)) from None
        return vlog

    def clean_foto(self):
        foto = self.cleaned_data.get("foto")
        if foto:
            try:
                clean_foto(foto)
            except UploadRejected as exc:
                raise forms.ValidationError(str(exc)) from None
        return foto


class StemForm(forms.Form):
    code = forms.CharField(
        label=_("Je stemcode"), max_length=40,
        help_text=_("De code staat op je briefje. Streepjes en kleine letters mogen."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                      "spellcheck": "false"}))
    kandidaat = forms.ChoiceField(label=_("Op wie stem je?"), widget=forms.RadioSelect,
                                  error_messages={"required": _("Kies één van de kandidaten.")})

    def __init__(self, *args, kandidaten, with_code=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kandidaat"].choices = [(k.pk, k.naam) for k in kandidaten]
        self.fields["code"].error_messages["required"] = _("Typ je stemcode over.")
        if not with_code:
            del self.fields["code"]


class StemlinkForm(forms.Form):
    email = forms.EmailField(label=_("Je e-mailadres"),
                             help_text=_("Je krijgt een link. Met die link kun je één keer "
                                         "stemmen. We bewaren je e-mailadres niet."))


