"""The Opgroeien template (long: one row per indicator, region and periode; CSV with `;` or
XLSX, see docs/monitor-import.md): reading a filled-in one, and writing an empty one with
example rows (CSV, or a workbook with a sheet that explains the indicators)."""

from django.utils.translation import gettext as _

from core import exports, imports
from monitor.importers.lezer import ROLLEN, Lezer, Voorbeeld, csv_rijen, getal
from monitor.models import Status

SJABLOON_KOLOMMEN = ["indicator", "regio", "periode", "waarde", "teller", "noemer", "status",
                     "indeling_jaar"]
# Other names people give the template's columns (case, accents and spacing never matter).
SJABLOON_ALIASSEN = {"indicator": ["indicatorcode", "code indicator"],
                     "regio": ["regiocode", "cbs-code", "code regio"],
                     "periode": ["perioden", "jaar"], "waarde": ["cijfer"], "teller": [],
                     "noemer": [], "status": [], "indeling_jaar": ["indeling", "cbs-indeling"]}
SJABLOON_STATUS = {"": Status.WAARGENOMEN, "waargenomen": Status.WAARGENOMEN,
                   "geheim": Status.GEHEIM, "afgerond": Status.AFGEROND}


def _sjabloon_rijen(data: bytes, bestandsnaam: str, v: Voorbeeld):
    """Rows of the template as lists of strings, header first (CSV with `;`, or XLSX)."""
    if bestandsnaam.lower().endswith(".xlsx"):
        table = imports.read_xlsx(data)
        yield table.header
        for _rij, cellen in table.rows:
            yield cellen
        return
    yield from csv_rijen(data, v)


def lees_sjabloon(data: bytes, gemeente, bestandsnaam: str = "", stroom=None) -> Voorbeeld:
    """The Opgroeien template (long: one row per indicator, region and periode); columns
    indicator;regio;periode;waarde;teller;noemer and optional status, indeling_jaar.
    `stroom`: see the module docstring."""
    lezer = Lezer(gemeente, "sjabloon", stroom)
    v = lezer.v
    rows = _sjabloon_rijen(data, bestandsnaam, v)
    header = next(rows, None)
    if not header:
        imports.weiger(_("het bestand is leeg."))
    index = imports.match_header(header, SJABLOON_ALIASSEN)
    ontbreekt = [k for k in ("indicator", "regio", "periode") if k not in index]
    if ontbreekt or not any(r in index for r in ROLLEN):
        imports.weiger(_(
            "de kopregel moet de kolommen indicator, regio, periode en minstens één van "
            "waarde, teller en noemer hebben (ontbreekt: %(kolommen)s).") % {
            "kolommen": ", ".join(ontbreekt) or "waarde/teller/noemer"})
    gebruikt = set(index.values())
    v.genegeerde_kolommen = [str(h) for i, h in enumerate(header) if i not in gebruikt]
    n_kolommen = len(header)
    for rij, velden in enumerate(rows, start=2):
        velden = list(velden)
        if not any(str(c).strip() for c in velden):
            continue
        if len(velden) != n_kolommen:
            v.probleem(rij, "", _("deze rij heeft %(n)s velden, de kopregel %(k)s.") % {
                "n": len(velden), "k": n_kolommen})
            continue
        code_ind = str(velden[index["indicator"]]).strip().lower()
        indicator = lezer.indicatoren.get(code_ind)
        if indicator is None:
            v.probleem(rij, "indicator", _("indicator '%(code)s' bestaat niet in de monitor "
                                           "van deze gemeente.") % {"code": code_ind})
            continue
        periode = lezer.periode(rij, "periode", velden[index["periode"]])
        if periode is None:
            continue
        indeling_jaar = None
        if "indeling_jaar" in index and str(velden[index["indeling_jaar"]]).strip():
            try:
                indeling_jaar = int(float(str(velden[index["indeling_jaar"]]).strip()))
            except ValueError:
                v.probleem(rij, "indeling_jaar", _("'%(tekst)s' is geen jaartal.") % {
                    "tekst": velden[index["indeling_jaar"]]})
                continue
        code = str(velden[index["regio"]]).strip().upper()
        region = lezer.regio(rij, "regio", code, periode, indeling_jaar)
        if region is None:
            continue
        v.codes[region[0]] = code
        v.periodes.add(periode.code)
        status_tekst = str(velden[index["status"]]).strip().lower() if "status" in index else ""
        status = SJABLOON_STATUS.get(status_tekst)
        if status is None:
            v.probleem(rij, "status", _("status '%(tekst)s' bestaat niet; kies waargenomen, "
                                        "geheim of afgerond.") % {"tekst": status_tekst})
            continue
        waarden, fout = {}, False
        for rol in ROLLEN:
            if rol in index:
                try:
                    waarden[rol] = getal(velden[index[rol]])
                except ValueError:
                    v.probleem(rij, rol, _("'%(tekst)s' is geen getal.") % {
                        "tekst": str(velden[index[rol]]).strip()})
                    fout = True
        if not fout:
            v.indicatoren[indicator.pk] = indicator
            lezer.meting(rij, indicator, region, periode, waarden.get("waarde"),
                         waarden.get("teller"), waarden.get("noemer"), status, {})
            lezer.stroom_door()
    lezer.stroom_door(klaar=True)
    return v


# --- the template to fill in ------------------------------------------------------------------

# An example (waarde, teller, noemer) per eenheid; a ratio indicator gets teller and noemer.
SJABLOON_VOORBEELD = {"percentage": (None, 812, 1003), "per_1000": (None, 12, 3400),
                      "aantal": (1250, None, None), "score": (-0.12, None, None),
                      "dagen": (30, None, None)}


def sjabloon_rijen(indicatoren, regiocode: str) -> list[list]:
    """One example row per indicator, for the gemeente's own CBS region and last year (the
    header is SJABLOON_KOLOMMEN without indeling_jaar): teller and noemer for a ratio, else
    a waarde of its kind. Numbers stay numbers (core.exports writes them as such)."""
    import datetime

    jaar = datetime.date.today().year - 1
    voorbeeld_periode = {"jaar": str(jaar), "schooljaar": f"{jaar - 1}/{jaar}",
                         "kwartaal": f"{jaar}-K4", "maand": f"{jaar}-12"}
    rijen = []
    for i in indicatoren:
        waarde, teller, noemer = SJABLOON_VOORBEELD.get(i.eenheid, (10, None, None))
        if i.is_ratio:
            waarde, teller, noemer = None, teller or 40, noemer or 1000
        else:
            teller = noemer = None
        rijen.append([i.code, regiocode, voorbeeld_periode.get(i.periodetype, str(jaar)),
                      waarde, teller, noemer, ""])
    return rijen


def sjabloon_csv(rijen) -> bytes:
    return exports.csv_text(SJABLOON_KOLOMMEN[:7], rijen).encode("utf-8")


def sjabloon_xlsx(rijen, indicatoren) -> bytes:
    """The template as a workbook: sheet 'Cijfers' to fill in and sheet 'Indicatoren' with
    what each code means and which values it takes."""
    from openpyxl.styles import Font

    wb = exports.new_workbook()
    ws = wb.active
    ws.title = "Cijfers"
    for rij in [SJABLOON_KOLOMMEN[:7], *rijen]:
        exports.xlsx_append(ws, rij)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    uitleg = wb.create_sheet("Indicatoren")
    exports.xlsx_append(uitleg, [_("code"), _("naam"), _("eenheid"), _("teller en noemer"),
                                 _("toegestane waarden")])
    for cell in uitleg[1]:
        cell.font = Font(bold=True)
    for i in indicatoren:
        exports.xlsx_append(uitleg, [i.code, i.naam, str(i.get_eenheid_display()),
                                     _("ja") if i.is_ratio else _("nee"), i.bereik_tekst()])
    for kolom, breedte in zip("ABCDE", (24, 50, 14, 16, 24), strict=True):
        uitleg.column_dimensions[kolom].width = breedte
    return exports.xlsx_bytes(wb)
