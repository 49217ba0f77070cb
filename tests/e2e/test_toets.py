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


def test_long_document_shows_progress_and_reloads_when_done(page, new_page, tmp_path):
    """A long nota goes to the worker: the page shows the progress in a live region, updates
    it without a reload, and shows the judgement by itself once the worker is done."""
    from tests.toets.test_achtergrond import lange_nota
    from tests.worker import run_worker
    from toets.models import Toetsopdracht

    bestand = tmp_path / "lange-nota.md"
    bestand.write_bytes(lange_nota())
    login(page, "groningen-beleid")
    page.goto("/groningen/klaverblad-toets/nieuw/")
    page.get_by_label("Titel").fill("Lange nota kinderarmoede")
    page.get_by_label("Beleidsterrein").select_option(label="werk en inkomen")
    page.get_by_label("Eigenaar").fill("Team armoede")
    page.get_by_label("Bestand").set_input_files(str(bestand))
    with page.expect_navigation():
        page.get_by_role("button", name="Toetsen").click()
    voortgang = page.locator(".og-voortgang")
    expect(voortgang).to_have_attribute("aria-live", "polite")
    expect(voortgang).to_contain_text("De toets wacht op zijn beurt.")
    assert_accessible(page, "toets progress")

    # The worker has done part of it: the page shows that without being reloaded.
    opdracht = Toetsopdracht.objects.get(document__titel="Lange nota kinderarmoede")
    Toetsopdracht.objects.filter(pk=opdracht.pk).update(stand="bezig", gedaan=250)
    expect(voortgang).to_contain_text(f"250 van {opdracht.totaal} passages getoetst",
                                      timeout=10_000)
    expect(page.locator("progress")).to_have_attribute("value", "250")
    screenshot(page, "toets-voortgang-desktop")
    phone = new_page(PHONE)
    login(phone, "groningen-beleid")
    phone.goto(page.url)
    expect(phone.locator(".og-voortgang")).to_contain_text("250 van")
    assert_accessible(phone, "toets progress (phone)")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "toets-voortgang-phone")

    run_worker()
    expect(page.get_by_role("heading", name="Per doel van het Klaverblad")).to_be_visible(
        timeout=15_000)
    expect(page.locator(".og-voortgang")).to_have_count(0)
    expect(page.locator("#doel-7 .og-status").first).to_have_text("aangetoond")


def test_edit_lexicon_rerun_and_see_the_difference(page, new_page):
    """A beleidsmedewerker adds a word to one doel, re-runs a nota and reads what changed."""
    import re

    from core.models import User
    from toets import services

    groningen = User.objects.get(username="groningen-beleid")
    gemeente = groningen.memberships.first().gemeente
    services.toets_document(groningen, gemeente, titel="Nota kinderarmoede (e2e)", jaar=2026,
                            beleidsterrein="inkomen", eigenaar="Team armoede",
                            data=NOTA.encode())
    login(page, "groningen-beleid")
    page.goto("/groningen/klaverblad-toets/lexicon/")
    assert_accessible(page, "lexicon")
    screenshot(page, "toets-lexicon-desktop")
    page.get_by_role("link", name="Bewerken doel 9").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Woorden voor doel 9")
    nieuw = page.get_by_role("group", name=re.compile("Nieuw woord")).first
    nieuw.get_by_label("Woord of zinsdeel").fill("fiets")
    nieuw.get_by_label("Gewicht").select_option("3")
    nieuw.get_by_label("Telt niet in").fill("fietspad")
    page.get_by_label("Wat is er veranderd en waarom?").fill("Fiets telt voor doel 9 (test)")
    assert_accessible(page, "lexicon doel")
    screenshot(page, "toets-lexicon-doel-desktop")
    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Opnieuw toetsen")
    page.get_by_label("Nota kinderarmoede (e2e)").check()
    assert_accessible(page, "hertoetsen")
    with page.expect_navigation():
        page.get_by_role("button", name="Opnieuw toetsen").click()
    tabel = page.get_by_role("table", name="Veranderingen in Nota kinderarmoede (e2e)")
    rij = tabel.get_by_role("row", name=re.compile("^9\\. "))
    expect(rij).to_contain_text("ontbreekt")
    expect(rij).to_contain_text("beperkt")
    expect(rij.locator("mark")).to_have_text("fiets")
    assert_accessible(page, "hertoetsronde")
    screenshot(page, "toets-hertoetsronde-desktop")

    phone = new_page(PHONE)
    login(phone, "groningen-beleid")
    phone.goto(page.url)
    assert_accessible(phone, "hertoetsronde (phone)")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "toets-hertoetsronde-phone")
    phone.goto("/groningen/klaverblad-toets/lexicon/")
    phone.get_by_role("link", name="Bewerken doel 9").click()
    assert_accessible(phone, "lexicon doel (phone)")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "toets-lexicon-doel-phone")
