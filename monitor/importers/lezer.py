"""The shared part of reading a measurement file: what a file would import (`Voorbeeld`), the
gemeente's CBS indeling per year (`Indeling`), CBS cell values (`getal`) and the checks of one
measurement that both formats share (`Lezer`: periode, region, range, teller/noemer, double
rows, and handing checked rows to the stream)."""

import csv
import io
from dataclasses import dataclass, field
from math import isfinite

from django.utils.translation import gettext as _

from core import imports
from core.periods import Periode
from monitor.models import FACTOR, Indicator, Status
from regions.models import LAND_CODE, Region

ROLLEN = ("waarde", "teller", "noemer")
# CBS symbols (https://www.cbs.nl/nl-nl/onze-diensten/methoden/...: "Verklaring van tekens").
LEEG = {"", ".", "?", "x.", "…"}  # no figure available / not applicable / unreliable
GEHEIM = {"x"}  # secret: not published to protect privacy or confidentiality
NIHIL = {"-"}  # nil (zero)
# Codes of Nederland: NL01 in most StatLine tables, NL00 in the Kerncijfers wijken en buurten.
LAND_CODES = frozenset({"NL00", LAND_CODE})
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


class Lezer:
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

