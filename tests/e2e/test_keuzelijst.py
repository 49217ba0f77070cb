"""A long list of checkboxes (the partner organisaties of an activiteit) at phone width: one
fieldset named by the field, the organisaties grouped by soort, and a search box that narrows
the list without losing what was ticked; keyboard and axe-core."""

import pytest

from core.models import User
from plans import services
from plans.models import WijkplanVersie
from tests.e2e.helpers import DESKTOP, PHONE, assert_accessible, login, screenshot

pytestmark = pytest.mark.e2e


def test_search_and_groups_in_the_organisaties_list(new_page):
    v2021 = WijkplanVersie.objects.get(wijkplan__gebied__afkorting="SPT", status="vastgesteld")
    concept = services.bijstellen(User.objects.get(username="groningen-coordinator"), v2021)
    act = concept.activiteiten.get(naam="Vreedzame Wijk")
    ticked = set(act.partners.values_list("naam", flat=True))
    assert "WIJ-team SPT" in ticked and "Kids First" not in ticked

    page = new_page(PHONE)
    login(page, "groningen-coordinator")
    page.goto(f"/groningen/activiteiten/{act.pk}/bewerken/")
    lijst = page.get_by_role("group", name="Partnerorganisaties")
    assert lijst.get_by_role("group", name="Kinderopvang").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page, "the activiteit form with grouped organisaties")

    zoek = lijst.get_by_label("Zoek in de lijst")
    zoek.focus()
    page.keyboard.type("kids")
    assert lijst.locator(".og-check:visible").all_inner_texts() == ["Kids First"]
    assert lijst.get_by_role("group", name="Basisschool").count() == 0  # hidden: no match
    assert lijst.locator("[aria-live]").inner_text().startswith("Gevonden: 1 van ")
    page.keyboard.press("Enter")  # does not send the form
    assert page.url.endswith(f"/activiteiten/{act.pk}/bewerken/")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # ticks Kids First
    assert lijst.get_by_label("Kids First").is_checked()
    assert_accessible(page, "the filtered list")
    screenshot(page, "keuzelijst-gezocht-390")

    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan").click()
    act.refresh_from_db()
    # The hidden, ticked organisaties went with the form too.
    assert set(act.partners.values_list("naam", flat=True)) == ticked | {"Kids First"}

    wide = new_page(DESKTOP)
    login(wide, "groningen-coordinator")
    wide.goto(f"/groningen/activiteiten/{act.pk}/bewerken/")
    screenshot(wide, "keuzelijst-1280")
    groups = wide.get_by_role("group", name="Partnerorganisaties").locator(".og-groep")
    # Two columns at 1280 px: groups side by side.
    lefts = {round(box["x"]) for box in (g.bounding_box() for g in groups.all())}
    assert len(lefts) == 2
