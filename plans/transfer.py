"""Import a version's activiteiten from the XLSX/CSV template; export a version as PDF and its
activiteiten as XLSX (in the same columns, so an export can be imported again).

The import is all-or-nothing and idempotent: a row updates the activiteit with the same pijler
and naam, or adds one; importing the same file again changes nothing. Every rejected row is
reported with its row number and a Dutch reason.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core import exports, imports, policy
from framework.models import LEEFTIJD_MAX_MAANDEN, LEEFTIJD_MIN_MAANDEN
from framework.selectors import alle_klaverblad_doelen
from monitor import weergave
from network.models import Organisatie
from plans import bijlagen, compare, services
from plans.models import Activiteit, WijkplanVersie, assert_concept

KOLOMMEN = [
    ("pijler", _lazy("Naam van een pijler van deze versie, bijvoorbeeld Gezondheid. "
                     "Verplicht.")),
    ("naam", _lazy("Naam van de activiteit. Verplicht.")),
    ("beschrijving", _lazy("Wat er gebeurt. Mag leeg.")),
    ("trekker", _lazy("Naam van de organisatie die de activiteit trekt, zoals in Opgroeien. "
                      "Mag leeg.")),
    ("partners", _lazy("Namen van partnerorganisaties, gescheiden door een puntkomma (;). "
                       "Mag leeg.")),
    ("locaties", _lazy("Namen van scholen of andere organisaties waar het gebeurt, gescheiden "
                       "door ;.")),
    ("leeftijd_van", _lazy("Doelgroep vanaf, in maanden: van -9 (zwangerschap) tot 324 "
                           "(27 jaar).")),
    ("leeftijd_tot", _lazy("Doelgroep tot en met, in maanden; niet lager dan leeftijd_van.")),
    ("start", _lazy("Startdatum als JJJJ-MM-DD, bijvoorbeeld 2021-09-01. Mag leeg.")),
    ("eind", _lazy("Einddatum als JJJJ-MM-DD. Mag leeg.")),
    ("beoogde_resultaten", _lazy("Wat de activiteit moet opleveren. Mag leeg.")),
    ("status", _lazy("voorstel, gepland, lopend, afgerond of gestopt. Leeg is gepland.")),
    ("klaverblad_doelen", _lazy("Nummers van Klaverblad-doelen, gescheiden door ;, "
                                "bijvoorbeeld 2;3.")),
]
NAMEN = [k for k, _uitleg in KOLOMMEN]
MAX_BYTES = 2 * 1024 * 1024
MAX_RIJEN = 1000
FORMATEN = ("xlsx", "csv")
BUITEN_LEEFTIJD = _lazy("%(value)s valt buiten -9 tot en met 324 maanden.")


def _namen(text):
    return [n.strip() for n in text.split(";") if n.strip()]


class ActiviteitRijForm(forms.ModelForm):
    """One row of the template (text cells) → an unsaved Activiteit of the version, checked
    by the model (full_clean: naam, age limits, status choices, constraints). The form only
    turns names into objects (pijler, organisaties, Klaverblad-doelen) and says in the
    file's words what is wrong."""

    pijler = forms.CharField(error_messages={"required": _lazy("de pijler ontbreekt.")})
    trekker = forms.CharField(required=False)
    partners = forms.CharField(required=False)
    locaties = forms.CharField(required=False)
    # Text cells parsed in clean_<veld>; the model's validators check the values, with
    # these messages (a declared field's error_messages also word the model's errors).
    leeftijd_van = forms.CharField(required=False, error_messages={
        "min_value": BUITEN_LEEFTIJD, "max_value": BUITEN_LEEFTIJD})
    leeftijd_tot = forms.CharField(required=False, error_messages={
        "min_value": BUITEN_LEEFTIJD, "max_value": BUITEN_LEEFTIJD})
    start = forms.CharField(required=False)
    eind = forms.CharField(required=False)
    status = forms.CharField(required=False, error_messages={"invalid_choice": _lazy(
        "'%(value)s' is geen status; kies voorstel, gepland, lopend, afgerond of gestopt.")})
    klaverblad_doelen = forms.CharField(required=False)

    class Meta:
        model = Activiteit
        fields = ["pijler", "naam", "beschrijving", "trekker", "leeftijd_van", "leeftijd_tot",
                  "start", "eind", "beoogde_resultaten", "status"]
        error_messages = {"naam": {"required": _lazy("de naam ontbreekt."),
                                   "max_length": _lazy("de naam is langer dan 200 tekens.")}}

    def __init__(self, data, *, versie, keuzes):
        super().__init__(data, instance=Activiteit(gemeente=versie.gemeente, versie=versie))
        self.keuzes = keuzes

    def clean_pijler(self):
        tekst = self.cleaned_data["pijler"]
        pijler = self.keuzes.pijlers.get(tekst.lower())
        if pijler is None:
            raise forms.ValidationError(_(
                "'%(p)s' is geen pijler van deze versie. Kies uit: %(keuze)s.") % {
                "p": tekst, "keuze": ", ".join(p.naam for p in self.keuzes.pijlers.values())})
        return pijler

    def clean_trekker(self):
        tekst = self.cleaned_data["trekker"]
        if not tekst:
            return None
        org = self.keuzes.organisaties.get(tekst.lower())
        if org is None:
            raise forms.ValidationError(_(
                "organisatie '%(o)s' is onbekend in Opgroeien. Voeg die eerst toe bij "
                "Organisaties, of kijk de spelling na.") % {"o": tekst})
        return org

    def _organisaties(self, kolom):
        gevonden, fouten = [], []
        for naam in _namen(self.cleaned_data[kolom]):
            org = self.keuzes.organisaties.get(naam.lower())
            if org is None:
                fouten.append(_("organisatie '%(o)s' is onbekend in Opgroeien.") % {"o": naam})
            else:
                gevonden.append(org)
        if fouten:
            raise forms.ValidationError(fouten)
        return gevonden

    def clean_partners(self):
        return self._organisaties("partners")

    def clean_locaties(self):
        return self._organisaties("locaties")

    def _leeftijd(self, kolom, standaard):
        tekst = self.cleaned_data[kolom]
        if not tekst:
            return standaard
        try:
            return int(tekst)
        except ValueError:
            raise forms.ValidationError(_("'%(t)s' is geen getal (leeftijd in maanden).") % {
                "t": tekst}) from None

    def clean_leeftijd_van(self):
        return self._leeftijd("leeftijd_van", LEEFTIJD_MIN_MAANDEN)

    def clean_leeftijd_tot(self):
        return self._leeftijd("leeftijd_tot", LEEFTIJD_MAX_MAANDEN)

    def _datum(self, kolom):
        tekst = self.cleaned_data[kolom]
        if not tekst:
            return None
        try:
            return datetime.date.fromisoformat(tekst[:10])
        except ValueError:
            raise forms.ValidationError(_("'%(t)s' is geen datum; schrijf JJJJ-MM-DD.") % {
                "t": tekst}) from None

    def clean_start(self):
        return self._datum("start")

    def clean_eind(self):
        return self._datum("eind")

    def clean_status(self):
        return (self.cleaned_data["status"] or Activiteit.Status.GEPLAND).lower()

    def clean_klaverblad_doelen(self):
        gekozen, fouten = [], []
        for nummer in _namen(self.cleaned_data["klaverblad_doelen"]):
            doel = self.keuzes.doelen.get(int(nummer)) if nummer.isdigit() else None
            if doel is None:
                fouten.append(_("'%(n)s' is geen nummer van een Klaverblad-doel.") % {
                    "n": nummer})
            else:
                gekozen.append(doel)
        if fouten:
            raise forms.ValidationError(fouten)
        return gekozen

    def clean(self):
        """The model's ordering constraints, said in the file's words on the column to fix
        (the field leaves cleaned_data, so the constraint itself does not repeat it)."""
        cleaned = super().clean()
        van, tot = cleaned.get("leeftijd_van"), cleaned.get("leeftijd_tot")
        if van is not None and tot is not None and tot < van:
            self.add_error("leeftijd_tot", _(
                "de leeftijd 'tot' (%(tot)s) is lager dan 'van' (%(van)s): staan ze "
                "omgedraaid?") % {"tot": tot, "van": van})
        start, eind = cleaned.get("start"), cleaned.get("eind")
        if start and eind and eind < start:
            self.add_error("eind", _("de einddatum ligt voor de startdatum."))
        return cleaned


@dataclass
class Keuzes:
    """What names in a file may refer to, for one version: looked up once per file."""

    pijlers: dict
    organisaties: dict
    doelen: dict

    @classmethod
    def van(cls, versie):
        doelen = {}
        for d in alle_klaverblad_doelen(versie.gemeente):
            doelen.setdefault(d.nummer, d)  # newest Klaverblad first
        return cls(
            pijlers={p.naam.strip().lower(): p for p in versie.pijlers.all()},
            organisaties={o.naam.strip().lower(): o for o in Organisatie.objects.filter(
                gemeente_id=versie.gemeente_id)},
            doelen=doelen)


def lees(versie: WijkplanVersie, naam: str, data: bytes) -> list[services.ActiviteitRij]:
    """Read and check a whole file against the version; the rows to import, or
    core.imports.ImportGeweigerd with every problem."""
    table = imports.read_table(naam, data, formats=FORMATEN, max_bytes=MAX_BYTES,
                               max_rows=MAX_RIJEN, sheet="Activiteiten")
    header = [imports.normalize(h) for h in table.header]
    while header and not header[-1]:
        header.pop()
    missing = [k for k in NAMEN if k not in header]
    unknown = [h for h in header if h and h not in NAMEN]
    problemen = imports.Problemen()
    if missing:
        problemen.melden(1, "", _("deze kolommen ontbreken: %(k)s. Gebruik het sjabloon.") % {
            "k": ", ".join(missing)})
    if unknown:
        problemen.melden(1, "", _("onbekende kolommen: %(k)s.") % {"k": ", ".join(unknown)})
    problemen.weiger_als_nodig()
    idx = {k: header.index(k) for k in NAMEN}

    keuzes = Keuzes.van(versie)
    rijen, seen = [], {}
    for rij_nr, raw in table.rows:
        if not any(c.strip() for c in raw):
            continue
        raw = raw + [""] * (len(header) - len(raw))
        form = ActiviteitRijForm({k: raw[i].strip() for k, i in idx.items()}, versie=versie,
                                 keuzes=keuzes)
        goed = form.is_valid()
        if not goed:
            problemen.melden_form(form, rij_nr)
        naam_rij = form.data["naam"]
        key = (form.data["pijler"].lower(), naam_rij.lower())
        if key in seen and naam_rij:
            problemen.melden(rij_nr, "naam", _(
                "deze activiteit staat bij deze pijler al in rij %(r)s.") % {"r": seen[key]})
            goed = False
        seen.setdefault(key, rij_nr)
        if goed:
            c = form.cleaned_data
            rijen.append(services.ActiviteitRij(
                velden={k: c[k] for k in services.ActiviteitRij.VELDEN},
                partners=c["partners"], locaties=c["locaties"],
                doelen=c["klaverblad_doelen"]))
    if not rijen and not problemen:
        problemen.melden(2, "", _("het bestand bevat geen activiteiten."))
    problemen.weiger_als_nodig()
    return rijen


@imports.vastgelegd(
    "plans.activiteiten", _lazy("Activiteiten van een wijkplan"),
    lambda actor, versie, naam, data, **kwargs: imports.Poging(
        versie.gemeente, actor, naam, onderwerp=f"versie-{versie.pk}",
        url=versie.get_absolute_url()))
def importeer(actor, versie: WijkplanVersie, naam: str, data: bytes, *, revisie,
              check_permission=True) -> imports.Resultaat:
    """Import activiteiten into a concept version, all-or-nothing
    (plans.services.importeer_activiteiten)."""
    if check_permission:
        policy.require(actor, policy.ADD, Activiteit(gemeente=versie.gemeente, versie=versie))
    assert_concept(versie.pk)
    return services.importeer_activiteiten(actor, versie, lees(versie, naam, data),
                                           revisie=revisie, check_permission=check_permission)


# Writing --------------------------------------------------------------------------------------

def _rij(a):
    return [a.pijler.naam, a.naam, a.beschrijving, a.trekker.naam if a.trekker_id else "",
            "; ".join(sorted(o.naam for o in a.partners.all())),
            "; ".join(sorted(o.naam for o in a.locaties.all())),
            a.leeftijd_van, a.leeftijd_tot, a.start.isoformat() if a.start else "",
            a.eind.isoformat() if a.eind else "", a.beoogde_resultaten, a.status,
            ";".join(str(d.nummer) for d in a.klaverblad_doelen())]


def _werkboek(activiteiten, titel):
    from openpyxl.styles import Font

    wb = exports.new_workbook()
    ws = wb.active
    ws.title = "Activiteiten"
    exports.xlsx_append(ws, NAMEN)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for a in activiteiten:
        exports.xlsx_append(ws, _rij(a))
    ws.freeze_panes = "A2"
    for col, breedte in zip("ABCDEFGHIJKLM", (18, 30, 40, 22, 30, 30, 12, 12, 12, 12, 40, 12, 16),
                            strict=True):
        ws.column_dimensions[col].width = breedte
    uitleg = wb.create_sheet("Uitleg")
    uitleg.append([titel])
    uitleg["A1"].font = Font(bold=True)
    uitleg.append([])
    uitleg.append([_("kolom"), _("wat u invult")])
    for k, tekst in KOLOMMEN:
        exports.xlsx_append(uitleg, [k, str(tekst)])
    uitleg.append([])
    uitleg.append([_("Het bestand wordt helemaal of helemaal niet ingelezen. Een rij met dezelfde "
                   "pijler en naam als een bestaande activiteit werkt die bij; andere rijen "
                   "worden nieuwe activiteiten. Hetzelfde bestand nog eens inlezen verandert "
                   "niets.")])
    uitleg.column_dimensions["A"].width = 22
    uitleg.column_dimensions["B"].width = 100
    return exports.xlsx_bytes(wb)


def sjabloon_xlsx() -> bytes:
    return _werkboek([], _("Sjabloon activiteiten van een wijkplanversie (Opgroeien)"))


def sjabloon_csv() -> bytes:
    return exports.csv_text(NAMEN, [], delimiter=",").encode("utf-8")


def activiteiten_xlsx(versie) -> bytes:
    """`versie` loaded with selectors.versie_met_inhoud."""
    acts = sorted(versie.activiteiten.all(),
                  key=lambda a: (a.pijler.volgorde, a.pijler.naam, a.volgorde, a.naam))
    return _werkboek(acts, _("Activiteiten van %(versie)s") % {"versie": versie})


def versie_pdf(versie, *, base_url=None) -> bytes:
    """The version as a PDF document (WeasyPrint)."""
    from weasyprint import HTML

    # Per pijler: (activiteit, its te behalen resultaten in words).
    acts_per_pijler = [(p, [(a, [weergave.streefwaarde_tekst(s) for s in a.streefwaarden.all()])
                            for a in versie.activiteiten.all() if a.pijler_id == p.pk])
                       for p in versie.pijlers.all()]
    doelen = {d.pk: d for a in versie.activiteiten.all() for d in a.klaverblad_doelen()}
    doelen.update({d.pk: d for p in versie.pijlers.all() for d in p.klaverblad_doelen()})
    door = versie.vastgesteld_door
    html = render_to_string("plans/versie_pdf.html", {
        "versie": versie, "pijlers": acts_per_pijler,
        "klaverblad": sorted(doelen.values(), key=lambda d: d.nummer),
        "vaststeller": (door.get_full_name() or door.get_username()) if door else
        _("de stuurgroep"),
        "bijlagen": [mark_safe(part) for part in bijlagen.voor(versie)],  # rendered templates
        "rollen": compare.rollen_van(versie),
        "gemaakt": datetime.date.today()})
    return HTML(string=html, base_url=base_url or str(settings.BASE_DIR)).write_pdf()
