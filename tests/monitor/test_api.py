"""The monitor API: tenant isolation, suppression in every answer, writes via services."""

import pytest
from django.urls import reverse

from framework.models import Doel
from monitor.models import Indicator
from regions.models import Gebied

pytestmark = pytest.mark.django_db


def test_series_of_a_gebied_and_suppressed_points_without_numbers(importeer, client_for,
                                                                   groningen, armoede):
    importeer("cbs_armoede_2022.csv")
    importeer("sjabloon_2022_2024.csv")
    client = client_for("groningen", "raad")
    spt = Gebied.objects.get(gemeente=groningen, afkorting="SPT")
    url = reverse("reeks-detail", kwargs={"pk": armoede.pk})
    data = client.get(url, {"gebied": spt.pk}).json()
    assert data["gebied"] == spt.pk and len(data["punten"]) == 1
    punt = data["punten"][0]
    assert (punt["teller"], punt["noemer"], punt["status"]) == (230, 1490, "afgerond")
    thuiszitters = Indicator.objects.get(gemeente=groningen, code="thuiszitters")
    punten = client.get(reverse("reeks-detail", kwargs={"pk": thuiszitters.pk})).json()["punten"]
    assert punten[1] == {"periode": "2023", "waarde": None, "teller": None, "noemer": None,
                         "n": None, "status": "onderdrukt", "breuk": False,
                         "indeling_jaar": 2022}
    # Measurements: the suppressed buurt has no numbers either.
    rows = client.get(reverse("meting-list"), {"indicator": armoede.pk, "regio": "BU00141200"}
                      ).json()["results"]
    assert [(r["status"], r["waarde"], r["teller"], r["noemer"]) for r in rows] == [
        ("onderdrukt", None, None, None)]
    rows = client.get(reverse("meting-list"), {"indicator": thuiszitters.pk}).json()["results"]
    assert {(r["periode"], r["waarde"], r["status"]) for r in rows} == {
        ("2022", 92, "waargenomen"), ("2023", None, "onderdrukt"), ("2024", 85, "waargenomen")}


def test_tenant_isolation(importeer, client_for, groningen, assen, armoede):
    importeer("cbs_armoede_2022.csv")
    client = client_for("assen", "beleid")
    assert client.get(reverse("reeks-detail", kwargs={"pk": armoede.pk})).status_code == 404
    assert client.get(reverse("meting-list"), {"indicator": armoede.pk}).json()["results"] == []
    assen_ind = Indicator.objects.get(gemeente=assen, code="armoede_kind")
    spt = Gebied.objects.get(gemeente=groningen, afkorting="SPT")
    # A gebied of another gemeente is not found either.
    response = client.get(reverse("reeks-detail", kwargs={"pk": assen_ind.pk}),
                          {"gebied": spt.pk})
    assert response.status_code == 404
    codes = {r["code"] for r in client.get(reverse("indicator-list")).json()["results"]}
    assert "armoede_kind" in codes
    ids = {r["id"] for r in client.get(reverse("indicator-list")).json()["results"]}
    assert armoede.pk not in ids


def test_create_indicator_with_doelen_through_the_service(client_for, groningen):
    doel = Doel.objects.get(gemeente=groningen, kader__soort="klaverblad", nummer=7)
    payload = {"gemeente": "GM0014", "code": "schulden_jong", "naam": "Jongeren met schulden",
               "definitie": "jongeren 18-26 met problematische schulden", "eenheid": "aantal",
               "richting": "lager", "niveaus": ["gemeente"], "klaverblad_doelen": [doel.pk]}
    assert client_for("groningen", "coordinator").post(
        reverse("indicator-list"), payload, content_type="application/json").status_code == 403
    response = client_for("groningen", "beleid").post(
        reverse("indicator-list"), payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    indicator = Indicator.objects.get(gemeente=groningen, code="schulden_jong")
    assert indicator.klaverblad_doelen() == [doel]
    payload["niveaus"] = ["land"]
    payload["code"] = "ander"
    response = client_for("groningen", "beleid").post(
        reverse("indicator-list"), payload, content_type="application/json")
    assert response.status_code == 400 and "niveaus" in response.json()
