"""The plans API: same services, same rules as the pages."""

import pytest

from framework.models import Kader
from plans.models import Wijkplan, WijkplanVersie
from regions.models import Gebied

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_coordinator_creates_a_wijkplan_in_own_gebied_only(groningen, client_for):
    client = client_for("groningen", "coordinator")
    spt = Gebied.objects.get(gemeente=groningen, afkorting="SPT")
    beijum = Gebied.objects.get(gemeente=groningen, naam="Beijum")
    data = {"gemeente": "GM0014", "gebied": spt.pk, "naam": "Nieuw plan", "jaar_van": 2024,
            "jaar_tot": 2028}
    response = client.post("/api/v1/wijkplannen/", data, content_type=JSON)
    assert response.status_code == 201, response.content
    plan = Wijkplan.objects.get(pk=response.json()["id"])
    assert plan.versies.get().status == "concept"
    data["gebied"] = beijum.pk
    assert client.post("/api/v1/wijkplannen/", data, content_type=JSON).status_code == 403


def test_versie_patch_needs_the_current_revisie(concept, client_for):
    client = client_for("groningen", "coordinator")
    url = f"/api/v1/wijkplanversies/{concept.pk}/"
    revisie = client.get(url).json()["revisie"]
    assert client.patch(url, {"speerpunten": "x"}, content_type=JSON).status_code == 400
    ok = client.patch(url, {"speerpunten": "Eerste", "revisie": revisie}, content_type=JSON)
    assert ok.status_code == 200 and ok.json()["revisie"] == revisie + 1
    stale = client.patch(url, {"speerpunten": "Tweede", "revisie": revisie}, content_type=JSON)
    assert stale.status_code == 409
    assert "Iemand anders heeft deze versie gewijzigd" in stale.json()["detail"]
    concept.refresh_from_db()
    assert concept.speerpunten == "Eerste"


def test_vastgestelde_versie_cannot_change_through_the_api(v2021, client_for):
    client = client_for("groningen", "beleid")
    response = client.patch(f"/api/v1/wijkplanversies/{v2021.pk}/",
                            {"inleiding": "x", "revisie": v2021.revisie}, content_type=JSON)
    assert response.status_code == 400
    assert "vastgesteld" in str(response.json())
    act = v2021.activiteiten.first()
    response = client.patch(f"/api/v1/activiteiten/{act.pk}/",
                            {"naam": "x", "revisie": v2021.revisie}, content_type=JSON)
    assert response.status_code == 400
    assert client.delete(f"/api/v1/wijkplanversies/{v2021.pk}/").status_code == 400
    v2021.refresh_from_db()
    assert v2021.inleiding != "x"


def test_activiteit_create_with_doelen_and_validation(groningen, concept, client_for):
    client = client_for("groningen", "coordinator")
    pijler = concept.pijlers.get(naam="Gezondheid")
    doel = Kader.objects.get(gemeente=groningen, soort="klaverblad").doelen.get(nummer=2)
    data = {"gemeente": "GM0014", "versie": concept.pk, "pijler": pijler.pk, "naam": "Zwemles",
            "leeftijd_van": 48, "leeftijd_tot": 144, "klaverblad_doelen": [doel.pk],
            "revisie": concept.revisie}
    response = client.post("/api/v1/activiteiten/", data, content_type=JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["klaverblad_doelen"] == [doel.pk]
    assert body["versie_revisie"] == concept.revisie + 1
    data.update(naam="Omgedraaid", leeftijd_van=144, leeftijd_tot=48,
                revisie=body["versie_revisie"])
    response = client.post("/api/v1/activiteiten/", data, content_type=JSON)
    assert response.status_code == 400
    assert "omgedraaid" in str(response.json()["leeftijd_tot"])
    data.update(leeftijd_van=0, leeftijd_tot=12, revisie=concept.revisie)  # stale
    assert client.post("/api/v1/activiteiten/", data, content_type=JSON).status_code == 409


def test_aanbieden_terugsturen_vaststellen_and_bijstellen_through_the_api(concept, v2021,
                                                                         client_for):
    base = f"/api/v1/wijkplanversies/{concept.pk}"

    def coordinator():
        return client_for("groningen", "coordinator")

    def voorzitter():
        return client_for("groningen", "stuurgroep")

    # A concept cannot be vastgesteld: it is offered first.
    response = voorzitter().post(f"{base}/vaststellen/", {"revisie": concept.revisie},
                               content_type=JSON)
    assert response.status_code == 400 and "aangeboden" in response.content.decode()
    response = coordinator().post(f"{base}/aanbieden/", {"revisie": concept.revisie,
                                                      "bericht": "Graag vaststellen."},
                                content_type=JSON)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "aangeboden"
    assert response.json()["aanbieding"] == "Graag vaststellen."
    revisie = response.json()["revisie"]
    # Sent back without reasons: refused; with reasons: a concept again.
    assert voorzitter().post(f"{base}/terugsturen/", {"revisie": revisie, "redenen": ""},
                           content_type=JSON).status_code == 400
    assert coordinator().post(f"{base}/terugsturen/", {"revisie": revisie, "redenen": "x"},
                            content_type=JSON).status_code == 403
    response = voorzitter().post(f"{base}/terugsturen/", {"revisie": revisie,
                                                       "redenen": "De begroting ontbreekt."},
                               content_type=JSON)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "concept"
    assert response.json()["terugstuurreden"] == "De begroting ontbreekt."
    revisie = response.json()["revisie"]
    assert coordinator().post(f"{base}/aanbieden/", {"revisie": revisie},
                            content_type=JSON).status_code == 200
    concept.refresh_from_db()
    assert coordinator().post(f"{base}/vaststellen/", {"revisie": concept.revisie},
                            content_type=JSON).status_code == 403
    response = voorzitter().post(f"{base}/vaststellen/", {"revisie": concept.revisie},
                               content_type=JSON)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "vastgesteld"
    v2021.refresh_from_db()
    assert v2021.status == "vervangen"
    response = client_for("groningen", "coordinator").post(
        f"{base}/bijstellen/", {"jaar": 2023}, content_type=JSON)
    assert response.status_code == 201, response.content
    nieuw = WijkplanVersie.objects.get(pk=response.json()["id"])
    assert nieuw.status == "concept" and nieuw.jaar == 2023 and nieuw.bijgesteld_van == concept


def test_voortgang_through_the_api(v2021, client_for):
    vve = v2021.activiteiten.get(naam="Voorschools aanbod en doorgaande lijn VVE")
    other = v2021.activiteiten.get(naam="Pleintjesaanpak")
    partner = client_for("groningen", "partner")
    data = {"gemeente": "GM0014", "activiteit": vve.pk, "periode": "2023-K1",
            "status": "op_schema", "percentage": 50, "bereikte_deelnemers": 20}
    response = partner.post("/api/v1/voortgang/", data, content_type=JSON)
    assert response.status_code == 201, response.content
    assert response.json()["periode"] == "2023-K1"
    assert partner.post("/api/v1/voortgang/", data, content_type=JSON).status_code == 400
    data["activiteit"] = other.pk
    assert partner.post("/api/v1/voortgang/", data, content_type=JSON).status_code == 403
    listing = partner.get(f"/api/v1/voortgang/?activiteit={vve.pk}").json()
    assert [r["percentage"] for r in listing["results"]] == [50]
