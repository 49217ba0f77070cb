"""Reads for the monitor pages that monitor.selectors does not offer in one query: all series
of one indicator (gemeente and every gebied) for the indicator page, every rollup row of an
indicator for the export, and a leaner read of the gebied view for dashboards with 100+
indicators. Reads only, always within one gemeente, from the rollup (where small
numbers are already suppressed).
"""

from functools import lru_cache

from django.db.models import CharField, Q
from django.db.models.functions import Cast

from core.periods import Periode
from monitor.models import Indicator, ReeksWaarde, Streefwaarde
from monitor.selectors import PUNT_VELDEN, Punt, _samenvatting, gebieden, gemeente_code

# A dashboard reads thousands of points over a handful of distinct periodes: parse each
# periode code once, not once per row (Periode objects are immutable values).
_periode = lru_cache(maxsize=4096)(Periode.parse)
_SNELLE_VELDEN = ("indicator_id", "periode_code", *PUNT_VELDEN[1:])


def _punt(row) -> Punt:
    return Punt(*(row[name] for name in PUNT_VELDEN))


def gebied_overzicht(user, gemeente, gebied) -> list[dict]:
    """Same answer as monitor.selectors.gebied_overzicht (every indicator with the gebied's
    and the gemeente's summary), read for a dashboard with 100+ indicators: no Klaverblad
    doelen prefetched (the page does not show them), one index range scan per scope, and each
    periode parsed once. [{"indicator", "gebied": summary, "gemeente": summary}]."""
    inds = list(Indicator.objects.filter(gemeente=gemeente).order_by("volgorde", "naam"))
    ids = [i.pk for i in inds]
    code = gemeente_code(gemeente)
    reeksen = {}
    for sleutel, scope in (("gebied", Q(gebied_id=gebied.pk)),
                           ("gemeente", Q(regio_code=code, region__isnull=False))):
        per = reeksen[sleutel] = {i: [] for i in ids}
        rows = (ReeksWaarde.objects.filter(scope, gemeente_id=gemeente.pk, indicator_id__in=ids)
                .annotate(periode_code=Cast("periode", CharField()))
                .order_by("indicator_id", "periode").values_list(*_SNELLE_VELDEN))
        for ind_id, p, *rest in rows:
            per[ind_id].append(Punt(_periode(p), *rest))
    streef = {"gebied": {}, "gemeente": {}}
    for s in Streefwaarde.objects.filter(
            Q(gebied_id=gebied.pk) | Q(region__code=code), gemeente=gemeente,
            indicator_id__in=ids).select_related("gebied", "region"):
        streef["gebied" if s.gebied_id else "gemeente"][(s.indicator_id, s.periode)] = s
    return [{"indicator": i,
             "gebied": _samenvatting(i, reeksen["gebied"][i.pk], streef["gebied"]),
             "gemeente": _samenvatting(i, reeksen["gemeente"][i.pk], streef["gemeente"])}
            for i in inds]


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
