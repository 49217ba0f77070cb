"""Keeping the sociale kaart and the activiteitenladder on a phone: a partner edits the opening
hours of their own locatie (a mistake first, shown in the error summary), adds a closed day;
the redacteur keeps a school's ladder and the holiday calendar. axe-core checks every page."""

import datetime

import pytest

from kaart.models import Ladderactiviteit, Openingstijd, Schoolvakantie, Uitzondering
from tests.e2e.helpers import PHONE, assert_accessible, login, screenshot

pytestmark = pytest.mark.e2e


def test_partner_edits_opening_hours_on_a_phone(new_page):
    page = new_page(viewport=PHONE)
    login(page, "groningen-partner")  # Kids First
    page.goto("/groningen/kaart/aanbod/?q=voorleesochtend")
    with page.expect_navigation():
        page.get_by_role("link", name="Voorleesochtend voor peuters").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Openingstijden van Kids First Selwerd wijzigen").click()
    assert page.get_by_role("heading", level=1).inner_text() == \
        "Openingstijden van Kids First Selwerd"
    maandag = page.get_by_role("group", name="Maandag")
    assert maandag.get_by_label("Maandag: open vanaf").input_value() == "07:30"
    assert_accessible(page, "the opening hours page")
    screenshot(page, "kpages_openingstijden")

    # Saturday morning, but the closing time is forgotten: the summary names the field.
    zaterdag = page.get_by_role("group", name="Zaterdag")
    zaterdag.get_by_label("Zaterdag: open vanaf").fill("10:00")
    page.get_by_label("Vrijdag: open tot").fill("12:30")
    page.get_by_label("Vrijdag: na een pauze weer open vanaf").fill("13:30")
    page.get_by_label("Vrijdag: na de pauze open tot").fill("18:30")
    with page.expect_navigation():
        page.get_by_role("button", name="Openingstijden opslaan").click()
    summary = page.get_by_role("alert")
    assert "Zaterdag: open tot: Vul ook in tot hoe laat." in summary.inner_text()
    assert not Openingstijd.objects.filter(locatie__naam="Kids First Selwerd",
                                           weekdag=6).exists()
    assert_accessible(page, "the opening hours with an error")
    screenshot(page, "kpages_openingstijden_fout")
    # The link in the summary leads to the field; fill it with the keyboard and save.
    summary.get_by_role("link").click()
    page.wait_for_url("**#id_d6_sluit")
    assert page.evaluate("document.activeElement.id") == "id_d6_sluit"
    page.locator(":focus").fill("12:00")
    page.get_by_role("button", name="Openingstijden opslaan").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "De openingstijden zijn opgeslagen." in page.get_by_role("main").inner_text()
    tijden = [(o.weekdag, o.open, o.sluit) for o in Openingstijd.objects.filter(
        locatie__naam="Kids First Selwerd", weekdag__in=(5, 6))]
    T = datetime.time
    assert tijden == [(5, T(7, 30), T(12, 30)), (5, T(13, 30), T(18, 30)), (6, T(10), T(12))]

    # A closed day.
    with page.expect_navigation():
        page.get_by_role("link", name="Afwijkende dag toevoegen").click()
    assert_accessible(page, "a new day with other hours")
    screenshot(page, "kpages_uitzondering_nieuw")
    page.get_by_label("Datum").fill("2030-04-27")
    page.get_by_label("Reden").fill("Koningsdag")
    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan").click()
    tabel = page.get_by_role("table", name="Afwijkende dagen van Kids First Selwerd")
    assert "Koningsdag" in tabel.inner_text() and "gesloten" in tabel.inner_text()
    assert Uitzondering.objects.filter(locatie__naam="Kids First Selwerd",
                                       datum=datetime.date(2030, 4, 27), gesloten=True).exists()
    with page.expect_navigation():
        page.get_by_role("link", name="Verwijder 27 april").click()
    assert_accessible(page, "removing a day with other hours")
    screenshot(page, "kpages_uitzondering_verwijderen")

    # The public page shows the new hours.
    page.goto("/groningen/sociale-kaart/?q=voorleesochtend")
    with page.expect_navigation():
        page.get_by_role("link", name="Voorleesochtend voor peuters").click()
    openingstijden = page.get_by_role("table", name="Openingstijden van Kids First Selwerd")
    assert "10:00–12:00" in openingstijden.inner_text()


def test_redacteur_keeps_the_ladder_and_holidays_on_a_phone(new_page):
    page = new_page(viewport=PHONE)
    login(page, "groningen-beleid")
    page.goto("/groningen/kaart/aanbod/")
    with page.expect_navigation():
        page.get_by_role("link", name="Activiteitenladder").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Pendinghe").click()
    assert_accessible(page, "a school's ladder with edit links")
    screenshot(page, "kpages_ladder")
    with page.expect_navigation():
        page.get_by_role("link", name="Activiteit toevoegen").click()
    assert_accessible(page, "a new activity")
    page.get_by_label("Activiteit", exact=True).fill("Schaakclub")
    page.get_by_label("Aanbieder", exact=True).select_option(label="Jeugdwerk SPT")
    page.get_by_label("Dag").select_option(label="vrijdag")
    page.get_by_label("Begint om").fill("15:00")
    page.get_by_label("Eindigt om").fill("14:00")
    page.get_by_label("Plaatsen (niet verplicht)", exact=True).fill("12")
    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan").click()
    assert "De activiteit moet eindigen na het begin." in page.get_by_role("alert").inner_text()
    assert_accessible(page, "a new activity with an error")
    screenshot(page, "kpages_ladderactiviteit_nieuw")
    page.get_by_label("Eindigt om").fill("16:00")
    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan").click()
    assert "Schaakclub" in page.get_by_role("table").inner_text()
    assert Ladderactiviteit.objects.filter(naam="Schaakclub", weekdag=5).exists()
    with page.expect_navigation():
        page.get_by_role("link", name="Verwijder Schaakclub op vrijdag").click()
    screenshot(page, "kpages_ladderactiviteit_verwijderen")
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, verwijderen").click()
    assert not Ladderactiviteit.objects.filter(naam="Schaakclub").exists()

    with page.expect_navigation():
        page.get_by_role("link", name="Schoolvakanties wijzigen").click()
    assert_accessible(page, "the holiday calendar")
    screenshot(page, "kpages_vakanties")
    with page.expect_navigation():
        page.get_by_role("link", name="Bewerk Herfstvakantie").click()
    assert_accessible(page, "editing a holiday")
    screenshot(page, "kpages_vakantie_bewerken")
    herfst = Schoolvakantie.objects.get(naam="Herfstvakantie")
    page.get_by_label("Laatste vrije dag").fill(
        (herfst.tot + datetime.timedelta(days=1)).isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan").click()
    herfst_na = Schoolvakantie.objects.get(pk=herfst.pk)
    assert herfst_na.tot == herfst.tot + datetime.timedelta(days=1)


def test_partner_proposes_hours_and_the_redacteur_approves(new_page):
    from core.models import Gemeente
    from kaart.models import KaartInstelling, Wijzigingsverzoek

    KaartInstelling.objects.create(gemeente=Gemeente.objects.get(slug="groningen"),
                                   openingstijden_direct=False)
    page = new_page(viewport=PHONE)
    login(page, "groningen-partner")
    locatie = Openingstijd.objects.filter(locatie__naam="Kids First Selwerd").first().locatie
    page.goto(f"/groningen/kaart/locaties/{locatie.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Openingstijden wijzigen").click()
    assert "gaat eerst naar de redacteur" in page.get_by_role("main").inner_text()
    page.get_by_label("Woensdag: open tot").fill("12:00")
    with page.expect_navigation():
        page.get_by_role("button", name="Voorstel versturen").click()
    assert "Uw voorstel is verstuurd naar de redacteur." in page.get_by_role("main").inner_text()
    verzoek = Wijzigingsverzoek.objects.get(locatie=locatie)
    assert Openingstijd.objects.get(locatie=locatie, weekdag=3).sluit == datetime.time(18, 30)

    page = new_page(viewport=PHONE)
    login(page, "groningen-beleid")
    page.goto(verzoek.get_absolute_url())
    diff = page.get_by_role("table", name="Wat verandert").inner_text()
    assert "Openingstijden op woensdag\t07:30–18:30\t07:30–12:00" in diff
    assert "maandag" not in diff
    assert_accessible(page, "a change request of opening hours")
    screenshot(page, "kpages_openingstijden_voorstel")
    with page.expect_navigation():
        page.get_by_role("button", name="Goedkeuren").click()
    assert Openingstijd.objects.get(locatie=locatie, weekdag=3).sluit == datetime.time(12)
