"""Jouw stem in a real browser, on a phone (390 px): a child sends an idea with her phone number
in it; the beleidsmedewerker sees the number flagged, edits the public text, approves and
answers; the public page shows only the edited text. And the tracking page on a shared school
computer: the next child sees nothing of the previous child's message. axe-core on every page."""

import pytest

from participation.models import Inzending
from tests.e2e.helpers import PHONE, assert_accessible, login, screenshot

pytestmark = pytest.mark.e2e

TEKST = "Ik ben Sanne uit groep 7. Mijn nummer is 06-12345678. Kan er een skatebaan komen?"


def test_moderation_and_the_shared_computer(new_page):
    child = new_page(viewport=PHONE)
    child.goto("/groningen/jouw-stem/insturen/")
    # Nothing red before the child typed: the empty required text area looks like the others.
    assert child.locator(".og-field-error, [aria-invalid]").count() == 0
    style = "e => getComputedStyle(e).backgroundColor + ' ' + getComputedStyle(e).borderColor"
    normal = child.get_by_label("Je e-mailadres").evaluate(style)
    assert child.get_by_label("Vertel het ons").evaluate(style) == normal
    assert_accessible(child, "the submission form")
    screenshot(child, "jeugdstem-insturen")
    child.get_by_label("Een idee").check()
    child.get_by_label("Waar gaat het over?").fill("Skatebaan")
    with child.expect_navigation():
        child.get_by_role("button", name="Versturen").click()
    # Forgot the message: one clear error, then aria-invalid on that field only.
    assert child.get_by_label("Vertel het ons").get_attribute("aria-invalid") == "true"
    assert child.get_by_label("Waar gaat het over?").get_attribute("aria-invalid") is None
    assert child.get_by_label("Vertel het ons").evaluate(style) != normal  # now it is red
    assert_accessible(child, "the submission form with an error")
    child.get_by_label("Vertel het ons").fill(TEKST)
    child.get_by_label("Spelen en sporten", exact=False).first.check()
    child.get_by_label("Over welke buurt gaat het?").select_option(
        label="Selwerd, Paddepoel en Tuinwijk")
    child.get_by_label("Iedereen mag mijn bericht en het antwoord lezen", exact=False).check()
    with child.expect_navigation():
        child.get_by_role("button", name="Versturen").click()
    code = child.locator("#volgcode").inner_text()
    assert_accessible(child, "the page with the tracking code")
    screenshot(child, "jeugdstem-ingestuurd")
    inzending = Inzending.objects.get(onderwerp="Skatebaan", gemeente__slug="groningen")

    # The beleidsmedewerker: the number and the name with the class are flagged.
    staff = new_page()
    login(staff, "groningen-beleid")
    staff.goto("/groningen/participatie/inzendingen/?filter=nakijken")
    with staff.expect_navigation():
        staff.get_by_role("link", name="Idee: Skatebaan").click()
    flags = staff.locator("#signalen")
    assert "06-12345678" in flags.inner_text() and "Sanne uit groep 7" in flags.inner_text()
    assert staff.locator("#origineel mark").count() == 2
    assert_accessible(staff, "the moderation page")
    screenshot(staff, "jeugdstem-moderatie")
    staff.get_by_label("Openbare tekst", exact=True).fill("Kan er een skatebaan komen?")
    with staff.expect_navigation():
        staff.get_by_role("button", name="Openbare tekst goedkeuren").click()
    assert "De openbare tekst is goedgekeurd" in staff.content()
    staff.get_by_label("Openbaar antwoord").fill("Goed idee! We zoeken een plek in Paddepoel.")
    with staff.expect_navigation():
        staff.get_by_role("button", name="Antwoord publiceren").click()
    screenshot(staff, "jeugdstem-moderatie-goedgekeurd")

    visitor = new_page(viewport=PHONE)
    visitor.goto("/groningen/jouw-stem/")
    body = visitor.content()
    assert "Kan er een skatebaan komen?" in body and "We zoeken een plek in Paddepoel" in body
    assert "Sanne" not in body and "06-12345678" not in body and "groep 7" not in body
    assert_accessible(visitor, "the public page")
    screenshot(visitor, "jeugdstem-openbaar")

    # A shared school computer: Sanne follows her message ...
    computer = new_page(viewport=PHONE)
    computer.goto("/groningen/jouw-stem/volgen/")
    assert_accessible(computer, "the empty tracking page")
    computer.get_by_label("Je volgcode").fill(code)
    with computer.expect_navigation():
        computer.get_by_role("button", name="Bekijk").click()
    assert "We zoeken een plek in Paddepoel" in computer.content()
    assert computer.get_by_label("Je volgcode").input_value() == ""
    assert_accessible(computer, "the tracking page with the answer")
    screenshot(computer, "jeugdstem-volgen")
    # ... and presses "vergeet": the page is empty again.
    with computer.expect_navigation():
        computer.get_by_role("button", name="Vergeet dit bericht op deze computer").click()
    assert "skatebaan" not in computer.content().lower()
    assert "weg van deze computer" in computer.content()
    # The next child opens the page (did not press anything): nothing of Sanne's message.
    computer.goto("/groningen/jouw-stem/volgen/")
    assert "skatebaan" not in computer.content().lower()
    # A wrong code shows only the error.
    computer.get_by_label("Je volgcode").fill("AAAAA-BBBBB-CCCCC")
    with computer.expect_navigation():
        computer.get_by_role("button", name="Bekijk").click()
    assert "kennen we niet" in computer.content()
    assert "skatebaan" not in computer.content().lower()
    assert_accessible(computer, "the tracking page with a wrong code")
    screenshot(computer, "jeugdstem-volgen-fout")
    assert inzending.pk  # the message itself is still there for staff
