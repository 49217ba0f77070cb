"""The REST API: token and session auth, writes through services, tenant-scoped relations."""

import pytest
from rest_framework.test import APIClient

from core.models import AuditEntry
from network.models import Organisatie, Persoon
from regions.models import Gebied, Region


@pytest.fixture
def api_for(demo_user):
    def make(slug, role):
        client = APIClient()
        client.force_authenticate(demo_user(slug, role))
        return client

    return make


def test_token_auth(db):
    client = APIClient()
    response = client.post("/api/v1/token/", {"username": "groningen-raad",
                                              "password": "demo-opgroeien-2026"})
    assert response.status_code == 200
    token = response.json()["token"]
    assert client.get("/api/v1/gebieden/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/v1/gebieden/")
    assert response.status_code == 200
    assert {row["gemeente"] for row in response.json()["results"]} == {"GM0014"}


def test_token_endpoint_is_throttled(db):
    client = APIClient()
    statuses = [client.post("/api/v1/token/", {"username": "groningen-raad",
                                               "password": "fout"}).status_code
                for _ in range(11)]
    assert statuses[:10] == [400] * 10 and statuses[10] == 429


def test_create_organisation_is_audited(api_for, groningen):
    client = api_for("groningen", "beleid")
    spt = Gebied.objects.get(gemeente=groningen, afkorting="SPT")
    response = client.post("/api/v1/organisaties/", {
        "gemeente": "GM0014", "naam": "Sportvereniging Paddepoel", "type": "sportvereniging",
        "gebieden": [spt.pk]}, format="json")
    assert response.status_code == 201, response.json()
    org = Organisatie.objects.get(pk=response.json()["id"])
    assert list(org.gebieden.all()) == [spt]
    entry = AuditEntry.objects.get(content_type__model="organisatie", object_id=str(org.pk))
    assert entry.action == "create" and entry.actor.username == "groningen-beleid"


def test_partner_cannot_create_organisation_but_can_add_own_contact(api_for, groningen):
    client = api_for("groningen", "partner")
    response = client.post("/api/v1/organisaties/", {
        "gemeente": "GM0014", "naam": "Nieuw", "type": "overig"}, format="json")
    assert response.status_code == 403
    own = Organisatie.objects.get(gemeente=groningen, naam="Kids First")
    other = Organisatie.objects.get(gemeente=groningen, naam="Pendinghe")
    ok = client.post("/api/v1/personen/", {"gemeente": "GM0014", "naam": "Nieuwe collega",
                                           "organisatie": own.pk}, format="json")
    assert ok.status_code == 201
    refused = client.post("/api/v1/personen/", {"gemeente": "GM0014", "naam": "Ander",
                                                "organisatie": other.pk}, format="json")
    assert refused.status_code == 403
    assert not Persoon.objects.filter(naam="Ander").exists()


def test_foreign_ids_do_not_exist(api_for, assen):
    client = api_for("groningen", "beleid")
    assen_org = Organisatie.objects.filter(gemeente=assen).first()
    response = client.post("/api/v1/personen/", {
        "gemeente": "GM0014", "naam": "X", "organisatie": assen_org.pk}, format="json")
    assert response.status_code == 400
    assert "bestaat niet" in str(response.json()["organisatie"])
    response = client.post("/api/v1/organisaties/", {
        "gemeente": "GM0106", "naam": "X", "type": "overig"}, format="json")
    assert response.status_code == 400, "a gemeente the user is no member of does not exist"


def test_gebied_via_api_follows_the_same_rules(api_for, groningen):
    client = api_for("groningen", "beleid")
    buurt_2022 = Region.objects.get(gemeente=groningen, code="BU00141000", jaar=2022)
    response = client.post("/api/v1/gebieden/", {
        "gemeente": "GM0014", "naam": "Selwerd", "jaar": 2023, "regions": [buurt_2022.pk]},
        format="json")
    assert response.status_code == 400
    assert "komt uit de indeling van 2022" in str(response.json())
    response = client.post("/api/v1/gebieden/", {
        "gemeente": "GM0014", "naam": "Selwerd", "jaar": 2022, "regions": [buurt_2022.pk]},
        format="json")
    assert response.status_code == 201


def test_regions_filter(api_for):
    client = api_for("assen", "raad")
    response = client.get("/api/v1/regios/", {"soort": "wijk", "jaar": 2022, "limit": 100})
    rows = response.json()["results"]
    assert rows and all(r["code"].startswith("WK0106") and r["soort"] == "wijk" for r in rows)


def test_schema_and_docs_are_served_without_cdn(client, db):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"/api/v1/organisaties/" in schema.content
    docs = client.get("/api/v1/docs/").content.decode()
    assert "cdn." not in docs and "jsdelivr" not in docs
