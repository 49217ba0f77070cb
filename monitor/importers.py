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
from dataclasses import dataclass, field
from math import isfinite

from django.utils.translation import gettext as _

from core.periods import Periode
from monitor.models import FACTOR, Indicator, Status
from regions.models import LAND_CODE, Region

ROLLEN = ("waarde", "teller", "noemer")
# CBS symbols (https://www.cbs.nl/nl-nl/onze-diensten/methoden/...: "Verklaring van tekens").
LEEG = {"", ".", "?", "x.", "…"}  # no figure available / not applicable / unreliable
GEHEIM = {"x"}  # secret: not published to protect privacy or confidentiality
NIHIL = {"-"}  # nil (zero)
CBS_REGIO_KOLOMMEN = {"wijkenenbuurten", "regios", "regio's", "wijken en buurten", "regio",
                      "codering", "gemeenten", "regiocode"}
CBS_PERIODE_KOLOMMEN = {"perioden", "periode", "jaar"}
# Codes of Nederland: NL01 in most StatLine tables, NL00 in the Kerncijfers wijken en buurten.
LAND_CODES = frozenset({"NL00", LAND_CODE})
SJABLOON_KOLOMMEN = ["indicator", "regio", "periode", "waarde", "teller", "noemer", "status",
                     "indeling_jaar"]
SJABLOON_STATUS = {"": Status.WAARGENOMEN, "waargenomen": Status.WAARGENOMEN,
                   "geheim": Status.GEHEIM, "afgerond": Status.AFGEROND}
MAX_PROBLEMEN = 200
AFGEROND_SOORTEN = frozenset({"wijk", "buurt"})  # CBS rounds these at random
STROOM_RIJEN = 5000  # checked rows handed to the stream at a time


@dataclass
class Probleem:
    rij: int  # 1 = the header line
    kolom: str
    melding: str

    def __str__(self):
        if self.kolom:
            return _("Rij %(rij)s, kolom '%(kolom)s': %(melding)s") % {
                "rij": self.rij, "kolom": self.kolom, "melding": self.melding}
        return _("Rij %(rij)s: %(melding)s") % {"rij": self.rij, "melding": self.melding}


class BestandFout(Exception):
    """The file cannot be read at all (encoding, delimiter, header)."""

    def __init__(self, probleem: Probleem):
        self.probleem = probleem
        super().__init__(str(probleem))


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
    problemen: list = field(default_factory=list)
    genegeerde_kolommen: list = field(default_factory=list)
    indicatoren: dict = field(default_factory=dict)  # id → Indicator
    periodes: set = field(default_factory=set)
    codes: dict = field(default_factory=dict)  # region id → code, for display
    nieuwe_land_regios: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problemen

    def probleem(self, rij, kolom, melding):
        if len(self.problemen) < MAX_PROBLEMEN:
            self.problemen.append(Probleem(rij, kolom, melding))
        elif len(self.problemen) == MAX_PROBLEMEN:
            self.problemen.append(Probleem(rij, "", _(
                "er zijn nog meer fouten; herstel eerst deze en lees het bestand opnieuw in.")))

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


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        rij = data[: exc.start].count(b"\n") + 1
        raise BestandFout(Probleem(rij, "", _(
            "het bestand is geen UTF-8. Sla het op als 'CSV UTF-8' en probeer het opnieuw."))
        ) from None


def _controleer_scheidingsteken(eerste_regel: str):
    if ";" in eerste_regel:
        return
    gevonden = next((naam for teken, naam in ((",", _("komma's")), ("\t", _("tabs")))
                     if teken in eerste_regel), None)
    if gevonden:
        melding = _("het bestand is gescheiden met %(teken)s. Gebruik een puntkomma (;) als "
                    "scheidingsteken, zoals in de CSV-download van CBS StatLine en in het "
                    "sjabloon.") % {"teken": gevonden}
    else:
        melding = _("geen puntkomma (;) gevonden in de kopregel. Gebruik een puntkomma als "
                    "scheidingsteken.")
    raise BestandFout(Probleem(1, "", melding))


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
            for rol, value in (("waarde", waarde), ("teller", teller), ("noemer", noemer)):
                if value is not None and value < 0:
                    self.v.probleem(rij, kolommen.get(rol, rol), _(
                        "een negatief getal (%(getal)s) kan hier niet.") % {"getal": value})
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
    naam = (header or "").strip().strip('"').lower()
    head, sep, tail = naam.rpartition("_")
    return head if sep and tail.isdigit() else naam


def lees_cbs(data: bytes, gemeente, kolommen: dict | None = None,
             afgerond_wijk_buurt: bool = True, stroom=None) -> Voorbeeld:
    """A CBS StatLine "CSV met statistische symbolen" (wide: one row per region and periode,
    one column per figure).

    kolommen: {column header: (indicator code, rol)} with rol waarde/teller/noemer. Without it,
    a column named after an indicator code is its waarde, `<code>_teller`/`<code>_noemer` its
    teller and noemer. CBS wijk and buurt figures are randomly rounded: with
    `afgerond_wijk_buurt` their status is 'afgerond'. `stroom`: see the module docstring.
    """
    tekst = decode(data)
    eerste = tekst.split("\n", 1)[0]
    _controleer_scheidingsteken(eerste)
    lezer = _Lezer(gemeente, "cbs", stroom)
    v = lezer.v
    reader = csv.reader(io.StringIO(tekst, newline=""), delimiter=";", quotechar='"')
    header = next(reader, None)
    if not header:
        raise BestandFout(Probleem(1, "", _("het bestand is leeg.")))
    normed = [_norm(h) for h in header]
    regio_i = next((i for i, n in enumerate(normed) if n in CBS_REGIO_KOLOMMEN), None)
    periode_i = next((i for i, n in enumerate(normed) if n in CBS_PERIODE_KOLOMMEN), None)
    if regio_i is None or periode_i is None:
        raise BestandFout(Probleem(1, "", _(
            "de kopregel mist de kolom met regiocodes (bijvoorbeeld 'WijkenEnBuurten' of "
            "'RegioS') of de kolom 'Perioden'.")))
    mapping = {}  # column index → (Indicator, rol)
    opgegeven = {k.strip(): v for k, v in (kolommen or {}).items()}
    for i, h in enumerate(header):
        if i in (regio_i, periode_i):
            continue
        naam = h.strip()
        if naam in opgegeven:
            code, rol = opgegeven[naam]
        else:
            code, rol = _norm(h), "waarde"
            for r in ("teller", "noemer"):
                if code.endswith(f"_{r}"):
                    code, rol = code[: -len(r) - 1], r
        indicator = lezer.indicatoren.get(code.lower())
        if indicator is None or rol not in ROLLEN:
            if naam in opgegeven:
                raise BestandFout(Probleem(1, naam, _(
                    "indicator '%(code)s' of rol '%(rol)s' bestaat niet.") % {"code": code,
                                                                             "rol": rol}))
            v.genegeerde_kolommen.append(naam)
            continue
        mapping[i] = (indicator, rol)
    if not mapping:
        raise BestandFout(Probleem(1, "", _(
            "geen enkele kolom hoort bij een indicator van de monitor. Noem de kolom naar de "
            "code van de indicator, of geef aan welke kolom bij welke indicator hoort.")))
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
    for rij, velden in enumerate(reader, start=2):
        if not velden or (len(velden) == 1 and not velden[0].strip()):
            continue
        if len(velden) != n_kolommen:
            v.probleem(rij, "", _("deze rij heeft %(n)s velden, de kopregel %(k)s. Staat er een "
                                  "puntkomma in een waarde?") % {"n": len(velden),
                                                                 "k": n_kolommen})
            continue
        code = velden[regio_i].strip()
        periode = lezer.periode(rij, header[periode_i], velden[periode_i])
        if periode is None:
            continue
        region = lezer.regio(rij, header[regio_i], code, periode)
        if region is None:
            continue
        v.codes[region[0]] = code
        v.periodes.add(periode.code)
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
                lezer.meting(rij, indicator, region, periode, waarden[0], waarden[1],
                             waarden[2], status, kolnamen)
        lezer.stroom_door()
    lezer.stroom_door(klaar=True)
    return v


def _sjabloon_rijen(data: bytes, bestandsnaam: str):
    """Rows of the template as lists of cells (strings or numbers), header first."""
    if bestandsnaam.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - any unreadable workbook is the same problem
            raise BestandFout(Probleem(1, "", _("dit is geen leesbaar Excel-bestand (.xlsx)."))
                              ) from None
        for row in wb.worksheets[0].iter_rows(values_only=True):
            yield ["" if c is None else c for c in row]
        return
    tekst = decode(data)
    _controleer_scheidingsteken(tekst.split("\n", 1)[0])
    yield from csv.reader(io.StringIO(tekst, newline=""), delimiter=";", quotechar='"')


def lees_sjabloon(data: bytes, gemeente, bestandsnaam: str = "", stroom=None) -> Voorbeeld:
    """The Opgroeien template (long: one row per indicator, region and periode); columns
    indicator;regio;periode;waarde;teller;noemer and optional status, indeling_jaar.
    `stroom`: see the module docstring."""
    lezer = _Lezer(gemeente, "sjabloon", stroom)
    v = lezer.v
    rows = _sjabloon_rijen(data, bestandsnaam)
    header = next(rows, None)
    if not header:
        raise BestandFout(Probleem(1, "", _("het bestand is leeg.")))
    namen = [str(h).strip().lower() for h in header]
    ontbreekt = [k for k in ("indicator", "regio", "periode") if k not in namen]
    if ontbreekt or not any(r in namen for r in ROLLEN):
        raise BestandFout(Probleem(1, "", _(
            "de kopregel moet de kolommen indicator, regio, periode en minstens één van "
            "waarde, teller en noemer hebben (ontbreekt: %(kolommen)s).") % {
            "kolommen": ", ".join(ontbreekt) or "waarde/teller/noemer"}))
    index = {n: i for i, n in enumerate(namen) if n in SJABLOON_KOLOMMEN}
    v.genegeerde_kolommen = [str(h) for h in header if str(h).strip().lower() not in index]
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
