"""Aggregation and suppression in the rollup, and the selectors the pages read."""

import pytest

from core.periods import JAAR, Periode
from monitor import selectors, services
from monitor.models import (
    Afscherming,
    Indicator,
    MonitorInstelling,
    ReeksWaarde,
    RegioWaarde,
    Status,
    Streefwaarde,
)
from regions.models import Gebied, Region

pytestmark = pytest.mark.django_db


def gebied(gemeente, naam):
    return Gebied.objects.get(gemeente=gemeente, naam=naam)


def test_gebied_is_sum_of_numerators_over_sum_of_denominators(importeer, groningen, armoede):
    importeer("cbs_armoede_2022.csv")
    spt = Gebied.objects.get(gemeente=groningen, afkorting="SPT")
    [punt] = selectors.reeks(None, groningen, armoede, spt)
    # Selwerd 120/800, Paddepoel-Zuid 45/300, Paddepoel-Noord 60/350, Tuinwijk 5/40.
    assert (punt.teller, punt.noemer) == (230, 1490)
    assert punt.waarde == pytest.approx(100 * 230 / 1490)  # 15.44, not the mean 14.91
    # Built from randomly rounded CBS buurt figures: flagged, never "exact".
    assert punt.status == Status.AFGEROND and punt.afgerond
    [gm] = selectors.reeks(None, groningen, armoede)
    assert gm.status == Status.WAARGENOMEN and gm.waarde == pytest.approx(100 * 4100 / 33000)


def test_secret_or_missing_region_makes_the_gebied_incomplete(importeer, groningen, armoede):
    importeer("cbs_armoede_2022.csv")
    [punt] = selectors.reeks(None, groningen, armoede, gebied(groningen, "Beijum"))
    assert punt.status == Status.ONVOLLEDIG and punt.waarde is None and punt.teller is None


def test_small_numbers_are_suppressed_in_the_rollup(importeer, groningen, armoede):
    importeer("cbs_armoede_2022.csv")
    rij = RegioWaarde.objects.get(indicator=armoede, regio_code="BU00141200")  # 3 of 8
    assert (rij.status, rij.waarde, rij.teller, rij.noemer, rij.n) == (
        Status.ONDERDRUKT, None, None, None, None)
    [lewenborg] = selectors.reeks(None, groningen, armoede, gebied(groningen, "Lewenborg"))
    assert (lewenborg.teller, lewenborg.noemer) == (48, 318)

    # A higher minimum applies everywhere at once: the rollup is rebuilt.
    instelling = MonitorInstelling.objects.get(gemeente=groningen)
    instelling.minimum_n = 400
    services.save_instelling(None, instelling, check_permission=False)
    [lewenborg] = selectors.reeks(None, groningen, armoede, gebied(groningen, "Lewenborg"))
    assert lewenborg.status == Status.ONDERDRUKT and lewenborg.waarde is None
    spt = Gebied.objects.get(gemeente=groningen, afkorting="SPT")
    assert selectors.reeks(None, groningen, armoede, spt)[0].waarde is not None
    for model in (ReeksWaarde, RegioWaarde):
        assert not model.objects.filter(status=Status.ONDERDRUKT, waarde__isnull=False).exists()
    assert RegioWaarde.objects.filter(status=Status.ONDERDRUKT, soort="buurt").count() > 1


def test_counts_are_suppressed_below_the_minimum(importeer, groningen):
    importeer("sjabloon_2022_2024.csv")
    thuiszitters = Indicator.objects.get(gemeente=groningen, code="thuiszitters")
    punten = selectors.reeks(None, groningen, thuiszitters)
    assert [(p.periode.code, p.waarde, p.status) for p in punten] == [
        ("2022", 92, "waargenomen"), ("2023", None, "onderdrukt"), ("2024", 85, "waargenomen")]


def test_break_in_series_when_the_indeling_changes(groningen):
    oud = Region.objects.create(gemeente=groningen, jaar=2018, soort="gemeente", code="GM0014",
                                naam="Groningen (voor de herindeling)")
    assert oud.pk
    data = (b"indicator;regio;periode;teller;noemer\n"
            b"vve_bereik;GM0014;2018;700;900\nvve_bereik;GM0014;2022;800;1000\n"
            b"vve_bereik;GM0014;2023;810;1000\n")
    services.importeer(None, groningen, data, "vve.csv", check_permission=False)
    vve = Indicator.objects.get(gemeente=groningen, code="vve_bereik")
    punten = selectors.reeks(None, groningen, vve)
    assert [(p.periode.code, p.indeling_jaar, p.breuk) for p in punten] == [
        ("2018", 2018, False), ("2022", 2022, True), ("2023", 2022, False)]
    assert selectors.trend(vve, punten) == "beter"
    assert selectors.trend(vve, punten[:2]) is None  # across a break: no arrow


def test_klaverblad_view_gebied_view_and_comparison(importeer, groningen, armoede):
    importeer("cbs_armoede_2022.csv")
    gm = Region.objects.get(gemeente=groningen, code="GM0014", jaar=2022)
    services.save_streefwaarde(None, Streefwaarde(
        gemeente=groningen, indicator=armoede, region=gm, periode=Periode(JAAR, 2022),
        waarde=12.0), check_permission=False)
    view = selectors.laatste_waarden(None, groningen)
    assert [d["doel"].nummer for d in view] == list(range(1, 11))
    [item] = [i for i in view[6]["indicatoren"] if i["indicator"] == armoede]
    assert item["laatste"].waarde == pytest.approx(12.42, abs=0.01)
    assert item["streef_status"] == "niet_gehaald"  # 12.4 % > 12 % and lower is better
    spt = Gebied.objects.get(gemeente=groningen, afkorting="SPT")
    overzicht = {r["indicator"].code: r for r in selectors.gebied_overzicht(None, groningen, spt)}
    assert overzicht["armoede_kind"]["gebied"]["laatste"].noemer == 1490
    assert overzicht["wachttijd_jeugdhulp"]["gebied"]["punten"] == []
    vergelijking = selectors.vergelijking(None, groningen, armoede)
    assert vergelijking["periode"] == Periode(JAAR, 2022)
    per_naam = {g["gebied"].naam: g["punt"] for g in vergelijking["gebieden"]}
    assert per_naam["Beijum"].status == "onvolledig" and per_naam[spt.naam].noemer == 1490
    buurten = selectors.regio_onderdelen(None, groningen, armoede, Periode(JAAR, 2022), "buurt",
                                         gebied=spt)
    assert [code for code, _naam, _p in buurten] == ["BU00141000", "BU00141001", "BU00141002",
                                                     "BU00141005"]


def test_deleting_a_batch_clears_its_rollup(importeer, groningen, armoede, beleid):
    result = importeer("cbs_armoede_2022.csv")
    services.delete_batch(beleid, result.batch)
    assert not ReeksWaarde.objects.filter(indicator=armoede).exists()


def test_full_rebuild_gives_the_same_rollup(importeer):
    from monitor import rollup

    importeer("cbs_armoede_2022.csv")
    importeer("sjabloon_2022_2024.csv")
    velden = ("indicator_id", "gebied_id", "regio_code", "periode", "waarde", "teller",
              "noemer", "n", "status", "indeling_jaar", "breuk")
    voor = sorted(ReeksWaarde.objects.values_list(*velden), key=str)
    assert rollup.herbereken_alles() == len(voor) > 0
    assert sorted(ReeksWaarde.objects.values_list(*velden), key=str) == voor


# The region rows of the rollup as they were computed before wijk and buurt values moved out
# of it (monitor/rollup.py up to migration 0002): the reference for RegioWaarde.
OUDE_REGIO_SQL = """
SELECT indicator_id, region_id, code, soort, periode,
       CASE WHEN sup THEN NULL ELSE waarde END, CASE WHEN sup THEN NULL ELSE teller END,
       CASE WHEN sup THEN NULL ELSE noemer END, CASE WHEN sup THEN NULL ELSE n END,
       CASE WHEN sup THEN 'onderdrukt' ELSE status END, jaar,
       CASE WHEN heeft_voorganger AND periode = (
                SELECT MIN(m2.periode) FROM monitor_meting m2
                WHERE m2.indicator_id = y.indicator_id AND m2.region_id = y.region_id)
            THEN 1 ELSE 0 END = 1
FROM (
    SELECT x.*, (x.n IS NOT NULL AND x.n < x.min_n AND x.status <> 'geheim') AS sup
    FROM (
        SELECT m.indicator_id, m.region_id, r.code, r.soort, m.periode, m.waarde, m.teller,
               m.noemer, m.status, r.jaar, r.heeft_voorganger,
               CASE WHEN m.noemer IS NOT NULL THEN m.noemer
                    WHEN i.eenheid = 'aantal' THEN m.waarde END AS n,
               COALESCE(s.minimum_n, 10) AS min_n
        FROM monitor_meting m
        JOIN (SELECT r0.id, r0.code, r0.soort, r0.jaar,
                     MIN(p.jaar) IS NOT NULL AS heeft_voorganger
              FROM regions_region r0
              LEFT JOIN regions_region p ON p.gemeente_id = r0.gemeente_id
                   AND p.code = r0.code AND p.jaar < r0.jaar
              GROUP BY r0.id, r0.code, r0.soort, r0.jaar) r ON r.id = m.region_id
        JOIN monitor_indicator i ON i.id = m.indicator_id
        LEFT JOIN monitor_monitorinstelling s ON s.gemeente_id = m.gemeente_id
    ) x
) y
"""


def _oude_regio_rijen():
    """The reference rows, with the cells of complementary suppression (monitor.suppressie,
    which came later) hidden as the view hides them."""
    from django.db import connection

    aanvullend = {(i, r, str(p)) for i, r, p in Afscherming.objects.values_list(
        "meting__indicator_id", "meting__region_id", "meting__periode")}
    with connection.cursor() as cursor:
        cursor.execute(OUDE_REGIO_SQL)
        rijen = [(*r[:4], str(r[4]), *r[5:11], bool(r[11])) for r in cursor.fetchall()]
    return sorted(((*r[:5], None, None, None, None, "onderdrukt", *r[10:])
                   if (r[0], r[1], r[4]) in aanvullend else r for r in rijen), key=str)


def _regiowaarden():
    return sorted(((*r[:4], str(r[4]), *r[5:11], bool(r[11])) for r in RegioWaarde.objects
                   .values_list("indicator_id", "region_id", "regio_code", "soort", "periode",
                                "waarde", "teller", "noemer", "n", "status", "indeling_jaar",
                                "breuk")), key=str)


def _met_oude_buurt_indeling(groningen):
    """An earlier indeling (2018) in which buurt BU00141000 and the gemeente already existed:
    their first points on the 2022 indeling are breaks in series."""
    Region.objects.create(gemeente=groningen, jaar=2018, soort="gemeente", code="GM0014",
                          naam="Groningen (voor de herindeling)")
    Region.objects.create(gemeente=groningen, jaar=2018, soort="buurt", code="BU00141000",
                          naam="Selwerd (2018)")
    data = (b"indicator;regio;periode;teller;noemer\n"
            b"jeugdhulp_gebruik;BU00141000;2018;700;900\njeugdhulp_gebruik;BU00141000;2022;80;100\n"
            b"jeugdhulp_gebruik;BU00141000;2023;5;8\njeugdhulp_gebruik;WK001410;2022;6;9\n"
            b"jeugdhulp_gebruik;WK001410;2023;60;80\njeugdhulp_gebruik;GM0014;2018;700;900\n"
            b"jeugdhulp_gebruik;GM0014;2022;800;1000\njeugdhulp_gebruik;GM0014;2023;810;1000\n")
    services.importeer(None, groningen, data, "jeugdhulp.csv", check_permission=False)
    return Indicator.objects.get(gemeente=groningen, code="jeugdhulp_gebruik")


def test_wijk_and_buurt_values_read_from_meting_as_the_rollup_had_them(importeer, groningen,
                                                                       armoede):
    importeer("cbs_armoede_2022.csv")
    importeer("sjabloon_2022_2024.csv")
    jeugdhulp = _met_oude_buurt_indeling(groningen)
    # Every region value (CBS-secret, rounded, suppressed, breaks) exactly as computed before.
    assert _regiowaarden() == _oude_regio_rijen()
    # 4 too small; Lewenborg-Zuid hidden with Lewenborg-Noord (3 of 8) so that Lewenborg
    # minus its other buurten does not give it away.
    assert RegioWaarde.objects.filter(status=Status.ONDERDRUKT).count() == 4 + \
        Afscherming.objects.count()
    assert "BU00141201" in Afscherming.objects.values_list("meting__region__code", flat=True)
    instelling = MonitorInstelling.objects.get(gemeente=groningen)
    instelling.minimum_n = 200
    services.save_instelling(None, instelling, check_permission=False)
    assert _regiowaarden() == _oude_regio_rijen()
    # The rollup itself holds no wijk or buurt rows; its gemeente rows are the same values.
    assert not ReeksWaarde.objects.filter(soort__in=["wijk", "buurt"]).exists()
    gemeente_rijen = {(r.indicator_id, r.periode.code): r for r in RegioWaarde.objects.filter(
        soort="gemeente")}
    for rij in ReeksWaarde.objects.filter(soort="gemeente"):
        zelfde = gemeente_rijen[(rij.indicator_id, rij.periode.code)]
        assert (rij.waarde, rij.n, rij.status, rij.breuk) == (
            zelfde.waarde, zelfde.n, zelfde.status, zelfde.breuk)

    buurt = Region.objects.get(gemeente=groningen, code="BU00141000", jaar=2022)
    punten = selectors.reeks(None, groningen, jeugdhulp, buurt)
    assert [(p.periode.code, p.indeling_jaar, p.breuk, p.status, p.waarde is None)
            for p in punten] == [("2018", 2018, False, "waargenomen", False),
                                 ("2022", 2022, True, "onderdrukt", True),  # 100 < 200
                                 ("2023", 2022, False, "onderdrukt", True)]
    instelling.minimum_n = 10
    services.save_instelling(None, instelling, check_permission=False)
    punten = selectors.reeks(None, groningen, jeugdhulp, buurt)
    # 2022: the wijk (6 of 9) is too small and Selwerd is its only buurt with a figure (the
    # others count as known): Selwerd would give the wijk away, so it is hidden too.
    assert [(p.breuk, p.status, p.waarde) for p in punten] == [
        (False, "waargenomen", pytest.approx(100 * 700 / 900)),
        (True, "onderdrukt", None), (False, "onderdrukt", None)]
    assert selectors.trend(jeugdhulp, punten) is None  # the break: no arrow
    # The same suppression in the wijk list of a page and the export.
    wijken = selectors.regio_onderdelen(None, groningen, jeugdhulp, Periode(JAAR, 2022), "wijk")
    assert [(code, p.status, p.waarde) for code, _naam, p in wijken] == [
        ("WK001410", "onderdrukt", None)]
    export = {(r["code"], r["punt"].periode.code): r["punt"]
              for r in selectors.export_rijen(None, groningen, jeugdhulp)}
    assert export[("WK001410", "2022")].status == "onderdrukt"
    # 2023: Selwerd (5 of 8) is too small and the only buurt of the wijk: the wijk would give
    # it away.
    assert export[("WK001410", "2023")].status == "onderdrukt"
    assert export[("BU00141000", "2022")].breuk and export[("GM0014", "2022")].breuk
    assert {soort for soort in (r["soort"] for r in selectors.export_rijen(
        None, groningen, jeugdhulp))} == {"gemeente", "gebied", "wijk", "buurt"}


def test_full_rebuild_gives_the_same_rollup_with_breaks_and_suppression(importeer, groningen):
    from monitor import rollup

    importeer("cbs_armoede_2022.csv")
    _met_oude_buurt_indeling(groningen)
    instelling = MonitorInstelling.objects.get(gemeente=groningen)
    instelling.minimum_n = 400  # Lewenborg (318) is suppressed
    services.save_instelling(None, instelling, check_permission=False)
    velden = ("indicator_id", "gebied_id", "regio_code", "periode", "waarde", "teller",
              "noemer", "n", "status", "indeling_jaar", "breuk")
    voor = sorted(ReeksWaarde.objects.values_list(*velden), key=str)
    assert any(r[-1] for r in voor) and any(r[-3] == "onderdrukt" for r in voor)
    assert rollup.herbereken_alles() == len(voor)
    assert sorted(ReeksWaarde.objects.values_list(*velden), key=str) == voor
