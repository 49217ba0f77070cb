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
from participation.models import Stem, Stemcode, Uitslag, Verkiezing
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
    assert not Stem.objects.filter(verkiezing=v).exists()
    assert all(Stemcode.objects.get(code_hash=v.code_hash(c)).status == Stemcode.OPEN
               for c in plain)


def test_spend_code_is_one_statement_on_postgresql(election):
    (code, *_r) = _codes(election)
    k = election.kandidaten.first()
    with CaptureQueriesContext(connection) as queries:
        assert _spend(election, code, k.pk) is None
    # PostgreSQL: one data-modifying CTE. SQLite: UPDATE ... RETURNING, then the INSERT.
    assert len(_statements(queries)) == (1 if connection.vendor == "postgresql" else 2)
    ballot = Stem.objects.get(verkiezing=election)
    assert (ballot.kandidaat_id, ballot.kanaal, ballot.gemeente_id) == (
        k.pk, "brief", election.gemeente_id)
    assert Stemcode.objects.get(code_hash=election.code_hash(code)).status == Stemcode.GEBRUIKT
    # Typed differently (dashes, lower case): the same code, already spent. The same one
    # statement on PostgreSQL says why (SQLite: the UPDATE, then a SELECT of the facts).
    with CaptureQueriesContext(connection) as queries:
        fout = _spend(election, "-".join([code[:5], code[5:10], code[10:]]).lower(), k.pk)
    assert fout.code == services.Melding.GEBRUIKT
    assert len(_statements(queries)) == (1 if connection.vendor == "postgresql" else 2)
    assert Stem.objects.filter(verkiezing=election).count() == 1
    if connection.vendor == "postgresql":
        # Prepared once per connection, so PostgreSQL does not parse and plan it per vote.
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements "
                           "WHERE statement LIKE '%%INSERT INTO participation_stem %%'")
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
    assert not Stem.objects.filter(verkiezing=election).exists()


def _url(v):
    return reverse("participation:publiek-stemmen", kwargs={"gemeente": "groningen",
                                                           "jaar": v.jaar})


def test_a_counted_vote_is_one_cache_get_one_statement_and_a_redirect(election, client):
    (code, *_r) = _codes(election)
    k = election.kandidaten.first()
    selectors.stembus("groningen", election.jaar)  # the per-process cache is warm
    with CaptureQueriesContext(connection) as queries:
        response = client.post(_url(election), {"step": "bevestig", "code": code,
                                                "kandidaat": k.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("participation:publiek-bedankt", kwargs={
        "gemeente": "groningen", "jaar": election.jaar})
    assert response.templates == []  # nothing rendered
    assert len(_statements(queries)) == (1 if connection.vendor == "postgresql" else 2)
    assert Stem.objects.filter(verkiezing=election, kandidaat=k).count() == 1


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
    selectors.stembus("groningen", election.jaar)  # warm, as in a running election
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
    assert Stem.objects.filter(verkiezing=election).count() == 1
    assert dict(Stemcode.objects.filter(verkiezing=election).values_list(
        "pk", "status")) == codes_before
    # Only an unknown code is a failed attempt (a guess); nothing else is counted.
    key, *_r = throttle._key(response.wsgi_request, "stemmen")
    assert (cache.get(key) or 0) == (1 if reden == "onbekend" else 0)


def test_a_throttled_address_cannot_vote_and_changes_nothing(election, client, settings):
    settings.PARTICIPATION_CODE_FAILURES = "3/10m"
    (code, *_r) = _codes(election)
    k = election.kandidaten.first()
    for _ in range(3):
        r = client.post(_url(election), {"step": "bevestig", "code": "ABCDE-FGHJK-MNPQR",
                                         "kandidaat": k.pk})
        assert r.status_code == 200 and "Deze code kennen we niet" in r.content.decode()
    response = client.post(_url(election), {"step": "bevestig", "code": code,
                                            "kandidaat": k.pk})
    assert response.status_code == 429
    assert "te vaak een verkeerde code" in response.content.decode()
    _unchanged(election, code)


def test_the_throttle_learns_other_processes_failures_at_its_own_next_failure(
        election, client, settings):
    """Asking costs no cache round trip: a process knows the totals the cache returned to its
    own increments. Failures counted by another server process (here: straight in the cache)
    block this one as soon as it counts one itself; successes never count."""
    settings.PARTICIPATION_CODE_FAILURES = "3/10m"
    (good, other_good) = _codes(election, 2)
    k = election.kandidaten.first()
    wrong = {"step": "bevestig", "code": "ABCDE-FGHJK-MNPQR", "kandidaat": k.pk}
    first = client.post(_url(election), wrong)
    assert first.status_code == 200 and "Deze code kennen we niet" in first.content.decode()
    key, *_r = throttle._key(first.wsgi_request, "stemmen")
    assert cache.get(key) == 1
    cache.incr(key, 5)  # another process counted five more failures of this address
    # This process has not seen them yet: a good code still counts ...
    assert client.post(_url(election), {"step": "bevestig", "code": good,
                                        "kandidaat": k.pk}).status_code == 302
    # ... one more wrong code, and the total the cache answers (7) blocks the address here.
    assert client.post(_url(election), wrong).status_code == 200
    assert cache.get(key) == 7
    assert client.post(_url(election), {"step": "bevestig", "code": other_good,
                                        "kandidaat": k.pk}).status_code == 429
    assert Stemcode.objects.get(code_hash=election.code_hash(other_good)).status == (
        Stemcode.OPEN)


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
    selectors.STEMBUS_CACHE[("groningen", election.jaar)] = selectors.Stembus(
        election.pk + 10_000, "00" * 32, "/elders/")
    (code, *_r) = _codes(election)
    k = election.kandidaten.first()
    response = client.post(_url(election), {"step": "bevestig", "code": code,
                                            "kandidaat": k.pk})
    assert response.status_code == 302 and response["Location"].endswith("/stemmen/bedankt/")
    assert Stem.objects.filter(verkiezing=election).count() == 1
    # The stale entry is replaced by the right election.
    assert selectors.STEMBUS_CACHE[("groningen", election.jaar)].pk == election.pk


def test_mixing_keeps_every_ballot_and_changes_every_id(election):
    plain = _codes(election, 12)
    ks = list(election.kandidaten.order_by("nummer"))
    for i, code in enumerate(plain):
        assert _spend(election, code, ks[i % 3].pk) is None
    before = sorted(Stem.objects.filter(verkiezing=election).values_list(
        "kandidaat_id", "kanaal"))
    old_ids = set(Stem.objects.filter(verkiezing=election).values_list("id", flat=True))
    assert services.meng_stemmen(election) == 12
    after = sorted(Stem.objects.filter(verkiezing=election).values_list("kandidaat_id", "kanaal"))
    assert after == before
    assert not old_ids & set(Stem.objects.filter(verkiezing=election).values_list(
        "id", flat=True))


def test_the_count_mixes_the_ballots_first(election, demo_user):
    import datetime

    from django.utils import timezone

    (code, *_r) = _codes(election)
    k = election.kandidaten.first()
    assert _spend(election, code, k.pk) is None
    old = Stem.objects.get(verkiezing=election).pk
    later = timezone.now() + datetime.timedelta(days=2)
    type(election).objects.filter(pk=election.pk).update(stemmen_eind=later
                                                         - datetime.timedelta(days=1))
    election.refresh_from_db()
    uitslag = services.stel_uitslag_vast(demo_user("groningen", "beleid"), election, now=later)
    assert isinstance(uitslag, Uitslag)
    ballot = Stem.objects.get(verkiezing=election)
    assert ballot.pk != old and ballot.kandidaat_id == k.pk


def test_mix_ballots_command_mixes_running_elections(election):
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    for code in _codes(election, 2):
        assert _spend(election, code, election.kandidaten.first().pk) is None
    old = set(Stem.objects.filter(verkiezing=election).values_list("id", flat=True))
    running = Stem.objects.filter(verkiezing__stemmen_start__lte=timezone.now(),
                                  verkiezing__uitslag__isnull=True).count()
    out = StringIO()
    call_command("mix_ballots", stdout=out)
    assert f"{running} stemmen" in out.getvalue()
    new = set(Stem.objects.filter(verkiezing=election).values_list("id", flat=True))
    assert len(new) == 2 and not old & new


def test_ballots_keep_their_integrity_without_database_constraints(election, groningen):
    """The ballot table has no FK constraints (no share locks on the hot parent rows, see
    Stem): the vote statement checks election and candidate itself, and Django refuses to
    delete an election or candidate that has ballots and removes a gemeente's ballots."""
    from django.db.models import ProtectedError

    plain = _codes(election, 2)
    ks = list(election.kandidaten.order_by("nummer"))
    assert _spend(election, plain[0], ks[0].pk) is None
    # A candidate id that does not exist at all never becomes a ballot.
    assert _spend(election, plain[1], 2**62).code == services.Melding.KANDIDAAT
    assert Stem.objects.filter(verkiezing=election).count() == 1
    with pytest.raises(ProtectedError):
        ks[0].delete()
    with pytest.raises(ProtectedError):
        Verkiezing.objects.filter(pk=election.pk).delete()
    ballot = Stem.objects.get(verkiezing=election)
    assert (ballot.kandidaat_id, ballot.verkiezing_id, ballot.gemeente_id) == (
        ks[0].pk, election.pk, groningen.pk)
    # Every ballot points at an existing election and candidate of its own gemeente.
    assert not Stem.objects.exclude(kandidaat__verkiezing=election).filter(
        verkiezing=election).exists()
