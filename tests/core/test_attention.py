""""Wat vraagt mijn aandacht" on the home page: each role sees what waits for them, most
urgent first, with a link and a deadline; the page's query count does not grow with the data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import attention
from participation.models import Inzending
from tests.attention_data import fill
from tests.conftest import DEMO_ROLES

pytestmark = pytest.mark.django_db


def home(client):
    return client.get(reverse("core:gemeente", kwargs={"gemeente": "groningen"}))


def test_each_role_sees_what_waits_for_them(client_for, groningen):
    today = timezone.localdate()
    Inzending.objects.create(gemeente=groningen, soort="idee", onderwerp="Een skatebaan",
                             tekst="Graag.", deadline=today - datetime.timedelta(days=3))
    pages = {role: home(client_for("groningen", role)).content.decode() for role in DEMO_ROLES}
    for html in pages.values():
        assert "Wat vraagt uw aandacht" in html
    assert "Antwoord te laat: Een skatebaan" in pages["beleid"]
    assert "Antwoord te laat: Een skatebaan" in pages["raad"]
    assert "Een skatebaan" not in pages["partner"]
    assert "Besluiten op A-" in pages["beleid"]  # the demo has an aanvraag past its termijn
    assert "Voortgang rapporteren:" in pages["coordinator"]
    assert "Voortgang rapporteren:" in pages["partner"]
    assert "Verantwoording indienen:" in pages["partner"]
    assert "Besluiten op" not in pages["partner"]


def test_most_urgent_first(demo_user, groningen):
    fill(groningen, aanvragen=20, inzendingen=20)
    items = attention.items_for(demo_user("groningen", "beleid"), groningen)
    deadlines = [i.deadline or datetime.date.max for i in items]
    assert deadlines == sorted(deadlines) and len(items) > 4
    assert items[0].deadline < timezone.localdate()


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_query_count_does_not_grow_with_the_data(role, client_for, groningen,
                                                 django_assert_max_num_queries):
    """Measured at two data sizes, both past the cap of each list (so every "and N more"
    COUNT runs in both): the same number of queries, and a small one."""
    client = client_for("groningen", role)
    fill(groningen, aanvragen=60, activiteiten=30, inzendingen=60)
    with CaptureQueriesContext(connection) as smaller:
        assert home(client).status_code == 200
    fill(groningen, aanvragen=240, activiteiten=120, inzendingen=240)
    # The cap covers the attention list and every module card's summary (kaart, toets, ...).
    with django_assert_max_num_queries(30), CaptureQueriesContext(connection) as larger:
        assert home(client).status_code == 200
    assert len(larger.captured_queries) == len(smaller.captured_queries), role
