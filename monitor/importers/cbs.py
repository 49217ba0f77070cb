"""CBS StatLine tables (wide: one row per region and periode, one column per figure): the
"CSV met statistische symbolen" or "CSV met labels", and a page of the OData feed (JSON). The
columns are found by their meaning; the rows are checked by monitor.importers.lezer."""

import itertools
import re
from math import isfinite

from django.utils.translation import gettext as _

from core import imports
from monitor.importers.lezer import (
    ROLLEN,
    Lezer,
    Voorbeeld,
    csv_rijen,
    getal,
)
from monitor.models import Status

# Headers of a CBS region dimension: codes or names, the values decide (kies_regiokolom).
CBS_REGIO_KOLOMMEN = {"wijkenenbuurten", "regios", "regio's", "wijken en buurten", "regio",
                      "gemeenten", "gemeente", "wijken", "buurten", "regioaanduiding"}
CBS_CODE = re.compile(r"^(GM\d{4}|WK\d{6}|BU\d{8}|NL0[01])$")
VOORPROEF_RIJEN = 500  # the first rows that decide which column holds the region codes
CBS_PERIODE_KOLOMMEN = {"perioden", "periode", "jaar"}
AFGEROND_SOORTEN = frozenset({"wijk", "buurt"})  # CBS rounds these at random


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
    lezer = Lezer(gemeente, "cbs_json" if json else "cbs", stroom)
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
