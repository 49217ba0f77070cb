"""One vote per code and per e-mail link, also when 50 requests arrive at the same moment.

Runs on PostgreSQL (CI's second pass): real concurrent transactions in 50 threads, each with its
own database connection, through the real HTTP endpoint. SQLite serialises all writers, so the
race cannot happen there and the test is skipped with that reason.
"""

import re
import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from core.models import Gemeente
from participation import services
from participation.models import Stem, Stemcode
from tests.participation import helpers

N = 50

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SQLite serialises writers, so no race occurs"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module", autouse=True)
def _restore_demo(django_db_setup, django_db_blocker):
    """Transactional tests empty the database afterwards; put the demo back for the tests
    that come after this module."""
    yield
    with django_db_blocker.unblock():
        ContentType.objects.clear_cache()
        call_command("load_demo", stdout=open("/dev/null", "w"))


def _hammer(post):
    """Run `post()` in N threads released at the same instant; return the responses."""
    barrier = threading.Barrier(N)
    results, errors = [None] * N, []

    def worker(i):
        try:
            barrier.wait(timeout=30)
            results[i] = post()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return results


@pytest.fixture
def election():
    gemeente = Gemeente.objects.create(cbs_code="GM9901", naam="Racedorp", slug="racedorp")
    v = helpers.verkiezing(gemeente, "stemmen")
    helpers.kandidaten(v)
    return v


def test_same_code_fifty_times_at_once_counts_once(election, settings):
    settings.PARTICIPATION_CODE_FAILURES = "1000/m"
    _reeks, (code,) = services.maak_stemcodes(None, election, kanaal="brief", aantal=1,
                                              omschrijving="race", check_permission=False)
    kandidaat = election.kandidaten.first()
    url = reverse("participation:publiek-stemmen", kwargs={"gemeente": "racedorp",
                                                           "jaar": election.jaar})

    def post():
        return Client().post(url, {"step": "bevestig", "code": code, "kandidaat": kandidaat.pk})

    responses = _hammer(post)
    accepted = [r for r in responses if r.status_code == 302]
    refused = [r for r in responses if r.status_code == 200]
    assert len(accepted) == 1 and len(refused) == N - 1
    for r in refused:
        assert "Met deze code is al gestemd" in r.content.decode()
    assert Stem.objects.filter(verkiezing=election).count() == 1
    assert Stemcode.objects.get(verkiezing=election).status == Stemcode.GEBRUIKT


def test_same_email_link_fifty_times_at_once_counts_once(election):
    services.vraag_stemlink_aan(election, "race@example.org", lambda t: f"/link/{t}/")
    token = re.search(r"/link/(\S+)/", mail.outbox[-1].body).group(1)
    kandidaat = election.kandidaten.first()
    url = reverse("participation:publiek-stemmen-link", kwargs={"gemeente": "racedorp",
                                                                "token": token})

    def post():
        return Client().post(url, {"step": "bevestig", "kandidaat": kandidaat.pk})

    responses = _hammer(post)
    statuses = sorted(r.status_code for r in responses)
    # One vote; the others are told the link no longer works (on the form or as the page).
    assert statuses.count(302) == 1
    assert all(s in (200, 404) for s in statuses if s != 302)
    for r in responses:
        if r.status_code != 302:
            assert "Deze link werkt niet" in r.content.decode()
    assert Stem.objects.filter(verkiezing=election).count() == 1


def test_many_codes_at_once_each_count_once(election, settings):
    """50 different codes at the same moment through the real endpoint: 50 ballots, each code
    spent, nothing lost, nothing double (the one-statement spend under real concurrency)."""
    settings.PARTICIPATION_CODE_FAILURES = "1000/m"
    _reeks, plain = services.maak_stemcodes(None, election, kanaal="brief", aantal=N,
                                            omschrijving="race", check_permission=False)
    kandidaten = list(election.kandidaten.order_by("nummer"))
    url = reverse("participation:publiek-stemmen", kwargs={"gemeente": "racedorp",
                                                           "jaar": election.jaar})
    todo = iter(range(N))
    lock = threading.Lock()

    def post():
        with lock:
            i = next(todo)
        return Client().post(url, {"step": "bevestig", "code": plain[i],
                                   "kandidaat": kandidaten[i % 5].pk})

    responses = _hammer(post)
    assert [r.status_code for r in responses] == [302] * N
    assert Stem.objects.filter(verkiezing=election).count() == N
    assert Stemcode.objects.filter(verkiezing=election, status=Stemcode.GEBRUIKT).count() == N
    for n, k in enumerate(kandidaten):
        assert Stem.objects.filter(verkiezing=election, kandidaat=k).count() == N // 5, n


def _xmins(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [int(r[0]) for r in cursor.fetchall()]


def test_mixing_removes_the_transaction_link_between_ballot_and_code(election):
    """A vote writes ballot and spent code in one transaction, so both rows carry its id
    (xmin). After meng_stemmen no ballot shares a transaction id with any code, all ballots
    share one, and the counts are unchanged."""
    _reeks, plain = services.maak_stemcodes(None, election, kanaal="brief", aantal=10,
                                            omschrijving="xmin", check_permission=False)
    kandidaten = list(election.kandidaten.order_by("nummer"))
    for i, code in enumerate(plain):
        services.stem_met_code(election, code, kandidaten[i % 2].pk)
    ballots_sql = "SELECT xmin::text FROM participation_stem WHERE verkiezing_id = %s"
    codes_sql = ("SELECT xmin::text FROM participation_stemcode WHERE verkiezing_id = %s "
                 "AND status = 1")
    code_xmins = set(_xmins(codes_sql, [election.pk]))
    # The link this mitigates is real: each fresh ballot shares its code's transaction id.
    assert set(_xmins(ballots_sql, [election.pk])) == code_xmins and len(code_xmins) == 10
    counts = sorted(Stem.objects.filter(verkiezing=election).values_list("kandidaat_id",
                                                                         flat=True))
    assert services.meng_stemmen(election) == 10
    after = _xmins(ballots_sql, [election.pk])
    assert len(set(after)) == 1 and not set(after) & code_xmins
    assert sorted(Stem.objects.filter(verkiezing=election).values_list(
        "kandidaat_id", flat=True)) == counts
