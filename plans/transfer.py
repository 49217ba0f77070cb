"""Import a version's activiteiten from the XLSX/CSV template; export a version as PDF and its
activiteiten as XLSX (in the same columns, so an export can be imported again).

The import is all-or-nothing and idempotent: a row updates the activiteit with the same pijler
and naam, or adds one; importing the same file again changes nothing. Every rejected row is
reported with its row number and a Dutch reason.
"""

import csv
import datetime
import io
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core import exports, policy
from framework.models import LEEFTIJD_MAX_MAANDEN, LEEFTIJD_MIN_MAANDEN
from framework.selectors import alle_klaverblad_doelen
from monitor import weergave
from network.models import Organisatie
from plans import services
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
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Probleem:
    rij: int  # 1 = header row
    kolom: str
    melding: str

    def __str__(self):
        if self.kolom:
            return _("Rij %(rij)s, kolom '%(kolom)s': %(melding)s") % {
                "rij": self.rij, "kolom": self.kolom, "melding": self.melding}
        return _("Rij %(rij)s: %(melding)s") % {"rij": self.rij, "melding": self.melding}


class ImportFout(Exception):
    """The whole file is rejected; nothing was imported."""

    def __init__(self, problemen):
        self.problemen = problemen
        super().__init__("; ".join(str(p) for p in problemen))


@dataclass
class ImportResultaat:
    nieuw: int = 0
    gewijzigd: int = 0
    ongewijzigd: int = 0


# Reading --------------------------------------------------------------------------------------

def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return exports.unquote_cell(str(value)).strip()


def lees_rijen(naam: str, data: bytes) -> list[list[str]]:
    """The file's rows as lists of strings (first row: headers). Rejects other file types."""
    if len(data) > MAX_BYTES:
        raise ImportFout([Probleem(1, "", _("het bestand is te groot (hoogstens 2 MB)."))])
    lower = (naam or "").lower()
    is_zip = data.startswith(b"PK\x03\x04")
    if lower.endswith(".xlsx"):
        if not is_zip:
            raise ImportFout([Probleem(1, "", _(
                "dit is geen Excel-bestand (.xlsx), al heeft het die naam."))])
        return _lees_xlsx(data)
    if lower.endswith(".csv"):
        if is_zip or b"\x00" in data[:4096] or data.startswith((b"%PDF", b"\xd0\xcf\x11\xe0")):
            raise ImportFout([Probleem(1, "", _(
                "dit is geen CSV-bestand maar een ander soort bestand."))])
        return _lees_csv(data)
    raise ImportFout([Probleem(1, "", _(
        "kies een Excel-bestand (.xlsx) of een CSV-bestand (.csv), gemaakt met het sjabloon."))])


def _lees_xlsx(data: bytes):
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise ImportFout([Probleem(1, "", _("het Excel-bestand kan niet gelezen worden."))]) \
            from None
    ws = wb["Activiteiten"] if "Activiteiten" in wb.sheetnames else wb.worksheets[0]
    rows = []
    for row in ws.iter_rows(values_only=True):
        rows.append([_cell(v) for v in row])
        if len(rows) > MAX_RIJEN + 1:
            raise ImportFout([Probleem(1, "", _("het bestand heeft meer dan %(n)s rijen.") % {
                "n": MAX_RIJEN})])
    wb.close()
    return rows


def _lees_csv(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        rij = data[: exc.start].count(b"\n") + 1
        raise ImportFout([Probleem(rij, "", _(
            "het bestand is geen UTF-8. Sla het op als 'CSV UTF-8' en probeer het opnieuw."))]) \
            from None
    if not text.strip():
        return []
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = [[exports.unquote_cell(c).strip() for c in r]
            for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    if len(rows) > MAX_RIJEN + 1:
        raise ImportFout([Probleem(1, "", _("het bestand heeft meer dan %(n)s rijen.") % {
            "n": MAX_RIJEN})])
    return rows


def _namen(text):
    return [n.strip() for n in text.split(";") if n.strip()]


def controleer(versie: WijkplanVersie, rows) -> list[dict]:
    """Check every row against the version; return clean rows or raise ImportFout."""
    if not rows or not any(rows[0]):
        raise ImportFout([Probleem(1, "", _("het bestand is leeg."))])
    header = [h.strip().lower() for h in rows[0]]
    while header and not header[-1]:
        header.pop()
    missing = [k for k in NAMEN if k not in header]
    unknown = [h for h in header if h and h not in NAMEN]
    problems = []
    if missing:
        problems.append(Probleem(1, "", _("deze kolommen ontbreken: %(k)s. Gebruik het "
                                          "sjabloon.") % {"k": ", ".join(missing)}))
    if unknown:
        problems.append(Probleem(1, "", _("onbekende kolommen: %(k)s.") % {
            "k": ", ".join(unknown)}))
    if problems:
        raise ImportFout(problems)
    idx = {k: header.index(k) for k in NAMEN}

    pijlers = {p.naam.strip().lower(): p for p in versie.pijlers.all()}
    orgs = {o.naam.strip().lower(): o for o in Organisatie.objects.filter(
        gemeente_id=versie.gemeente_id)}
    doelen = {}
    for d in alle_klaverblad_doelen(versie.gemeente):
        doelen.setdefault(d.nummer, d)  # newest Klaverblad first
    statussen = {s.value: s for s in Activiteit.Status}

    clean, seen = [], {}
    for rij_nr, raw in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in raw):
            continue
        raw = raw + [""] * (len(header) - len(raw))
        v = {k: raw[i].strip() for k, i in idx.items()}
        row_problems = []

        def fout(kolom, melding, rij_nr=rij_nr, row_problems=row_problems):
            row_problems.append(Probleem(rij_nr, kolom, melding))

        pijler = pijlers.get(v["pijler"].lower())
        if not v["pijler"]:
            fout("pijler", _("de pijler ontbreekt."))
        elif pijler is None:
            fout("pijler", _("'%(p)s' is geen pijler van deze versie. Kies uit: %(keuze)s.") % {
                "p": v["pijler"], "keuze": ", ".join(p.naam for p in pijlers.values())})
        if not v["naam"]:
            fout("naam", _("de naam ontbreekt."))
        elif len(v["naam"]) > 200:
            fout("naam", _("de naam is langer dan 200 tekens."))
        trekker = None
        if v["trekker"]:
            trekker = orgs.get(v["trekker"].lower())
            if trekker is None:
                fout("trekker", _("organisatie '%(o)s' is onbekend in Opgroeien. Voeg die eerst "
                                  "toe bij Organisaties, of kijk de spelling na.") % {
                    "o": v["trekker"]})
        lijsten = {}
        for kolom in ("partners", "locaties"):
            gevonden = []
            for naam in _namen(v[kolom]):
                org = orgs.get(naam.lower())
                if org is None:
                    fout(kolom, _("organisatie '%(o)s' is onbekend in Opgroeien.") % {"o": naam})
                else:
                    gevonden.append(org)
            lijsten[kolom] = gevonden
        leeftijd = {}
        for kolom, standaard in (("leeftijd_van", LEEFTIJD_MIN_MAANDEN),
                                 ("leeftijd_tot", LEEFTIJD_MAX_MAANDEN)):
            tekst = v[kolom]
            try:
                waarde = int(tekst) if tekst else standaard
            except ValueError:
                fout(kolom, _("'%(t)s' is geen getal (leeftijd in maanden).") % {"t": tekst})
                continue
            if not LEEFTIJD_MIN_MAANDEN <= waarde <= LEEFTIJD_MAX_MAANDEN:
                fout(kolom, _("%(w)s valt buiten -9 tot en met 324 maanden.") % {"w": waarde})
                continue
            leeftijd[kolom] = waarde
        if len(leeftijd) == 2 and leeftijd["leeftijd_tot"] < leeftijd["leeftijd_van"]:
            fout("leeftijd_tot", _("de leeftijd 'tot' (%(tot)s) is lager dan 'van' (%(van)s): "
                                   "staan ze omgedraaid?") % {
                "tot": leeftijd["leeftijd_tot"], "van": leeftijd["leeftijd_van"]})
        datums = {}
        for kolom in ("start", "eind"):
            if not v[kolom]:
                datums[kolom] = None
                continue
            try:
                datums[kolom] = datetime.date.fromisoformat(v[kolom][:10])
            except ValueError:
                fout(kolom, _("'%(t)s' is geen datum; schrijf JJJJ-MM-DD.") % {"t": v[kolom]})
        if datums.get("start") and datums.get("eind") and datums["eind"] < datums["start"]:
            fout("eind", _("de einddatum ligt voor de startdatum."))
        status = statussen.get((v["status"] or "gepland").lower())
        if status is None:
            fout("status", _("'%(s)s' is geen status; kies voorstel, gepland, lopend, afgerond "
                             "of gestopt.") % {"s": v["status"]})
        gekozen_doelen = []
        for nummer in _namen(v["klaverblad_doelen"]):
            doel = doelen.get(int(nummer)) if nummer.isdigit() else None
            if doel is None:
                fout("klaverblad_doelen", _("'%(n)s' is geen nummer van een Klaverblad-doel.") % {
                    "n": nummer})
            else:
                gekozen_doelen.append(doel)
        key = (v["pijler"].lower(), v["naam"].lower())
        if key in seen and v["naam"]:
            fout("naam", _("deze activiteit staat bij deze pijler al in rij %(r)s.") % {
                "r": seen[key]})
        seen.setdefault(key, rij_nr)
        problems.extend(row_problems)
        if not row_problems:
            clean.append({
                "rij": rij_nr, "pijler": pijler, "naam": v["naam"],
                "beschrijving": v["beschrijving"], "trekker": trekker,
                "partners": lijsten["partners"], "locaties": lijsten["locaties"],
                "leeftijd_van": leeftijd["leeftijd_van"],
                "leeftijd_tot": leeftijd["leeftijd_tot"], "start": datums["start"],
                "eind": datums["eind"], "beoogde_resultaten": v["beoogde_resultaten"],
                "status": status, "doelen": gekozen_doelen})
    if not clean and not problems:
        problems.append(Probleem(2, "", _("het bestand bevat geen activiteiten.")))
    if problems:
        raise ImportFout(problems)
    return clean


@transaction.atomic
def importeer(actor, versie: WijkplanVersie, naam: str, data: bytes, *, revisie,
              check_permission=True) -> ImportResultaat:
    """Import activiteiten into a concept version, all-or-nothing."""
    if check_permission:
        policy.require(actor, policy.ADD, Activiteit(gemeente=versie.gemeente, versie=versie))
    assert_concept(versie.pk)
    rows = controleer(versie, lees_rijen(naam, data))
    revisie = services._lock(versie.pk, revisie)  # one lock for the whole import
    bestaand = {(a.pijler_id, a.naam.strip().lower()): a for a in
                Activiteit.objects.filter(versie=versie).prefetch_related(
                    "partners", "locaties", "doel_koppelingen")}
    result = ImportResultaat()
    volgorde = len(bestaand)
    for r in rows:
        act = bestaand.get((r["pijler"].pk, r["naam"].lower()))
        velden = {k: r[k] for k in ("pijler", "naam", "beschrijving", "trekker", "leeftijd_van",
                                    "leeftijd_tot", "start", "eind", "beoogde_resultaten",
                                    "status")}
        doelen = sorted(d.pk for d in r["doelen"])
        if act is None:
            volgorde += 1
            act = Activiteit(gemeente=versie.gemeente, versie=versie, volgorde=volgorde,
                             **velden)
            result.nieuw += 1
        else:
            same = (all(getattr(act, k) == w for k, w in velden.items())
                    and {o.pk for o in act.partners.all()} == {o.pk for o in r["partners"]}
                    and {o.pk for o in act.locaties.all()} == {o.pk for o in r["locaties"]}
                    and sorted(k.doel_id for k in act.doel_koppelingen.all()) == doelen)
            if same:
                result.ongewijzigd += 1
                continue
            for k, w in velden.items():
                setattr(act, k, w)
            result.gewijzigd += 1
        # The lock is already held; save without taking it again.
        services.save_object(actor, act, m2m={"partners": r["partners"],
                                              "locaties": r["locaties"]},
                             check_permission=check_permission)
        services.set_doelen(actor, act, r["doelen"], check_permission=False)
    if not (result.nieuw or result.gewijzigd):
        # Nothing changed: give the lock's revisie back so open editors are not refused.
        WijkplanVersie.objects.filter(pk=versie.pk, revisie=revisie).update(revisie=revisie - 1)
    return result


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
    html = render_to_string("plans/versie_pdf.html", {
        "versie": versie, "pijlers": acts_per_pijler,
        "rollen": versie.rollen_snapshot if not versie.is_concept
        else services.rollen_snapshot(versie),
        "gemaakt": datetime.date.today()})
    return HTML(string=html, base_url=base_url or str(settings.BASE_DIR)).write_pdf()
