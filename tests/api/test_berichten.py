"""The inbox through the API: a user lists, counts and marks read their own messages, and
nobody else's — not another user's in the same gemeente, not a beleidsmedewerker's view of the
outbox, not a message of a gemeente they are no member of."""

import pytest
from rest_framework.test import APIClient

from core.models import Bericht, Membership, Role
from core.notifications import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_for(demo_user):
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


def bericht(user, gemeente, subject):
    return notify(gemeente=gemeente, kind="plans.versie_aangeboden", subject=subject,
                  body="Kijk even.", user=user, url=f"/{gemeente.slug}/")


def test_own_messages_unread_count_and_marking_read(api_for, demo_user, groningen):
    raad = demo_user("groningen", "raad")
    first = bericht(raad, groningen, "Het wijkplan is vastgesteld")
    bericht(raad, groningen, "Antwoord aan kinderen te laat")
    bericht(demo_user("groningen", "beleid"), groningen, "Niet voor de raad")
    client = api_for(raad)

    rows = client.get("/api/v1/berichten/").json()["results"]
    assert [r["subject"] for r in rows] == ["Antwoord aan kinderen te laat",
                                            "Het wijkplan is vastgesteld"]
    assert rows[1]["gemeente"] == "GM0014" and rows[1]["gelezen"] is False
    assert rows[1]["soort"] == "Een wijkplanversie is aangeboden om vast te stellen"
    assert rows[1]["link"] == "http://127.0.0.1:8000/groningen/"
    assert "email" not in rows[1] and "last_error" not in rows[1]
    assert client.get("/api/v1/berichten/ongelezen/").json() == {"ongelezen": 2}

    response = client.post(f"/api/v1/berichten/{first.pk}/gelezen/")
    assert response.status_code == 200 and response.json()["gelezen"] is True
    first.refresh_from_db()
    read_at = first.read_at
    assert read_at is not None
    client.post(f"/api/v1/berichten/{first.pk}/gelezen/")  # twice: the first time stays
    first.refresh_from_db()
    assert first.read_at == read_at
    assert client.get("/api/v1/berichten/ongelezen/").json() == {"ongelezen": 1}
    assert [r["subject"] for r in client.get(
        "/api/v1/berichten/", {"ongelezen": "true"}).json()["results"]] == [
        "Antwoord aan kinderen te laat"]

    assert client.post("/api/v1/berichten/alles-gelezen/").json() == {"gemarkeerd": 1}
    assert client.get("/api/v1/berichten/ongelezen/").json() == {"ongelezen": 0}
    assert Bericht.objects.get(subject="Niet voor de raad").read_at is None


def test_nobody_sees_or_marks_another_users_message(api_for, demo_user, groningen):
    raad = demo_user("groningen", "raad")
    own = bericht(raad, groningen, "Voor de raad")
    # A beleidsmedewerker sees the gemeente's outbox in the site, but through this route only
    # their own messages.
    for other in (demo_user("groningen", "beleid"), demo_user("groningen", "coordinator"),
                  demo_user("assen", "raad")):
        client = api_for(other)
        assert own.pk not in {r["id"] for r in client.get("/api/v1/berichten/").json()["results"]}
        assert client.get(f"/api/v1/berichten/{own.pk}/").status_code == 404
        assert client.post(f"/api/v1/berichten/{own.pk}/gelezen/").status_code == 404
        client.post("/api/v1/berichten/alles-gelezen/")
        assert client.get("/api/v1/berichten/ongelezen/").json()["ongelezen"] == 0
    own.refresh_from_db()
    assert own.read_at is None
    assert APIClient().get("/api/v1/berichten/").status_code == 401


def test_messages_per_gemeente_and_only_where_a_member(api_for, demo_user, groningen, assen):
    raad = demo_user("groningen", "raad")
    Membership.objects.create(user=raad, gemeente=assen, role=Role.RAADSLID)
    in_groningen = bericht(raad, groningen, "Groningen")
    in_assen = bericht(raad, assen, "Assen")
    client = api_for(raad)

    def subjects(**params):
        return {r["subject"] for r in client.get("/api/v1/berichten/", params).json()["results"]}

    assert subjects() == {"Groningen", "Assen"}
    assert subjects(gemeente="GM0106") == {"Assen"}
    assert client.get("/api/v1/berichten/ongelezen/", {"gemeente": "gm0014"}).json() == {
        "ongelezen": 1}
    assert client.post("/api/v1/berichten/alles-gelezen/?gemeente=GM0106").json() == {
        "gemarkeerd": 1}
    in_groningen.refresh_from_db()
    in_assen.refresh_from_db()
    assert in_groningen.read_at is None and in_assen.read_at is not None
    # A gemeente the user is no member of: nothing of theirs there, nothing marked.
    assert client.post("/api/v1/berichten/alles-gelezen/?gemeente=GM0363").json() == {
        "gemarkeerd": 0}

    # Membership ended: the messages of that gemeente are no longer reachable.
    Membership.objects.filter(user=raad, gemeente=assen).delete()
    client = api_for(type(raad).objects.get(pk=raad.pk))
    assert subjects() == {"Groningen"}
    assert client.get(f"/api/v1/berichten/{in_assen.pk}/").status_code == 404
