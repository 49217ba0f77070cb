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

from dataclasses import dataclass
from functools import cached_property
from math import gcd

from django.db import connection

from monitor.models import Status
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
    hidden?" without eliminating again for every candidate cell (rule 2's trial)."""

    def __init__(self, verborgen, sommen_):
        kolommen, rijen = {}, []
        for som in sommen_:
            termen = [(som.totaal, 1)] if som.totaal in verborgen else []
            termen += [(deel, -1) for deel in som.delen if deel in verborgen]
            if termen:
                rijen.append(som)
                for cel, _teken in termen:
                    kolommen.setdefault(cel, len(kolommen))
        self.kolommen, self.sommen = kolommen, rijen
        breedte, hoogte = len(kolommen), len(rijen)
        basis, nul = [], []  # [(pivot column, row + combination)], [combination]
        for i, som in enumerate(rijen):
            rij = [0] * (breedte + hoogte)  # the row, then its combination of the sums
            rij[breedte + i] = 1
            for cel, teken in self._termen(som, kolommen):
                rij[kolommen[cel]] += teken
            for pivot, b in basis:
                a = rij[pivot]
                if a:
                    rij = _gedeeld([b[pivot] * x - a * y for x, y in zip(rij, b, strict=True)])
            pivot = next((k for k in range(breedte) if rij[k]), None)
            if pivot is None:
                nul.append(rij[breedte:])
                continue
            for j, (p, b) in enumerate(basis):
                a = b[pivot]
                if a:
                    basis[j] = (p, _gedeeld([rij[pivot] * x - a * y
                                             for x, y in zip(b, rij, strict=True)]))
            basis.append((pivot, rij))
        self.breedte, self.basis, self.nul = breedte, basis, nul

    @staticmethod
    def _termen(som, kolommen):
        termen = [(som.totaal, 1)] if som.totaal in kolommen else []
        return termen + [(deel, -1) for deel in som.delen if deel in kolommen]

    def bepaald(self) -> set:
        namen = {k: cel for cel, k in self.kolommen.items()}
        return {namen[p] for p, rij in self.basis
                if sum(1 for x in rij[:self.breedte] if x) == 1}

    def blijft_bepaald(self, doel, cel, extra_sommen=()) -> bool:
        """Would `doel` (a determined hidden cell) still be determined if `cel` (shown now)
        were hidden too? `extra_sommen`: sums with `cel` that have no hidden cell yet. Hiding
        `cel` adds its column: in every reduced row the combination of its sums' coefficients
        of `cel`. A row that was all zero and now has only that entry, or a sum with no other
        hidden cell, gives `cel` away, so its column can be cleared and `doel` stays
        determined; otherwise `doel` stays determined only if its row gets no entry."""
        if any(cel in som.cellen for som in extra_sommen):
            return True
        coef = [(1 if som.totaal == cel else 0) - sum(1 for d in som.delen if d == cel)
                for som in self.sommen]

        def waarde(combinatie):
            return sum(c * a for c, a in zip(combinatie, coef, strict=True) if a)

        if any(waarde(n) for n in self.nul):
            return True
        kolom = self.kolommen[doel]
        rij = next(r for p, r in self.basis if p == kolom)
        return waarde(rij[self.breedte:]) == 0


def _gedeeld(rij: list) -> list:
    """The row divided by the gcd of its entries (kept small and exact)."""
    deler = gcd(*rij)
    return [x // deler for x in rij] if deler > 1 else rij


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
GROEPEN_SQL = """
SELECT DISTINCT indicator_id, periode FROM monitor_regiowaarde
WHERE status = 'onderdrukt' AND soort IN ('gemeente', 'wijk', 'buurt') AND {where}
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
    cursor.execute("DROP TABLE IF EXISTS monitor_afscherm_groep")
    cursor.execute("CREATE TEMPORARY TABLE monitor_afscherm_groep AS "
                   + GROEPEN_SQL.format(where=where), params + params)
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
    groep, cijfers, ids = None, {}, {}

    structuren = {}  # the sums of a gemeente's groepen repeat: computed once per cell pattern

    def klaar():
        patroon = (groep[2], frozenset(cijfers),
                   frozenset(s for s, c in cijfers.items() if c.status == Status.ONVOLLEDIG))
        structuur = structuren.get(patroon)
        if structuur is None:
            sommen_ = sommen(cijfers, gebied_regios)
            structuur = structuren[patroon] = (sommen_, per_cel(sommen_))
        for sleutel in aanvullend(cijfers, *structuur):
            if cijfers[sleutel].niveau == "gebied":
                rollup_ids.append(ids[sleutel])
                continue
            metingen.append((ids[sleutel], groep[0], groep[2]))
            if cijfers[sleutel].niveau == "gemeente":
                gemeente_rijen.append((groep[0], sleutel, groep[1]))

    if connection.vendor == "postgresql":
        # A server-side cursor is planned for its first rows (nested loops over the view);
        # every row is read, so plan for all of them (hash joins).
        cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
    with connection.chunked_cursor() as cellen:
        cellen.execute(CELLEN_SQL)
        while rijen := cellen.fetchmany(20000):
            for ind, periode, gemeente_id, pk, code, soort, status, n in rijen:
                if groep is None or (ind, periode) != groep[:2]:
                    if groep is not None:
                        klaar()
                    groep, cijfers, ids = (ind, periode, gemeente_id), {}, {}
                sleutel = ("gebied", int(code)) if soort == "gebied" else code
                cijfers[sleutel] = Cijfer(sleutel, soort, status, n)
                ids[sleutel] = pk
    if groep is not None:
        klaar()
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
