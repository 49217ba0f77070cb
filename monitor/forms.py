from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import TenantModelForm
from monitor.models import MonitorInstelling

# Upload limit of a measurement file (CSV or XLSX); settings.MONITOR_IMPORT_MAX_BYTES wins.
MAX_BYTES = 20 * 1024 * 1024
ROLLEN = ("waarde", "teller", "noemer")


def max_bytes() -> int:
    return getattr(settings, "MONITOR_IMPORT_MAX_BYTES", MAX_BYTES)


class ImportForm(forms.Form):
    bestand = forms.FileField(
        label=_("Bestand met cijfers"),
        help_text=_("Een CSV-bestand van CBS StatLine (‘CSV met statistische symbolen’) of het "
                    "sjabloon van Opgroeien als CSV of Excel (.xlsx). Hoogstens 20 MB."))
    bron = forms.CharField(
        label=_("Bron"), max_length=200, required=False,
        help_text=_("Bijvoorbeeld CBS, GGD of DUO. Een verbeterd bestand met dezelfde bron, "
                    "indicatoren en periodes vervangt het eerdere bestand."))
    kolommen = forms.CharField(
        label=_("Kolommen van een CBS-bestand"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Alleen nodig als de kolomkoppen niet de code van een indicator zijn. Eén "
                    "regel per kolom: kolomkop = code van de indicator en teller, noemer of "
                    "waarde. Bijvoorbeeld: KinderenInLaagInkomen_1 = armoede_kind teller"))

    def clean_bestand(self):
        f = self.cleaned_data["bestand"]
        if f.size > max_bytes():
            raise forms.ValidationError(_("Het bestand is te groot (hoogstens 20 MB)."))
        naam = f.name.lower()
        if not naam.endswith((".csv", ".txt", ".xlsx")):
            raise forms.ValidationError(_("Kies een CSV-bestand (.csv) of een Excel-bestand "
                                          "(.xlsx)."))
        head = f.read(2048)
        f.seek(0)
        if naam.endswith(".xlsx"):
            if not head.startswith(b"PK\x03\x04"):
                raise forms.ValidationError(_("Dit is geen Excel-bestand (.xlsx)."))
        elif b"\x00" in head or head.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")):
            raise forms.ValidationError(_("Dit is geen CSV-bestand maar een ander soort "
                                          "bestand."))
        return f

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
