"""API: elections (counts only after the window closed), public candidates, youth voices."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from core.models import AuditEntry
from participation import services
from participation.models import Kandidaat, Verkiezing
from tests.participation import helpers

pytestmark = pytest.mark.django_db


def test_candidates_api_lists_only_public_candidates(groningen, client_for):
    v = helpers.verkiezing(groningen, "stemmen")
    k1, k2, *_rest = helpers.kandidaten(v)
    Kandidaat.objects.filter(pk=k2.pk).update(publiek=False)
    rows = client_for("groningen", "raad").get(reverse("kandidaat-list"),
                                                {"limit": 1000}).json()["results"]
    ids = {r["id"] for r in rows}
    assert k1.pk in ids and k2.pk not in ids
    row = next(r for r in rows if r["id"] == k1.pk)
    assert row["voornaam"] == "Kandidaat 1" and "achternaam" not in row
    assert row["pagina"].endswith(f"/groningen/kinderburgemeester/kandidaten/{k1.pk}/")


def test_submissions_api_has_answers_but_no_personal_data(groningen, client_for, demo_user):
    inzending, code = services.dien_inzending_in(groningen, soort="idee", onderwerp="Park",
                                                 tekst="Meer bomen", email="kind@example.org")
    services.beantwoord(demo_user("groningen", "beleid"), inzending, "Goed idee!")
    client = client_for("groningen", "beleid")
    data = client.get(reverse("inzending-detail", kwargs={"pk": inzending.pk})).json()
    assert data["antwoord"] == "Goed idee!" and data["status"] == "beantwoord"
    assert data["gemeente"] == "GM0014" and data["vervolgacties"] == []
    text = str(data)
    assert "kind@example.org" not in text and code not in text and "volgcode" not in text
    # Other roles do not see submissions at all.
    raad = client_for("groningen", "raad")
    assert raad.get(reverse("inzending-detail", kwargs={"pk": inzending.pk})).status_code == 404


def test_election_changes_through_the_api_are_validated_and_audited(groningen, client_for):
    v = helpers.verkiezing(groningen, "aanmelding")
    client = client_for("groningen", "beleid")
    url = reverse("verkiezing-detail", kwargs={"pk": v.pk})
    bad = client.patch(url, {"installatie_datum": f"{v.jaar}-10-01"},
                       content_type="application/json")
    assert bad.status_code == 400 and "september" in str(bad.json())
    ok = client.patch(url, {"kanaal_email": False}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["fase"] == "aanmelding"
    assert not Verkiezing.objects.get(pk=v.pk).kanaal_email
    assert AuditEntry.objects.filter(content_type__model="verkiezing", object_id=str(v.pk),
                                     action="update").exists()
    assert "pepper" not in ok.json()


def test_an_election_with_applications_cannot_be_deleted(groningen, client_for):
    v = helpers.verkiezing(groningen, "jury")
    helpers.aanmelding(v)
    client = client_for("groningen", "beleid")
    response = client.delete(reverse("verkiezing-detail", kwargs={"pk": v.pk}))
    assert response.status_code == 400
    assert Verkiezing.objects.filter(pk=v.pk).exists()
    empty = helpers.verkiezing(groningen, "voorbereiding", jaar=v.jaar + 1)
    assert client.delete(reverse("verkiezing-detail", kwargs={"pk": empty.pk})
                         ).status_code == 204


def test_the_api_gives_no_count_per_candidate_until_the_window_closed(groningen, client_for):
    v = helpers.verkiezing(groningen, "stemmen")
    ks = helpers.kandidaten(v)
    _r, plain = services.maak_stemcodes(None, v, kanaal="brief", aantal=3, omschrijving="b",
                                        check_permission=False)
    for code, k in zip(plain, [ks[0], ks[0], ks[1]], strict=True):
        services.stem_met_code(v, code, k.pk)
    client = client_for("groningen", "beleid")
    url = reverse("verkiezing-detail", kwargs={"pk": v.pk})
    data = client.get(url).json()
    assert data["fase"] == "stemmen" and data["uitslag"] is None
    assert data["opkomst"]["totaal"] == 3  # turnout only, no choice
    with time_machine.travel(v.stemmen_eind + datetime.timedelta(minutes=1), tick=False):
        client = client_for("groningen", "beleid")  # a new session: the old one expired
        uitslag = client.get(url).json()["uitslag"]
    totalen = {r["nummer"]: r["totaal"] for r in uitslag["kandidaten"]}
    assert (totalen[1], totalen[2], uitslag["totaal"]) == (2, 1, 3)
