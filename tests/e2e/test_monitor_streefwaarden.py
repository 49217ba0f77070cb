"""A beleidsmedewerker adds a target (streefwaarde) on an indicator page with the keyboard
only: the form first refuses a percentage above 100 with an error summary whose link leads to
the field, then saves the corrected value, and the indicator page lists the target with links
to change and delete it. Form and pages pass axe-core, also on a phone."""

import pytest

from core.periods import JAAR, Periode
from monitor.models import Indicator, Streefwaarde
from regions.models import Gebied
from tests.e2e.helpers import PHONE, assert_accessible, login, screenshot

pytestmark = pytest.mark.e2e


def test_beleid_adds_a_target_with_the_keyboard(new_page):
    armoede = Indicator.objects.get(gemeente__cbs_code="GM0014", code="armoede_kind")
    spt = Gebied.objects.get(gemeente=armoede.gemeente, afkorting="SPT")
    page = new_page()
    login(page, "groningen-beleid")
    page.goto(armoede.get_absolute_url())
    add = page.get_by_role("link", name="Streefwaarde toevoegen")
    add.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("heading", name="Streefwaarde toevoegen", level=1).wait_for()
    assert_accessible(page, "the streefwaarde form")

    # Every field has a label; the keyboard reaches them in order.
    voor = page.get_by_label("Voor")
    voor.focus()
    voor.select_option(label=spt.naam)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_periode"
    page.keyboard.type("2026")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_waarde"
    page.keyboard.type("112,5")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_toelichting"
    page.keyboard.type("Uit het wijkplan SPT 2024-2027")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the Opslaan button

    summary = page.get_by_role("alert")
    assert "Een percentage ligt tussen 0 en 100." in summary.inner_text()
    assert not Streefwaarde.objects.filter(indicator=armoede).exists()
    assert page.get_by_label("Streefwaarde").input_value() == "112,5"
    assert_accessible(page, "the streefwaarde form with an error")
    screenshot(page, "monitor-streefwaarde-fout")

    summary.get_by_role("link", name="Streefwaarde: Een percentage ligt tussen 0 en 100.").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_waarde"
    page.keyboard.press("Control+A")
    page.keyboard.type("12,5")
    page.get_by_role("button", name="Opslaan").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    s = Streefwaarde.objects.get(indicator=armoede)
    assert (s.gebied, s.periode, s.waarde) == (spt, Periode(JAAR, 2026), 12.5)
    assert page.url.endswith(f"{armoede.get_absolute_url()}#streefwaarde-{s.pk}")
    assert "Opgeslagen." in page.get_by_role("status").inner_text()
    item = page.locator(f"#streefwaarde-{s.pk}")
    assert item.inner_text().startswith(f"{spt.naam}, 2026: 12,5% – Uit het wijkplan SPT")
    assert item.get_by_role("link", name=f"Wijzigen streefwaarde {spt.naam}, 2026").count()
    assert item.get_by_role("link", name=f"Verwijderen streefwaarde {spt.naam}, 2026").count()
    assert_accessible(page, "the indicator page with the new target")
    screenshot(page, "monitor-streefwaarde-toegevoegd")

    phone = new_page(PHONE)
    login(phone, "groningen-beleid")
    phone.goto(f"/groningen/monitor/streefwaarden/{s.pk}/wijzigen/")
    assert phone.get_by_label("Streefwaarde").input_value() == "12,5"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(phone, "the streefwaarde form on a phone")
    screenshot(phone, "monitor-streefwaarde-telefoon")
