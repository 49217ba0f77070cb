from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core import imports
from core.forms import TenantModelForm
from core.numbers import DutchNumberField, DutchNumberInput, parse_dutch_number
from core.periods import JAAR, KWARTAAL, MAAND, SCHOOLJAAR, Periode
from monitor import selectors
from monitor.models import Eenheid, MonitorInstelling, Streefwaarde

# Upload limit of a measurement file (CSV or XLSX); settings.MONITOR_IMPORT_MAX_BYTES wins.
MAX_BYTES = 20 * 1024 * 1024
ROLLEN = ("waarde", "teller", "noemer")


def max_bytes() -> int:
    return getattr(settings, "MONITOR_IMPORT_MAX_BYTES", MAX_BYTES)


class ImportForm(forms.Form):
    bestand = imports.UploadField(
        label=_("Bestand met cijfers"),
        help_text=_("Een bestand van CBS StatLine (CSV of de JSON van de open-datafeed) of het "
                    "sjabloon van Opgroeien als CSV of Excel (.xlsx). Hoogstens 20 MB."),
        formats=("csv", "xlsx", "json"), max_bytes=max_bytes)
    bron = forms.CharField(
        label=_("Bron"), max_length=200, required=False,
        help_text=_("Bijvoorbeeld CBS, GGD of DUO. Een verbeterd bestand met dezelfde bron, "
                    "indicatoren en periodes vervangt het eerdere bestand."))
    periode = forms.CharField(
        label=_("Periode"), max_length=20, required=False,
        help_text=_("Alleen voor een CBS-tabel zonder kolom Perioden, zoals de Kerncijfers "
                    "wijken en buurten: het jaar van de tabel, bijvoorbeeld 2022."))
    kolommen = forms.CharField(
        label=_("Kolommen van een CBS-bestand"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Alleen nodig als de kolomkoppen niet de code van een indicator zijn. Eén "
                    "regel per kolom: kolomkop = code van de indicator en teller, noemer of "
                    "waarde. Bijvoorbeeld: KinderenInLaagInkomen_1 = armoede_kind teller"))

    def clean_periode(self):
        tekst = self.cleaned_data["periode"].strip()
        if tekst:
            try:
                Periode.parse(tekst)
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from None
        return tekst

    def clean_kolommen(self):
        return parse_kolommen(self.cleaned_data["kolommen"])


def parse_kolommen(tekst: str) -> dict:
    """'Kop = code rol' per line → {kop: (code, rol)}; raises ValidationError per bad line."""
    result, fouten = {}, []
    for nummer, regel in enumerate((tekst or "").splitlines(), start=1):
        if not regel.strip():
            continue
        kop, sep, rest = regel.partition("=")
        delen = rest.split()
        if not sep or not kop.strip() or len(delen) not in (1, 2) or (
                len(delen) == 2 and delen[1].lower() not in ROLLEN):
            fouten.append(_("Regel %(n)s: schrijf ‘kolomkop = code teller’ (of noemer of "
                            "waarde).") % {"n": nummer})
            continue
        result[kop.strip()] = (delen[0], delen[1].lower() if len(delen) == 2 else "waarde")
    if fouten:
        raise forms.ValidationError(fouten)
    return result


def kolommen_tekst(kolommen: dict) -> str:
    return "\n".join(f"{kop} = {code} {rol}" for kop, (code, rol) in kolommen.items())


class InstellingForm(TenantModelForm):
    class Meta:
        model = MonitorInstelling
        fields = ["minimum_n", "publiek"]


# --- targets ----------------------------------------------------------------------------------

def parse_getal(tekst) -> float:
    """'12,5', '1.250', '12.5', '-3', '12,5%' → float: core.numbers' Dutch rule with any number
    of decimals, negatives allowed and '%' ignored; ValidationError (Dutch) otherwise."""
    return float(parse_dutch_number(tekst, ignore=("%",)))


def getal_invoer(value: float) -> str:
    """12.5 → '12,5' and 1250.0 → '1250' for a form input (no grouping: easy to edit)."""
    tekst = f"{value:.6f}".rstrip("0").rstrip(".")
    return tekst.replace(".", ",")


class GetalInput(DutchNumberInput):
    size = 12
    number_type = float

    def format_number(self, value):
        return getal_invoer(value)


class GetalField(DutchNumberField, forms.FloatField):
    """A number typed the Dutch way (parse_getal)."""

    widget = GetalInput

    def parse(self, value):
        return parse_getal(value)


PERIODE_VOORBEELD = {JAAR: "2026", SCHOOLJAAR: "2025/2026", KWARTAAL: "2026-K1",
                     MAAND: "2026-03"}
EENHEID_HULP = {
    Eenheid.PERCENTAGE: _("Een percentage van 0 tot en met 100, bijvoorbeeld 12,5."),
    Eenheid.PER_1000: _("Een aantal per 1.000, bijvoorbeeld 4,5."),
    Eenheid.AANTAL: _("Een aantal, bijvoorbeeld 1.250."),
    Eenheid.DAGEN: _("Een aantal dagen, bijvoorbeeld 30."),
    Eenheid.SCORE: _("Een score, bijvoorbeeld 7,5."),
}


class StreefwaardeForm(TenantModelForm):
    """A target of one indicator (the view sets it on the instance): the hele gemeente (its
    CBS region) or one of the gemeente's gebieden, a periode of the indicator's own soort, a
    waarde typed the Dutch way. The model checks the rest (Streefwaarde.clean)."""

    periode = forms.CharField(label=_("Periode"), max_length=20)
    waarde = GetalField(label=_("Streefwaarde"))

    class Meta:
        model = Streefwaarde
        fields = ["gebied", "periode", "waarde", "toelichting"]
        widgets = {"toelichting": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"toelichting": _("Bijvoorbeeld waar de streefwaarde vandaan komt, zoals "
                                       "het wijkplan.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        indicator = self.instance.indicator
        gebied = self.fields["gebied"]
        gebied.queryset = selectors.gebieden(self.user, self.gemeente)
        gebied.label = _("Voor")
        gebied.empty_label = _("Hele gemeente")
        gebied.help_text = _("De hele gemeente of één gebied.")
        gebied.error_messages["invalid_choice"] = _(
            "Kies de hele gemeente of een gebied van deze gemeente.")
        self.fields["periode"].help_text = _(
            "Deze indicator gebruikt periodes van het soort %(soort)s. Schrijf bijvoorbeeld "
            "%(voorbeeld)s.") % {"soort": indicator.get_periodetype_display(),
                                 "voorbeeld": PERIODE_VOORBEELD[indicator.periodetype]}
        self.fields["waarde"].help_text = EENHEID_HULP[indicator.eenheid]
        self.fields["waarde"].error_messages["required"] = _("Vul de streefwaarde in.")
        self.fields["periode"].error_messages["required"] = _("Vul de periode in.")

    def clean(self):
        cleaned = super().clean()
        if "gebied" not in cleaned:
            return cleaned
        if cleaned["gebied"] is not None:
            self.instance.region = None
        elif not self.instance.region_id:
            # "Hele gemeente": the gemeente's own CBS region (an edited target keeps its own).
            self.instance.region = selectors.gemeente_regio(self.user, self.gemeente)
            if self.instance.region is None:
                self.add_error("gebied", _("Deze gemeente heeft nog geen CBS-indeling. Kies "
                                           "een gebied of lees eerst de indeling in."))
        return cleaned
