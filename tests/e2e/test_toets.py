"""The Klaverblad-toets in Chromium: a beleidsmedewerker uploads a nota, reads the judgement
per doel with the highlighted evidence, overrides one with a reason (keyboard only), and opens
the coverage matrix; axe-core clean on every page, desktop and phone."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import PHONE, assert_accessible, login, screenshot

pytestmark = pytest.mark.e2e

NOTA = """# Nota kinderarmoede 2026

## Wat gaan we doen?

Wij geven elk kind in een minimagezin een Kindpakket met schoolspullen en een fiets; we
trekken er 1,2 miljoen euro per jaar voor uit.

## Cijfers

In 2022 had 13 procent van de kinderen in groep 7 overgewicht, vergeleken met 12 procent
landelijk.
"""


def test_upload_review_override_matrix(page, new_page, tmp_path):
    bestand = tmp_path / "nota-kinderarmoede.md"
    bestand.write_text(NOTA, encoding="utf-8")
    login(page, "groningen-beleid")
    page.goto("/groningen/klaverblad-toets/")
    assert_accessible(page, "toets list")
    page.get_by_role("link", name="Document toetsen").click()
    page.get_by_label("Titel").fill("Nota kinderarmoede 2026")
    page.get_by_label("Beleidsterrein").select_option(label="werk en inkomen")
    page.get_by_label("Eigenaar").fill("Team armoede")
    page.get_by_label("Bestand").set_input_files(str(bestand))
    assert_accessible(page, "toets upload")
    with page.expect_navigation():
        page.get_by_role("button", name="Toetsen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nota kinderarmoede 2026")
    doel7 = page.locator("#doel-7")
    expect(doel7.locator(".og-status").first).to_have_text("aangetoond")
    expect(doel7.locator("mark").first).to_be_visible()
    assert_accessible(page, "toets document")
    screenshot(page, "toets-document-desktop")

    # Override doel 9 with the keyboard: open the details, choose, give a reason, save.
    doel9 = page.locator("#doel-9")
    doel9.locator("summary").focus()
    page.keyboard.press("Enter")
    doel9.get_by_label("beperkt").check()
    doel9.get_by_label("Reden").fill("De kinderraad staat in de bijlage.")
    doel9.get_by_label("Reden").press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#doel-9 .og-status").first).to_have_text("beperkt")
    expect(page.locator("#doel-9")).to_contain_text("De kinderraad staat in de bijlage.")

    page.goto("/groningen/klaverblad-toets/dekking/")
    expect(page.get_by_role("heading", name="Witte vlekken")).to_be_visible()
    assert_accessible(page, "toets matrix")

    phone = new_page(PHONE)
    login(phone, "groningen-beleid")
    phone.goto("/groningen/klaverblad-toets/")
    phone.get_by_role("link", name="Nota kinderarmoede 2026").click()
    assert_accessible(phone, "toets document (phone)")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "toets-document-phone")
