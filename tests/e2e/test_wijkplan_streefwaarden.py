"""A coördinator links a wijkplan activiteit to the monitor's targets in a real browser: the
activiteit page then shows each target with the monitor's figure and whether it is reached,
and the indicator page names the activiteit. Both pages pass axe-core."""

import pytest
from playwright.sync_api import expect

from core.models import Gemeente, User
from core.periods import JAAR, Periode
from monitor import services as monitor_services
from monitor.models import Indicator, Streefwaarde
from plans import services as plans_services
from plans.models import Wijkplan
from regions.models import Gebied, Region
from tests.e2e.helpers import assert_accessible, login, screenshot
from tests.monitor.conftest import read

pytestmark = pytest.mark.e2e


def test_link_targets_and_see_how_they_are_doing(new_page):
    groningen_beleid = User.objects.get(username="groningen-beleid")
    gemeente = Gemeente.objects.get(cbs_code="GM0014")
    monitor_services.importeer(groningen_beleid, gemeente, read("pagina_armoede_2020_2024.csv"),
                               "pagina_armoede_2020_2024.csv", bron="")
    armoede = Indicator.objects.get(gemeente=gemeente, code="armoede_kind")
    spt = Gebied.objects.get(gemeente=gemeente, afkorting="SPT")
    for gebied, jaar, waarde in ((spt, 2024, 14.0), (None, 2026, 11.0)):
        monitor_services.save_streefwaarde(groningen_beleid, Streefwaarde(
            gemeente=gemeente, indicator=armoede, gebied=gebied, periode=Periode(JAAR, jaar),
            waarde=waarde, region=None if gebied else Region.objects.get(
                gemeente=gemeente, code=gemeente.cbs_code, jaar=2022)))
    plan = Wijkplan.objects.get(gemeente=gemeente, gebied=spt)
    concept = plans_services.bijstellen(groningen_beleid,
                                        plan.versies.get(status="vastgesteld"), jaar=2022)
    act = concept.activiteiten.get(naam="Pleintjesaanpak")

    page = new_page()
    login(page, "groningen-coordinator")
    page.goto(act.get_absolute_url())
    page.get_by_role("link", name="Bewerken").click()
    # count() does not wait: right after the click the new page may not be parsed yet
    expect(page.get_by_text("Aan welke te behalen resultaten werkt deze activiteit?")) \
        .to_be_visible()
    page.get_by_role("checkbox", name="Kinderen in armoede – Selwerd, Paddepoel en "
                                      "Tuinwijk – 2024: 14,0%").check()
    page.get_by_role("checkbox",
                     name="Kinderen in armoede – hele gemeente – 2026: 11,0%").check()
    assert_accessible(page, "the activiteit form with targets")
    screenshot(page, "activiteit-form-streefwaarden")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()

    page.goto(act.get_absolute_url())
    tabel = page.get_by_role("table", name="Streefwaarden uit de monitor waar deze activiteit "
                                           "aan werkt, met het cijfer van de monitor")
    rijen = tabel.get_by_role("row")
    assert rijen.count() == 3  # header + two targets
    spt_rij = rijen.filter(has_text="Selwerd, Paddepoel en Tuinwijk")
    assert "13,9%" in spt_rij.inner_text() and "gehaald" in spt_rij.inner_text()
    gemeente_rij = rijen.filter(has_text="hele gemeente")
    assert "11,9%" in gemeente_rij.inner_text()
    assert "nog niet op koers" in gemeente_rij.inner_text()
    assert_accessible(page, "the activiteit page with targets")
    screenshot(page, "activiteit-te-behalen-resultaten")

    spt_rij.get_by_role("link", name="Kinderen in armoede").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/monitor/indicatoren/{armoede.pk}/#streefwaarde-"
                             f"{act.streefwaarden.get(gebied=spt).pk}")
    assert page.get_by_role("link", name="Pleintjesaanpak").count() == 2
    assert_accessible(page, "the indicator page with the activiteiten")
    screenshot(page, "indicator-streefwaarden-activiteiten")
