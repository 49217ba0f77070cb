"""The result: secret until the window closed (for everybody, jury and beleid included), public
only after "uitslag vaststellen" and from the announced date, small channels merged, and the
children's page "<naam> is de nieuwe kinderburgemeester". Frozen clock where dates matter."""

import datetime
import itertools

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from participation import selectors, services
from participation.models import Instelling, Kanaal
from tests.participation import helpers

pytestmark = pytest.mark.django_db


def at(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def vote(v, kandidaat, kanaal, n):
    _r, plain = services.maak_stemcodes(None, v, kanaal=kanaal, aantal=n, omschrijving="b",
                                        school=helpers.school(v.gemeente)
                                        if kanaal == "school" else None,
                                        check_permission=False)
    for code in plain:
        services.stem_met_code(v, code, kandidaat.pk)


@pytest.fixture
def election(groningen):
    v = helpers.verkiezing(groningen, "stemmen")
    ks = helpers.kandidaten(v)
    vote(v, ks[0], "school", 12)
    vote(v, ks[1], "school", 8)
    vote(v, ks[1], "brief", 2)
    vote(v, ks[2], "brief", 1)
    return v, ks


def test_counts_are_secret_for_everybody_until_the_window_closed(election, client_for):
    v, _ks = election
    for role in ("jury", "beleid"):
        page = client_for("groningen", role).get(reverse("participation:uitslag", kwargs={
            "gemeente": "groningen", "pk": v.pk})).content.decode()
        assert "Stemmen per kandidaat" not in page and "blijft geheim" in page


def test_public_result_after_vaststellen_and_from_the_announced_date(election, client,
                                                                      demo_user):
    v, ks = election
    url = reverse("participation:publiek-uitslag", kwargs={"gemeente": "groningen",
                                                           "jaar": v.jaar})
    closed = v.stemmen_eind + datetime.timedelta(minutes=1)
    with time_machine.travel(closed, tick=False):
        page = client.get(url).content.decode()
        assert "Stemmen per kandidaat" not in page and "is de nieuwe" not in page
        assert "De uitslag is bekend op" in page
        services.stel_uitslag_vast(demo_user("groningen", "beleid"), v)
        # Established, but the announced date has not come yet.
        page = client.get(url).content.decode()
        assert "Stemmen per kandidaat" not in page and "Kandidaat 1" not in page
    with time_machine.travel(at(v.uitslag_datum - datetime.timedelta(days=1), 23), tick=False):
        assert "is de nieuwe" not in client.get(url).content.decode()
    with time_machine.travel(at(v.uitslag_datum), tick=False):
        page = client.get(url).content.decode()
    assert "Kandidaat 1 is de nieuwe kinderburgemeester!" in page
    assert "Kandidaat 2 is de loco-kinderburgemeester" in page
    assert "Stemmen per kandidaat" in page


def test_small_channels_are_merged_and_nothing_can_be_subtracted(election, client, demo_user):
    v, ks = election
    Instelling.objects.update_or_create(gemeente=v.gemeente, defaults={"minimum_per_kanaal": 5})
    with time_machine.travel(v.stemmen_eind + datetime.timedelta(minutes=1), tick=False):
        services.stel_uitslag_vast(demo_user("groningen", "beleid"), v)
    with time_machine.travel(at(v.uitslag_datum), tick=False):
        t = selectors.publieke_telling(v)
        page = client.get(reverse("participation:publiek-uitslag", kwargs={
            "gemeente": "groningen", "jaar": v.jaar})).content.decode()
    # school 20 on its own; brief (3) below 5: merged with the next smallest -> no split left.
    assert t["kanalen"] == []
    assert [r["totaal"] for r in t["kandidaten"]][:3] == [12, 10, 1]
    assert "stemcode per brief" not in page.split("Stemmen per kandidaat")[1]
    assert "per_kanaal" not in t["kandidaten"][0]


@pytest.mark.parametrize("minimum", [1, 2, 3, 5, 10, 100])
def test_channel_groups_hide_every_small_channel(minimum):
    for school, brief, email in itertools.product([0, 1, 2, 4, 9, 30], repeat=3):
        totalen = {"school": school, "brief": brief, "email": email}
        groepen = selectors.kanaalgroepen(totalen, minimum)
        if not groepen:
            continue
        # Every channel with votes is in exactly one group; each group reaches the minimum.
        in_groups = [k for _label, ks in groepen for k in ks]
        assert sorted(in_groups) == sorted(k for k, n in totalen.items() if n)
        assert all(sum(totalen[k] for k in ks) >= minimum for _label, ks in groepen)
        assert len(groepen) >= 2


def test_channel_group_labels():
    groepen = selectors.kanaalgroepen({"school": 20, "brief": 2, "email": 3}, 5)
    assert groepen == [(str(Kanaal.SCHOOL.label), ["school"]),
                       (f"{Kanaal.BRIEF.label} en {Kanaal.EMAIL.label}", ["brief", "email"])]
