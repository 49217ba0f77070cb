"""A subsidy from application to vaststelling, in a real browser: a partner applies, a
beleidsmedewerker assesses and grants with a voorschot and pays it, the partner sends the
verantwoording with a PDF, and the vaststelling computes the terugvordering. Every page on the
way is checked with axe-core."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from core.models import Gemeente
from finance.models import Aanvraag
from tests.e2e.helpers import PHONE, assert_accessible, login, screenshot
from tests.finance.conftest import make_aanvraag, make_regeling
from tests.finance.permission_spec import MINIMAL_PDF

pytestmark = pytest.mark.e2e
JAAR = timezone.localdate().year


def click(page, name, role="button"):
    with page.expect_navigation():
        page.get_by_role(role, name=name, exact=True).click()


def test_subsidy_from_aanvraag_to_terugvordering(new_page, tmp_path):
    # --- the partner (Kids First) applies ---------------------------------------------------
    partner = new_page()
    login(partner, "groningen-partner")
    partner.goto("/groningen/regelingen/")
    assert_accessible(partner, "regelingen")
    click(partner, "Wijkplannen Positief Opgroeien", role="link")
    assert_accessible(partner, "regeling detail")
    click(partner, "Subsidie aanvragen", role="link")
    assert_accessible(partner, "the aanvraag form")
    partner.get_by_label("Gebied", exact=True).select_option(label="Selwerd, Paddepoel en Tuinwijk")
    partner.get_by_label("Titel", exact=True).fill("Ouder-kindochtenden in de speelplek")
    partner.get_by_label("Activiteiten", exact=True).fill(
        "Elke maand een ochtend voor ouders en jonge kinderen, met de JGZ en het WIJ-team.")
    partner.get_by_label(f"Gevraagd voor {JAAR}").fill("20.000,00")
    partner.get_by_label(re.compile(r"\b3\. Alle kinderen hebben een kansrijke start")).check()
    partner.get_by_label("Regel 1: jaar").select_option(str(JAAR))
    partner.get_by_label("Regel 1: omschrijving").fill("Inzet pedagogisch medewerkers")
    partner.get_by_label("Regel 1: bedrag").fill("20.000,00")
    click(partner, "Opslaan")
    assert "De aanvraag is volledig en kan worden ingediend." in partner.content()
    assert_accessible(partner, "the concept aanvraag")
    aanvraag = Aanvraag.objects.get(titel="Ouder-kindochtenden in de speelplek")
    assert aanvraag.gevraagd == Decimal("20000.00") and aanvraag.organisatie.naam == "Kids First"
    assert [d.nummer for d in aanvraag.klaverblad_doelen()] == [3]
    click(partner, "Indienen", role="link")
    assert_accessible(partner, "the indienen page")
    click(partner, "Indienen")
    assert "De aanvraag is ingediend." in partner.get_by_role("status").inner_text()

    # --- the beleidsmedewerker assesses, grants with a voorschot and pays it ---------------
    beleid = new_page()
    login(beleid, "groningen-beleid")
    beleid.goto(aanvraag.get_absolute_url())
    click(beleid, "Beoordelen", role="link")
    assert_accessible(beleid, "the beoordelen page")
    for punt in aanvraag.regeling.punten():
        # The label reads "<punt> (niet verplicht)"; the toelichting's starts with "Toelichting".
        beleid.get_by_label(re.compile("^" + re.escape(punt))).select_option("voldoet")
    click(beleid, "Opslaan")
    click(beleid, "Verlenen", role="link")
    assert_accessible(beleid, "the verlenen page")
    assert beleid.get_by_label(f"Toegekend voor {JAAR}").input_value() == "20000,00"
    beleid.get_by_label("Voorschot in procenten van de subsidie").fill("80")
    beleid.get_by_label("Motivering").fill("Past in het wijkplan SPT, pijler Gezondheid.")
    click(beleid, "Verlenen en beschikking maken")
    body = beleid.inner_text("main").replace("\u00a0", " ")
    assert "De subsidie is verleend" in body, beleid.inner_text("main")
    assert "€ 16.000,00" in body  # the voorschot
    assert_accessible(beleid, "the verleende aanvraag")
    screenshot(beleid, "finance-verleend")
    click(beleid, "Betaling vastleggen", role="link")
    assert_accessible(beleid, "the betalen page")
    beleid.get_by_role("radio").first.check()
    click(beleid, "Opslaan")
    aanvraag.refresh_from_db()
    assert aanvraag.status == "verleend" and aanvraag.betaald == Decimal("16000.00")
    letter = beleid.get_by_role("link", name=re.compile(r"^Verlening GM0014-"))
    assert letter.get_attribute("href").endswith("/pdf/")

    # --- the partner sends the verantwoording -------------------------------------------------
    partner.goto(aanvraag.get_absolute_url())
    click(partner, "Verantwoording indienen", role="link")
    assert_accessible(partner, "the verantwoording form")
    partner.get_by_label(re.compile(r"^Verslag")).fill(
        "Acht ochtenden gehouden in plaats van twaalf: de speelplek was pas in april klaar.")
    partner.get_by_label(f"Uitgegeven in {JAAR} (subsidie)").fill("12.000")
    verslag = tmp_path / "activiteitenverslag.pdf"
    verslag.write_bytes(MINIMAL_PDF)
    partner.get_by_label(re.compile(r"^Activiteitenverslag")).set_input_files(str(verslag))
    click(partner, "Verantwoording indienen")
    assert "De verantwoording is ingediend." in partner.get_by_role("status").inner_text()

    # --- vaststelling: less spent than paid, so a terugvordering ------------------------------
    beleid.goto(aanvraag.get_absolute_url())
    click(beleid, "Vaststellen", role="link")
    assert_accessible(beleid, "the vaststellen page")
    assert beleid.get_by_label(f"Vastgesteld voor {JAAR}").input_value() == "12000,00"
    click(beleid, "Vaststellen en beschikking maken")
    body = beleid.inner_text("main").replace("\u00a0", " ")
    assert "De subsidie is vastgesteld" in body
    assert "€ 4.000,00" in body  # terugvordering: € 16.000 paid, € 12.000 set
    assert_accessible(beleid, "the vastgestelde aanvraag")
    screenshot(beleid, "finance-vastgesteld")
    aanvraag.refresh_from_db()
    assert aanvraag.status == "vastgesteld"
    assert (aanvraag.vastgesteld, aanvraag.terugvordering) == (Decimal("12000.00"),
                                                               Decimal("4000.00"))
    assert aanvraag.beschikkingen.filter(soort="vaststelling").exists()

    beleid.goto(f"/groningen/financien/?jaar={JAAR}")
    assert_accessible(beleid, "the yearly overview")
    screenshot(beleid, "finance-overzicht")


def test_partner_adds_and_removes_a_bijlage_on_a_phone(new_page, tmp_path):
    regeling = make_regeling(Gemeente.objects.get(slug="groningen"),
                             naam="Regeling voor bijlagen")
    aanvraag = make_aanvraag(regeling)
    plan = tmp_path / "projectplan.pdf"
    plan.write_bytes(MINIMAL_PDF)
    page = new_page(viewport=PHONE)
    login(page, "groningen-partner")
    page.goto(aanvraag.get_absolute_url())
    click(page, "Bijlage toevoegen", role="link")
    page.get_by_label("Soort").select_option("projectplan")
    page.get_by_label("Bestand").set_input_files(str(plan))
    click(page, "Toevoegen")
    assert "De bijlage is toegevoegd." in page.get_by_role("status").inner_text()
    click(page, "Verwijder projectplan.pdf", role="link")
    assert_accessible(page, "the bijlage verwijderen page")
    screenshot(page, "finance-bijlage-verwijderen")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    click(page, "Verwijderen")
    assert "De bijlage projectplan.pdf is verwijderd." in page.get_by_role(
        "status").inner_text()
    assert "Geen bijlagen." in page.inner_text("main")
    assert_accessible(page, "the aanvraag without bijlagen")
