"""Wijkplan activiteiten work on monitor targets (Activiteit.streefwaarden, the wijkplan's "te
behalen resultaten"): linked in a concept through the page and the API, frozen once the
version is vastgesteld, copied by bijstellen, shown by the comparison, audited, and never
across gemeenten or to another gebied's target."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from core.models import AuditEntry
from monitor import services as monitor_services
from plans import compare, selectors, services, transfer
from plans.models import ActiviteitStreefwaarde, VersieNietBewerkbaar
from regions.models import Gebied
from tests.monitor.helpers import streefwaarde

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def doelen(groningen, assen):
    """Targets: SPT's, the whole gemeente's, Beijum's (another gebied) and Assen's."""
    return {
        "spt": streefwaarde(groningen, gebied=Gebied.objects.get(gemeente=groningen,
                                                                 afkorting="SPT")),
        "gemeente": streefwaarde(groningen, jaar=2026, waarde=11.0),
        "beijum": streefwaarde(groningen, gebied=Gebied.objects.get(gemeente=groningen,
                                                                    naam="Beijum")),
        "assen": streefwaarde(assen, code="vve_bereik", jaar=2023, waarde=85.0),
    }


def form_data(act, **extra):
    """The activiteit form as the page posts it back unchanged, plus `extra`."""
    act.versie.refresh_from_db()
    data = {"pijler": act.pijler_id, "naam": act.naam, "beschrijving": act.beschrijving,
            "trekker": act.trekker_id or "", "partners": [o.pk for o in act.partners.all()],
            "locaties": [o.pk for o in act.locaties.all()],
            "locatie_omschrijving": act.locatie_omschrijving,
            "leeftijd_van": act.leeftijd_van, "leeftijd_tot": act.leeftijd_tot,
            "start": act.start or "", "eind": act.eind or "",
            "beoogde_resultaten": act.beoogde_resultaten, "status": act.status,
            "volgorde": act.volgorde, "revisie": act.versie.revisie,
            "klaverblad_doelen": [d.pk for d in act.klaverblad_doelen()],
            "streefwaarden": [s.pk for s in act.streefwaarden.all()]}
    data.update(extra)
    return {k: v for k, v in data.items() if v != ""}


def update_url(act):
    return reverse("plans:activiteit-update", kwargs={"gemeente": "groningen", "pk": act.pk})


def test_coordinator_links_targets_of_the_gebied_and_gemeente_on_a_concept(concept, doelen,
                                                                           client_for):
    act = concept.activiteiten.get(naam="Pleintjesaanpak")
    client = client_for("groningen", "coordinator")
    html = client.get(update_url(act)).content.decode()
    assert "Aan welke te behalen resultaten werkt deze activiteit?" in html
    assert "Kinderen in armoede – Selwerd, Paddepoel en Tuinwijk – 2024: 14,0%" in html
    assert "Kinderen in armoede – hele gemeente – 2026: 11,0%" in html
    offered = {s.pk for s in (doelen["spt"], doelen["gemeente"])}
    # Beijum's and Assen's targets are not offered.
    assert {int(pk) for pk in re.findall(r'name="streefwaarden" value="(\d+)"', html)} == offered

    response = client.post(update_url(act), form_data(act, streefwaarden=sorted(offered)))
    assert response.status_code == 302, response.content.decode()
    assert {s.pk for s in act.streefwaarden.all()} == offered
    entry = AuditEntry.objects.filter(object_id=str(act.pk),
                                      content_type__model="activiteit").latest("pk")
    assert entry.before["streefwaarden"] == [] and entry.after["streefwaarden"] == sorted(offered)
    assert entry.actor.username == "groningen-coordinator"

    # Unlinking is a change like any other.
    response = client.post(update_url(act), form_data(act, streefwaarden=[]))
    assert response.status_code == 302
    assert not act.streefwaarden.exists()


def test_a_forged_choice_is_refused_on_the_page(concept, doelen, client_for):
    act = concept.activiteiten.get(naam="Pleintjesaanpak")
    client = client_for("groningen", "coordinator")
    for forged in ("assen", "beijum"):
        response = client.post(update_url(act),
                               form_data(act, streefwaarden=[doelen[forged].pk]))
        assert response.status_code == 200
        assert "Selecteer een geldige keuze" in response.content.decode()
    assert not act.streefwaarden.exists()


def test_the_service_keeps_gemeenten_and_gebieden_apart(concept, doelen, demo_user):
    act = concept.activiteiten.get(naam="Pleintjesaanpak")
    beleid = demo_user("groningen", "beleid")
    with pytest.raises(ValidationError) as exc:
        services.save_activiteit(beleid, act, revisie=concept.revisie,
                                 m2m={"streefwaarden": [doelen["assen"]]})
    assert "andere gemeente" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.save_activiteit(beleid, act, revisie=concept.revisie,
                                 m2m={"streefwaarden": [doelen["beijum"]]})
    assert "gebied van dit wijkplan" in str(exc.value)
    assert not act.streefwaarden.exists()


def test_a_vastgestelde_version_keeps_its_links(v2021, concept, doelen, demo_user, client_for):
    act = v2021.activiteiten.get(naam="Pleintjesaanpak")
    beleid = demo_user("groningen", "beleid")
    # The page refuses with the usual message.
    response = client_for("groningen", "beleid").post(
        update_url(act), form_data(act, streefwaarden=[doelen["spt"].pk]), follow=True)
    assert "is vastgesteld en kan niet meer veranderen" in response.content.decode()
    # The service, the model's m2m manager (both sides) and the link model itself refuse too.
    with pytest.raises(VersieNietBewerkbaar):
        services.save_activiteit(beleid, act, revisie=v2021.revisie,
                                 m2m={"streefwaarden": [doelen["spt"]]})
    with pytest.raises(VersieNietBewerkbaar), transaction.atomic():
        act.streefwaarden.add(doelen["spt"])
    with pytest.raises(VersieNietBewerkbaar), transaction.atomic():
        doelen["spt"].activiteiten.add(act)
    with pytest.raises(VersieNietBewerkbaar), transaction.atomic():
        ActiviteitStreefwaarde.objects.create(activiteit=act, streefwaarde=doelen["spt"])
    assert not act.streefwaarden.exists()


def test_links_are_frozen_once_vastgesteld_and_copied_by_bijstellen(concept, doelen,
                                                                   demo_user):
    coordinator, beleid = demo_user("groningen", "coordinator"), demo_user("groningen", "beleid")
    act = concept.activiteiten.get(naam="Pleintjesaanpak")
    services.save_activiteit(coordinator, act, revisie=concept.revisie,
                             m2m={"streefwaarden": [doelen["spt"], doelen["gemeente"]]})
    concept.refresh_from_db()
    services.aanbieden(coordinator, concept, revisie=concept.revisie)
    services.vaststellen(beleid, concept, revisie=concept.revisie)
    with pytest.raises(VersieNietBewerkbaar), transaction.atomic():
        doelen["spt"].activiteiten.clear()  # from the target's side, without naming it
    with pytest.raises(VersieNietBewerkbaar), transaction.atomic():
        ActiviteitStreefwaarde.objects.filter(activiteit=act).first().delete()
    # A target a wijkplan works on cannot be deleted from under it.
    with pytest.raises(ValidationError) as exc, transaction.atomic():
        monitor_services.delete_streefwaarde(beleid, doelen["spt"])
    assert "activiteit van een wijkplan" in str(exc.value)
    assert act.streefwaarden.count() == 2

    nieuw = services.bijstellen(coordinator, concept, jaar=2023)
    kopie = nieuw.activiteiten.get(sleutel=act.sleutel)
    assert kopie.pk != act.pk
    assert set(kopie.streefwaarden.all()) == {doelen["spt"], doelen["gemeente"]}
    # Changing the copy leaves the vastgestelde version as it was.
    services.save_activiteit(coordinator, kopie, revisie=nieuw.revisie,
                             m2m={"streefwaarden": [doelen["gemeente"]]})
    assert set(act.streefwaarden.all()) == {doelen["spt"], doelen["gemeente"]}

    diff = compare.vergelijk(selectors.versie_met_inhoud(concept.pk),
                             selectors.versie_met_inhoud(nieuw.pk))
    gewijzigd = next(v for v in diff["activiteiten"] if v.naam == "Pleintjesaanpak")
    (wijziging,) = [w for w in gewijzigd.wijzigingen if w.veld == "te behalen resultaten"]
    assert wijziging.oud == ("Kinderen in armoede – Selwerd, Paddepoel en Tuinwijk – 2024: "
                             "14,0%; Kinderen in armoede – hele gemeente – 2026: 11,0%")
    assert wijziging.nieuw == "Kinderen in armoede – hele gemeente – 2026: 11,0%"


def test_compare_page_shows_changed_links(concept, v2021, doelen, demo_user, client_for):
    act = concept.activiteiten.get(naam="Pleintjesaanpak")
    services.save_activiteit(demo_user("groningen", "coordinator"), act,
                             revisie=concept.revisie, m2m={"streefwaarden": [doelen["spt"]]})
    url = reverse("plans:versie-vergelijk", kwargs={"gemeente": "groningen", "pk": concept.pk})
    html = client_for("groningen", "raad").get(url).content.decode()
    assert ("Te behalen resultaten: <span class=\"og-woordverschil\"><ins><span "
            "class=\"og-visually-hidden\">nieuw: </span>Kinderen in armoede – Selwerd, "
            "Paddepoel en Tuinwijk – 2024: 14,0%</ins></span>") in html


def test_the_api_reads_and_writes_links_on_a_concept_only(concept, v2021, doelen, client_for):
    client = client_for("groningen", "coordinator")
    act = concept.activiteiten.get(naam="Pleintjesaanpak")
    url = f"/api/v1/activiteiten/{act.pk}/"
    body = client.get(url).json()
    assert body["streefwaarden"] == []
    ids = sorted([doelen["spt"].pk, doelen["gemeente"].pk])
    response = client.patch(url, {"streefwaarden": ids, "revisie": body["versie_revisie"]},
                            content_type=JSON)
    assert response.status_code == 200, response.content
    assert sorted(response.json()["streefwaarden"]) == ids
    assert sorted(s.pk for s in act.streefwaarden.all()) == ids
    revisie = response.json()["versie_revisie"]

    # Another gemeente's target: 400, as if it did not exist; another gebied's: 400 with why.
    response = client.patch(url, {"streefwaarden": [doelen["assen"].pk], "revisie": revisie},
                            content_type=JSON)
    assert response.status_code == 400
    assert "streefwaarden" in response.json()
    response = client.patch(url, {"streefwaarden": [doelen["beijum"].pk], "revisie": revisie},
                            content_type=JSON)
    assert response.status_code == 400
    assert "gebied van dit wijkplan" in str(response.json()["streefwaarden"])
    assert sorted(s.pk for s in act.streefwaarden.all()) == ids

    # A vastgestelde version answers 400 with the usual message.
    fixed = v2021.activiteiten.get(naam="Pleintjesaanpak")
    response = client_for("groningen", "beleid").patch(
        f"/api/v1/activiteiten/{fixed.pk}/",
        {"streefwaarden": [doelen["spt"].pk], "revisie": v2021.revisie}, content_type=JSON)
    assert response.status_code == 400
    assert "vastgesteld" in str(response.json())
    assert not fixed.streefwaarden.exists()


def test_the_pdf_of_a_version_names_the_targets(concept, doelen, demo_user):
    act = concept.activiteiten.get(naam="Pleintjesaanpak")
    services.save_activiteit(demo_user("groningen", "coordinator"), act,
                             revisie=concept.revisie, m2m={"streefwaarden": [doelen["gemeente"]]})
    pdf = transfer.versie_pdf(selectors.versie_met_inhoud(concept.pk))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert " ".join(text.split()).count(
        "Te behalen: Kinderen in armoede – hele gemeente – 2026: 11,0%") == 1


def test_the_form_says_when_there_is_nothing_to_choose(concept, client_for):
    act = concept.activiteiten.get(naam="Pleintjesaanpak")
    html = client_for("groningen", "coordinator").get(update_url(act)).content.decode()
    assert ("De monitor heeft nog geen streefwaarden voor Selwerd, Paddepoel en Tuinwijk of "
            "voor de hele gemeente.") in html
    assert 'name="streefwaarden"' not in html
