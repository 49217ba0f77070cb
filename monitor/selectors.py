"""Reads for the monitor, always within one gemeente.

Every number a page, export or API shows comes from the rollup (ReeksWaarde: gebieden, the
gemeente and other non-wijk/buurt regions) or, for wijken and buurten, from RegioWaarde (the
database view over Meting that the rollup's region rows are copied from). Both have small
numbers already suppressed, and the figures from which a small one could be computed
(complementary suppression, monitor.suppressie): a point with status 'onderdrukt' has
waarde/teller/noemer None.
A "scope" is either a regions.Gebied or a regions.Region (any soort; a region's series follows
its CBS code across indeling years), a RegioCode (NEDERLAND: the national series, NL01) or None
for the gemeente as a whole (its GM region).

The national value is stored like the gemeente's own: Meting rows on the gemeente's region of
soort 'land' (code NL01), rolled up into ReeksWaarde with the same suppression. Every read
below filters on the gemeente, so one gemeente's national rows never show in another's.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q

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
from regions.models import LAND_CODE, PREFIX_SOORT, Gebied, Region

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


@dataclass(frozen=True)
class RegioCode:
    """A region scope by CBS code only (the series follows the code across indelingen)."""

    code: str


NEDERLAND = RegioCode(LAND_CODE)


def instelling(gemeente) -> MonitorInstelling:
    """The gemeente's MonitorInstelling; an unsaved one with the defaults (minimum_n 10, not
    public) when none was saved yet."""
    found = MonitorInstelling.objects.filter(gemeente=gemeente).first()
    return found or MonitorInstelling(gemeente=gemeente)


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
    if isinstance(scope, Gebied):
        return ReeksWaarde.objects.filter(gemeente_id=gemeente.pk, gebied_id=scope.pk)
    if scope is not None and not isinstance(scope, (Region, RegioCode)):
        raise TypeError("scope must be a Gebied, a Region, a RegioCode or None")
    code = gemeente_code(gemeente) if scope is None else scope.code
    return _regio_model(PREFIX_SOORT.get(code[:2])).objects.filter(
        gemeente_id=gemeente.pk, regio_code=code, region__isnull=False)


def _regio_model(soort):
    """Where the values of regions of this soort are read: RegioWaarde for wijk and buurt,
    the rollup for the others."""
    return RegioWaarde if soort in WIJK_BUURT else ReeksWaarde


def _punt(row) -> Punt:
    return Punt(*(row[name] for name in PUNT_VELDEN))


def reeks(user, gemeente, indicator, scope=None) -> list[Punt]:
    """The series of `indicator` for `scope` (Gebied, Region, RegioCode such as NEDERLAND, or
    None = the gemeente), ordered by periode: a list of Punt(periode, waarde, teller, noemer,
    n, status, breuk, indeling_jaar). One index range scan (on the rollup, or on Meting for a
    wijk or buurt)."""
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


# --- dashboards: the latest value, trend and target of many indicators ----------------------

# A dashboard shows per series only its latest point and the trend between its last two points
# with a value, and Nederland beside it. One statement reads all of that: per series the last
# two points with and the last two without a value (a window over the rows of the covering
# indexes) plus every point of Nederland (to find the one of the same periode). A page of 100
# indicators × 10 years thus turns a few hundred rollup rows into Punt objects, not thousands,
# and each periode code is parsed once (Periode objects are immutable values). Hand-written
# SQL, portable to SQLite: the ORM spent more time building this query than the database
# spent running it.
_periode = lru_cache(maxsize=4096)(Periode.parse)
# Indicator fields a dashboard does not show (long texts, the JSON of niveaus): not loaded.
_NIET_OP_DASHBOARD = ("definitie", "niveaus", "teller_definitie", "noemer_definitie",
                      "toelichting", "bron")

_DASHBOARD_SQL = """
SELECT indicator_id, gebied_id, regio_code, periode, waarde, teller, noemer, n, status, breuk,
       indeling_jaar
FROM (
    SELECT r.indicator_id, r.gebied_id, r.regio_code, r.periode, r.waarde, r.teller, r.noemer,
           r.n, r.status, r.breuk, r.indeling_jaar,
           ROW_NUMBER() OVER (PARTITION BY r.indicator_id, r.gebied_id, r.regio_code,
                                           r.waarde IS NULL
                              ORDER BY r.periode DESC) AS rang
    FROM monitor_reekswaarde r
    WHERE r.gemeente_id = %s AND r.indicator_id IN ({indicatoren}) AND ({reeksen})
) x
WHERE rang <= 2 OR (gebied_id IS NULL AND regio_code = %s)
ORDER BY indicator_id, periode
"""


def _dashboard_punten(gemeente, indicator_ids, gebied=None, regio_codes=()):
    """The series a dashboard shows, for many indicators in one query: the gebied's (if any)
    and those of `regio_codes` (latest point and last two with a value), and Nederland.

    Returns ({"gebied" | regio code: {indicator id: [Punt] by periode}},
    {indicator id: {periode code: row}} for Nederland: every periode, made a Punt only when
    shown, see _land_punt)."""
    reeksen, land = {}, {}
    if not indicator_ids:
        return reeksen, land
    voorwaarden, params = [], [gemeente.pk, *indicator_ids]
    if gebied is not None:
        voorwaarden.append("r.gebied_id = %s")
        params.append(gebied.pk)
    codes = [*regio_codes, LAND_CODE]
    voorwaarden.append(f"(r.region_id IS NOT NULL AND r.regio_code IN ({_plekken(codes)}))")
    params += [*codes, LAND_CODE]
    sql = _DASHBOARD_SQL.format(indicatoren=_plekken(indicator_ids),
                                reeksen=" OR ".join(voorwaarden))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for ind_id, gebied_id, code, periode, *rest in rows:
        if gebied_id is None and code == LAND_CODE:
            land.setdefault(ind_id, {})[periode] = rest
            if LAND_CODE not in regio_codes:
                continue
        sleutel = "gebied" if gebied_id is not None else code
        reeksen.setdefault(sleutel, {}).setdefault(ind_id, []).append(_dashboard_punt(periode,
                                                                                     rest))
    return reeksen, land


def _plekken(values) -> str:
    return ", ".join(["%s"] * len(values))


def _dashboard_punt(periode, rest) -> Punt:
    waarde, teller, noemer, n, status, breuk, indeling_jaar = rest
    return Punt(_periode(periode), waarde, teller, noemer, n, status, bool(breuk), indeling_jaar)


def _land_punt(land: dict | None, laatste: Punt | None) -> Punt | None:
    """The national point beside `laatste`: the one of the same periode, else the latest one
    (then its periode differs, and the page says which it is)."""
    if not land:
        return None
    code = laatste.periode.code if laatste is not None else None
    if code not in land:
        code = next(reversed(land))
    return _dashboard_punt(code, land[code])


def _streefwaarden(qs) -> dict[int, list[Streefwaarde]]:
    """{indicator id: [Streefwaarde] by periode}."""
    result = {}
    for s in qs.order_by("indicator_id", "periode"):
        result.setdefault(s.indicator_id, []).append(s)
    return result


def _streef_filter(gemeente, scope) -> Q:
    if isinstance(scope, Gebied):
        return Q(gebied=scope)
    return Q(region__code=scope.code if scope is not None else gemeente_code(gemeente))


def _samenvatting(indicator, punten, streefwaarden, land=None) -> dict:
    """The summary of one series: latest point, trend, target (of the latest periode, else the
    nearest later one) and whether it is reached, and Nederland beside it."""
    laatste = punten[-1] if punten else None
    streef = next((s for s in streefwaarden
                   if laatste is None or s.periode >= laatste.periode), None)
    return {"indicator": indicator, "punten": punten, "laatste": laatste,
            "trend": trend(indicator, punten), "streefwaarde": streef,
            "land": _land_punt(land, laatste),
            "streef_status": streef_status(indicator, laatste, streef)
            if streef and laatste and streef.periode == laatste.periode else None}


def laatste_waarden(user, gemeente, scope=None) -> list[dict]:
    """The Klaverblad view: for each doel of the current Klaverblad (in order), its tagged
    indicators with their latest value for `scope` (None = gemeente, or a Gebied/Region).

    Returns [{"doel": Doel, "indicatoren": [{"indicator", "punten": [Punt] (the latest point
    and the last two with a value), "laatste": Punt | None, "trend": str | None (see trend()),
    "streefwaarde": Streefwaarde | None, "streef_status": 'gehaald' | 'niet_gehaald' | None,
    "land": Punt | None (Nederland in the periode of "laatste", else its latest)}]}]. An
    indicator tagged with two doelen appears under both. A fixed number of queries, whatever
    the number of indicators.
    """
    doelen = list(framework_selectors.klaverblad_doelen(gemeente).order_by("nummer"))
    ct = ContentType.objects.get_for_model(Indicator)
    per_doel = {}
    for doel_id, indicator_id in DoelKoppeling.objects.filter(
            content_type=ct, doel__in=doelen).values_list("doel_id", "object_id"):
        per_doel.setdefault(doel_id, []).append(indicator_id)
    ids = sorted({i for lijst in per_doel.values() for i in lijst})
    inds = {i.pk: i for i in Indicator.objects.filter(gemeente=gemeente, pk__in=ids)
            .defer(*_NIET_OP_DASHBOARD)}
    if isinstance(scope, Gebied):
        gelezen, land = _dashboard_punten(gemeente, list(inds), gebied=scope)
        reeksen = gelezen.get("gebied", {})
    else:
        code = scope.code if scope is not None else gemeente_code(gemeente)
        gelezen, land = _dashboard_punten(gemeente, list(inds), regio_codes=[code])
        reeksen = gelezen.get(code, {})
    streef = _streefwaarden(Streefwaarde.objects.filter(_streef_filter(gemeente, scope),
                                                        gemeente=gemeente))
    samenvattingen = {pk: _samenvatting(i, reeksen.get(pk, []), streef.get(pk, ()), land.get(pk))
                      for pk, i in inds.items()}
    result = []
    for doel in doelen:
        items = [inds[i] for i in per_doel.get(doel.pk, []) if i in inds]
        items.sort(key=lambda i: (i.volgorde, i.naam))
        result.append({"doel": doel, "indicatoren": [samenvattingen[i.pk] for i in items]})
    return result


def vergelijking(user, gemeente, indicator, periode: Periode | None = None) -> dict:
    """Comparison of gebieden for one indicator in one periode (default: the latest periode
    with a gemeente or gebied value).

    Returns {"periode": Periode | None, "periodes": [Periode] (all available),
    "gemeente": Punt | None, "land": Punt | None (Nederland in that periode),
    "gebieden": [{"gebied": Gebied, "punt": Punt | None}]} with the gebieden ordered by naam.
    """
    rows = list(ReeksWaarde.objects.filter(
        gemeente_id=gemeente.pk, indicator_id=indicator.pk).filter(
        _gebied_gemeente_land(gemeente)).values("gebied_id", "regio_code", *PUNT_VELDEN))
    periodes = sorted({r["periode"] for r in rows if r["regio_code"] != LAND_CODE})
    if periode is None and periodes:
        periode = periodes[-1]
    per_regio = {r["regio_code"]: _punt(r) for r in rows
                 if r["gebied_id"] is None and r["periode"] == periode}
    per_gebied = {r["gebied_id"]: _punt(r) for r in rows
                  if r["gebied_id"] is not None and r["periode"] == periode}
    return {"periode": periode, "periodes": periodes,
            "gemeente": per_regio.get(gemeente_code(gemeente)), "land": per_regio.get(LAND_CODE),
            "gebieden": [{"gebied": g, "punt": per_gebied.get(g.pk)}
                         for g in gebieden(user, gemeente)]}


def _gebied_gemeente_land(gemeente):
    """The rollup rows of the gebieden, the gemeente and Nederland."""
    return Q(gebied__isnull=False) | Q(regio_code__in=[gemeente_code(gemeente), LAND_CODE],
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


def gebied_overzicht(user, gemeente, gebied) -> list[dict]:
    """The gebied view: every indicator of the gemeente with the gebied's and the gemeente's
    summary side by side: [{"indicator", "gebied": summary, "gemeente": summary}], a summary
    as in laatste_waarden (its "land": Nederland beside that value). No Klaverblad doelen
    prefetched (the page does not show them). Indicators that cannot be added up have an
    empty gebied series."""
    inds = list(Indicator.objects.filter(gemeente=gemeente).defer(*_NIET_OP_DASHBOARD)
                .order_by("volgorde", "naam"))
    ids = [i.pk for i in inds]
    code = gemeente_code(gemeente)
    reeksen, land = _dashboard_punten(gemeente, ids, gebied=gebied, regio_codes=[code])
    van_gebied, van_gemeente = reeksen.get("gebied", {}), reeksen.get(code, {})
    streef = {True: {}, False: {}}  # is it the gebied's?
    for s in Streefwaarde.objects.filter(
            _streef_filter(gemeente, gebied) | _streef_filter(gemeente, None),
            gemeente=gemeente).order_by("indicator_id", "periode"):
        streef[s.gebied_id is not None].setdefault(s.indicator_id, []).append(s)
    return [{"indicator": i,
             "gebied": _samenvatting(i, van_gebied.get(i.pk, []), streef[True].get(i.pk, ()),
                                     land.get(i.pk)),
             "gemeente": _samenvatting(i, van_gemeente.get(i.pk, []),
                                       streef[False].get(i.pk, ()), land.get(i.pk))}
            for i in inds]


def indicator_reeksen(user, gemeente, indicator) -> dict:
    """The gemeente's series and every gebied's series of one indicator, in one query.

    Returns {"periodes": [Periode] (sorted), "gemeente": {Periode: Punt},
    "land": {Periode: Punt} (Nederland; empty when no national figure was imported),
    "gebieden": [{"gebied": Gebied, "punten": {Periode: Punt}}]} (gebieden by naam)."""
    rows = (ReeksWaarde.objects.filter(gemeente_id=gemeente.pk, indicator_id=indicator.pk)
            .filter(_gebied_gemeente_land(gemeente))
            .values("gebied_id", "regio_code", *PUNT_VELDEN))
    per_regio, per_gebied, periodes = {}, {}, set()
    for r in rows:
        punt = _punt(r)
        periodes.add(punt.periode)
        if r["gebied_id"] is None:
            per_regio.setdefault(r["regio_code"], {})[punt.periode] = punt
        else:
            per_gebied.setdefault(r["gebied_id"], {})[punt.periode] = punt
    return {"periodes": sorted(periodes), "gemeente": per_regio.get(gemeente_code(gemeente), {}),
            "land": per_regio.get(LAND_CODE, {}),
            "gebieden": [{"gebied": g, "punten": per_gebied.get(g.pk, {})}
                         for g in gebieden(user, gemeente)]}


def export_rijen(user, gemeente, indicator, periode=None) -> list[dict]:
    """Every published row of one indicator (gemeente, Nederland, gebieden, wijken, buurten),
    optionally of one periode, ordered by periode, soort and name: [{"naam", "code", "soort",
    "punt"}]. Wijken and buurten from RegioWaarde, the rest from the rollup."""
    rollup = ReeksWaarde.objects.filter(gemeente_id=gemeente.pk, indicator_id=indicator.pk)
    regios = RegioWaarde.objects.filter(gemeente_id=gemeente.pk, indicator_id=indicator.pk,
                                        soort__in=WIJK_BUURT)
    if periode is not None:
        rollup, regios = rollup.filter(periode=periode), regios.filter(periode=periode)
    velden = ("region__naam", "regio_code", "soort", *PUNT_VELDEN)
    rows = [*rollup.values("gebied__naam", *velden), *regios.values(*velden)]
    volgorde = {"gemeente": 0, "land": 1, "gebied": 2, "wijk": 3, "buurt": 4}
    result = [{"naam": r.get("gebied__naam") or r["region__naam"] or r["regio_code"],
               "code": r["regio_code"], "soort": r["soort"], "punt": _punt(r)} for r in rows]
    result.sort(key=lambda x: (x["punt"].periode, volgorde.get(x["soort"], 9), x["code"],
                               x["naam"]))
    return result


# --- targets that others work on (e.g. wijkplan activiteiten; see monitor.koppelingen) -----

def streef_voortgang(user, gemeente, streefwaarden) -> list[dict]:
    """How the gemeente is doing on each of `streefwaarden` (targets of other gemeenten are
    left out), in the order given.

    Returns [{"streefwaarde", "indicator", "punt": Punt | None, "status"}]. `punt` is the
    figure of the target's own periode when there is one, else the latest figure (suppressed
    points keep waarde None). `status`:
      'gehaald' / 'niet_gehaald'  the target's periode has a value (streef_status);
      'op_koers' / 'niet_op_koers' the target lies ahead and the latest value already meets it
                                   or not yet;
      None                         no value, a suppressed or secret one, a context indicator,
                                   or the periode passed without a figure.
    One query on the rollup, whatever the number of targets."""
    doelen = [s for s in streefwaarden if s.gemeente_id == gemeente.pk]
    if not doelen:
        return []
    scope = Q()
    for s in doelen:
        if s.gebied_id is not None:
            scope |= Q(indicator_id=s.indicator_id, gebied_id=s.gebied_id)
        else:
            scope |= Q(indicator_id=s.indicator_id, regio_code=s.region.code,
                       region__isnull=False)
    reeksen = {}
    for r in (ReeksWaarde.objects.filter(scope, gemeente_id=gemeente.pk)
              .order_by("periode").values("indicator_id", "gebied_id", "regio_code",
                                          *PUNT_VELDEN)):
        sleutel = (r["indicator_id"], r["gebied_id"] or r["regio_code"])
        reeksen.setdefault(sleutel, []).append(_punt(r))
    result = []
    for s in doelen:
        indicator = s.indicator
        punten = reeksen.get((s.indicator_id, s.gebied_id or s.region.code), [])
        eigen = next((p for p in punten if p.periode == s.periode), None)
        laatste = punten[-1] if punten else None
        if eigen is not None:
            punt, status = eigen, streef_status(indicator, eigen, s)
        elif laatste is not None and laatste.periode < s.periode:
            punt = laatste
            status = {"gehaald": "op_koers", "niet_gehaald": "niet_op_koers"}.get(
                streef_status(indicator, laatste, s))
        else:
            punt, status = laatste, None
        result.append({"streefwaarde": s, "indicator": indicator, "punt": punt,
                       "status": status})
    return result


def gemeente_regio(user, gemeente) -> Region | None:
    """The gemeente's own CBS region in its newest indeling: what a target for the whole
    gemeente points at. None when no indeling was imported yet."""
    return (Region.objects.filter(gemeente=gemeente, soort=Region.Soort.GEMEENTE,
                                  code=gemeente_code(gemeente))
            .order_by("-jaar").first())


ACHTER = ("niet_gehaald", "niet_op_koers")


def achter_per_doel_en_gebied(user, gemeente, doel_ids) -> dict:
    """{(doel_id, gebied_id): number of indicators tagged with the doel whose target for the
    gebied is not met, or not on course}: the need beside the sociale kaart's aanbod on the
    Klaverblad coverage page (registered in framework.coverage as a NeedSource). Per indicator
    and gebied the latest target with a status counts. A fixed number of queries."""
    streef = list(Streefwaarde.objects.filter(gemeente=gemeente, gebied__isnull=False)
                  .select_related("indicator", "gebied").order_by("periode"))
    status = {}
    for v in streef_voortgang(user, gemeente, streef):
        if v["status"] is not None:
            s = v["streefwaarde"]
            status[(s.indicator_id, s.gebied_id)] = v["status"]  # later periodes overwrite
    achter = [key for key, st in status.items() if st in ACHTER]
    if not achter:
        return {}
    doelen = {}
    for doel_id, indicator_id in DoelKoppeling.objects.filter(
            content_type=ContentType.objects.get_for_model(Indicator), doel_id__in=doel_ids,
            object_id__in={i for i, _g in achter}).values_list("doel_id", "object_id"):
        doelen.setdefault(indicator_id, []).append(doel_id)
    counts = {}
    for indicator_id, gebied_id in achter:
        for doel_id in doelen.get(indicator_id, ()):
            counts[(doel_id, gebied_id)] = counts.get((doel_id, gebied_id), 0) + 1
    return counts


def achter_url(gemeente, doel_id, gebied_id):
    from django.urls import reverse

    return reverse("monitor:gebied", kwargs={"gemeente": gemeente.slug, "pk": gebied_id})
