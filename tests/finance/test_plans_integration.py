"""Finance with the Klaverblad and the wijkplannen: doelen on regelingen and aanvragen, the
overview per doel, and the begroting of a wijkplanversie (per activiteit, co-funding apart)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from finance import selectors, services
from finance.models import Aanvraag, Regeling, WijkplanBegrotingsregel
from framework.services import set_doelen
from plans import services as plan_services
from plans.models import Wijkplan, WijkplanVersie
from tests.finance.conftest import JAAR, klaverblad_doelen, make_aanvraag

D = Decimal
pytestmark = pytest.mark.django_db


def messages(exc):
    return " ".join(exc.value.messages)


def test_regeling_and_aanvraag_carry_klaverblad_doelen(groningen, beleid, regeling):
    doelen = klaverblad_doelen(groningen)
    services.save_regeling(beleid, regeling, doelen=doelen[:2])
    assert [d.nummer for d in regeling.klaverblad_doelen()] == [1, 2]
    demo = Regeling.objects.get(gemeente=groningen, naam="Initiatieven van onderop")
    assert [d.nummer for d in demo.klaverblad_doelen()] == [8, 9, 10]

    aanvraag = make_aanvraag(regeling)
    set_doelen(beleid, aanvraag, [])
    assert "Kies de doelen van het Klaverblad" in " ".join(services.ontbreekt(aanvraag))
    with pytest.raises(ValidationError):
        services.indienen(beleid, aanvraag)
    set_doelen(beleid, aanvraag, doelen[4:6])
    services.indienen(beleid, aanvraag)
    with pytest.raises(ValidationError) as exc:  # frozen once submitted
        set_doelen(beleid, Aanvraag.objects.get(pk=aanvraag.pk), doelen[:1])
    assert "ingediende aanvraag" in messages(exc)
    assert [d.nummer for d in Aanvraag.objects.get(pk=aanvraag.pk).klaverblad_doelen()] == [5, 6]


def test_overview_per_doel(groningen):
    overzicht = selectors.jaaroverzicht(groningen, JAAR)
    per_doel = {r["doel"].nummer: r for r in overzicht["per_doel"] if r["doel"]}
    # Demo: Kansrijke Start (doelen 2, 3; € 25.000 this year) and the speeldag (2, 9; € 2.500).
    assert per_doel[3]["toegekend"] == D("25000.00")
    assert per_doel[2]["toegekend"] == D("27500.00")
    assert per_doel[9]["toegekend"] == D("2500.00")
    assert per_doel[5]["vastgesteld"] == D("20000.00")  # the brugfunctionaris (doel 5)
    assert 6 not in per_doel  # the demo leaves doel 6 a "witte vlek"
    # Aanvragen with two doelen count twice: the column adds up to more than the total.
    assert sum(r["toegekend"] for r in overzicht["per_doel"]) > overzicht["totaal"]["toegekend"]


def test_per_doel_on_the_overview_page(client_for):
    page = client_for("groningen", "raad").get(
        reverse("finance:overzicht", kwargs={"gemeente": "groningen"}), {"jaar": JAAR})
    body = page.content.decode().replace("\u00a0", " ")
    assert "Per doel van het Klaverblad" in body and "€ 27.500,00" in body


def _spt_plan(groningen):
    return Wijkplan.objects.get(gemeente=groningen, gebied__afkorting="SPT")


def test_demo_begroting_of_the_bijgesteld_wijkplan(groningen):
    versie = _spt_plan(groningen).versies.get(jaar=2021)
    begroting = selectors.wijkplan_begroting(versie)
    assert begroting["gebiedsbudget"] == D("54000.00")
    assert begroting["cofinanciering"] == D("21000.00")
    kansrijk = next(r for r in begroting["rows"]
                    if r["activiteit"] and r["activiteit"].naam == "Kansrijke Start")
    assert (kansrijk["gebiedsbudget"], kansrijk["cofinanciering"]) == (D("8000.00"),
                                                                       D("15000.00"))
    geheel = begroting["rows"][-1]
    assert geheel["activiteit"] is None and geheel["gebiedsbudget"] == D("9500.00")


def test_begroting_of_a_concept_version(groningen, demo_user):
    coordinator, partner = demo_user("groningen", "coordinator"), demo_user("groningen", "partner")
    vastgesteld = _spt_plan(groningen).versies.get(status=WijkplanVersie.Status.VASTGESTELD)
    concept = plan_services.bijstellen(coordinator, vastgesteld)
    assert services.begroting_overnemen(coordinator, concept, revisie=concept.revisie) == 7
    concept.refresh_from_db()
    assert selectors.wijkplan_begroting(concept)["totaal"] == D("75000.00")
    with pytest.raises(ValidationError):
        services.begroting_overnemen(coordinator, concept, revisie=concept.revisie)

    activiteit = concept.activiteiten.get(naam="Vreedzame Wijk")
    regel = WijkplanBegrotingsregel(gemeente=groningen, versie=concept, activiteit=activiteit,
                                    omschrijving="Extra training", bedrag="1.500,00")
    with pytest.raises(PermissionDenied):
        services.save_wijkplanregel(partner, regel, revisie=concept.revisie)
    with pytest.raises(ValidationError) as exc:  # somebody changed the version meanwhile
        services.save_wijkplanregel(coordinator, regel, revisie=concept.revisie - 1)
    assert "Iemand anders" in messages(exc)
    services.save_wijkplanregel(coordinator, regel, revisie=concept.revisie)
    concept.refresh_from_db()
    assert regel.bedrag == D("1500.00")

    for bad, message in (
            (dict(bron="cofinanciering", financier=""), "wie de cofinanciering betaalt"),
            (dict(bedrag="-5"), "negatief"),
            (dict(bedrag="5,555"), "2 cijfers achter de komma"),
            (dict(activiteit=vastgesteld.activiteiten.first()), "andere versie")):
        fields = dict(gemeente=groningen, versie=concept, omschrijving="Fout", bedrag="5")
        fields.update(bad)
        with pytest.raises(ValidationError) as exc:
            services.save_wijkplanregel(coordinator, WijkplanBegrotingsregel(**fields),
                                        revisie=concept.revisie)
        assert message in messages(exc)
    assert concept.begrotingsregels.count() == 8

    plan_services.aanbieden(coordinator, concept, revisie=concept.revisie)
    plan_services.vaststellen(demo_user("groningen", "stuurgroep"), concept,
                              revisie=concept.revisie)
    concept.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.delete_wijkplanregel(coordinator, regel, revisie=concept.revisie)
    assert "vastgesteld" in messages(exc)


def test_begroting_pages(client_for, groningen, demo_user):
    vastgesteld = _spt_plan(groningen).versies.get(status=WijkplanVersie.Status.VASTGESTELD)
    concept = plan_services.bijstellen(None, vastgesteld, check_permission=False)
    client = client_for("groningen", "coordinator")
    page = client.get(reverse("finance:versie-begroting",
                              kwargs={"gemeente": "groningen", "pk": vastgesteld.pk}))
    body = page.content.decode().replace("\u00a0", " ")
    assert "€ 54.000,00" in body and "€ 21.000,00" in body and "Wijkvernieuwing Groningen" in body
    assert "Regel toevoegen" not in body  # vastgesteld
    url = reverse("finance:wijkplanregel-create",
                  kwargs={"gemeente": "groningen", "versie_pk": concept.pk})
    activiteit = concept.activiteiten.get(naam="Kansrijke Start")
    response = client.post(url, {"activiteit": activiteit.pk, "omschrijving": "Speelplek",
                                 "bron": "cofinanciering", "financier": "Jeugdfonds",
                                 "bedrag": "2.000", "revisie": concept.revisie})
    assert response.status_code == 302, response.content.decode()[-2000:]
    regel = concept.begrotingsregels.get()
    assert (regel.bedrag, regel.financier) == (D("2000.00"), "Jeugdfonds")
    stale = client.post(url, {"omschrijving": "Nog een", "bron": "gebiedsbudget",
                              "bedrag": "10", "revisie": concept.revisie})
    assert stale.status_code == 200 and "Iemand anders" in stale.content.decode()
    assert concept.begrotingsregels.count() == 1
    listing = client_for("groningen", "jury").get(
        reverse("finance:wijkplanversie-list", kwargs={"gemeente": "groningen"}))
    assert listing.status_code == 200 and "versie 2 (2021)" in listing.content.decode()
