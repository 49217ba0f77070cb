"""Submit and decide in a real browser, at phone width: the coördinator offers a version, the
voorzitter of the stuurgroep finds it (on the home page's attention list, with the message
count, and in the inbox), sends it back with reasons, the coördinator finds that on their home
page, fixes it and offers it again, the stuurgroep vaststelt it.
Every step's message is in the outbox and is delivered to a real SMTP server (aiosmtpd) by
the real task worker. Every page passes axe-core."""

import pytest

from core.models import Bericht, User
from plans import services
from plans.models import WijkplanVersie
from tests.e2e.helpers import DESKTOP, PHONE, assert_accessible, login, screenshot
from tests.worker import run_worker

pytestmark = pytest.mark.e2e


def fits(page, where):
    """Nothing but a table's own box scrolls sideways: the page is as wide as the screen."""
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    if width > viewport:
        screenshot(page, f"te-breed-{where}")
    # The outermost elements that stick out, to say where the width comes from.
    wide = page.evaluate("""(w) => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > w + 1
                && e.parentElement.getBoundingClientRect().right <= w + 1)
        .slice(0, 5).map(e => e.tagName + '.' + e.className)""", viewport)
    assert width <= viewport, f"{where} is {width}px wide at {viewport}px: {wide}"


def click_and_wait(page, role, name, exact=True):
    with page.expect_navigation():
        page.get_by_role(role, name=name, exact=exact).first.click()


def test_offer_send_back_fix_offer_again_and_vaststellen(new_page, smtp_server):
    for username in ("groningen-coordinator", "groningen-stuurgroep"):
        User.objects.filter(username=username).update(email=f"{username}@example.org")
    coordinator_user = User.objects.get(username="groningen-coordinator")
    v2021 = WijkplanVersie.objects.get(wijkplan__gebied__afkorting="SPT", status="vastgesteld")
    concept = services.bijstellen(coordinator_user, v2021, jaar=2022)

    coordinator = new_page(PHONE)
    login(coordinator, "groningen-coordinator")
    coordinator.goto(concept.get_absolute_url())
    fits(coordinator, "the concept at phone width")
    assert coordinator.get_by_role("link", name="Vaststellen", exact=True).count() == 0
    click_and_wait(coordinator, "link", "Aanbieden aan de stuurgroep")
    assert_accessible(coordinator, "the aanbieden page")
    coordinator.get_by_label("Bericht aan de stuurgroep").fill("Graag vaststellen in mei.")
    click_and_wait(coordinator, "button", "Aanbieden aan de stuurgroep")
    assert "aangeboden aan de stuurgroep" in coordinator.get_by_role("status").inner_text()
    assert_accessible(coordinator, "an aangeboden version")
    screenshot(coordinator, "versie-aangeboden-390")

    vaststellen = f"Vaststellen: {concept.wijkplan.naam}, versie {concept.nummer} ({concept.jaar})"
    voorzitter = new_page(PHONE)
    login(voorzitter, "groningen-stuurgroep")
    voorzitter.goto("/groningen/")
    aandacht = voorzitter.get_by_role("region", name="Wat vraagt uw aandacht")
    assert aandacht.get_by_role("link", name=vaststellen, exact=True).is_visible()
    berichten = voorzitter.get_by_role("link", name="Berichten 1 ongelezen")
    assert berichten.is_visible()
    fits(voorzitter, "the home page at phone width")
    assert_accessible(voorzitter, "the stuurgroep's home page")
    screenshot(voorzitter, "home-stuurgroep-vaststellen-390")
    with voorzitter.expect_navigation():
        aandacht.get_by_role("link", name=vaststellen, exact=True).click()
    assert voorzitter.url.endswith(concept.get_absolute_url())
    voorzitter.goto("/groningen/")
    click_and_wait(voorzitter, "link", "Berichten 1 ongelezen")
    assert voorzitter.get_by_role("heading", name=f"Nieuw Vast te stellen: {concept}").is_visible()
    assert_accessible(voorzitter, "the inbox")
    click_and_wait(voorzitter, "link", f"Vast te stellen: {concept}", exact=False)
    assert "Graag vaststellen in mei." in voorzitter.content()
    click_and_wait(voorzitter, "link", "Terugsturen")
    assert_accessible(voorzitter, "the terugsturen page")
    voorzitter.get_by_label("Waarom stuurt u de versie terug?").fill(
        "De inleiding noemt de nieuwe pijler nog niet.")
    click_and_wait(voorzitter, "button", "Terugsturen naar de coördinator")
    assert "teruggestuurd" in voorzitter.get_by_role("status").inner_text()
    voorzitter.goto("/groningen/")
    assert voorzitter.get_by_role("link", name=vaststellen, exact=True).count() == 0

    terug = (f"Teruggestuurd door de stuurgroep: {concept.wijkplan.naam}, "
             f"versie {concept.nummer}")
    coordinator.goto("/groningen/")
    aandacht = coordinator.get_by_role("region", name="Wat vraagt uw aandacht")
    assert aandacht.get_by_role("link", name=terug, exact=True).is_visible()
    assert_accessible(coordinator, "the coördinator's home page")
    coordinator.goto("/groningen/berichten/")
    assert coordinator.get_by_role("heading", name=f"Nieuw Teruggestuurd: {concept}").is_visible()
    coordinator.goto(concept.get_absolute_url())
    assert "De inleiding noemt de nieuwe pijler nog niet." in coordinator.content()
    click_and_wait(coordinator, "link", "Inleiding en speerpunten bewerken")
    coordinator.get_by_label("Inleiding").fill("Met de nieuwe pijler Talentontwikkeling.")
    click_and_wait(coordinator, "button", "Opslaan")
    click_and_wait(coordinator, "link", "Aanbieden aan de stuurgroep")
    click_and_wait(coordinator, "button", "Aanbieden aan de stuurgroep")
    coordinator.goto("/groningen/")
    assert coordinator.get_by_role("link", name=terug, exact=True).count() == 0

    voorzitter.goto("/groningen/")
    click_and_wait(voorzitter, "link", vaststellen)
    click_and_wait(voorzitter, "link", "Vaststellen")
    assert_accessible(voorzitter, "the vaststellen page")
    fits(voorzitter, "the vaststellen page at phone width")
    click_and_wait(voorzitter, "button", "Ja, vaststellen")
    assert "De versie is vastgesteld." in voorzitter.get_by_role("status").inner_text()
    concept.refresh_from_db()
    assert concept.status == "vastgesteld"
    assert concept.inleiding == "Met de nieuwe pijler Talentontwikkeling."

    # The outbox holds every step's message; the worker delivers them by SMTP.
    berichten = Bericht.objects.filter(object_id=str(concept.pk), kind__startswith="plans.")
    assert sorted(b.kind for b in berichten) == sorted([
        "plans.versie_aangeboden", "plans.versie_aangeboden", "plans.versie_teruggestuurd",
        "plans.versie_vastgesteld"])
    run_worker()
    # A long subject is folded over two header lines; unfold it.
    delivered = sorted((m["To"], " ".join(str(m["Subject"]).split()))
                       for m in smtp_server.messages)
    assert delivered == sorted([
        ("groningen-stuurgroep@example.org", f"Vast te stellen: {concept}"),
        ("groningen-stuurgroep@example.org", f"Vast te stellen: {concept}"),
        ("groningen-coordinator@example.org", f"Teruggestuurd: {concept}"),
        ("groningen-coordinator@example.org", f"Vastgesteld: {concept}")])
    assert all(b.status == Bericht.Status.VERZONDEN for b in berichten.all())


def test_plan_pages_fit_the_screen(new_page):
    """The pages this work changed, at 1280 and 390 px: wide tables scroll in their own box."""
    v2021 = WijkplanVersie.objects.get(wijkplan__gebied__afkorting="SPT", status="vastgesteld")
    concept = services.bijstellen(User.objects.get(username="groningen-beleid"), v2021)
    act = concept.activiteiten.get(naam="Vreedzame Wijk")
    pages = {"home": "/groningen/", "versie": v2021.get_absolute_url(),
             "activiteit-bewerken": f"/groningen/activiteiten/{act.pk}/bewerken/",
             "voortgang": f"/groningen/wijkplannen/{v2021.wijkplan_id}/voortgang/",
             "vergelijk": f"/groningen/wijkplanversies/{v2021.pk}/vergelijken/"}
    for label, viewport in (("1280", DESKTOP), ("390", PHONE)):
        page = new_page(viewport)
        login(page, "groningen-beleid")
        for name, url in pages.items():
            page.goto(url)
            fits(page, f"{name} at {label}px")
            screenshot(page, f"{name}-{label}")
            if name in ("voortgang", "activiteit-bewerken"):
                assert_accessible(page, f"the {name} page at {label}px")
