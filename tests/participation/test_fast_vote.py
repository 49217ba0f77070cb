"""The hot path of an election: one SQL statement spends the code and writes the ballot, the
public endpoint answers a counted vote with a redirect without rendering anything, and the
ballots are shuffled so no trace of voting order remains. Runs on SQLite and PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participation import services, views_public
from participation.models import Stem, Stemcode, Uitslag
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
    return services.spend_code(**args)


def test_spend_code_is_one_statement_on_postgresql(election):
    (code, *_r) = _codes(election)
    k = election.kandidaten.first()
    with CaptureQueriesContext(connection) as queries:
        assert _spend(election, code, k.pk)
    statements = [q["sql"] for q in queries.captured_queries
                  if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "BEGIN"))]
    # PostgreSQL: one data-modifying CTE. SQLite: UPDATE ... RETURNING, then the INSERT.
    assert len(statements) == (1 if connection.vendor == "postgresql" else 2)
    ballot = Stem.objects.get(verkiezing=election)
    assert (ballot.kandidaat_id, ballot.kanaal, ballot.gemeente_id) == (
        k.pk, "brief", election.gemeente_id)
    assert Stemcode.objects.get(code_hash=election.code_hash(code)).status == Stemcode.GEBRUIKT
    # Typed differently (dashes, lower case): the same code, already spent.
    assert not _spend(election, "-".join([code[:5], code[5:10], code[10:]]).lower(), k.pk)
    assert Stem.objects.filter(verkiezing=election).count() == 1


@pytest.mark.parametrize("wrong", [
    {"jaar": 1999}, {"gemeente_slug": "assen"}, {"kandidaat_id": "x"}, {"kandidaat_id": None},
    {"typed": "onzin"}, {"pepper": "00" * 32}])
def test_spend_code_checks_everything_itself(election, wrong):
    """The endpoint passes values it cached: a stale or forged one must not count."""
    (code, *_r) = _codes(election)
    assert not _spend(election, code, election.kandidaten.first().pk, **wrong)
    assert not Stem.objects.filter(verkiezing=election).exists()
    assert Stemcode.objects.get(code_hash=election.code_hash(code)).status == Stemcode.OPEN


def test_spend_code_refuses_a_candidate_of_another_election(election, groningen):
    other = helpers.verkiezing(groningen, "stemmen", jaar=election.jaar + 1)
    (foreign, *_r) = helpers.kandidaten(other)
    (code, *_r) = _codes(election)
    assert not _spend(election, code, foreign.pk)
    assert Stemcode.objects.get(code_hash=election.code_hash(code)).status == Stemcode.OPEN


@pytest.mark.parametrize("fase", ["jury", "gesloten"])
def test_spend_code_checks_the_window_and_the_channel(groningen, fase):
    v = helpers.verkiezing(groningen, fase)
    helpers.kandidaten(v)
    (code, *_r) = services.maak_stemcodes(
        None, v, kanaal="brief", aantal=1, omschrijving="b", check_permission=False,
        now=v.stemmen_start)[1]
    assert not _spend(v, code, v.kandidaten.first().pk)
    open_v = helpers.verkiezing(groningen, "stemmen", jaar=v.jaar + 1)
    helpers.kandidaten(open_v)
    (code2, *_r) = _codes(open_v)
    type(open_v).objects.filter(pk=open_v.pk).update(kanaal_codes=False)
    assert not _spend(open_v, code2, open_v.kandidaten.first().pk)
    assert not Stem.objects.filter(verkiezing__in=[v, open_v]).exists()


def test_a_counted_vote_is_one_cache_get_one_statement_and_a_redirect(election, client):
    (code, *_r) = _codes(election)
    k = election.kandidaten.first()
    url = reverse("participation:publiek-stemmen", kwargs={"gemeente": "groningen",
                                                           "jaar": election.jaar})
    views_public._stemmen_ids("groningen", election.jaar)  # the per-process cache is warm
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"step": "bevestig", "code": code, "kandidaat": k.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("participation:publiek-bedankt", kwargs={
        "gemeente": "groningen", "jaar": election.jaar})
    assert response.templates == []  # nothing rendered
    statements = [q["sql"] for q in queries.captured_queries
                  if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "BEGIN"))]
    assert len(statements) == (1 if connection.vendor == "postgresql" else 2)
    assert Stem.objects.filter(verkiezing=election, kandidaat=k).count() == 1


def test_the_hot_path_still_demands_csrf(election):
    from django.test import Client

    (code, *_r) = _codes(election)
    url = reverse("participation:publiek-stemmen", kwargs={"gemeente": "groningen",
                                                           "jaar": election.jaar})
    response = Client(enforce_csrf_checks=True).post(
        url, {"step": "bevestig", "code": code, "kandidaat": election.kandidaten.first().pk})
    assert response.status_code == 403
    assert not Stem.objects.filter(verkiezing=election).exists()


def test_a_replaced_election_is_not_voted_on_through_a_stale_cache(election, client, groningen):
    """The cache maps (gemeente, year) to an election; if that election is replaced by a new
    one with the same year, the stale entry counts nothing and the vote goes to the new one."""
    url = reverse("participation:publiek-stemmen", kwargs={"gemeente": "groningen",
                                                           "jaar": election.jaar})
    views_public._STEMMEN_CACHE[("groningen", election.jaar)] = (
        election.pk + 10_000, "00" * 32, "/elders/")
    (code, *_r) = _codes(election)
    k = election.kandidaten.first()
    response = client.post(url, {"step": "bevestig", "code": code, "kandidaat": k.pk})
    assert response.status_code == 302 and response["Location"].endswith("/stemmen/bedankt/")
    assert Stem.objects.filter(verkiezing=election).count() == 1
    # The stale entry is dropped; the next vote caches the right election.
    assert ("groningen", election.jaar) not in views_public._STEMMEN_CACHE
    assert views_public._stemmen_ids("groningen", election.jaar)[0] == election.pk


def test_mixing_keeps_every_ballot_and_changes_every_id(election):
    plain = _codes(election, 12)
    ks = list(election.kandidaten.order_by("nummer"))
    for i, code in enumerate(plain):
        assert _spend(election, code, ks[i % 3].pk)
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
    assert _spend(election, code, k.pk)
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
        assert _spend(election, code, election.kandidaten.first().pk)
    old = set(Stem.objects.filter(verkiezing=election).values_list("id", flat=True))
    running = Stem.objects.filter(verkiezing__stemmen_start__lte=timezone.now(),
                                  verkiezing__uitslag__isnull=True).count()
    out = StringIO()
    call_command("mix_ballots", stdout=out)
    assert f"{running} stemmen" in out.getvalue()
    new = set(Stem.objects.filter(verkiezing=election).values_list("id", flat=True))
    assert len(new) == 2 and not old & new
