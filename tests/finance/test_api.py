"""The finance API: amounts as 2-decimal strings, partners see only their own organisatie,
decisions are not generic PATCHes, bad money is refused in Dutch."""

import pytest

from core.models import AuditEntry
from finance.models import Aanvraag, Regeling

pytestmark = pytest.mark.django_db


def test_partner_sees_only_its_own_aanvragen(client_for, groningen):
    rows = client_for("groningen", "partner").get("/api/v1/aanvragen/?limit=500").json()
    assert rows["results"]
    assert {r["organisatie"] for r in rows["results"]} == {
        groningen.organisaties.get(naam="Kids First").pk}
    own = next(r for r in rows["results"] if r["titel"].startswith("Kansrijke Start"))
    assert own["toegekend"] == "50000.00" and own["jaren"][0]["gevraagd"] == "25000.00"
    assert [t["betaald"] for t in own["termijnen"]].count(True) == 1
    other = Aanvraag.objects.get(gemeente=groningen, titel__startswith="Vreedzame Wijk")
    client = client_for("groningen", "partner")
    assert client.get(f"/api/v1/aanvragen/{other.pk}/").status_code == 404
    beschikkingen = client.get("/api/v1/beschikkingen/?limit=500").json()["results"]
    assert beschikkingen and all(b["pdf"].endswith("/pdf/") for b in beschikkingen)
    assert {b["aanvraag"] for b in beschikkingen} <= {r["id"] for r in rows["results"]}


def test_beleid_sees_all_and_betalingen(client_for, groningen):
    client = client_for("groningen", "beleid")
    rows = client.get("/api/v1/aanvragen/?limit=500").json()["results"]
    assert len(rows) == Aanvraag.objects.filter(gemeente=groningen).count()
    betalingen = client.get("/api/v1/betalingen/?limit=500").json()["results"]
    assert betalingen and all(len(b["bedrag"].split(".")[1]) == 2 for b in betalingen)


def test_aanvragen_are_not_changed_through_a_generic_patch(client_for, groningen):
    aanvraag = Aanvraag.objects.get(gemeente=groningen, titel__startswith="Kansrijke Start")
    response = client_for("groningen", "beleid").patch(
        f"/api/v1/aanvragen/{aanvraag.pk}/", {"toegekend": "999999.00"},
        content_type="application/json")
    assert response.status_code == 405
    aanvraag.refresh_from_db()
    assert str(aanvraag.toegekend) == "50000.00"


def _regeling(**extra):
    return {"gemeente": "GM0014", "naam": "Via de API", "criteria": "Criteria",
            "plafond": "1000.00", "jaar_van": 2027, "jaar_tot": 2027,
            "aanvragen_van": "2026-01-01", "aanvragen_tot": "2026-12-31", **extra}


@pytest.mark.parametrize("plafond, message", [
    ("100.005", "2 cijfers achter de komma"),
    ("-1.00", "niet negatief"),
])
def test_bad_money_in_the_api_is_refused(client_for, plafond, message):
    response = client_for("groningen", "beleid").post(
        "/api/v1/subsidieregelingen/", _regeling(plafond=plafond),
        content_type="application/json")
    assert response.status_code == 400
    assert message in str(response.json()["plafond"])
    assert not Regeling.objects.filter(naam="Via de API").exists()


def test_regeling_through_the_api_uses_the_service(client_for, groningen):
    client = client_for("groningen", "beleid")
    response = client.post("/api/v1/subsidieregelingen/", _regeling(),
                           content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["plafond"] == "1000.00" and response.json()["toegekend"] == "0.00"
    regeling = Regeling.objects.get(naam="Via de API")
    assert AuditEntry.objects.filter(object_id=str(regeling.pk),
                                     content_type__model="regeling").exists()
    response = client.post("/api/v1/subsidieregelingen/",
                           _regeling(naam="Omgekeerd", aanvragen_tot="2025-01-01"),
                           content_type="application/json")
    assert response.status_code == 400
    assert "vóór de begindatum" in str(response.json())
    wijkplannen = Regeling.objects.get(gemeente=groningen, naam="Wijkplannen Positief Opgroeien")
    response = client.patch(f"/api/v1/subsidieregelingen/{wijkplannen.pk}/",
                            {"plafond": "1.00"}, content_type="application/json")
    assert response.status_code == 400
    assert "al meer toegekend" in str(response.json())
    assert client_for("groningen", "partner").patch(
        f"/api/v1/subsidieregelingen/{wijkplannen.pk}/", {"plafond": "1.00"},
        content_type="application/json").status_code == 403
