"""Reads for the monitor pages that monitor.selectors does not offer in one query: all series
of one indicator (gemeente and every gebied) for the indicator page, and every rollup row of an
indicator for the export. Reads only, always within one gemeente, from the rollup (where small
numbers are already suppressed).
"""

from monitor.models import ReeksWaarde
from monitor.selectors import PUNT_VELDEN, Punt, gebieden, gemeente_code


def _punt(row) -> Punt:
    return Punt(*(row[name] for name in PUNT_VELDEN))


def indicator_reeksen(user, gemeente, indicator) -> dict:
    """The gemeente's series and every gebied's series of one indicator, in one query.

    Returns {"periodes": [Periode] (sorted), "gemeente": {Periode: Punt},
    "gebieden": [{"gebied": Gebied, "punten": {Periode: Punt}}]} (gebieden by naam)."""
    from django.db.models import Q

    rows = (ReeksWaarde.objects.filter(gemeente_id=gemeente.pk, indicator_id=indicator.pk)
            .filter(Q(gebied__isnull=False)
                    | Q(regio_code=gemeente_code(gemeente), region__isnull=False))
            .values("gebied_id", *PUNT_VELDEN))
    gemeente_punten, per_gebied, periodes = {}, {}, set()
    for r in rows:
        punt = _punt(r)
        periodes.add(punt.periode)
        if r["gebied_id"] is None:
            gemeente_punten[punt.periode] = punt
        else:
            per_gebied.setdefault(r["gebied_id"], {})[punt.periode] = punt
    return {"periodes": sorted(periodes), "gemeente": gemeente_punten,
            "gebieden": [{"gebied": g, "punten": per_gebied.get(g.pk, {})}
                         for g in gebieden(user, gemeente)]}


def export_rijen(user, gemeente, indicator, periode=None) -> list[dict]:
    """Every rollup row of one indicator (gemeente, gebieden, wijken, buurten), optionally of
    one periode, ordered by periode, soort and name: [{"naam", "code", "soort", "Punt"}]."""
    qs = ReeksWaarde.objects.filter(gemeente_id=gemeente.pk, indicator_id=indicator.pk)
    if periode is not None:
        qs = qs.filter(periode=periode)
    rows = qs.values("gebied__naam", "region__naam", "regio_code", "soort", *PUNT_VELDEN)
    volgorde = {"gemeente": 0, "gebied": 1, "wijk": 2, "buurt": 3}
    result = [{"naam": r["gebied__naam"] or r["region__naam"] or r["regio_code"],
               "code": r["regio_code"], "soort": r["soort"], "punt": _punt(r)} for r in rows]
    result.sort(key=lambda x: (x["punt"].periode, volgorde.get(x["soort"], 9), x["code"],
                               x["naam"]))
    return result
