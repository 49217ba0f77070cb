"""The hot path of an election: one SQL statement spends the code and writes the ballot (or says
why not), the public endpoint answers a counted vote with a redirect without rendering anything
and a refused one with a small page, and the ballots are shuffled so no trace of voting order
remains. Runs on SQLite and PostgreSQL."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from participation import selectors, services, throttle
from participation.models import AANTAL_STEMBUSSEN, Stembus, Stemcode, Uitslag, Verkiezing
from tests.participation import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def election(groningen):
    v = helpers.verkiezing(groningen, "stemmen")
    helpers.kandidaten(v)
    return v


def _codes(v, n=3):
    return services.maak_stemcodes(None, v, kanaal="brief", aantal=n, omschrijving="brief",
                                   check_permission=False)[1]


def _spend(v, code, kandidaat, **overrides):
    args = {"verkiezing_id": v.pk, "pepper": v.pepper, "gemeente_slug": v.gemeente.slug,
            "jaar": v.jaar, "typed": code, "kandidaat_id": kandidaat, **overrides}
    return services.breng_stem_uit(**args)


def _statements(queries):
    # A prepared statement is logged without its text (Django reads the text psycopg keeps,
    # which it does not keep for a prepared execution): None still counts as a statement.
    return [q["sql"] for q in queries.captured_queries
            if not (q["sql"] or "").startswith(("SAVEPOINT", "RELEASE", "BEGIN"))]


def _unchanged(v, *plain):
    assert not helpers.stemmen(v)
    assert all(Stemcode.objects.get(code_hash=v.code_hash(c)).status == Stemcode.OPEN
               for c in plain)


def test_spend_code_is_one_statement_on_postgresql(election):
    (code, *_r) = _codes(election)
    k = election.kandidaten.first()
    with CaptureQueriesContext(connection) as queries:
        assert _spend(election, code, k.pk) is None
    # PostgreSQL: one data-modifying CTE. SQLite: UPDATE ... RETURNING, then the INSERT.
    assert len(_statements(queries)) == (1 if connection.vendor == "postgresql" else 2)
    bus = Stembus.objects.get(verkiezing=election)
    assert (bus.kanaal, bus.gemeente_id, bus.totaal) == ("brief", election.gemeente_id, 1)
    assert getattr(bus, f"stemmen_{k.nummer}") == 1 and 0 <= bus.nummer < AANTAL_STEMBUSSEN
    assert Stemcode.objects.get(code_hash=election.code_hash(code)).status == Stemcode.GEBRUIKT
    # Typed differently (dashes, lower case): the same code, already spent. The same one
    # statement on PostgreSQL says why (SQLite: the UPDATE, then a SELECT of the facts).
    with CaptureQueriesContext(connection) as queries:
        fout = _spend(election, "-".join([code[:5], code[5:10], code[10:]]).lower(), k.pk)
    assert fout.code == services.Melding.GEBRUIKT
    assert len(_statements(queries)) == (1 if connection.vendor == "postgresql" else 2)
    assert helpers.stemmen(election) == 1
    if connection.vendor == "postgresql":
        # Prepared once per connection, so PostgreSQL does not parse and plan it per vote.
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements "
                           "WHERE statement LIKE '%%INSERT INTO participation_stembus %%'")
            assert cursor.fetchone()[0] == 1


@pytest.mark.parametrize("wrong,melding", [
    ({"kandidaat_id": "x"}, services.Melding.KANDIDAAT),
    ({"kandidaat_id": None}, services.Melding.KANDIDAAT),
    ({"kandidaat_id": 2**70}, services.Melding.KANDIDAAT),
    ({"typed": "onzin"}, services.Melding.ONBEKEND),
    ({"typed": ""}, services.Melding.ONBEKEND),
    ({"pepper": "00" * 32}, services.Melding.ONBEKEND),
    # The code comes first, as on the ballot: a wrong code with a wrong candidate is unknown.
    ({"typed": "onzin", "kandidaat_id": "x"}, services.Melding.ONBEKEND)])
def test_spend_code_checks_everything_itself(election, wrong, melding):
    """The endpoint passes values it cached and what was typed: nothing wrong may count, and
    the refusal says why."""
    (code, *_r) = _codes(election)
    assert _spend(election, code, election.kandidaten.first().pk, **wrong).code == melding
    _unchanged(election, code)


@pytest.mark.parametrize("wrong", [{"jaar": 1999}, {"gemeente_slug": "assen"},
                                   {"verkiezing_id": 0}])
def test_spend_code_says_when_the_election_is_not_there(election, wrong):
    (code, *_r) = _codes(election)
    with pytest.raises(Verkiezing.DoesNotExist):
        _spend(election, code, election.kandidaten.first().pk, **wrong)
    _unchanged(election, code)


def test_spend_code_refuses_a_candidate_of_another_election(election, groningen):
    other = helpers.verkiezing(groningen, "stemmen", jaar=election.jaar + 1)
    (foreign, *_r) = helpers.kandidaten(other)
    (code, *_r) = _codes(election)
    assert _spend(election, code, foreign.pk).code == services.Melding.KANDIDAAT
    _unchanged(election, code)


@pytest.mark.parametrize("fase,melding", [("jury", services.Melding.NOG_NIET),
                                          ("gesloten", services.Melding.VOORBIJ)])
def test_spend_code_checks_the_window_and_the_channel(groningen, fase, melding):
    v = helpers.verkiezing(groningen, fase)
    helpers.kandidaten(v)
    (code, *_r) = services.maak_stemcodes(
        None, v, kanaal="brief", aantal=1, omschrijving="b", check_permission=False,
        now=v.stemmen_start)[1]
    fout = _spend(v, code, v.kandidaten.first().pk)
    assert fout.code == melding
    when = v.stemmen_start if fase == "jury" else v.stemmen_eind
    assert date_format(timezone.localtime(when), "j F Y") in fout.messages[0]
    _unchanged(v, code)
    open_v = helpers.verkiezing(groningen, "stemmen", jaar=v.jaar + 1)
    helpers.kandidaten(open_v)
    (code2, *_r) = _codes(open_v)
    type(open_v).objects.filter(pk=open_v.pk).update(kanaal_codes=False)
    assert _spend(open_v, code2, open_v.kandidaten.first().pk).code == services.Melding.KANAAL
    _unchanged(open_v, code2)


def test_a_withdrawn_code_is_refused_as_withdrawn(election):
    (code, *_r) = _codes(election)
    Stemcode.objects.filter(code_hash=election.code_hash(code)).update(
        status=Stemcode.INGETROKKEN)
    assert _spend(election, code, election.kandidaten.first().pk).code == (
        services.Melding.INGETROKKEN)
    assert not helpers.stemmen(election)


def _url(v):
    return reverse("participation:publiek-stemmen", kwargs={"gemeente": "groningen",
                                                           "jaar": v.jaar})


def test_a_counted_vote_is_one_cache_get_one_statement_and_a_redirect(election, client):
    (code, *_r) = _codes(election)
    k = election.kandidaten.first()
    selectors.stembureau("groningen", election.jaar)  # the per-process cache is warm
    with CaptureQueriesContext(connection) as queries:
        response = client.post(_url(election), {"step": "bevestig", "code": code,
                                                "kandidaat": k.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("participation:publiek-bedankt", kwargs={
        "gemeente": "groningen", "jaar": election.jaar})
    assert response.templates == []  # nothing rendered
    assert len(_statements(queries)) == (1 if connection.vendor == "postgresql" else 2)
    assert helpers.stemmen(election, k) == 1


REFUSALS = {  # reason -> (text on the page, a link to try again)
    "gebruikt": ("Met deze code is al gestemd", False),
    "onbekend": ("Deze code kennen we niet", True),
    "ingetrokken": ("Deze code werkt niet meer", True),
    "kandidaat": ("Kies één van de kandidaten", True),
    "kanaal": ("Op deze manier stemmen kan bij deze verkiezing niet", False),
    "nog_niet": ("Stemmen kan nog niet. Je kunt stemmen vanaf", False),
    "voorbij": ("Stemmen kan niet meer. Het stemmen is voorbij sinds", False),
}


@pytest.mark.parametrize("reden", sorted(REFUSALS))
def test_a_refused_vote_says_why_on_a_small_page_and_changes_nothing(election, client, reden):
    """The reason comes from the vote's own statement: one more query (the gemeente for the
    page; the dates for a closed window), no re-run of the ballot's checks, no form."""
    import datetime

    plain = _codes(election, 2)
    spent, code = plain
    ks = list(election.kandidaten.all())
    assert _spend(election, spent, ks[0].pk) is None
    data = {"step": "bevestig", "code": code, "kandidaat": ks[1].pk}
    now = timezone.now()
    if reden == "gebruikt":
        data["code"] = spent
    elif reden == "onbekend":
        data["code"] = "ABCDE-FGHJK-MNPQR"
    elif reden == "ingetrokken":
        Stemcode.objects.filter(code_hash=election.code_hash(code)).update(
            status=Stemcode.INGETROKKEN)
    elif reden == "kandidaat":
        data["kandidaat"] = ks[-1].pk + 1000
    elif reden == "kanaal":
        Verkiezing.objects.filter(pk=election.pk).update(kanaal_codes=False)
    elif reden == "nog_niet":
        Verkiezing.objects.filter(pk=election.pk).update(
            stemmen_start=now + datetime.timedelta(hours=1))
    elif reden == "voorbij":
        Verkiezing.objects.filter(pk=election.pk).update(
            stemmen_eind=now - datetime.timedelta(minutes=1))
    codes_before = dict(Stemcode.objects.filter(verkiezing=election).values_list("pk", "status"))
    selectors.stembureau("groningen", election.jaar)  # warm, as in a running election
    with CaptureQueriesContext(connection) as queries:
        response = client.post(_url(election), data)
    text, opnieuw = REFUSALS[reden]
    body = response.content.decode()
    assert response.status_code == 200 and text in body
    assert [t.name for t in response.templates][0] == "participation/publiek/stem_geweigerd.html"
    assert 'name="step"' not in body  # no ballot form re-rendered
    assert ("Probeer het opnieuw" in body) == opnieuw
    assert ("Naar de uitslag" in body) == (reden == "voorbij")
    extra = 2 if reden in ("nog_niet", "voorbij") else 1
    assert len(_statements(queries)) == (
        1 if connection.vendor == "postgresql" else 2) + extra
    assert helpers.stemmen(election) == 1
    assert dict(Stemcode.objects.filter(verkiezing=election).values_list(
        "pk", "status")) == codes_before
    # Only an unknown code is a failed attempt (a guess); nothing else is counted.
    key, *_r = throttle._key(response.wsgi_request, "stemmen")
    assert (cache.get(key) or 0) == (1 if reden == "onbekend" else 0)


def test_a_throttled_address_is_refused_only_unknown_codes(election, client, settings):
    """Only unknown codes are throttled: past the limit the next unknown code gets "te vaak"
    (and changes nothing), a valid unused code still counts."""
    settings.PARTICIPATION_CODE_FAILURES = "3/10m"
    (code, *_r) = _codes(election)
    k = election.kandidaten.first()
    for _ in range(3):
        r = client.post(_url(election), {"step": "bevestig", "code": "ABCDE-FGHJK-MNPQR",
                                         "kandidaat": k.pk})
        assert r.status_code == 200 and "Deze code kennen we niet" in r.content.decode()
    response = client.post(_url(election), {"step": "bevestig", "code": "ABCDE-FGHJK-MNPQS",
                                            "kandidaat": k.pk})
    assert response.status_code == 429
    assert "te vaak een verkeerde code" in response.content.decode()
    _unchanged(election, code)
    response = client.post(_url(election), {"step": "bevestig", "code": code,
                                            "kandidaat": k.pk})
    assert response.status_code == 302
    assert helpers.stemmen(election) == 1


def test_the_throttle_learns_other_processes_failures_at_its_own_next_failure(
        election, client, settings):
    """Asking costs no cache round trip: a process knows the totals the cache returned to its
    own increments. Failures counted by another server process (here: straight in the cache)
    count here as soon as it counts one itself; successes never count, and a valid code is
    never refused."""
    settings.PARTICIPATION_CODE_FAILURES = "3/10m"
    (good, other_good) = _codes(election, 2)
    k = election.kandidaten.first()
    wrong = {"step": "bevestig", "code": "ABCDE-FGHJK-MNPQR", "kandidaat": k.pk}
    first = client.post(_url(election), wrong)
    assert first.status_code == 200 and "Deze code kennen we niet" in first.content.decode()
    key, *_r = throttle._key(first.wsgi_request, "stemmen")
    assert cache.get(key) == 1
    cache.incr(key, 5)  # another process counted five more failures of this address
    # This process has not seen them yet: a good code counts (it always would) ...
    assert client.post(_url(election), {"step": "bevestig", "code": good,
                                        "kandidaat": k.pk}).status_code == 302
    # ... one more wrong code is still "unknown", and the total the cache answers (7) is
    # learnt here: the next wrong code has to wait, a valid one still counts.
    assert client.post(_url(election), wrong).status_code == 200
    assert cache.get(key) == 7
    assert client.post(_url(election), wrong).status_code == 429
    assert client.post(_url(election), {"step": "bevestig", "code": other_good,
                                        "kandidaat": k.pk}).status_code == 302
    assert helpers.stemmen(election) == 2


def test_the_hot_path_still_demands_csrf(election):
    from django.test import Client

    (code, *_r) = _codes(election)
    response = Client(enforce_csrf_checks=True).post(
        _url(election), {"step": "bevestig", "code": code,
                         "kandidaat": election.kandidaten.first().pk})
    assert response.status_code == 403
    _unchanged(election, code)


def test_an_unknown_election_is_a_404(election, client):
    response = client.post(reverse("participation:publiek-stemmen", kwargs={
        "gemeente": "groningen", "jaar": 1900}), {"step": "bevestig", "code": "x",
                                                   "kandidaat": 1})
    assert response.status_code == 404


def test_a_replaced_election_is_not_voted_on_through_a_stale_cache(election, client):
    """The cache maps (gemeente, year) to an election; if that election is replaced by a new
    one with the same year, the stale entry counts nothing and the vote goes to the new one."""
    selectors.STEMBUREAU_CACHE[("groningen", election.jaar)] = selectors.Stembureau(
        election.pk + 10_000, "00" * 32, "/elders/")
    (code, *_r) = _codes(election)
    k = election.kandidaten.first()
    response = client.post(_url(election), {"step": "bevestig", "code": code,
                                            "kandidaat": k.pk})
    assert response.status_code == 302 and response["Location"].endswith("/stemmen/bedankt/")
    assert helpers.stemmen(election) == 1
    # The stale entry is replaced by the right election.
    assert selectors.STEMBUREAU_CACHE[("groningen", election.jaar)].pk == election.pk


def test_votes_are_spread_over_the_boxes_and_add_up(election):
    """Each vote lands in a box chosen at random; the boxes together hold every vote, per
    candidate and channel, and the check against the spent codes agrees."""
    plain = _codes(election, 60)
    ks = list(election.kandidaten.order_by("nummer"))
    for i, code in enumerate(plain):
        assert _spend(election, code, ks[i % 3].pk) is None
    bussen = Stembus.objects.filter(verkiezing=election)
    assert 1 < bussen.count() <= AANTAL_STEMBUSSEN  # 60 votes in one box: 16^-59
    assert {b.kanaal for b in bussen} == {"brief"}
    assert [helpers.stemmen(election, k) for k in ks] == [20, 20, 20, 0, 0]
    assert selectors.controleer_stemmen(election) == []


def test_the_result_seals_the_boxes(election, demo_user):
    """"Uitslag vaststellen" merges the boxes into one per channel (no row keeps a voter's
    transaction id) with the same counts as the result."""
    import datetime

    from django.utils import timezone

    plain = _codes(election, 20)
    ks = list(election.kandidaten.order_by("nummer"))
    for i, code in enumerate(plain):
        assert _spend(election, code, ks[i % 4].pk) is None
    old = set(Stembus.objects.filter(verkiezing=election).values_list("pk", flat=True))
    later = timezone.now() + datetime.timedelta(days=2)
    type(election).objects.filter(pk=election.pk).update(stemmen_eind=later
                                                         - datetime.timedelta(days=1))
    election.refresh_from_db()
    uitslag = services.stel_uitslag_vast(demo_user("groningen", "beleid"), election, now=later)
    assert isinstance(uitslag, Uitslag)
    (bus,) = Stembus.objects.filter(verkiezing=election)
    assert bus.pk not in old and bus.nummer == 0 and bus.kanaal == "brief"
    assert [getattr(bus, k) for k in Stembus.KOLOMMEN] == [5, 5, 5, 5, 0]
    assert {r["nummer"]: r["totaal"] for r in uitslag.telling} == {1: 5, 2: 5, 3: 5, 4: 5, 5: 0}
    assert selectors.controleer_stemmen(election) == []


def test_votes_keep_their_integrity_without_database_constraints(election, groningen):
    """The box table has no FK constraints (no share locks on the hot parent rows, see
    Stembus): the vote statement checks election and candidate itself, and Django refuses to
    delete an election that has votes. Candidates are counted by number; nothing deletes a
    candidate (read-only admin and API), and the check flags votes for a missing number."""
    from django.db.models import ProtectedError

    plain = _codes(election, 2)
    ks = list(election.kandidaten.order_by("nummer"))
    assert _spend(election, plain[0], ks[0].pk) is None
    # A candidate id that does not exist at all is never counted.
    assert _spend(election, plain[1], 2**62).code == services.Melding.KANDIDAAT
    assert helpers.stemmen(election) == 1
    with pytest.raises(ProtectedError):
        Verkiezing.objects.filter(pk=election.pk).delete()
    bus = Stembus.objects.get(verkiezing=election)
    assert (bus.stemmen_1, bus.totaal, bus.verkiezing_id, bus.gemeente_id) == (
        1, 1, election.pk, groningen.pk)
    assert selectors.controleer_stemmen(election) == []
    Stembus.objects.filter(pk=bus.pk).update(stemmen_5=2)  # a count without a candidate
    ks[4].delete()
    problemen = selectors.controleer_stemmen(election)
    assert len(problemen) == 2 and "3 stemmen in de stembussen, maar 1 keer" in problemen[0]
    assert "geen kandidaat met dat nummer" in problemen[1]
