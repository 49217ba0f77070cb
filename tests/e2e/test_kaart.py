"""The public sociale kaart on a phone, with the keyboard only: search with Dutch stemming and
compounds, filter, open an aanbod, report what is wrong; and a professional's view with the
referral details and the freshness marks. axe-core checks every page."""

import pytest

from kaart.models import Aanbod, Melding
from tests.e2e.helpers import DESKTOP, PHONE, assert_accessible, login, screenshot

pytestmark = pytest.mark.e2e


def test_parent_searches_on_a_phone_with_the_keyboard(new_page):
    page = new_page(viewport=PHONE)
    page.goto("/groningen/sociale-kaart/")
    assert_accessible(page, "the public search page")
    # Keyboard only: from the skip link to the search box, type, Enter.
    page.keyboard.press("Tab")
    page.get_by_label("Waar zoekt u naar?").focus()
    page.keyboard.type("voorlezen")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    results = page.get_by_role("list", name="1 resultaat")
    assert "Voorleesochtend voor peuters" in results.inner_text()
    assert "Actueel" in results.inner_text()
    assert_accessible(page, "the search results")
    screenshot(page, "kaart-zoeken-telefoon")

    # Filters: free aanbod for a 12-year-old about vrije tijd.
    page.goto("/groningen/sociale-kaart/")
    page.get_by_text("Filters").click()
    page.get_by_label("Leeftijd (jaar)").fill("12")
    page.get_by_label("Onderwerp").select_option(label="Vrije tijd en ontmoeten")
    page.get_by_label("Alleen gratis").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Zoeken").click()
    text = page.get_by_role("main").inner_text()
    assert "Tienerinloop" in text and "Meidenclub" not in text  # the club costs € 1
    assert "Zomerspelweek" not in text  # not checked for two years: off the public kaart
    assert_accessible(page, "filtered results")

    # Open the aanbod and report that something is wrong.
    with page.expect_navigation():
        page.get_by_role("link", name="Tienerinloop").click()
    assert_accessible(page, "an aanbod")
    page.get_by_label("Wat klopt er niet?").fill("Op vrijdag is het nu tot 21 uur open.")
    with page.expect_navigation():
        page.get_by_role("button", name="Melding versturen").click()
    assert "Bedankt voor uw melding" in page.content()
    assert "Controle nodig" in page.content()  # the open report lowers the tier
    assert Melding.objects.filter(aanbod__naam="Tienerinloop").count() == 1


def test_professional_sees_referral_and_stale_aanbod(new_page):
    page = new_page(viewport=PHONE)
    login(page, "groningen-coordinator")
    page.goto("/groningen/kaart/aanbod/?q=spelweek")
    assert "Verouderd" in page.get_by_role("main").inner_text()
    assert_accessible(page, "the professional search")
    opvoed = Aanbod.objects.get(naam="Opvoedspreekuur")
    page.goto(f"/groningen/kaart/aanbod/{opvoed.pk}/")
    text = page.get_by_role("main").inner_text()
    assert "Zo verwijst u door" in text and "Team Voorzorg" in text
    assert_accessible(page, "the professional aanbod page")


@pytest.mark.parametrize("viewport,naam", [(PHONE, "telefoon"), (DESKTOP, "breed")])
def test_redacteur_imports_duo_schools_with_preview_and_confirm(new_page, tmp_path, viewport,
                                                                 naam):
    from kaart.models import Registerinschrijving
    from tests.kaart.test_registers import DUO_OUD

    bestand = tmp_path / "vestigingen.csv"
    bestand.write_bytes(DUO_OUD.replace("De Vlinder", "De Vlinder – Één").encode("cp1252"))
    page = new_page(viewport=viewport)
    login(page, "groningen-beleid")
    page.goto("/groningen/kaart/aanbod/")
    with page.expect_navigation():
        page.get_by_role("link", name="Scholen inlezen (DUO)").click()
    assert_accessible(page, "the DUO import page")
    page.get_by_label("Bestand").set_input_files(str(bestand))
    with page.expect_navigation():
        page.get_by_role("button", name="Voorbeeld bekijken").click()
    main = page.get_by_role("main").inner_text()
    assert "Voorbeeld van vestigingen.csv" in main and "Windows-1252" in main
    assert "OBS De Vlinder – Één" in main and "OBS Elders" not in main
    assert not Registerinschrijving.objects.filter(code="01AB00").exists()
    assert_accessible(page, "the import preview")
    screenshot(page, f"kaart-import-voorbeeld-{naam}")
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, lees dit bestand in").click()
    assert "2 nieuw, 0 bijgewerkt, 0 gesloten, 0 ongewijzigd" in page.content()
    assert Registerinschrijving.objects.filter(code="01AB00").exists()
    assert_accessible(page, "after the import")
    screenshot(page, f"kaart-import-klaar-{naam}")
