"""The rate limits on submissions ("Jouw stem") are exact, also when a burst of posts arrives at
the same moment: each post takes its place in the counters (one atomic increment each) before
anything is written, so of 30 simultaneous posts with 10 places exactly 10 are accepted.

Real threads, each with its own database connection, through the real view; on SQLite and on
PostgreSQL (the counters live in the cache, the race is between the check and the count)."""

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Gemeente
from participation.models import Inzending
from tests.participation import helpers

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("restore_demo")]

N = 30
URL = reverse("participation:publiek-insturen", kwargs={"gemeente": "tegelijk"})


@pytest.fixture(autouse=True)
def gemeente():
    """Each test's own: a transactional test empties the database after it (the demo
    comes back at the end of the module)."""
    return Gemeente.objects.create(cbs_code="GM9904", naam="Tegelijk", slug="tegelijk")


def post(client, onderwerp="Tegelijk"):
    return client.post(URL, {"soort": "idee", "onderwerp": onderwerp, "tekst": "Een idee.",
                             "openbaar": "on"}).status_code


def test_a_burst_from_one_browser_gets_exactly_the_session_limit(settings):
    settings.PARTICIPATION_INZENDINGEN_PER_SESSIE = "10/h"
    settings.PARTICIPATION_INZENDINGEN_PER_ADRES = "1000/h"
    browser = Client()
    browser.session.save()  # one browser: every thread sends its session cookie
    clients = [Client() for _ in range(N)]
    for c in clients:
        c.cookies = browser.cookies

    statuses = helpers.hammer(N, lambda: post(clients.pop()))
    assert sorted(statuses) == [302] * 10 + [429] * 20
    assert Inzending.objects.filter(onderwerp="Tegelijk").count() == 10
    assert post(browser) == 429  # and the window stays full


def test_a_burst_from_one_address_gets_exactly_the_address_limit(settings):
    settings.PARTICIPATION_INZENDINGEN_PER_SESSIE = "1000/h"
    settings.PARTICIPATION_INZENDINGEN_PER_ADRES = "10/h"
    clients = [Client() for _ in range(N)]  # 30 computers behind one school address
    statuses = helpers.hammer(N, lambda: post(clients.pop()))
    assert sorted(statuses) == [302] * 10 + [429] * 20
    assert Inzending.objects.filter(onderwerp="Tegelijk").count() == 10
    assert post(Client(REMOTE_ADDR="198.51.100.7")) == 302  # another address is not affected


def test_invalid_posts_in_a_burst_give_their_place_back(settings):
    """20 children send an empty form at the same moment as 10 valid ones: the invalid posts
    held a place only while they were checked; afterwards all 10 places are used by the valid
    ones or still free."""
    settings.PARTICIPATION_INZENDINGEN_PER_SESSIE = "1000/h"
    settings.PARTICIPATION_INZENDINGEN_PER_ADRES = "10/h"
    work = [(Client(), "") for _ in range(20)] + [(Client(), "Tegelijk") for _ in range(10)]

    def one():
        client, onderwerp = work.pop()
        return post(client, onderwerp)

    statuses = helpers.hammer(N, one)
    assert set(statuses) <= {200, 302, 429}  # 200: the form again, with its error
    accepted = Inzending.objects.filter(onderwerp="Tegelijk").count()
    assert statuses.count(302) == accepted
    # Every place not taken by an accepted submission is free again.
    late = [post(Client(), f"Later {i}") for i in range(10 - accepted)]
    assert late == [302] * (10 - accepted)
    assert post(Client(), "Te veel") == 429
