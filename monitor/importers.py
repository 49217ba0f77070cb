"""Reading measurement files: CBS StatLine "CSV met statistische symbolen" and the generic
Opgroeien template (CSV or XLSX, see docs/monitor-import.md).

One streaming pass over the file checks every row with dict lookups (no ORM objects) and
produces compact tuples ready for PostgreSQL COPY. Nothing is written here. monitor.services
decides, from the result, whether the whole file is imported or rejected; it may pass a
`stroom`: a callable that gets the checked rows in chunks while the file is still being read
(to feed an open COPY), for as long as the file has no problem.

Regions are never mapped silently: a code is looked up in the CBS indeling in force for the row's
periode (the latest indeling year of the gemeente that is not after the periode's year, or the
year in an `indeling_jaar` column). A code that does not exist in that indeling is an error.
National figures (NL01, or NL00 as in the CBS tables of wijken en buurten) belong to the
gemeente's region Nederland (soort 'land') of that indeling; when it does not exist yet, the
rows carry a placeholder id and monitor.services creates the region when the file is imported.
"""

import csv
import io
import itertools
import re
from dataclasses import dataclass, field
from math import isfinite

from django.utils.translation import gettext as _

from core import exports, imports
from core.periods import Periode
from monitor.models import FACTOR, ImportBatch, Indicator, Status
from regions.models import LAND_CODE, Region

ROLLEN = ("waarde", "teller", "noemer")
# CBS symbols (https://www.cbs.nl/nl-nl/onze-diensten/methoden/...: "Verklaring van tekens").
LEEG = {"", ".", "?", "x.", "…"}  # no figure available / not applicable / unreliable
GEHEIM = {"x"}  # secret: not published to protect privacy or confidentiality
NIHIL = {"-"}  # nil (zero)
# Headers of a CBS region dimension: codes or names, the values decide (kies_regiokolom).
CBS_REGIO_KOLOMMEN = {"wijkenenbuurten", "regios", "regio's", "wijken en buurten", "regio",
                      "gemeenten", "gemeente", "wijken", "buurten", "regioaanduiding"}
CBS_CODE = re.compile(r"^(GM\d{4}|WK\d{6}|BU\d{8}|NL0[01])$")
VOORPROEF_RIJEN = 500  # the first rows that decide which column holds the region codes
CBS_PERIODE_KOLOMMEN = {"perioden", "periode", "jaar"}
# Codes of Nederland: NL01 in most StatLine tables, NL00 in the Kerncijfers wijken en buurten.
LAND_CODES = frozenset({"NL00", LAND_CODE})
SJABLOON_KOLOMMEN = ["indicator", "regio", "periode", "waarde", "teller", "noemer", "status",
                     "indeling_jaar"]
# Other names people give the template's columns (case, accents and spacing never matter).
SJABLOON_ALIASSEN = {"indicator": ["indicatorcode", "code indicator"],
                     "regio": ["regiocode", "cbs-code", "code regio"],
                     "periode": ["perioden", "jaar"], "waarde": ["cijfer"], "teller": [],
                     "noemer": [], "status": [], "indeling_jaar": ["indeling", "cbs-indeling"]}
SJABLOON_STATUS = {"": Status.WAARGENOMEN, "waargenomen": Status.WAARGENOMEN,
                   "geheim": Status.GEHEIM, "afgerond": Status.AFGEROND}
AFGEROND_SOORTEN = frozenset({"wijk", "buurt"})  # CBS rounds these at random
STROOM_RIJEN = 5000  # checked rows handed to the stream at a time


@dataclass
class Voorbeeld:
    """What a file would import: rows (tuples for COPY) and problems with row numbers.

    rijen: [(indicator_id, region_id, periode_code, waarde, teller, noemer, status)]
    rijnummers: {(indicator_id, region_id, periode_code): row number in the file}
    nieuwe_land_regios: {indeling jaar: placeholder region id (negative)} for national rows
        whose region Nederland does not exist yet (monitor.services creates it on import)
    """

    formaat: str
    rijen: list = field(default_factory=list)
    rijnummers: dict = field(default_factory=dict)
    problemen: imports.Problemen = field(default_factory=imports.Problemen)
    genegeerde_kolommen: list = field(default_factory=list)
    indicatoren: dict = field(default_factory=dict)  # id → Indicator
    periodes: set = field(default_factory=set)
    codes: dict = field(default_factory=dict)  # region id → code, for display
    nieuwe_land_regios: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problemen

    codering: str = ""  # the encoding of a CSV file (core.imports.read_text)
    regio_kolom: str = ""  # the column the region codes were taken from (CBS files)
    periode_kolom: str = ""
    opmerkingen: list = field(default_factory=list)  # notes for the preview

    def probleem(self, rij, kolom, melding):
        self.problemen.melden(rij, kolom, melding)

    def samenvatting(self) -> list[dict]:
        """Per indicator: naam, number of measurements, periodes, and how many are secret or
        rounded."""
        per = {}
        for ind_id, _region, periode, _w, _t, _n, status in self.rijen:
            item = per.setdefault(ind_id, {"indicator": self.indicatoren[ind_id], "aantal": 0,
                                           "periodes": set(), "geheim": 0, "afgerond": 0})
            item["aantal"] += 1
            item["periodes"].add(periode)
            if status == Status.GEHEIM:
                item["geheim"] += 1
            elif status == Status.AFGEROND:
                item["afgerond"] += 1
        return [{**v, "periodes": sorted(v["periodes"])} for v in per.values()]

    def eerste_rijen(self, n=20) -> list[dict]:
        return [{"indicator": self.indicatoren[r[0]].code, "regio": self.codes.get(r[1], ""),
                 "periode": r[2], "waarde": r[3], "teller": r[4], "noemer": r[5],
                 "status": r[6]} for r in self.rijen[:n]]


class Indeling:
    """The gemeente's CBS regions per indeling year, as plain dicts."""

    def __init__(self, gemeente):
        self.gemeente = gemeente
        self.per_jaar: dict[int, dict[str, tuple[int, str]]] = {}
        for pk, jaar, code, soort in Region.objects.filter(gemeente=gemeente).values_list(
                "pk", "jaar", "code", "soort"):
            self.per_jaar.setdefault(jaar, {})[code] = (pk, soort)
        self.jaren = sorted(self.per_jaar)
        self._voor_jaar: dict[int, int | None] = {}

    def jaar_voor(self, jaar: int) -> int | None:
        """The indeling in force in `jaar`: the latest stored indeling year ≤ jaar."""
        if jaar not in self._voor_jaar:
            self._voor_jaar[jaar] = max((j for j in self.jaren if j <= jaar), default=None)
        return self._voor_jaar[jaar]


def csv_rijen(data: bytes, v: Voorbeeld):
    """The rows of a CSV file (`;` only, as CBS StatLine writes), UTF-8 or Windows-1252:
    only codes and numbers are read, so a Windows-1252 file cannot garble stored text. The
    encoding used is kept on the Voorbeeld for the preview."""
    tekst, v.codering = imports.read_text(data, windows_1252=True)
    imports.detect_delimiter(tekst.split("\n", 1)[0], allowed=(";",))
    return csv.reader(io.StringIO(tekst, newline=""), delimiter=";", quotechar='"')


def getal(tekst):
    """CBS cell → float, None (no figure) or GEHEIM_WAARDE; raises ValueError for text."""
    s = tekst.strip() if isinstance(tekst, str) else tekst
    if isinstance(s, (int, float)) and not isinstance(s, bool):
        value = float(s)
    else:
        s = "" if s is None else str(s)
        if s in LEEG:
            return None
        if s.lower() in GEHEIM:
            return GEHEIM_WAARDE
        if s in NIHIL:
            return 0.0
        if "," in s:
            s = s.replace(".", "").replace(",", ".") if "." in s else s.replace(",", ".")
        value = float(s)  # ValueError for text
    if not isfinite(value):
        raise ValueError(s)
    return value


class _Geheim:
    def __repr__(self):
        return "GEHEIM"


GEHEIM_WAARDE = _Geheim()


class _Lezer:
    """Shared row checks for both formats."""

    def __init__(self, gemeente, formaat, stroom=None):
        self.gemeente = gemeente
        self.stroom = stroom
        self.doorgegeven = 0  # rows of v.rijen already handed to the stream
        self.indeling = Indeling(gemeente)
        self.v = Voorbeeld(formaat=formaat)
        self.periode_cache: dict[str, Periode | None] = {}
        self.bereik: dict[int, tuple] = {}  # indicator id → Indicator.bereik
        self.indicatoren = {i.code.lower(): i for i in Indicator.objects.filter(
            gemeente=gemeente)}

    def stroom_door(self, klaar=False):
        """Hand the rows checked since the last call to the stream, in chunks of
        STROOM_RIJEN (all of them when `klaar`), as long as the file has no problem: after the
        first problem nothing more is written, but reading goes on to list every problem."""
        v = self.v
        if self.stroom is None or v.problemen or not (
                klaar or len(v.rijen) - self.doorgegeven >= STROOM_RIJEN):
            return
        if len(v.rijen) > self.doorgegeven:
            self.stroom(v.rijen[self.doorgegeven:])
            self.doorgegeven = len(v.rijen)

    def periode(self, rij, kolom, tekst):
        tekst = (tekst or "").strip() if isinstance(tekst, str) else str(int(tekst))
        if tekst not in self.periode_cache:
            try:
                self.periode_cache[tekst] = Periode.parse(tekst)
            except ValueError:
                self.periode_cache[tekst] = None
        periode = self.periode_cache[tekst]
        if periode is None:
            self.v.probleem(rij, kolom, _("'%(tekst)s' is geen periode (bijvoorbeeld 2019 of "
                                          "2019JJ00).") % {"tekst": tekst})
        return periode

    def regio(self, rij, kolom, code, periode, indeling_jaar=None):
        """(region_id, soort) or None (problem recorded)."""
        jaar = indeling_jaar if indeling_jaar is not None else self.indeling.jaar_voor(
            periode.jaar)
        if jaar is None or jaar not in self.indeling.per_jaar:
            eerste = self.indeling.jaren[0] if self.indeling.jaren else None
            if indeling_jaar is not None:
                melding = _("de CBS-indeling %(jaar)s van %(gemeente)s is niet ingelezen.") % {
                    "jaar": indeling_jaar, "gemeente": self.gemeente.naam}
            elif eerste is None:
                melding = _("van %(gemeente)s is nog geen CBS-indeling ingelezen. Lees eerst "
                            "de wijken en buurten in.") % {"gemeente": self.gemeente.naam}
            else:
                melding = _("voor %(periode)s is geen CBS-indeling van %(gemeente)s ingelezen "
                            "(de eerste is van %(eerste)s). Lees de indeling van dat jaar in; "
                            "regio's worden niet automatisch omgezet.") % {
                    "periode": periode.label, "gemeente": self.gemeente.naam, "eerste": eerste}
            self.v.probleem(rij, kolom, melding)
            return None
        found = self.indeling.per_jaar[jaar].get(code)
        if found is None and code in LAND_CODES:
            found = self.land(jaar)
        if found is None:
            self.v.probleem(rij, kolom, _(
                "regiocode '%(code)s' bestaat niet in de CBS-indeling %(jaar)s van "
                "%(gemeente)s (de indeling die geldt voor %(periode)s). Regio's worden niet "
                "automatisch omgezet: controleer de code of lees de juiste indeling in.") % {
                "code": code, "jaar": jaar, "gemeente": self.gemeente.naam,
                "periode": periode.label})
        return found

    def land(self, jaar):
        """(region_id, 'land') of Nederland in the indeling of `jaar`; a placeholder id when the
        gemeente has no such region yet (no figure for Nederland was imported for it)."""
        regios = self.indeling.per_jaar[jaar]
        found = regios.get(LAND_CODE)
        if found is None:
            found = (-jaar, Region.Soort.LAND.value)
            self.v.nieuwe_land_regios[jaar] = -jaar
        regios.update(dict.fromkeys(LAND_CODES, found))  # later rows: one dict lookup
        return found

    def meting(self, rij, indicator, region, periode, waarde, teller, noemer, status,
               kolommen: dict):
        """Check one measurement (values already parsed: float, None or GEHEIM_WAARDE) and
        append it. The hot path of every import: plain comparisons, no allocations beyond the
        row tuple."""
        if indicator.periodetype != periode.soort:
            self.v.probleem(rij, kolommen.get("periode", ""), _(
                "indicator '%(code)s' gebruikt periodes van het soort %(soort)s, niet "
                "%(periode)s.") % {"code": indicator.code,
                                   "soort": indicator.get_periodetype_display(),
                                   "periode": periode.label})
            return
        if waarde is GEHEIM_WAARDE or teller is GEHEIM_WAARDE or noemer is GEHEIM_WAARDE \
                or status == Status.GEHEIM:
            waarde = teller = noemer = None
            status = Status.GEHEIM
        else:
            if waarde is None and teller is None and noemer is None:
                return  # no figure ('.'): nothing to store
            for rol, value in (("teller", teller), ("noemer", noemer)):
                if value is not None and value < 0:
                    self.v.probleem(rij, kolommen.get(rol, rol), _(
                        "een negatief getal (%(getal)s) kan hier niet.") % {"getal": value})
                    return
            if waarde is not None:
                onder, boven = self.bereik.get(indicator.pk) or self.bereik.setdefault(
                    indicator.pk, indicator.bereik)
                if (onder is not None and waarde < onder) or (boven is not None
                                                              and waarde > boven):
                    self.v.probleem(rij, kolommen.get("waarde", "waarde"), _(
                        "%(getal)s ligt buiten het bereik van indicator '%(code)s' "
                        "(%(bereik)s).") % {"getal": _fmt(waarde), "code": indicator.code,
                                            "bereik": indicator.bereik_tekst()})
                    return
            if teller is not None and noemer is not None:
                if teller > noemer:
                    self.v.probleem(rij, kolommen.get("teller", "teller"), _(
                        "de teller (%(teller)s) is groter dan de noemer (%(noemer)s).") % {
                        "teller": _fmt(teller), "noemer": _fmt(noemer)})
                    return
                if waarde is None and noemer and indicator.is_ratio:
                    waarde = FACTOR.get(indicator.eenheid, 1.0) * teller / noemer
        region_id = region[0]
        key = (indicator.pk, region_id, periode.code)
        rijnummers = self.v.rijnummers
        eerder = rijnummers.get(key)
        if eerder is not None:
            self.v.probleem(rij, "", _(
                "indicator '%(code)s' voor deze regio en periode staat ook in rij %(eerder)s "
                "(dubbele rij).") % {"code": indicator.code, "eerder": eerder})
            return
        rijnummers[key] = rij
        self.v.rijen.append((indicator.pk, region_id, periode.code, waarde, teller, noemer,
                             status))


def _fmt(value):
    return f"{value:g}"


def _norm(header: str) -> str:
    """A CBS header for comparing: no quotes, case or extra spacing, and without the
    '_<n>' that StatLine's OData keys end in (KinderenInLaagInkomen_1, Codering_3)."""
    naam = imports.normalize(header)
    head, sep, tail = naam.rpartition("_")
    return head if sep and tail.isdigit() else naam


def _is_code_kop(naam: str) -> bool:
    """A header that says it holds codes: 'Codering', 'Regiocode (gemeente, wijk, buurt)
    (code)', 'Gemeentecode'."""
    return "code" in naam or "codering" in naam


def _cbs_code(cel) -> str:
    return str(cel).strip().upper()


def kies_regiokolom(header, normed, rijen, uitgesloten) -> int:
    """The column with the CBS region codes. Candidates are the region dimension ('Wijken en
    buurten', 'RegioS': codes in the OData feed and the older CSV, names in the CSV with
    labels) and every header that says 'code'; the values decide: the candidate with the
    most CBS codes (GM0014, WK001400, BU00140000, NL00/NL01) in the first rows wins, a header
    that says 'code' on a tie. ImportGeweigerd when no column holds codes."""
    kandidaten = [i for i, n in enumerate(normed) if i not in uitgesloten
                  and (n in CBS_REGIO_KOLOMMEN or _is_code_kop(n))]
    if not kandidaten:
        imports.weiger(_(
            "de kopregel mist de kolom met regiocodes (bijvoorbeeld 'WijkenEnBuurten', "
            "'Codering' of 'Regiocode (gemeente, wijk, buurt) (code)') of de kolom "
            "'Perioden'."))

    def score(i):
        cellen = [_cbs_code(r[i]) for r in rijen if i < len(r) and str(r[i]).strip()]
        codes = sum(1 for c in cellen if CBS_CODE.match(c))
        return (codes * 2 >= len(cellen) and codes > 0, codes, _is_code_kop(normed[i]))

    beste = max(kandidaten, key=score)
    if not score(beste)[0]:
        voorbeeld = next((str(r[kandidaten[0]]).strip() for r in rijen
                          if kandidaten[0] < len(r) and str(r[kandidaten[0]]).strip()), "")
        imports.weiger(_(
            "in dit bestand staan geen CBS-regiocodes (zoals GM0014, WK001400 of BU00140000), "
            "alleen namen: kolom '%(kolom)s' heeft bijvoorbeeld '%(voorbeeld)s'. Regio's "
            "worden niet op naam gezocht. Kies in StatLine ook het onderwerp met de regiocode "
            "(bijvoorbeeld 'Regiocode (gemeente, wijk, buurt)' of 'Codering') en download het "
            "bestand opnieuw.") % {"kolom": header[kandidaten[0]].strip(),
                                   "voorbeeld": voorbeeld})
    return beste


def lees_cbs(data: bytes, gemeente, kolommen: dict | None = None,
             afgerond_wijk_buurt: bool = True, stroom=None, periode: str = "",
             json: bool = False) -> Voorbeeld:
    """A CBS StatLine table (wide: one row per region and periode, one column per figure):
    the "CSV met statistische symbolen" or "CSV met labels" (`;`, quoted or not, UTF-8 with or
    without BOM or Windows-1252), or with `json` a page of the OData feed
    ({"value": [{...}, ...]}, as the TypedDataSet of the same tables).

    Columns are found by their meaning (module docstring of kies_regiokolom): the region codes
    (padded codes are fine), the periode ('Perioden': 2019JJ00 or 2019; a table without it,
    such as the Kerncijfers wijken en buurten, takes `periode`), and the figures.
    kolommen: {column header: (indicator code, rol)} with rol waarde/teller/noemer. Without
    it, a column named after an indicator code is its waarde, `<code>_teller`/`<code>_noemer`
    its teller and noemer. CBS wijk and buurt figures are randomly rounded: with
    `afgerond_wijk_buurt` their status is 'afgerond'. `stroom`: see the module docstring.
    """
    lezer = _Lezer(gemeente, "cbs_json" if json else "cbs", stroom)
    v = lezer.v
    if json:
        header, reader = _json_rijen(data, v)
    else:
        reader = csv_rijen(data, v)
        header = next(reader, None)
    if not header or not any(str(h).strip() for h in header):
        imports.weiger(_("het bestand is leeg."))
    normed = [_norm(h) for h in header]
    opgegeven = {imports.normalize(k): v for k, v in (kolommen or {}).items()}
    mapping = {}  # column index → (Indicator, rol)
    for i, h in enumerate(header):
        naam = imports.normalize(h)
        if naam in opgegeven:
            code, rol = opgegeven[naam]
        else:
            code, rol = normed[i], "waarde"
            for r in ("teller", "noemer"):
                if code.endswith(f"_{r}"):
                    code, rol = code[: -len(r) - 1], r
        indicator = lezer.indicatoren.get(code.lower())
        if indicator is None or rol not in ROLLEN:
            if naam in opgegeven:
                imports.weiger(_("indicator '%(code)s' of rol '%(rol)s' bestaat niet.") % {
                    "code": code, "rol": rol}, kolom=h.strip())
            continue
        mapping[i] = (indicator, rol)
    periode_i = next((i for i, n in enumerate(normed) if n in CBS_PERIODE_KOLOMMEN
                      and i not in mapping), None)
    vaste_periode = None
    if periode_i is None:
        if not periode:
            imports.weiger(_(
                "het bestand heeft geen kolom 'Perioden'. Een tabel met één jaar, zoals de "
                "Kerncijfers wijken en buurten, heeft dat niet: geef dan de periode op "
                "(bijvoorbeeld 2022)."))
        vaste_periode = lezer.periode(1, "", periode)
        if vaste_periode is None:
            imports.weiger(v.problemen[0].melding)
    # The first rows decide which column holds the region codes.
    eerste = []
    for velden in reader:
        eerste.append(velden)
        if len(eerste) >= VOORPROEF_RIJEN:
            break
    regio_i = kies_regiokolom(header, normed, eerste, set(mapping) | {periode_i})
    v.regio_kolom = header[regio_i].strip()
    v.periode_kolom = header[periode_i].strip() if periode_i is not None else ""
    v.genegeerde_kolommen = [h.strip() for i, h in enumerate(header)
                             if i not in mapping and i not in (regio_i, periode_i)]
    if not mapping:
        imports.weiger(_(
            "geen enkele kolom hoort bij een indicator van de monitor. Noem de kolom naar de "
            "code van de indicator, of geef aan welke kolom bij welke indicator hoort."))
    per_indicator = {}
    for i, (indicator, rol) in mapping.items():
        per_indicator.setdefault(indicator.pk, (indicator, {}))[1][rol] = i
    # Per indicator: (Indicator, [(index in (waarde, teller, noemer), column)], column names).
    specs = [(indicator, [(ROLLEN.index(rol), i) for rol, i in rollen.items()],
              {rol: header[i] for rol, i in rollen.items()})
             for indicator, rollen in per_indicator.values()]
    for indicator, _rollen in per_indicator.values():
        v.indicatoren[indicator.pk] = indicator
    n_kolommen = len(header)
    regio_kop = header[regio_i]
    periode_kop = header[periode_i] if periode_i is not None else ""
    for rij, velden in enumerate(itertools.chain(eerste, reader), start=2):
        if not velden or (len(velden) == 1 and not velden[0].strip()):
            continue
        if len(velden) != n_kolommen:
            v.probleem(rij, "", _("deze rij heeft %(n)s velden, de kopregel %(k)s. Staat er een "
                                  "puntkomma in een waarde?") % {"n": len(velden),
                                                                 "k": n_kolommen})
            continue
        code = velden[regio_i].strip().upper()
        periode_rij = vaste_periode or lezer.periode(rij, periode_kop,
                                                     velden[periode_i].rstrip(" *"))
        if periode_rij is None:
            continue
        region = lezer.regio(rij, regio_kop, code, periode_rij)
        if region is None:
            continue
        v.codes[region[0]] = code
        v.periodes.add(periode_rij.code)
        status = Status.AFGEROND if afgerond_wijk_buurt and region[1] in AFGEROND_SOORTEN \
            else Status.WAARGENOMEN
        for indicator, posities, kolnamen in specs:
            waarden = [None, None, None]
            fout = False
            for k, i in posities:
                cel = velden[i]
                try:
                    x = float(cel)  # fast path: a plain number (float() ignores the padding)
                    if not isfinite(x):
                        raise ValueError(cel)
                except ValueError:
                    try:
                        x = getal(cel)
                    except ValueError:
                        v.probleem(rij, header[i], _("'%(tekst)s' is geen getal.") % {
                            "tekst": cel.strip()})
                        fout = True
                        continue
                waarden[k] = x
            if not fout:
                lezer.meting(rij, indicator, region, periode_rij, waarden[0], waarden[1],
                             waarden[2], status, kolnamen)
        lezer.stroom_door()
    lezer.stroom_door(klaar=True)
    return v


def _json_cel(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _json_rijen(data: bytes, v: Voorbeeld):
    """(header, rows) of a page of the StatLine OData feed: {"value": [{key: value}, ...]}
    (or the bare list). Numbers stay exact; null is no figure."""
    doc = imports.read_json(data)
    records = doc.get("value") if isinstance(doc, dict) else doc
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        imports.weiger(_("dit JSON-bestand is geen pagina van de CBS-feed (OData): die heeft "
                         "een lijst 'value' met één object per regio en periode."))
    if not records:
        imports.weiger(_("het bestand is leeg."))
    if isinstance(doc, dict) and doc.get("odata.nextLink", doc.get("@odata.nextLink")):
        v.opmerkingen.append(_("Dit is één pagina van de CBS-feed; de volgende pagina's "
                               "leest u apart in."))
    header = list(records[0])
    for r in records[1:]:
        header.extend(k for k in r if k not in header)
    return header, ([_json_cel(r.get(k)) for k in header] for r in records)


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
    lezer = _Lezer(gemeente, "sjabloon", stroom)
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


def formaat_van(data: bytes, bestandsnaam: str) -> str:
    """'cbs', 'cbs_json' or 'sjabloon', from the file: JSON is the CBS feed, XLSX the
    template, and a CSV is the template when its header starts with 'indicator'."""
    if bestandsnaam.lower().endswith(".xlsx"):
        return ImportBatch.Formaat.SJABLOON
    if bestandsnaam.lower().endswith(".json"):
        return ImportBatch.Formaat.CBS_JSON
    kop = data[:500].decode("utf-8-sig", errors="replace").split("\n", 1)[0]
    eerste = kop.replace('"', "").split(";")[0].split(",")[0].strip().lower()
    return ImportBatch.Formaat.SJABLOON if eerste == "indicator" else ImportBatch.Formaat.CBS


def lees_bestand(data: bytes, gemeente, bestandsnaam: str, *, formaat=None, kolommen=None,
                 stroom=None, periode=""):
    """Parse and check a file → Voorbeeld (raises core.imports.ImportGeweigerd when
    the file cannot be read at all). `stroom`: see lees_cbs; `periode`: for a CBS
    table without a Perioden column."""
    formaat = formaat or formaat_van(data, bestandsnaam)
    if formaat in (ImportBatch.Formaat.CBS, ImportBatch.Formaat.CBS_JSON):
        return lees_cbs(data, gemeente, kolommen=kolommen, stroom=stroom, periode=periode,
                        json=formaat == ImportBatch.Formaat.CBS_JSON)
    return lees_sjabloon(data, gemeente, bestandsnaam, stroom=stroom)
