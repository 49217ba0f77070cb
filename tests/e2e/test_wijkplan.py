"""A wijkplan's life in a real browser: the coördinator writes a concept with two activiteiten,
the coördinator offers it and the voorzitter of the stuurgroep adopts it, the coördinator
revises it, and the comparison page shows what changed (the changed words marked). Every
page passes axe-core."""

import re

import pytest

from plans.models import Wijkplan
from tests.e2e.helpers import assert_accessible, login, screenshot

pytestmark = pytest.mark.e2e


def fill_leeftijd(page, name, maanden):
    """An age is entered as years and months."""
    jaren, rest = divmod(maanden, 12)
    page.locator(f"#id_{name}_0").fill(str(jaren))
    page.locator(f"#id_{name}_1").fill(str(rest))


def add_activiteit(page, pijler, naam, van, tot, doel):
    page.get_by_role("link", name=f"Activiteit toevoegen aan {pijler}").click()
    page.get_by_label("Naam", exact=False).first.fill(naam)
    fill_leeftijd(page, "leeftijd_van", van)
    fill_leeftijd(page, "leeftijd_tot", tot)
    page.get_by_role("checkbox", name=re.compile(rf"^{doel}\. ")).check()
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()


def test_write_adopt_revise_and_compare(new_page):
    coordinator = new_page()
    login(coordinator, "groningen-coordinator")
    coordinator.goto("/groningen/wijkplannen/")
    assert_accessible(coordinator, "the wijkplannen list")
    coordinator.get_by_role("link", name="Nieuw wijkplan").click()
    assert_accessible(coordinator, "the new wijkplan form")
    coordinator.get_by_label("Naam").fill("Wijkplan SPT 2024-2027")
    coordinator.get_by_label("Gebied").select_option(label="Selwerd, Paddepoel en Tuinwijk")
    coordinator.get_by_label("Eerste jaar").fill("2024")
    coordinator.get_by_label("Laatste jaar").fill("2027")
    coordinator.get_by_role("button", name="Opslaan").click()
    coordinator.wait_for_load_state()
    plan = Wijkplan.objects.get(naam="Wijkplan SPT 2024-2027")

    coordinator.get_by_role("link", name="Conceptversie (2024)").click()
    coordinator.get_by_role("link", name="Pijler toevoegen").click()
    assert_accessible(coordinator, "the pijler form")
    coordinator.get_by_label("Naam").fill("Gezondheid")
    coordinator.get_by_label("Doelen van de pijler").fill("Gezonde leefstijl")
    coordinator.get_by_role("checkbox", name=re.compile(r"^2\. ")).check()
    coordinator.get_by_role("button", name="Opslaan").click()
    coordinator.wait_for_load_state()

    add_activiteit(coordinator, "Gezondheid", "Zwemles", 48, 144, 2)
    assert_accessible(coordinator, "the concept version")
    add_activiteit(coordinator, "Gezondheid", "Kookclub", 96, 156, 2)
    activiteiten = coordinator.get_by_role("table", name="Activiteiten bij Gezondheid")
    assert activiteiten.get_by_role("link", name="Zwemles").is_visible()
    assert activiteiten.get_by_role("link", name="Kookclub").is_visible()
    assert coordinator.get_by_role("link", name="Vaststellen").count() == 0
    screenshot(coordinator, "wijkplan-concept")

    # The coördinator offers it to the stuurgroep; the voorzitter adopts it.
    coordinator.get_by_role("link", name="Aanbieden aan de stuurgroep").click()
    coordinator.get_by_role("button", name="Aanbieden aan de stuurgroep").click()
    coordinator.wait_for_load_state()
    voorzitter = new_page()
    login(voorzitter, "groningen-stuurgroep")
    versie = plan.versies.get()
    voorzitter.goto(versie.get_absolute_url())
    voorzitter.get_by_role("link", name="Vaststellen").click()
    assert_accessible(voorzitter, "the vaststellen page")
    voorzitter.get_by_role("button", name="Ja, vaststellen").click()
    voorzitter.wait_for_load_state()
    assert "De versie is vastgesteld." in voorzitter.get_by_role("status").inner_text()
    versie.refresh_from_db()
    assert versie.status == "vastgesteld"

    # The coördinator revises it: one activiteit changes, one is added.
    coordinator.goto(versie.get_absolute_url())
    assert coordinator.get_by_role("link", name="Inleiding en speerpunten bewerken").count() == 0
    coordinator.get_by_role("link", name="Bijstellen").click()
    assert_accessible(coordinator, "the bijstellen page")
    coordinator.get_by_label("Voor het jaar").fill("2025")
    coordinator.get_by_role("button", name="Maak conceptversie").click()
    coordinator.wait_for_load_state()
    coordinator.get_by_role("link", name="Zwemles").click()
    coordinator.get_by_role("link", name="Bewerken").click()
    fill_leeftijd(coordinator, "leeftijd_tot", 156)
    coordinator.get_by_role("button", name="Opslaan").click()
    coordinator.wait_for_load_state()
    add_activiteit(coordinator, "Gezondheid", "Schoolontbijt", 48, 156, 2)

    coordinator.get_by_role("link", name="Vergelijk met versie 1", exact=True).click()
    coordinator.wait_for_load_state()
    assert_accessible(coordinator, "the comparison page")
    section = coordinator.get_by_role("region", name="Activiteiten")
    text = section.inner_text()
    assert "Toegevoegd: Schoolontbijt" in text
    assert "Gewijzigd: Zwemles" in text
    # Only the changed word is marked: "4 jaar tot [weg: 12] [nieuw: 13] jaar".
    assert section.locator("del").filter(has_text="12").count() == 1
    assert section.locator("ins").filter(has_text="13").count() == 1
    assert "Doelgroep: 4 jaar tot" in text
    assert "Kookclub" not in text  # unchanged
    screenshot(coordinator, "wijkplan-vergelijking")
    assert plan.versies.count() == 2


def test_klaverblad_and_plan_pages_are_accessible(new_page):
    """The read pages of the demo, for the stuurgroep and a beleidsmedewerker: axe-clean, and
    the witte vlek is named in text."""
    from framework.models import Kader

    plan = Wijkplan.objects.get(gemeente__slug="groningen", gebied__afkorting="SPT")
    versie = plan.versies.get(status="vastgesteld")
    kader = Kader.objects.get(gemeente__slug="groningen", soort="klaverblad")
    activiteit = versie.activiteiten.get(naam="Kansrijke Start")
    page = new_page()
    login(page, "groningen-beleid")
    for where, url in [
        ("the home page", "/groningen/"),
        ("the Klaverblad", kader.get_absolute_url()),
        ("a Klaverblad doel", kader.doelen.get(nummer=3).get_absolute_url()),
        ("the coverage matrix", "/groningen/klaverblad-dekking/"),
        ("the wijkplan", plan.get_absolute_url()),
        ("the 2021 version", versie.get_absolute_url()),
        ("the comparison 2018-2021", f"{versie.get_absolute_url()}vergelijken/"),
        ("the voortgang page", f"{plan.get_absolute_url()}voortgang/"),
        ("an activiteit", activiteit.get_absolute_url()),
        ("the activiteiten of a doel", f"/groningen/activiteiten/?doel="
                                       f"{kader.doelen.get(nummer=3).pk}"),
    ]:
        page.goto(url)
        assert_accessible(page, where)
    page.goto("/groningen/klaverblad-dekking/")
    assert "1 witte vlek" in page.get_by_role("main").inner_text()
    screenshot(page, "klaverblad-dekking")
