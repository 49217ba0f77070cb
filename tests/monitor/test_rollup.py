"""Aggregation and suppression in the rollup, and the selectors the pages read."""

import pytest

from core.periods import JAAR, Periode
from monitor import selectors, services
from monitor.models import (
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
    services.verwijder_batch(beleid, result.batch)
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
