"""Complementary (secondary) suppression: no suppressed figure can be computed from published
ones. The one place where it is decided; the rollup (monitor.rollup) runs it after every
rebuild, and every output reads its result through the database (RegioWaarde and the rollup),
so pages, charts, exports, the API and the public monitor all show the same cells hidden.

Primary suppression (a figure on fewer than the gemeente's minimum_n) stays where it was: the
view monitor_regiowaarde and the rollup's gebied rows. This module adds the complementary
cells, per indicator × periode (a "groep": figures of different periodes or indicators are
never summed into each other):

- the cells of a groep: the gemeente, its wijken and buurten (RegioWaarde) and its gebieden
  (rollup rows); Nederland is in no sum and left alone;
- the sums (`Som`) they are in, by CBS code: a wijk = its buurten, the gemeente = its wijken,
  a gebied = its wijken/buurten. Teller, noemer and an 'aantal' all add up the same way, and a
  cell is hidden or shown as a whole, so one pattern protects all three;
- the visitor is assumed to know every figure we do not hide ourselves: a wijk or buurt that is
  missing or CBS-secret counts as known (it may be on the CBS site), so its sums still hold.
  Only a gebied figure that is 'onvolledig' is unknown (nobody else publishes it);
- rule 1: a sum whose hidden cells are all primary (small), or that has just one hidden cell,
  gets one more hidden cell, a cell that would have been shown: else the published cells give
  away the small total of the small cells together, or the one hidden cell;
- rule 2 (the guarantee): no hidden cell, primary or complementary, may follow from the
  published cells by any linear combination of the sums (exact integer Gaussian elimination
  over the hidden cells, so also combinations across sums that share cells: a buurt in a wijk
  and in a gebied, gemeente = wijken). While one does, another cell of a sum with hidden cells
  is hidden: the cheapest one that takes it out of reach. (A complementary cell that could be
  computed would protect nothing, and would give away the small total of the cells beside it.)
"Cheapest": a buurt before a wijk before a gebied before the gemeente, then the smallest n,
then the code. Only published figures and the pattern of primary cells decide the choice:
the choice itself tells nothing about a hidden value, and two indicators with the same noemer
get the same pattern (so one cannot fill in the other's hidden cells).

Complementary region cells are stored in monitor_afscherming (by Meting id); the view
monitor_regiowaarde shows them as 'onderdrukt' like primary ones. Complementary gebied and
gemeente rows of the rollup are set to 'onderdrukt' directly. Both statuses look the same
everywhere: telling them apart would tell which hidden cells are the small ones.
"""

import multiprocessing
import os
from dataclasses import dataclass
from functools import cached_property
from math import gcd

from django.db import connection

from monitor.models import DEFAULT_MINIMUM_N, Status
from regions.models import parent_code

NIVEAU_KOSTEN = {"buurt": 0, "wijk": 1, "gebied": 2, "gemeente": 3}
ZICHTBAAR = (Status.WAARGENOMEN, Status.AFGEROND)


@dataclass(frozen=True)
class Cijfer:
    """One cell of a groep. `sleutel`: the regio code, or ("gebied", id); `n`: the published
    n (None when not published); `status` as published before complementary suppression."""

    sleutel: object
    niveau: str
    status: str
    n: float | None = None

    @property
    def primair(self) -> bool:
        return self.status == Status.ONDERDRUKT

    @property
    def zichtbaar(self) -> bool:
        return self.status in ZICHTBAAR

    @cached_property
    def kosten(self):
        return (NIVEAU_KOSTEN[self.niveau], self.n if self.n is not None else 0.0,
                str(self.sleutel))


class Som:
    """totaal = sum(delen). A totaal that is not a cell of the groep is known to the visitor
    (see the module docstring); `totaal` None means so. `cellen`: totaal (if any) and delen."""

    __slots__ = ("totaal", "delen", "cellen")

    def __init__(self, totaal, delen):
        self.totaal, self.delen = totaal, tuple(delen)
        self.cellen = (totaal, *self.delen) if totaal is not None else self.delen

    def __repr__(self):
        return f"Som({self.totaal!r} = {' + '.join(map(repr, self.delen))})"


def sommen(cijfers: dict, gebied_regios: dict) -> list[Som]:
    """The sums the cells of one groep are in. `cijfers`: {sleutel: Cijfer}; `gebied_regios`:
    {gebied id: set of region codes}. Wijk and gemeente totals come from the CBS code nesting
    (BU → WK → GM); a total without a cell is known. A gebied that is 'onvolledig' has an
    unknown total in one sum only: that sum tells nothing and is left out."""
    kinderen = {}
    for sleutel, cijfer in cijfers.items():
        if cijfer.niveau == "buurt" or cijfer.niveau == "wijk":
            kinderen.setdefault(parent_code(sleutel), []).append(sleutel)
    result = []
    for ouder in sorted(kinderen):
        totaal = ouder if ouder in cijfers else None
        result.append(Som(totaal, tuple(sorted(kinderen[ouder]))))
    for sleutel in sorted((s for s, c in cijfers.items() if c.niveau == "gebied"), key=str):
        if cijfers[sleutel].status == Status.ONVOLLEDIG:
            continue
        delen = tuple(sorted(code for code in gebied_regios.get(sleutel[1], ())
                             if code in cijfers))
        if delen:
            result.append(Som(sleutel, delen))
    return result


def bepaald(verborgen, sommen_) -> set:
    """The hidden cells whose value follows from the published ones through `sommen_` (any
    linear combination): exact integer Gauss-Jordan elimination over the hidden cells (dense
    integer rows, divided by their gcd). A cell is determined when a row of the reduced matrix
    has its only non-zero entry in that cell's column."""
    return Eliminatie(verborgen, sommen_).bepaald()


class Eliminatie:
    """The reduced system of one set of hidden cells over some sums (see `bepaald`), with, for
    every reduced row, the combination of the original sums it came from. That lets
    `blijft_bepaald` answer "would this cell still be determined if one more cell were
    hidden?" without eliminating again for every candidate cell (rule 2's trial).
    Rows are sparse ({column: coefficient}; a sum touches few cells): columns 0 .. breedte-1
    are the hidden cells, column breedte + i is sum i of the combination."""

    def __init__(self, verborgen, sommen_):
        kolommen, rijen = {}, []
        for som in sommen_:
            termen = [(som.totaal, 1)] if som.totaal in verborgen else []
            termen += [(deel, -1) for deel in som.delen if deel in verborgen]
            if termen:
                rijen.append((som, termen))
                for cel, _teken in termen:
                    kolommen.setdefault(cel, len(kolommen))
        self.kolommen, self.sommen = kolommen, [som for som, _termen in rijen]
        breedte = len(kolommen)
        basis, nul = {}, []  # {pivot column: row}, [combination]
        for i, (_som, termen) in enumerate(rijen):
            rij = {breedte + i: 1}
            for cel, teken in termen:
                k = kolommen[cel]
                rij[k] = rij.get(k, 0) + teken
            for pivot, b in basis.items():
                a = rij.get(pivot)
                if a:
                    rij = _verminderd(rij, b, a, b[pivot])
            pivot = min((k for k, x in rij.items() if k < breedte and x), default=None)
            if pivot is None:
                nul.append({k - breedte: x for k, x in rij.items() if x})
                continue
            p = rij[pivot]
            for q, b in basis.items():
                a = b.get(pivot)
                if a:
                    basis[q] = _verminderd(b, rij, a, p)
            basis[pivot] = rij
        self.breedte, self.basis, self.nul = breedte, basis, nul

    def bepaald(self) -> set:
        namen = {k: cel for cel, k in self.kolommen.items()}
        breedte = self.breedte
        return {namen[p] for p, rij in self.basis.items()
                if sum(1 for k, x in rij.items() if x and k < breedte) == 1}

    def blijft_bepaald(self, doel, cel, extra_sommen=()) -> bool:
        """Would `doel` (a determined hidden cell) still be determined if `cel` (shown now)
        were hidden too? `extra_sommen`: sums with `cel` that have no hidden cell yet. Hiding
        `cel` adds its column: in every reduced row the combination of its sums' coefficients
        of `cel`. A row that was all zero and now has only that entry, or a sum with no other
        hidden cell, gives `cel` away, so its column can be cleared and `doel` stays
        determined; otherwise `doel` stays determined only if its row gets no entry."""
        if any(cel in som.cellen for som in extra_sommen):
            return True
        coef = {i: (1 if som.totaal == cel else 0) - som.delen.count(cel)
                for i, som in enumerate(self.sommen) if cel in som.cellen}
        if not coef:
            return True
        if any(sum(c * coef.get(i, 0) for i, c in n.items()) for n in self.nul):
            return True
        breedte = self.breedte
        rij = self.basis[self.kolommen[doel]]
        return sum(c * coef.get(k - breedte, 0) for k, c in rij.items() if k >= breedte) == 0


def _verminderd(rij: dict, b: dict, a: int, p: int) -> dict:
    """p * rij - a * b, without zero entries, divided by the gcd of its entries."""
    result = {k: p * x for k, x in rij.items()}
    for k, y in b.items():
        x = result.get(k, 0) - a * y
        if x:
            result[k] = x
        else:
            result.pop(k, None)
    deler = gcd(*result.values())
    return {k: x // deler for k, x in result.items()} if deler > 1 else result


def per_cel(sommen_: list[Som]) -> dict:
    """{cell: indexes in sommen_ of the sums it is in}."""
    result = {}
    for i, som in enumerate(sommen_):
        for cel in som.cellen:
            result.setdefault(cel, []).append(i)
    return result


def aanvullend(cijfers: dict, sommen_: list[Som], index: dict | None = None) -> set:
    """The complementary cells of one groep (keys of `cijfers`): cells that are shown now and
    must be hidden so that rules 1 and 2 (module docstring) hold. `index`: per_cel(sommen_),
    when the caller has it already."""
    verborgen = {s for s, c in cijfers.items() if c.status == Status.ONDERDRUKT}
    if not verborgen:
        return set()
    if index is None:
        index = per_cel(sommen_)
    gekozen = set()
    # A cell that follows from figures we do not publish alone (a sum whose known total is
    # missing here, e.g. a wijk without a figure and one buurt): no hiding helps.
    onbeschermbaar = None

    def zichtbaar(som):
        return [cijfers[s] for s in som.cellen if s not in verborgen and cijfers[s].zichtbaar]

    def behoeftig(som):
        """Rule 1, and the plain subtraction of rule 2: hidden cells, all of them primary,
        or just one (which the sum gives away)."""
        verborgen_hier = [s for s in som.cellen if s in verborgen]
        return verborgen_hier and (len(verborgen_hier) == 1
                                   or all(s not in gekozen for s in verborgen_hier))

    while True:
        actief_i = {i for cel in verborgen for i in index.get(cel, ())}
        actief = [sommen_[i] for i in sorted(actief_i)]
        toegevoegd = False
        for som in actief:
            if not behoeftig(som):
                continue
            kandidaten = zichtbaar(som)
            if kandidaten:
                # One cell for several such sums where it can (a buurt in its wijk and gebied).
                andere = [o for o in actief if o is not som and behoeftig(o)]
                keuze = min(kandidaten, key=lambda c: (
                    c.kosten[0], -sum(c.sleutel in o.cellen for o in andere), *c.kosten[1:]))
                verborgen.add(keuze.sleutel)
                gekozen.add(keuze.sleutel)
                toegevoegd = True
        if toegevoegd:
            continue
        eliminatie = Eliminatie(verborgen, actief)
        bloot = eliminatie.bepaald()
        if bloot and onbeschermbaar is None:
            onbeschermbaar = bepaald(set(cijfers), sommen_)
        bloot = sorted((s for s in bloot if s not in onbeschermbaar), key=str)
        if not bloot:
            return gekozen
        doel = bloot[0]  # rule 2: take it out of reach
        kandidaten = sorted({c.sleutel: c for som in actief for c in zichtbaar(som)}.values(),
                            key=lambda c: c.kosten)
        if not kandidaten:  # every cell of its sums hidden: nothing we show gives it away
            return gekozen
        keuze = next((c.sleutel for c in kandidaten if not eliminatie.blijft_bepaald(
            doel, c.sleutel,
            [sommen_[i] for i in index.get(c.sleutel, ()) if i not in actief_i])),
            kandidaten[0].sleutel)
        verborgen.add(keuze)
        gekozen.add(keuze)


# --- the database step, run by monitor.rollup ---------------------------------------------

# Groepen (indicator × periode) with a primary suppressed cell, of the indicators being rebuilt.
# A primary cell has n below its gemeente's minimum, so its noemer (or, without one, its
# waarde) is below the largest minimum of all gemeenten: the measurements that pass that
# test are picked out first (one cheap scan, about 0.2 % of them), and only those are looked
# up in the view, which alone decides what is suppressed. (Asking the view for every
# measurement's status took 17 s at national scale, this takes 2 s.)
GROEPEN_SQL = """
WITH klein AS {materialized} (
    SELECT id FROM monitor_meting
    WHERE (noemer < %s OR (noemer IS NULL AND waarde < %s)) AND {where})
SELECT DISTINCT v.indicator_id, v.periode FROM klein k
JOIN monitor_regiowaarde v ON v.id = k.id
WHERE v.status = 'onderdrukt' AND v.soort IN ('gemeente', 'wijk', 'buurt')
UNION
SELECT indicator_id, periode FROM monitor_reekswaarde
WHERE gebied_id IS NOT NULL AND status = 'onderdrukt' AND {where}
"""

# Every cell of those groepen: region cells (id = the Meting's) and gebied rows (id = the
# rollup row's), ordered by groep.
CELLEN_SQL = """
SELECT v.indicator_id, v.periode, v.gemeente_id, v.id, v.regio_code, v.soort, v.status, v.n
FROM monitor_regiowaarde v
JOIN monitor_afscherm_groep g ON g.indicator_id = v.indicator_id AND g.periode = v.periode
WHERE v.soort IN ('gemeente', 'wijk', 'buurt')
UNION ALL
SELECT r.indicator_id, r.periode, r.gemeente_id, r.id, CAST(r.gebied_id AS VARCHAR(20)),
       'gebied', r.status, r.n
FROM monitor_reekswaarde r
JOIN monitor_afscherm_groep g ON g.indicator_id = r.indicator_id AND g.periode = r.periode
WHERE r.gebied_id IS NOT NULL
ORDER BY 1, 2
"""

GEBIED_CODES_SQL = """
SELECT gr.gebied_id, r.code FROM regions_gebied_regions gr
JOIN regions_region r ON r.id = gr.region_id
"""

ONDERDRUK_ROLLUP_SQL = """
UPDATE monitor_reekswaarde SET status = 'onderdrukt', waarde = NULL, teller = NULL,
       noemer = NULL, n = NULL
WHERE id IN ({ids})
"""

# The rollup's gemeente rows are copies of RegioWaarde: hidden when their Meting is.
ONDERDRUK_GEMEENTE_SQL = """
UPDATE monitor_reekswaarde SET status = 'onderdrukt', waarde = NULL, teller = NULL,
       noemer = NULL, n = NULL
WHERE indicator_id = %s AND regio_code = %s AND periode = %s AND region_id IS NOT NULL
"""


# From this many groepen on (a full rebuild at regional or national scale) the groepen are
# computed by a pool of worker processes, one per core, while this process reads the cells.
PARALLEL_VANAF = 5000


def _grootste_minimum(cursor) -> int:
    """The largest minimum_n of any gemeente (DEFAULT_MINIMUM_N, the view's, for one without its
    own)."""
    cursor.execute("SELECT MAX(minimum_n) FROM monitor_monitorinstelling")
    grootste = cursor.fetchone()[0]
    return max(grootste or 0, DEFAULT_MINIMUM_N)


def _structuur(gemeente_id, cijfers, gebied_regios, cache):
    """The sums of a groep and their per_cel index: the same for every groep of a gemeente
    with the same cells, so computed once per pattern."""
    patroon = (gemeente_id, frozenset(cijfers),
               frozenset(s for s, c in cijfers.items() if c.status == Status.ONVOLLEDIG))
    structuur = cache.get(patroon)
    if structuur is None:
        sommen_ = sommen(cijfers, gebied_regios)
        structuur = cache[patroon] = (sommen_, per_cel(sommen_))
    return structuur


_GEBIED_REGIOS, _STRUCTUREN = {}, {}


def _groep_aanvullend(taak, gebied_regios=None, structuren=None) -> tuple:
    """The complementary cells of one groep: (groep, [(niveau, id, sleutel)]). `taak`: ((indicator,
    periode, gemeente), [(id, code, soort, status, n)]). In a worker process the gebied
    regions and the structure cache are the module's (set before the pool starts)."""
    (_indicator, _periode, gemeente_id), rijen = taak
    cijfers, ids = {}, {}
    for pk, code, soort, status, n in rijen:
        sleutel = ("gebied", int(code)) if soort == "gebied" else code
        cijfers[sleutel] = Cijfer(sleutel, soort, status, n)
        ids[sleutel] = pk
    structuur = _structuur(gemeente_id, cijfers,
                           _GEBIED_REGIOS if gebied_regios is None else gebied_regios,
                           _STRUCTUREN if structuren is None else structuren)
    return taak[0], [(cijfers[s].niveau, ids[s], s) for s in aanvullend(cijfers, *structuur)]


def _taken(rijen):
    """The groepen of the cell rows (ordered by groep), one taak (see _groep_aanvullend) each."""
    groep, cellen = None, []
    for ind, periode, gemeente_id, pk, code, soort, status, n in rijen:
        if groep is None or (ind, periode) != groep[:2]:
            if groep is not None:
                yield groep, cellen
            groep, cellen = (ind, periode, gemeente_id), []
        cellen.append((pk, code, soort, status, n))
    if groep is not None:
        yield groep, cellen


def _cel_rijen(cursor):
    """The rows of CELLEN_SQL, read as they come. On PostgreSQL streamed in chunks: unlike a
    server-side cursor, a streamed query may be run by parallel workers, and its memory stays
    bounded like a cursor's."""
    if connection.vendor == "postgresql":
        yield from cursor.cursor.stream(CELLEN_SQL, size=20000)
        return
    cursor.execute(CELLEN_SQL)
    while chunk := cursor.fetchmany(20000):
        yield from chunk


def _met_pool(taken, gebied_regios):
    """_groep_aanvullend of every taak, computed by one worker process per core. The workers
    are forked: they get the gebied regions without pickling, and never touch the database
    connection they inherit (they only compute, and leave through os._exit)."""
    _GEBIED_REGIOS.clear()
    _GEBIED_REGIOS.update(gebied_regios)
    _STRUCTUREN.clear()
    pool = multiprocessing.get_context("fork").Pool(os.cpu_count())
    try:
        # imap reads `taken` (the cursor) in the pool's feeder thread while the workers
        # compute and this thread collects.
        yield from pool.imap(_groep_aanvullend, taken, chunksize=64)
    finally:
        pool.terminate()
        pool.join()
        _GEBIED_REGIOS.clear()


def afschermen(cursor, indicator_ids=None) -> dict:
    """Recompute the complementary suppression of these indicators (None: all), after the
    rollup rows of those indicators were rebuilt with primary suppression only and their old
    monitor_afscherming rows were deleted. Runs inside the rollup's transaction.
    Returns {"groepen": groepen with a primary cell, "cellen": complementary cells}."""
    where, params = "1 = 1", []
    if indicator_ids is not None:
        if not indicator_ids:
            return {"groepen": 0, "cellen": 0}
        where = f"indicator_id IN ({', '.join(['%s'] * len(indicator_ids))})"
        params = list(indicator_ids)
    grens = _grootste_minimum(cursor)
    # PostgreSQL would otherwise fold the CTE into the join and look every measurement up.
    materialized = "MATERIALIZED" if connection.vendor == "postgresql" else ""
    cursor.execute("DROP TABLE IF EXISTS monitor_afscherm_groep")
    cursor.execute("CREATE TEMPORARY TABLE monitor_afscherm_groep AS "
                   + GROEPEN_SQL.format(where=where, materialized=materialized),
                   [grens, grens] + params + params)
    cursor.execute("SELECT COUNT(*) FROM monitor_afscherm_groep")
    n_groepen = cursor.fetchone()[0]
    if not n_groepen:
        cursor.execute("DROP TABLE monitor_afscherm_groep")
        return {"groepen": 0, "cellen": 0}
    if connection.vendor == "postgresql":
        cursor.execute("ANALYZE monitor_afscherm_groep")
    cursor.execute(GEBIED_CODES_SQL)
    gebied_regios = {}
    for gebied_id, code in cursor.fetchall():
        gebied_regios.setdefault(gebied_id, set()).add(code)
    metingen, rollup_ids, gemeente_rijen = [], [], []

    if n_groepen >= PARALLEL_VANAF and (os.cpu_count() or 1) > 1:
        resultaten = _met_pool(_taken(_cel_rijen(cursor)), gebied_regios)
    else:
        structuren = {}
        resultaten = (_groep_aanvullend(taak, gebied_regios, structuren)
                      for taak in _taken(_cel_rijen(cursor)))
    for (ind, periode, gemeente_id), cellen in resultaten:
        for niveau, pk, sleutel in cellen:
            if niveau == "gebied":
                rollup_ids.append(pk)
                continue
            metingen.append((pk, ind, gemeente_id))
            if niveau == "gemeente":
                gemeente_rijen.append((ind, sleutel, periode))
    cursor.execute("DROP TABLE monitor_afscherm_groep")
    if metingen:
        cursor.executemany("INSERT INTO monitor_afscherming (meting_id, indicator_id, "
                           "gemeente_id) VALUES (%s, %s, %s)", metingen)
    if gemeente_rijen:
        cursor.executemany(ONDERDRUK_GEMEENTE_SQL, gemeente_rijen)
    for start in range(0, len(rollup_ids), 500):
        deel = rollup_ids[start:start + 500]
        cursor.execute(ONDERDRUK_ROLLUP_SQL.format(ids=", ".join(["%s"] * len(deel))), deel)
    return {"groepen": n_groepen, "cellen": len(metingen) + len(rollup_ids)}
