"""How current the sociale kaart is: the redacteur reads the share per aanbieder on a phone
and follows it to the monitor indicator; a partner sees their own organisation's share on its
page. axe-core checks every page."""

import pytest

from tests.e2e.helpers import PHONE, assert_accessible, login, screenshot

pytestmark = pytest.mark.e2e


def test_redacteur_reads_the_share_per_aanbieder_and_the_monitor_indicator(new_page):
    page = new_page(viewport=PHONE)
    login(page, "groningen-beleid")
    page.goto("/groningen/kaart/aanbod/")
    with page.expect_navigation():
        page.get_by_role("link", name="Hoe actueel per aanbieder").click()
    tabel = page.get_by_role("table", name="Aandeel actueel aanbod per aanbieder")
    rij = tabel.get_by_role("row", name="Jeugdwerk SPT")
    assert rij.inner_text().split()[-1] == "75%"  # 3 of 4: the Zomerspelweek is verouderd
    assert "9 van 11 aanbod actueel (82%)" in page.get_by_role("main").inner_text()
    assert_accessible(page, "the share per aanbieder")
    screenshot(page, "kaart-versheid-telefoon")
    with page.expect_navigation():
        page.get_by_role("link", name="Het verloop per maand").click()
    main = page.get_by_role("main").inner_text()
    assert "Aandeel actueel aanbod op de sociale kaart" in main and "81,8" in main
    assert_accessible(page, "the monitor indicator")


def test_partner_sees_own_share_on_the_organisation_page(new_page):
    from network.models import Organisatie

    kids = Organisatie.objects.get(gemeente__slug="groningen", naam="Kids First")
    page = new_page(viewport=PHONE)
    login(page, "groningen-partner")
    page.goto(kids.get_absolute_url())
    sectie = page.get_by_role("table", name="Aandeel actueel aanbod per aanbieder")
    assert "Kids First" in sectie.inner_text()
    assert_accessible(page, "the organisation page with its share")
