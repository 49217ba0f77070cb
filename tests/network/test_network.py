"""Organisaties, personen and stuurgroepen through the pages."""

import pytest
from django.core.exceptions import ValidationError

from core import services
from network.models import Organisatie, Persoon, Stuurgroep, StuurgroepRol
from regions.models import Gebied


@pytest.fixture
def spt_stuurgroep(groningen):
    return Stuurgroep.objects.get(gemeente=groningen, gebied__afkorting="SPT")


def test_demo_holds_spt_stuurgroep_as_in_seed_002(spt_stuurgroep):
    rollen = list(spt_stuurgroep.rollen.all())
    assert [r.rol for r in rollen[:3]] == ["voorzitter", "vertegenwoordiger", "coordinator"]
    assert {r.organisatie.naam for r in rollen if r.rol == "lid"} == {
        "Pendinghe", "Kids First", "Bekenkampschool", "Sunny Selwerd", "SKSG Melkweg"}
    coordinator = rollen[2]
    assert "Knelpunten vlottrekken" in coordinator.takenlijst()
    assert not any("aanjager" in r.titel.lower() for r in rollen)


def test_stuurgroep_page_shows_roles_and_tasks(client_for, spt_stuurgroep):
    page = client_for("groningen", "stuurgroep").get(spt_stuurgroep.get_absolute_url())
    html = page.content.decode()
    assert "Coördinator Positief Opgroeien (voortgangsbewaker)" in html
    assert "Voorzitterschap tijdens vergadering" in html
    assert "Rol toevoegen" not in html, "a stuurgroeplid reads only"


def test_one_voorzitter_per_stuurgroep(groningen, demo_user, spt_stuurgroep):
    with pytest.raises(ValidationError, match="Deze stuurgroep heeft deze rol al."):
        services.save_object(demo_user("groningen", "beleid"), StuurgroepRol(
            gemeente=groningen, stuurgroep=spt_stuurgroep, rol="voorzitter", titel="Tweede"))


def test_coordinator_adds_a_role_through_the_page(client_for, groningen, spt_stuurgroep):
    client = client_for("groningen", "coordinator")
    org = Organisatie.objects.get(gemeente=groningen, naam="JGZ Groningen")
    response = client.post(f"/groningen/stuurgroepen/{spt_stuurgroep.pk}/rollen/nieuw/", {
        "rol": "lid", "titel": "", "organisatie": org.pk, "taken": "Kansrijke Start\nToeleiding",
        "volgorde": 10})
    assert response.status_code == 302
    rol = spt_stuurgroep.rollen.get(organisatie=org)
    assert rol.takenlijst() == ["Kansrijke Start", "Toeleiding"]


def test_cross_gemeente_references_are_refused(groningen, assen, demo_user, spt_stuurgroep):
    assen_org = Organisatie.objects.filter(gemeente=assen).first()
    with pytest.raises(ValidationError, match="Deze organisatie hoort bij een andere gemeente."):
        services.save_object(demo_user("groningen", "beleid"), StuurgroepRol(
            gemeente=groningen, stuurgroep=spt_stuurgroep, rol="lid", organisatie=assen_org))


def test_form_only_offers_own_gemeente_choices(client_for, groningen, assen, spt_stuurgroep):
    html = client_for("groningen", "beleid").get(
        f"/groningen/stuurgroepen/{spt_stuurgroep.pk}/rollen/nieuw/").content.decode()
    assert "Kids First" in html
    assert "GGD Drenthe" not in html


def test_partner_keeps_own_organisation_current(client_for, groningen):
    client = client_for("groningen", "partner")
    org = Organisatie.objects.get(gemeente=groningen, naam="Kids First")
    response = client.post(f"/groningen/organisaties/{org.pk}/bewerken/", {
        "naam": "Kids First", "type": "kinderopvang", "website": "https://www.example.org",
        "email": "info@example.org", "gebieden": [g.pk for g in org.gebieden.all()]})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.email == "info@example.org"

    response = client.post("/groningen/personen/nieuw/", {
        "naam": "Contactpersoon opvang", "organisatie": org.pk, "functie": "Locatiemanager"})
    assert response.status_code == 302
    other = Organisatie.objects.get(gemeente=groningen, naam="Pendinghe")
    response = client.post("/groningen/personen/nieuw/", {"naam": "X", "organisatie": other.pk})
    assert response.status_code == 403
    assert not Persoon.objects.filter(naam="X").exists()


def test_bad_input_gets_dutch_errors(client_for):
    client = client_for("groningen", "beleid")
    response = client.post("/groningen/organisaties/nieuw/", {
        "naam": "", "type": "onbekend", "email": "geen-email"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dit veld is verplicht." in html
    assert "Voer een geldig e-mailadres in." in html
    assert "Selecteer een geldige keuze." in html


def test_gebied_with_stuurgroep_cannot_be_deleted(client_for, groningen):
    spt = Gebied.objects.get(gemeente=groningen, afkorting="SPT")
    client = client_for("groningen", "beleid")
    response = client.post(f"/groningen/gebieden/{spt.pk}/verwijderen/", follow=True)
    assert "kan niet verwijderd worden" in response.content.decode()
    assert Gebied.objects.filter(pk=spt.pk).exists()


def test_stuurgroep_history_includes_its_rollen(client_for, spt_stuurgroep):
    client = client_for("groningen", "coordinator")
    rol = spt_stuurgroep.rollen.get(rol="voorzitter")
    response = client.post(f"/groningen/stuurgroeprollen/{rol.pk}/bewerken/", {
        "rol": "voorzitter", "titel": "Voorzitter stuurgroep SPT", "taken": rol.taken,
        "volgorde": rol.volgorde})
    assert response.status_code == 302
    html = client.get(spt_stuurgroep.get_absolute_url()).content.decode()
    assert "Voorzitter stuurgroep → Voorzitter stuurgroep SPT" in html
