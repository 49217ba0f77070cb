"""Reads for the monitor, always within one gemeente.

Every number a page, export or API shows comes from the rollup (ReeksWaarde: gebieden, the
gemeente and other non-wijk/buurt regions) or, for wijken and buurten, from RegioWaarde (the
database view over Meting that the rollup's region rows are copied from). Both have small
numbers already suppressed: a point with status 'onderdrukt' has waarde/teller/noemer None.
A "scope" is either a regions.Gebied or a regions.Region (any soort; a region's series follows
its CBS code across indeling years) or None for the gemeente as a whole (its GM region).
"""

from dataclasses import dataclass
from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Prefetch, Q
from django.db.models.functions import Cast

from core import policy
from core.periods import Periode
from framework import selectors as framework_selectors
from framework.models import DoelKoppeling
from monitor.models import (
    WIJK_BUURT,
    ImportBatch,
    Indicator,
    Meting,
    MonitorInstelling,
    ReeksWaarde,
    RegioWaarde,
    Status,
    Streefwaarde,
)
from regions.models import PREFIX_SOORT, Gebied, Region

PUNT_VELDEN = ("periode", "waarde", "teller", "noemer", "n", "status", "breuk", "indeling_jaar")


@dataclass(frozen=True)
class Punt:
    """One point of a series. `waarde` is None when the status is geheim or onderdrukt;
    `breuk` is True when this point is measured on another CBS indeling than the one before
    (a break in series: do not draw a line across it)."""

    periode: Periode
    waarde: float | None
    teller: float | None
    noemer: float | None
    n: float | None
    status: str
    breuk: bool
    indeling_jaar: int

    @property
    def onderdrukt(self) -> bool:
        return self.status == Status.ONDERDRUKT

    @property
    def afgerond(self) -> bool:
        return self.status == Status.AFGEROND


def instelling(gemeente) -> MonitorInstelling:
    """The gemeente's MonitorInstelling; an unsaved one with the defaults (minimum_n 10, not
    public) when none was saved yet."""
    found = MonitorInstelling.objects.filter(gemeente=gemeente).first()
    return found or MonitorInstelling(gemeente=gemeente)


def kan_lezen(user, gemeente) -> bool:
    """May `user` (possibly anonymous) read this gemeente's monitor? Members always; anyone
    when the gemeente made its monitor public."""
    return policy.is_member(user, gemeente) or instelling(gemeente).publiek


def indicatoren(user, gemeente):
    """Queryset of the gemeente's indicators (ordered by volgorde, naam), with their Klaverblad
    doelen prefetched: `indicator.klaverblad_doelen()` costs no query."""
    return (Indicator.objects.filter(gemeente=gemeente).select_related("gemeente")
            .prefetch_related(framework_selectors.prefetch_doelen())
            .order_by("volgorde", "naam"))


def metingen(user, gemeente):
    """Queryset of raw measurements (beleid/admin use; pages show the rollup instead).
    NOT suppressed: never show these numbers to the public or in exports."""
    return Meting.objects.filter(gemeente=gemeente).select_related("indicator", "region",
                                                                   "batch")


def batches(user, gemeente):
    """Queryset of the gemeente's import batches, newest first, with their indicators."""
    return (ImportBatch.objects.filter(gemeente=gemeente).select_related("gemeente", "door")
            .prefetch_related("indicatoren"))


def streefwaarden(user, gemeente, indicator=None):
    """Queryset of targets (optionally of one indicator), with indicator, gebied and region."""
    qs = Streefwaarde.objects.filter(gemeente=gemeente).select_related(
        "gemeente", "indicator", "gebied", "region")
    if indicator is not None:
        qs = qs.filter(indicator=indicator)
    return qs.order_by("indicator__volgorde", "indicator__naam", "periode")


def gebieden(user, gemeente):
    """Queryset of the gemeente's gebieden (ordered by naam)."""
    return Gebied.objects.filter(gemeente=gemeente).select_related("gemeente").order_by("naam")


def gemeente_code(gemeente) -> str:
    return gemeente.cbs_code


def _scope_rijen(gemeente, scope):
    """The rows of `scope`'s series: wijk and buurt series from RegioWaarde (a CBS code's
    prefix says its soort), everything else from the rollup."""
    if scope is None:
        return ReeksWaarde.objects.filter(gemeente_id=gemeente.pk,
                                          regio_code=gemeente_code(gemeente),
                                          region__isnull=False)
    if isinstance(scope, Gebied):
        return ReeksWaarde.objects.filter(gemeente_id=gemeente.pk, gebied_id=scope.pk)
    if isinstance(scope, Region) or hasattr(scope, "code"):
        if PREFIX_SOORT.get(scope.code[:2]) in WIJK_BUURT:
            return RegioWaarde.objects.filter(gemeente_id=gemeente.pk, regio_code=scope.code)
        return ReeksWaarde.objects.filter(gemeente_id=gemeente.pk, regio_code=scope.code,
                                          region__isnull=False)
    raise TypeError("scope must be a Gebied, a Region (or anything with a CBS .code) or None")


def _regio_model(soort):
    """Where the values of regions of this soort are read: RegioWaarde for wijk and buurt,
    the rollup for the others."""
    return RegioWaarde if soort in WIJK_BUURT else ReeksWaarde


def _punt(row) -> Punt:
    return Punt(*(row[name] for name in PUNT_VELDEN))


def reeks(user, gemeente, indicator, scope=None) -> list[Punt]:
    """The series of `indicator` for `scope` (Gebied, Region, or None = the gemeente), ordered
    by periode: a list of Punt(periode, waarde, teller, noemer, n, status, breuk,
    indeling_jaar). One index range scan (on the rollup, or on Meting for a wijk or buurt)."""
    rows = (_scope_rijen(gemeente, scope).filter(indicator_id=indicator.pk)
            .order_by("periode").values(*PUNT_VELDEN))
    return [_punt(r) for r in rows]


def trend(indicator, punten: list[Punt]) -> str | None:
    """'beter', 'slechter', 'gelijk' or 'stijgend'/'dalend' (context indicators) comparing
    the last two points; None when there are fewer than two values or a break in between."""
    met_waarde = [p for p in punten if p.waarde is not None]
    if len(met_waarde) < 2 or met_waarde[-1].breuk or \
            met_waarde[-1].indeling_jaar != met_waarde[-2].indeling_jaar:
        return None
    laatste, vorige = met_waarde[-1].waarde, met_waarde[-2].waarde
    if abs(laatste - vorige) < 1e-9:
        return "gelijk"
    omhoog = laatste > vorige
    if indicator.richting == Indicator.Richting.CONTEXT:
        return "stijgend" if omhoog else "dalend"
    beter = omhoog == (indicator.richting == Indicator.Richting.HOGER)
    return "beter" if beter else "slechter"


def streef_status(indicator, punt: Punt | None, streef: Streefwaarde | None) -> str | None:
    """'gehaald' or 'niet_gehaald' for a point against a target of the same periode; None when
    there is no target, no value, or the indicator has no direction."""
    if streef is None or punt is None or punt.waarde is None \
            or indicator.richting == Indicator.Richting.CONTEXT:
        return None
    if indicator.richting == Indicator.Richting.HOGER:
        return "gehaald" if punt.waarde >= streef.waarde else "niet_gehaald"
    return "gehaald" if punt.waarde <= streef.waarde else "niet_gehaald"


def _reeksen(gemeente, indicator_ids, scope) -> dict[int, list[Punt]]:
    """{indicator id: [Punt]} for many indicators in one query."""
    rows = (_scope_rijen(gemeente, scope).filter(indicator_id__in=indicator_ids)
            .order_by("indicator_id", "periode").values("indicator_id", *PUNT_VELDEN))
    result = {i: [] for i in indicator_ids}
    for r in rows:
        result[r["indicator_id"]].append(_punt(r))
    return result


def _streef_index(gemeente, scope) -> dict:
    qs = Streefwaarde.objects.filter(gemeente=gemeente)
    if isinstance(scope, Gebied):
        qs = qs.filter(gebied=scope)
    else:
        qs = qs.filter(region__code=scope.code if scope is not None
                       else gemeente_code(gemeente))
    return {(s.indicator_id, s.periode): s for s in qs}


def _samenvatting(indicator, punten, streef_index) -> dict:
    laatste = punten[-1] if punten else None
    streef = streef_index.get((indicator.pk, laatste.periode)) if laatste else None
    if streef is None:  # the nearest future target, if any
        toekomst = sorted((s for (i, _p), s in streef_index.items() if i == indicator.pk),
                          key=lambda s: s.periode)
        streef = next((s for s in toekomst if laatste is None or s.periode >= laatste.periode),
                      None)
    return {"indicator": indicator, "punten": punten, "laatste": laatste,
            "trend": trend(indicator, punten), "streefwaarde": streef,
            "streef_status": streef_status(indicator, laatste, streef)
            if streef and laatste and streef.periode == laatste.periode else None}


def laatste_waarden(user, gemeente, scope=None) -> list[dict]:
    """The Klaverblad view: for each doel of the current Klaverblad (in order), its tagged
    indicators with their latest value for `scope` (None = gemeente, or a Gebied/Region).

    Returns [{"doel": Doel, "indicatoren": [{"indicator", "punten": [Punt], "laatste": Punt |
    None, "trend": str | None (see trend()), "streefwaarde": Streefwaarde | None,
    "streef_status": 'gehaald' | 'niet_gehaald' | None}]}]. An indicator tagged with two doelen
    appears under both. Three queries in total, whatever the number of indicators.
    """
    doelen = list(framework_selectors.klaverblad_doelen(gemeente).order_by("nummer"))
    ct = ContentType.objects.get_for_model(Indicator)
    per_doel = {}
    for doel_id, indicator_id in DoelKoppeling.objects.filter(
            content_type=ct, doel__in=doelen).values_list("doel_id", "object_id"):
        per_doel.setdefault(doel_id, []).append(indicator_id)
    ids = sorted({i for lijst in per_doel.values() for i in lijst})
    inds = {i.pk: i for i in Indicator.objects.filter(gemeente=gemeente, pk__in=ids)}
    reeksen = _reeksen(gemeente, list(inds), scope)
    streef_index = _streef_index(gemeente, scope)
    result = []
    for doel in doelen:
        items = [inds[i] for i in per_doel.get(doel.pk, []) if i in inds]
        items.sort(key=lambda i: (i.volgorde, i.naam))
        result.append({"doel": doel, "indicatoren": [
            _samenvatting(i, reeksen[i.pk], streef_index) for i in items]})
    return result


def vergelijking(user, gemeente, indicator, periode: Periode | None = None) -> dict:
    """Comparison of gebieden for one indicator in one periode (default: the latest periode
    with a gemeente or gebied value).

    Returns {"periode": Periode | None, "periodes": [Periode] (all available),
    "gemeente": Punt | None, "gebieden": [{"gebied": Gebied, "punt": Punt | None}]} with the
    gebieden ordered by naam."""
    rows = list(ReeksWaarde.objects.filter(
        gemeente_id=gemeente.pk, indicator_id=indicator.pk).filter(
        _gebied_of_gemeente(gemeente)).values("gebied_id", *PUNT_VELDEN))
    periodes = sorted({r["periode"] for r in rows})
    if periode is None and periodes:
        periode = periodes[-1]
    gemeente_punt = next((_punt(r) for r in rows if r["gebied_id"] is None
                          and r["periode"] == periode), None)
    per_gebied = {r["gebied_id"]: _punt(r) for r in rows
                  if r["gebied_id"] is not None and r["periode"] == periode}
    return {"periode": periode, "periodes": periodes, "gemeente": gemeente_punt,
            "gebieden": [{"gebied": g, "punt": per_gebied.get(g.pk)}
                         for g in gebieden(user, gemeente)]}


def _gebied_of_gemeente(gemeente):
    from django.db.models import Q

    return Q(gebied__isnull=False) | Q(regio_code=gemeente_code(gemeente),
                                       region__isnull=False)


def regio_onderdelen(user, gemeente, indicator, periode, soort="wijk", gebied=None) -> list:
    """Values of all regions of one soort (wijk/buurt) for an indicator and periode, optionally
    only those of a gebied: [(regio_code, naam, Punt)] ordered by code. Rounded CBS figures keep
    status 'afgerond': never present them as adding up exactly to the gemeente."""
    qs = _regio_model(soort).objects.filter(gemeente_id=gemeente.pk, indicator_id=indicator.pk,
                                            periode=periode, soort=soort,
                                            region__isnull=False)
    if gebied is not None:
        qs = qs.filter(regio_code__in=gebied.regions.values("code"))
    rows = qs.order_by("regio_code").values("regio_code", "region__naam", *PUNT_VELDEN)
    return [(r["regio_code"], r["region__naam"], _punt(r)) for r in rows]


def indicator_queryset_met_batches(gemeente):
    """Indicators with their active batches (for the import overview)."""
    return Indicator.objects.filter(gemeente=gemeente).prefetch_related(
        Prefetch("batches", queryset=ImportBatch.objects.filter(
            status=ImportBatch.BatchStatus.ACTIEF)))


# --- dashboards: reads shaped for one page each -------------------------------------------

# A dashboard reads thousands of points over a handful of distinct periodes: parse each
# periode code once, not once per row (Periode objects are immutable values).
_periode = lru_cache(maxsize=4096)(Periode.parse)
_SNELLE_VELDEN = ("indicator_id", "periode_code", *PUNT_VELDEN[1:])


def gebied_overzicht(user, gemeente, gebied) -> list[dict]:
    """The gebied view: every indicator of the gemeente with the gebied's and the gemeente's
    summary side by side: [{"indicator", "gebied": summary, "gemeente": summary}], a summary
    as in laatste_waarden. Read for a dashboard with 100+ indicators: no Klaverblad doelen
    prefetched (the page does not show them), one index range scan per scope, and each
    periode parsed once. Indicators that cannot be added up have an empty gebied series."""
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
    """Every published row of one indicator (gemeente, gebieden, wijken, buurten), optionally
    of one periode, ordered by periode, soort and name: [{"naam", "code", "soort", "Punt"}].
    Wijken and buurten from RegioWaarde, the rest from the rollup."""
    rollup = ReeksWaarde.objects.filter(gemeente_id=gemeente.pk, indicator_id=indicator.pk)
    regios = RegioWaarde.objects.filter(gemeente_id=gemeente.pk, indicator_id=indicator.pk,
                                        soort__in=WIJK_BUURT)
    if periode is not None:
        rollup, regios = rollup.filter(periode=periode), regios.filter(periode=periode)
    velden = ("region__naam", "regio_code", "soort", *PUNT_VELDEN)
    rows = [*rollup.values("gebied__naam", *velden), *regios.values(*velden)]
    volgorde = {"gemeente": 0, "gebied": 1, "wijk": 2, "buurt": 3}
    result = [{"naam": r.get("gebied__naam") or r["region__naam"] or r["regio_code"],
               "code": r["regio_code"], "soort": r["soort"], "punt": _punt(r)} for r in rows]
    result.sort(key=lambda x: (x["punt"].periode, volgorde.get(x["soort"], 9), x["code"],
                               x["naam"]))
    return result
