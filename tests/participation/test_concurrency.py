"""One vote per code and per e-mail link, also when 50 requests arrive at the same moment.

Runs on PostgreSQL (CI's second pass): real concurrent transactions in 50 threads, each with its
own database connection, through the real HTTP endpoint. SQLite serialises all writers, so the
race cannot happen there and the test is skipped with that reason.
"""

import io
import re
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.models import Gemeente, Membership, Role, User
from participation import services
from participation.models import AANTAL_STEMBUSSEN, Stemcode
from tests.participation import helpers

N = 50

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SQLite serialises writers, so no race occurs"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("restore_demo"),
]


def _controleer():
    """Every race ends with `manage.py controleer_stemmen`: the votes in the boxes equal the
    spent codes and e-mail voters (it exits 1 otherwise)."""
    out = io.StringIO()
    call_command("controleer_stemmen", "--gemeente", "GM9901", stdout=out)
    assert "kloppen" in out.getvalue()


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

    responses = helpers.hammer(N, post)
    accepted = [r for r in responses if r.status_code == 302]
    refused = [r for r in responses if r.status_code == 200]
    assert len(accepted) == 1 and len(refused) == N - 1
    for r in refused:
        assert "Met deze code is al gestemd" in r.content.decode()
    assert helpers.stemmen(election) == 1
    assert Stemcode.objects.get(verkiezing=election).status == Stemcode.GEBRUIKT
    _controleer()


def test_same_email_link_fifty_times_at_once_counts_once(election):
    services.vraag_stemlink_aan(election, "race@example.org", lambda t: f"/link/{t}/")
    token = re.search(r"/link/(\S+)/", mail.outbox[-1].body).group(1)
    kandidaat = election.kandidaten.first()
    url = reverse("participation:publiek-stemmen-link", kwargs={"gemeente": "racedorp",
                                                                "token": token})

    def post():
        return Client().post(url, {"step": "bevestig", "kandidaat": kandidaat.pk})

    responses = helpers.hammer(N, post)
    statuses = sorted(r.status_code for r in responses)
    # One vote; the others are told the link no longer works (on the form or as the page).
    assert statuses.count(302) == 1
    assert all(s in (200, 404) for s in statuses if s != 302)
    for r in responses:
        if r.status_code != 302:
            assert "Deze link werkt niet" in r.content.decode()
    assert helpers.stemmen(election) == 1
    _controleer()


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

    responses = helpers.hammer(N, post)
    assert [r.status_code for r in responses] == [302] * N
    assert helpers.stemmen(election) == N
    assert Stemcode.objects.filter(verkiezing=election, status=Stemcode.GEBRUIKT).count() == N
    for n, k in enumerate(kandidaten):
        assert helpers.stemmen(election, k) == N // 5, n
    _controleer()


def _xmins(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [int(r[0]) for r in cursor.fetchall()]


def test_no_row_per_vote_and_the_result_breaks_the_last_links(election):
    """PostgreSQL stores with each row version the id of the transaction that wrote it (xmin),
    and a vote spends its code and counts in one transaction. 40 votes leave at most
    AANTAL_STEMBUSSEN box rows (no row, position or key per vote); a box row's xmin is the
    last vote put in it, and that row holds the sum of every vote in its box. "Uitslag
    vaststellen" merges the boxes: then no box row shares a transaction id with any code."""
    import datetime

    from django.utils import timezone

    _reeks, plain = services.maak_stemcodes(None, election, kanaal="brief", aantal=40,
                                            omschrijving="xmin", check_permission=False)
    kandidaten = list(election.kandidaten.order_by("nummer"))
    for i, code in enumerate(plain):
        services.stem_met_code(election, code, kandidaten[i % 2].pk)
    boxes_sql = ("SELECT xmin::text FROM participation_stembus WHERE verkiezing_id = %s "
                 "ORDER BY ctid")
    codes_sql = ("SELECT xmin::text FROM participation_stemcode WHERE verkiezing_id = %s "
                 "AND status = 1")
    code_xmins = set(_xmins(codes_sql, [election.pk]))
    box_xmins = _xmins(boxes_sql, [election.pk])
    assert len(code_xmins) == 40 and 1 < len(box_xmins) <= AANTAL_STEMBUSSEN
    assert set(box_xmins) <= code_xmins  # the last vote of each box, nothing more
    assert helpers.stemmen(election, kandidaten[0]) == helpers.stemmen(election,
                                                                       kandidaten[1]) == 20

    later = timezone.now() + datetime.timedelta(days=2)
    type(election).objects.filter(pk=election.pk).update(
        stemmen_eind=later - datetime.timedelta(days=1))
    election.refresh_from_db()
    beleid = User.objects.create_user(username="race-beleid", password=None)
    Membership.objects.create(user=beleid, gemeente=election.gemeente,
                              role=Role.BELEIDSMEDEWERKER)
    services.stel_uitslag_vast(beleid, election, now=later)
    after = _xmins(boxes_sql, [election.pk])
    assert len(after) == 1 and not set(after) & code_xmins
    assert helpers.stemmen(election) == 40
