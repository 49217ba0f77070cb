"""The HSDS 3.0 API and export validate against the compiled schemas (format checker on),
over the demo and over generated data; an HSDS file imports and round-trips."""

import datetime
import itertools
import json
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from kaart import hsds, services
from kaart.models import Aanbod, Levensdomein, Uitzondering
from tests.kaart.helpers import aanbod, buurt, locatie, organisatie
from tests.kaart.hsds_schema import check, check_page


def url(name, gemeente="groningen", **kwargs):
    return reverse(f"hsds:{name}", kwargs={"gemeente": gemeente, **kwargs})


def generate(gemeente, n=24):
    """Varied aanbod: every kosten/aanmelden/status, negative ages, no or several locaties,
    exceptions, coordinates, languages, domains."""
    domeinen = list(Levensdomein.objects.all())
    orgs = [organisatie(gemeente, "Kids First"), organisatie(gemeente, "WIJ-team SPT")]
    b = buurt(gemeente)
    locs = []
    for i in range(3):
        loc = locatie(gemeente, orgs[i % 2], naam=f"Gen locatie {i}", buurt_obj=b if i else None,
                      tijden=[(1 + i, "08:30", "12:00"), (5, "13:00", "17:30")][: i + 1])
        if i == 1:
            loc.latitude, loc.longitude = "53.234567", "6.554321"
            loc.telefoon, loc.toegankelijkheid = "050 111 2222", "Rolstoeltoegankelijk"
            services.save_locatie(None, loc, check_permission=False)
            Uitzondering.objects.create(gemeente=gemeente, locatie=loc,
                                        datum=datetime.date(2026, 12, 25), reden="Kerst")
            Uitzondering.objects.create(gemeente=gemeente, locatie=loc, gesloten=False,
                                        datum=datetime.date(2026, 12, 24),
                                        open=datetime.time(9), sluit=datetime.time(12))
        locs.append(loc)
    combos = itertools.product(Aanbod.Kosten.values, Aanbod.Aanmelden.values,
                               Aanbod.Status.values)
    made = []
    for i, (kosten, aanmelden, status) in zip(range(n), itertools.cycle(combos)):
        made.append(aanbod(
            gemeente, f"Generated {i} ééntje – “quotes” & <tags>", org=orgs[i % 2],
            kosten=kosten, prijs=None if kosten == "gratis" else f"{i}.50",
            aanmelden=aanmelden, status=status, leeftijd_van=-9 + i, leeftijd_tot=300,
            talen=["nl", "nl, en", "nl, ar, tr", ""][i % 4], website=f"https://ex.org/{i}"
            if i % 3 else "", email="info@example.org" if i % 2 else "",
            telefoon="06 12345678" if i % 2 else "", wachttijd="6 weken" if i % 5 else "",
            beschrijving="Lang verhaal.\nMet regels." if i % 2 else "",
            locaties=locs[: i % 4], domeinen=[d.code for d in domeinen[i % 3: i % 3 + 2]]))
    services.controleer(None, made[0], door="test")
    return made


@pytest.mark.django_db
def test_every_response_validates_over_demo_and_generated_data(client, groningen):
    generate(groningen)
    page = client.get(url("services"), {"per_page": 500}).json()
    assert page["total_items"] >= 24
    check_page("service_list", page)
    full = client.get(url("services"), {"per_page": 500, "full": "true"}).json()
    check_page("service", full)
    for item in page["contents"]:
        check("service", client.get(url("service", id=item["id"])).json())
    orgs = client.get(url("organizations")).json()
    check_page("organization_list", orgs)
    assert orgs["total_items"] >= 2
    for item in orgs["contents"]:
        check("organization", client.get(url("organization", id=item["id"])).json())


@pytest.mark.django_db
def test_export_streams_and_validates(client, groningen):
    generate(groningen, 8)
    response = client.get(url("export"))
    assert response.streaming
    data = json.loads(b"".join(response.streaming_content))
    assert len(data["services"]) == hsds.gepubliceerd(groningen).count() >= 8
    for item in data["services"]:
        check("service", item)


@pytest.mark.django_db
def test_export_sends_whole_services_in_pieces_with_queries_per_chunk_only(
        client, groningen, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    generate(groningen, 12)

    def export():
        with CaptureQueriesContext(connection) as captured:
            pieces = list(client.get(url("export")).streaming_content)
        return pieces, len(captured)

    monkeypatch.setattr(hsds, "EXPORT_PIECE", 2000)
    pieces, queries = export()
    assert len(pieces) > 3
    # Between the opening and the closing, each piece is whole services: it parses alone.
    for piece in pieces[1:-1]:
        for item in json.loads(b"[" + piece.lstrip(b",") + b"]"):
            check("service", item)
    # More services at more locaties (in buurten, with opening hours): not one query more.
    b = buurt(groningen)
    for i in range(6):
        aanbod(groningen, f"Extra {i}", org=organisatie(groningen, "Kids First"),
               locaties=[locatie(groningen, organisatie(groningen, "Kids First"),
                                 naam=f"Extra locatie {i}", buurt_obj=b)])
    more, queries_more = export()
    assert len(b"".join(more)) > len(b"".join(pieces)) and queries_more == queries


@pytest.mark.django_db
def test_paging_and_modified_after(client, groningen):
    made = generate(groningen, 6)
    total = hsds.gepubliceerd(groningen).count()
    first = client.get(url("services"), {"per_page": 4, "page": 1}).json()
    last = client.get(url("services"), {"per_page": 4, "page": first["total_pages"]}).json()
    assert first["first_page"] and not first["last_page"] and last["last_page"]
    assert first["total_pages"] == -(-total // 4)
    later = timezone.now()
    Aanbod.objects.filter(pk=made[2].pk).update(gewijzigd_op=later + datetime.timedelta(
        seconds=1))
    changed = client.get(url("services"), {"modified_after": later.isoformat()}).json()
    assert [s["id"] for s in changed["contents"]] == [str(made[2].uuid)]
    assert client.get(url("services"), {"modified_after": "gisteren"}).status_code == 400
    assert client.get(url("services"), {"per_page": 501}).status_code == 400


@pytest.mark.django_db
def test_private_fields_and_stale_aanbod_stay_out(client, groningen):
    a = aanbod(groningen, "Geheim verwijzen", verwijzen="Bel de coördinator op 06-999")
    oud = aanbod(groningen, "Oud aanbod", aangemaakt_op=datetime.date(2020, 1, 1))
    body = client.get(url("service", id=a.uuid)).content.decode()
    assert "06-999" not in body
    assert client.get(url("service", id=oud.uuid)).status_code == 404
    assert client.get(url("service", gemeente="assen", id=a.uuid)).status_code == 404


@pytest.mark.django_db
def test_round_trip_same_gemeente(client, groningen, demo_user):
    generate(groningen, 12)
    first = json.loads(b"".join(client.get(url("export")).streaming_content))
    # Damage the data, then import the export again: everything is as before.
    Aanbod.objects.filter(gemeente=groningen, naam__startswith="Generated 1").update(
        naam="kapot", status="beeindigd")
    beleid = demo_user("groningen", "beleid")
    telling = hsds.importeer(beleid, groningen, first)
    assert telling["bijgewerkt"] >= 1
    again = hsds.importeer(beleid, groningen, first)
    assert again["aangemaakt"] == again["bijgewerkt"] == 0
    second = json.loads(b"".join(client.get(url("export")).streaming_content))
    strip = _without_last_modified
    assert strip(second) == strip(first)


def _without_last_modified(data):
    return sorted(json.dumps({k: v for k, v in s.items() if k != "last_modified"},
                              sort_keys=True) for s in data["services"])


@pytest.mark.django_db
def test_import_from_another_system(client, groningen, assen, demo_user):
    generate(groningen, 6)
    exported = json.loads(b"".join(client.get(url("export")).streaming_content))
    # Another system: new ids everywhere (consistently), other organisations.
    ids = {}

    def fresh(value):
        if isinstance(value, dict):
            return {k: (ids.setdefault(v, str(uuid.uuid4())) if k.endswith("id") and k not in (
                "taxonomy_term_id", "taxonomy_id") and isinstance(v, str) and _is_uuid(v)
                else fresh(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [fresh(v) for v in value]
        return value

    other = fresh(exported)
    for s in other["services"]:
        s["organization"]["name"] = "Extern " + s["organization"]["name"]
        for att in s.get("attributes", []):
            att["taxonomy_term"]["id"] = att["taxonomy_term_id"]
    telling = hsds.importeer(demo_user("assen", "beleid"), assen, other)
    assert telling["aangemaakt"] == len(other["services"])
    back = json.loads(b"".join(client.get(url("export", "assen")).streaming_content))
    ours = {s["id"]: s for s in back["services"]}
    for s in other["services"]:
        assert ours[s["id"]]["name"] == s["name"]
        assert ours[s["id"]]["organization_id"] == s["organization"]["id"]
        assert ({sal["location_id"] for sal in ours[s["id"]].get("service_at_locations", [])}
                == {sal["location_id"] for sal in s.get("service_at_locations", [])})
    # The same ids cannot be imported into Groningen: they belong to Assen now.
    with pytest.raises(hsds.HsdsFout):
        hsds.importeer(demo_user("groningen", "beleid"), groningen, other)


def _is_uuid(value):
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@pytest.mark.django_db
def test_bad_file_changes_nothing(groningen, demo_user):
    before = Aanbod.objects.count()
    bad = {"services": [
        {"id": str(uuid.uuid4()), "name": "Goed", "status": "active", "description": "Goed.",
         "organization": {"id": str(uuid.uuid4()), "name": "Nieuwe org", "description": "x"}},
        {"id": "geen-uuid", "name": "Fout", "status": "active"}]}
    with pytest.raises(hsds.HsdsFout, match="Service 2"):
        hsds.importeer(demo_user("groningen", "beleid"), groningen, bad)
    assert Aanbod.objects.count() == before
    with pytest.raises(PermissionDenied):
        hsds.importeer(demo_user("groningen", "partner"), groningen, bad)
    with pytest.raises(hsds.HsdsFout, match="korte beschrijving"):
        hsds.importeer(demo_user("groningen", "beleid"), groningen, {"services": [
            {"id": str(uuid.uuid4()), "name": "Zonder tekst", "status": "active",
             "organization": {"id": str(uuid.uuid4()), "name": "Org", "description": "x"}}]})
