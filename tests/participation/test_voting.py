import datetime
import io
import re
import uuid

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from participation import codes, selectors, services
from participation.models import EmailKiezer, Kandidaat, Stembus, Stemcode, Uitslag
from tests.participation import helpers

pytestmark = pytest.mark.django_db


def vote_url(v):
    return reverse("participation:publiek-stemmen", kwargs={"gemeente": v.gemeente.slug,
                                                            "jaar": v.jaar})


def new_codes(v, n=3, kanaal="school"):
    return services.maak_stemcodes(None, v, kanaal=kanaal, aantal=n, omschrijving="groep 7",
                                   school=helpers.school(v.gemeente) if kanaal == "school"
                                   else None, check_permission=False)


@pytest.fixture
def open_election(groningen):
    v = helpers.verkiezing(groningen, "stemmen")
    helpers.kandidaten(v)
    return v


# Codes -----------------------------------------------------------------------------------------

def test_codes_are_random_enough_and_stored_only_as_hashes(open_election):
    assert codes.BITS >= 60
    reeks, plain = new_codes(open_election, 50)
    assert len(set(plain)) == 50 and all(len(c) == codes.LENGTH for c in plain)
    assert set("".join(plain)) <= set(codes.ALPHABET)
    stored = list(Stemcode.objects.filter(reeks=reeks).values_list("code_hash", flat=True))
    assert len(stored) == 50
    for code in plain:
        assert code not in stored and codes.pretty(code) not in stored
        assert open_election.code_hash(code) in stored
    # No text column of any participation table holds a plain code.
    for model in (Stemcode, type(reeks)):
        for f in model._meta.concrete_fields:
            if isinstance(f, models.CharField | models.TextField):
                values = {str(x) for x in model.objects.values_list(f.attname, flat=True)}
                assert not values & set(plain), (model, f.name)


def test_codes_are_read_forgivingly():
    code = codes.new_code()
    typed = codes.pretty(code).lower().replace("0", "o").replace("1", "l")
    assert codes.normalize(typed) == code
    assert codes.normalize("te kort") == ""
    assert codes.normalize("U" * codes.LENGTH) == ""  # U is not in the alphabet


def test_pdf_sheet_has_every_code_and_a_qr_to_the_vote_page(open_election, client_for):
    from pypdf import PdfReader

    client = client_for("groningen", "beleid")
    url = reverse("participation:stemcodes", kwargs={"gemeente": "groningen",
                                                     "pk": open_election.pk})
    response = client.post(url, {"kanaal": "school", "school": helpers.school(
        open_election.gemeente).pk, "omschrijving": "groep 7b", "aantal": 6})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    printed = set(re.findall(r"[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}", text))
    assert len(printed) == 6
    # Each printed code works (and only once), so the sheet holds the real codes.
    for code in printed:
        assert services.controleer_code(open_election, code)
    assert Stemcode.objects.filter(verkiezing=open_election, status=Stemcode.OPEN).count() == 6
    assert "kinderburgemeester" in text.lower()


def test_pdf_cards_link_the_code_to_the_vote_page(open_election):
    from unittest import mock

    reeks, plain = new_codes(open_election, 2)
    with mock.patch("weasyprint.HTML") as html:
        from participation.pdf import stemcodes_pdf

        stemcodes_pdf(reeks, plain, "https://example.org/groningen/stemmen/")
    rendered = html.call_args.kwargs["string"]
    for code in plain:
        assert codes.pretty(code) in rendered
    assert rendered.count("data:image/svg+xml") == 2


# The ballot --------------------------------------------------------------------------------------

def test_vote_in_one_step_plus_confirmation(open_election, client):
    _reeks, (code, *_rest) = new_codes(open_election)
    kandidaat = Kandidaat.objects.get(verkiezing=open_election, nummer=3)
    url = vote_url(open_election)
    page = client.get(url, {"code": codes.pretty(code)})
    assert page.status_code == 200 and codes.pretty(code) in page.content.decode()

    confirm = client.post(url, {"step": "kies", "code": code, "kandidaat": kandidaat.pk})
    assert confirm.status_code == 200
    assert "Klopt je stem?" in confirm.content.decode()
    assert helpers.stemmen(open_election) == 0  # not yet

    done = client.post(url, {"step": "bevestig", "code": code, "kandidaat": kandidaat.pk})
    assert done.status_code == 302
    assert done["Location"].endswith("/stemmen/bedankt/")
    assert helpers.stemmen(open_election) == 1
    assert helpers.stemmen(open_election, kandidaat, kanaal="school") == 1
    assert Stemcode.objects.get(code_hash=open_election.code_hash(code)).status == Stemcode.GEBRUIKT


def test_going_back_from_the_confirmation_changes_nothing(open_election, client):
    _reeks, (code, *_rest) = new_codes(open_election)
    k = Kandidaat.objects.get(verkiezing=open_election, nummer=1)
    response = client.post(vote_url(open_election), {"step": "terug", "code": code,
                                                     "kandidaat": k.pk})
    assert response.status_code == 200 and "Op wie stem je?" in response.content.decode()
    assert not helpers.stemmen(open_election)


@pytest.mark.parametrize("step", ["kies", "bevestig"])
def test_spent_code_gets_a_clear_message_and_changes_nothing(open_election, client, step):
    _reeks, (code, *_rest) = new_codes(open_election)
    k = Kandidaat.objects.get(verkiezing=open_election, nummer=1)
    services.stem_met_code(open_election, code, k.pk)
    response = client.post(vote_url(open_election), {"step": step, "code": code,
                                                     "kandidaat": k.pk})
    assert response.status_code == 200
    assert "Met deze code is al gestemd" in response.content.decode()
    assert helpers.stemmen(open_election) == 1


@pytest.mark.parametrize("typed", ["ABCDE-FGHJK-MNPQR", "onzin", ""])
def test_unknown_code_gets_a_clear_message_and_changes_nothing(open_election, client, typed):
    new_codes(open_election)
    k = Kandidaat.objects.get(verkiezing=open_election, nummer=1)
    response = client.post(vote_url(open_election), {"step": "bevestig", "code": typed,
                                                     "kandidaat": k.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Deze code kennen we niet" in body or "Typ je stemcode over" in body
    assert not helpers.stemmen(open_election)
    assert Stemcode.objects.filter(verkiezing=open_election,
                                   status=Stemcode.OPEN).count() == 3


def test_code_of_another_election_is_unknown(open_election, groningen):
    other = helpers.verkiezing(groningen, "stemmen", jaar=open_election.jaar + 1)
    helpers.kandidaten(other)
    _reeks, (code, *_rest) = new_codes(other)
    with pytest.raises(ValidationError) as exc:
        services.stem_met_code(open_election, code, open_election.kandidaten.first().pk)
    assert exc.value.code == services.Melding.ONBEKEND


def test_candidate_of_another_election_is_refused(open_election, groningen):
    other = helpers.verkiezing(groningen, "stemmen", jaar=open_election.jaar + 1)
    (foreign, *_rest) = helpers.kandidaten(other)
    _reeks, (code, *_r) = new_codes(open_election)
    with pytest.raises(ValidationError) as exc:
        services.stem_met_code(open_election, code, foreign.pk)
    assert exc.value.code == services.Melding.KANDIDAAT
    assert Stemcode.objects.get(code_hash=open_election.code_hash(code)).status == Stemcode.OPEN


def test_withdrawn_batch_stops_its_unused_codes(open_election, demo_user):
    reeks, (used, unused, *_r) = new_codes(open_election)
    k = open_election.kandidaten.first()
    services.stem_met_code(open_election, used, k.pk)
    services.trek_reeks_in(demo_user("groningen", "beleid"), reeks)
    with pytest.raises(ValidationError) as exc:
        services.stem_met_code(open_election, unused, k.pk)
    assert exc.value.code == services.Melding.INGETROKKEN
    assert helpers.stemmen(open_election) == 1  # the used one counts


@pytest.mark.parametrize("fase,melding", [("jury", "Stemmen kan nog niet"),
                                          ("gesloten", "Stemmen kan niet meer")])
def test_vote_outside_the_window_changes_nothing(groningen, client, fase, melding):
    v = helpers.verkiezing(groningen, fase)
    helpers.kandidaten(v)
    _reeks, (code, *_r) = services.maak_stemcodes(
        None, v, kanaal="brief", aantal=1, omschrijving="brief", check_permission=False,
        now=v.stemmen_start - datetime.timedelta(hours=1))
    k = v.kandidaten.first()
    response = client.post(vote_url(v), {"step": "bevestig", "code": code, "kandidaat": k.pk})
    assert response.status_code == 200 and melding in response.content.decode()
    with pytest.raises(ValidationError) as exc:
        services.stem_met_code(v, code, k.pk)
    assert exc.value.code in (services.Melding.NOG_NIET, services.Melding.VOORBIJ)
    assert not helpers.stemmen(v)
    assert Stemcode.objects.get(verkiezing=v).status == Stemcode.OPEN


# Throttling ------------------------------------------------------------------------------------

def test_failed_codes_are_throttled_per_ip(open_election, client, settings):
    settings.PARTICIPATION_CODE_FAILURES = "5/10m"
    _reeks, (good, *_r) = new_codes(open_election)
    k = open_election.kandidaten.first()
    url = vote_url(open_election)
    for _ in range(5):
        r = client.post(url, {"step": "kies", "code": codes.new_code(), "kandidaat": k.pk})
        assert r.status_code == 200
    # The next unknown code from this address has to wait (both steps) ...
    for step in ("kies", "bevestig"):
        blocked = client.post(url, {"step": step, "code": codes.new_code(), "kandidaat": k.pk})
        assert blocked.status_code == 429
        assert "te vaak een verkeerde code" in blocked.content.decode()
    # ... but a valid unused code is never refused because of other people's typos.
    assert client.post(url, {"step": "kies", "code": good, "kandidaat": k.pk}
                       ).status_code == 200
    assert client.post(url, {"step": "bevestig", "code": good, "kandidaat": k.pk}
                       ).status_code == 302
    assert helpers.stemmen(open_election) == 1
    # Another address is not affected by the count.
    other = client.post(url, {"step": "bevestig", "code": codes.new_code(), "kandidaat": k.pk},
                        REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200 and "kennen we niet" in other.content.decode()


def test_a_school_of_500_cannot_reach_the_limit_by_accident(open_election, client):
    """The default limit (settings.PARTICIPATION_CODE_FAILURES, 2500 an hour): 500 pupils
    behind one address typing 4 wrong codes each within the hour are still told "unknown", and
    the valid codes count. Frozen clock: the hour does not roll over during the test."""
    from participation import throttle

    _reeks, plain = new_codes(open_election, 2)
    k = open_election.kandidaten.first()
    url = vote_url(open_election)
    with time_machine.travel(timezone.now(), tick=False):
        first = client.post(url, {"step": "bevestig", "code": codes.new_code(),
                                  "kandidaat": k.pk})
        for _ in range(500 * 4 - 1):
            throttle.record_failure(first.wsgi_request, "stemmen")
        typo = client.post(url, {"step": "bevestig", "code": codes.new_code(), "kandidaat": k.pk})
        assert typo.status_code == 200 and "kennen we niet" in typo.content.decode()
        assert client.post(url, {"step": "bevestig", "code": plain[0], "kandidaat": k.pk}
                           ).status_code == 302
        for _ in range(500):  # 2501 unknown codes in one hour: not by accident
            throttle.record_failure(first.wsgi_request, "stemmen")
        assert client.post(url, {"step": "bevestig", "code": codes.new_code(),
                                 "kandidaat": k.pk}).status_code == 429
        assert client.post(url, {"step": "bevestig", "code": plain[1], "kandidaat": k.pk}
                           ).status_code == 302
    assert helpers.stemmen(open_election) == 2


def test_a_class_voting_from_one_address_is_never_blocked(open_election, client, settings):
    settings.PARTICIPATION_CODE_FAILURES = "5/10m"
    _reeks, plain = new_codes(open_election, 30)
    k = open_election.kandidaten.first()
    url = vote_url(open_election)
    for code in plain:  # 30 pupils, one school address: successes are never counted
        assert client.post(url, {"step": "kies", "code": code, "kandidaat": k.pk}
                           ).status_code == 200
        assert client.post(url, {"step": "bevestig", "code": code, "kandidaat": k.pk}
                           ).status_code == 302
    # A spent code (a pupil pressing twice) is not a guess either.
    for code in plain[:10]:
        r = client.post(url, {"step": "bevestig", "code": code, "kandidaat": k.pk})
        assert r.status_code == 200 and "al gestemd" in r.content.decode()
    assert helpers.stemmen(open_election) == 30


# E-mail ----------------------------------------------------------------------------------------

def _link_from_mail(message):
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def test_vote_by_email_link_once(open_election, client):
    url = reverse("participation:publiek-stemlink", kwargs={"gemeente": "groningen",
                                                            "jaar": open_election.jaar})
    response = client.post(url, {"email": "Kiezer@Example.org"})
    assert response.status_code == 200 and "Kijk in je mail" in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["Kiezer@Example.org"]
    link = _link_from_mail(mail.outbox[0])
    # The address itself is stored nowhere: only a keyed hash.
    kiezer = EmailKiezer.objects.get(verkiezing=open_election)
    assert "example" not in kiezer.email_hash.lower()
    assert kiezer.email_hash == open_election.email_hash("kiezer@example.org")

    k = open_election.kandidaten.get(nummer=2)
    assert client.get(link).status_code == 200
    assert "Klopt je stem?" in client.post(link, {"step": "kies", "kandidaat": k.pk}
                                           ).content.decode()
    assert client.post(link, {"step": "bevestig", "kandidaat": k.pk}).status_code == 302
    assert helpers.stemmen(open_election) == 1
    assert helpers.stemmen(open_election, k, kanaal="email") == 1
    # The link is spent; asking again (same address, other case) sends no new link.
    assert client.get(link).status_code == 404
    assert client.post(link, {"step": "bevestig", "kandidaat": k.pk}).status_code == 404
    client.post(url, {"email": "kiezer@example.org"})
    assert len(mail.outbox) == 2 and "al gestemd" in mail.outbox[1].body
    assert "http" not in mail.outbox[1].body
    assert helpers.stemmen(open_election) == 1


def test_email_link_expires(open_election):
    services.vraag_stemlink_aan(open_election, "a@example.org", lambda t: f"/link/{t}/")
    token = re.search(r"/link/(\S+)/", mail.outbox[0].body).group(1)
    later = timezone.now() + services.EMAIL_LINK_GELDIG + datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError) as exc:
        services.stem_met_link(token, open_election.kandidaten.first().pk, now=later)
    assert exc.value.code == services.Melding.LINK


def test_a_new_link_replaces_the_old_one(open_election):
    for _ in range(2):
        services.vraag_stemlink_aan(open_election, "b@example.org", lambda t: f"/link/{t}/")
    first, second = (re.search(r"/link/(\S+)/", m.body).group(1) for m in mail.outbox)
    k = open_election.kandidaten.first()
    with pytest.raises(ValidationError):
        services.stem_met_link(first, k.pk)
    services.stem_met_link(second, k.pk)
    assert helpers.stemmen(open_election, kanaal="email") == 1


def test_email_channel_off_refuses(groningen):
    v = helpers.verkiezing(groningen, "stemmen", kanaal_email=False)
    with pytest.raises(ValidationError) as exc:
        services.vraag_stemlink_aan(v, "c@example.org", lambda t: t)
    assert exc.value.code == services.Melding.KANAAL
    assert not mail.outbox and not EmailKiezer.objects.filter(verkiezing=v).exists()


# Secrecy ---------------------------------------------------------------------------------------

def test_ballot_schema_cannot_link_a_vote_to_a_voter():
    """There is no row per ballot: a box holds counts per candidate number, and nothing of a
    voter, a code, a candidate row or a time."""
    fields = Stembus._meta.get_fields()
    related = {f.related_model for f in fields if f.is_relation}
    from core.models import Gemeente, User
    from participation.models import Verkiezing

    assert related == {Gemeente, Verkiezing}
    assert not related & {Stemcode, EmailKiezer, User, Kandidaat}
    # No time at all (so certainly nothing finer than a minute).
    assert not [f for f in fields if isinstance(f, models.DateField | models.TimeField)]
    # A random UUID primary key: nothing to order boxes by.
    assert isinstance(Stembus._meta.pk, models.UUIDField)
    assert Stembus._meta.pk.default is uuid.uuid4
    assert not Stembus._meta.ordering
    concrete = {f.name for f in Stembus._meta.concrete_fields}
    assert concrete == {"id", "gemeente", "verkiezing", "kanaal", "nummer", *Stembus.KOLOMMEN}
    # Nor the other way round: a code or e-mail voter holds nothing about the vote.
    for model in (Stemcode, EmailKiezer):
        assert Stembus not in {f.related_model for f in model._meta.get_fields()
                               if f.is_relation}
        assert not [f for f in model._meta.concrete_fields
                    if isinstance(f, models.DateTimeField) and f.name != "token_geldig_tot"]


def test_voting_leaves_no_audit_trail(open_election):
    from core.models import AuditEntry

    before = AuditEntry.objects.count()
    _reeks, (code, *_r) = new_codes(open_election)
    after_codes = AuditEntry.objects.count()
    services.stem_met_code(open_election, code, open_election.kandidaten.first().pk)
    assert AuditEntry.objects.count() == after_codes == before + 1


def test_tally_is_hidden_until_the_window_closes(open_election, client_for, admin_client,
                                                 demo_user):
    _reeks, plain = new_codes(open_election, 3)
    for code in plain:
        services.stem_met_code(open_election, code, open_election.kandidaten.first().pk)
    with pytest.raises(selectors.UitslagGeheim):
        selectors.telling(open_election)
    assert selectors.opkomst(open_election)["totaal"] == 3  # turnout is visible
    # Pages: turnout yes, counts per candidate no.
    client = client_for("groningen", "beleid")
    staff = client.get(reverse("participation:uitslag", kwargs={"gemeente": "groningen",
                                                                "pk": open_election.pk}))
    body = staff.content.decode()
    assert "Er is 3 keer gestemd" in body and "Stemmen per kandidaat" not in body
    assert "Uitslag vaststellen" not in body
    with pytest.raises(ValidationError):
        services.stel_uitslag_vast(demo_user("groningen", "beleid"), open_election)
    public = client.get(reverse("participation:publiek-uitslag", kwargs={
        "gemeente": "groningen", "jaar": open_election.jaar})).content.decode()
    assert "Stemmen per kandidaat" not in public and "blijft geheim" in public
    # API.
    api = client.get(reverse("verkiezing-detail", kwargs={"pk": open_election.pk})).json()
    assert api["uitslag"] is None and api["opkomst"]["totaal"] == 3
    # Admin (superuser): the ballots of an open election are not listed.
    changelist = admin_client.get(reverse("admin:participation_stembus_changelist"))
    assert changelist.status_code == 200
    listed = set(changelist.context["cl"].queryset.values_list("verkiezing_id", flat=True))
    assert open_election.pk not in listed
    assert changelist.context["cl"].result_count == Stembus.objects.filter(
        verkiezing__stemmen_eind__lte=timezone.now()).count()


def test_result_per_channel_and_winners_after_close(groningen, client_for, demo_user):
    v = helpers.verkiezing(groningen, "stemmen")
    k1, k2, k3, k4, k5 = helpers.kandidaten(v)
    plan = {"school": [k2, k2, k2, k1, k3], "brief": [k1, k2, k1], "email": [k1]}
    for kanaal, keuzes in plan.items():
        if kanaal == "email":
            for i, k in enumerate(keuzes):
                services.vraag_stemlink_aan(v, f"k{i}@example.org", lambda t: f"/l/{t}/")
                token = re.search(r"/l/(\S+)/", mail.outbox[-1].body).group(1)
                services.stem_met_link(token, k.pk)
            continue
        _r, plain = new_codes(v, len(keuzes), kanaal)
        for code, k in zip(plain, keuzes, strict=True):
            services.stem_met_code(v, code, k.pk)
    later = v.stemmen_eind + datetime.timedelta(minutes=1)
    type(v).objects.filter(pk=v.pk).update(stemmen_eind=timezone.now()
                                           - datetime.timedelta(minutes=1))
    v.refresh_from_db()
    t = selectors.telling(v)
    assert t["per_kanaal"] == {"school": 5, "brief": 3, "email": 1} and t["totaal"] == 9
    by_nummer = {r["nummer"]: r for r in t["kandidaten"]}
    assert by_nummer[1]["per_kanaal"] == {"school": 1, "brief": 2, "email": 1}
    assert by_nummer[2]["totaal"] == 4 and by_nummer[1]["totaal"] == 4  # a tie for first

    uitslag = services.stel_uitslag_vast(demo_user("groningen", "beleid"), v, now=later)
    assert {uitslag.kinderburgemeester, uitslag.loco} == {k1, k2}
    (draw,) = uitslag.loting
    assert draw["kandidaten"] == [1, 2] and draw["stemmen"] == 4
    # Auditable: the stored seed gives the stored order, and the order gives the result.
    assert services.lotvolgorde(draw["seed"], [1, 2]) == draw["volgorde"]
    assert uitslag.kinderburgemeester.nummer == draw["volgorde"][0]
    with pytest.raises(ValidationError):
        services.stel_uitslag_vast(demo_user("groningen", "beleid"), v, now=later)
    assert Uitslag.objects.filter(verkiezing=v).count() == 1

    client = client_for("groningen", "raad")
    api = client.get(reverse("verkiezing-detail", kwargs={"pk": v.pk})).json()
    assert api["uitslag"]["totaal"] == 9
    assert api["uitslag"]["per_kanaal"] == {"school": 5, "brief": 3, "email": 1}
    assert api["uitslag"]["kinderburgemeester"] == uitslag.kinderburgemeester_id
    # Public from the announced date on (tests/participation/test_uitslag.py: not before).
    with time_machine.travel(timezone.make_aware(datetime.datetime.combine(
            v.uitslag_datum, datetime.time(9)))):
        page = client.get(reverse("participation:publiek-uitslag", kwargs={
            "gemeente": "groningen", "jaar": v.jaar})).content.decode()
    assert "Stemmen per kandidaat" in page and "Loco-kinderburgemeester" in page
    assert "geloot" in page and draw["seed"] in page


def test_ranking_without_ties_needs_no_lot():
    rows = [{"nummer": n, "totaal": t} for n, t in [(1, 3), (2, 9), (3, 5), (4, 5), (5, 1)]]
    ordered, draws = services.rangorde(rows)
    assert [r["nummer"] for r in ordered][:2] in ([2, 3], [2, 4])
    assert len(draws) == 1 and draws[0]["kandidaten"] == [3, 4]  # tie for place 2
    rows = [{"nummer": n, "totaal": t} for n, t in [(1, 3), (2, 9), (3, 5), (4, 1), (5, 1)]]
    ordered, draws = services.rangorde(rows)
    assert [r["nummer"] for r in ordered] == [2, 3, 1, 4, 5] and draws == []


def test_the_lot_is_fair_over_many_seeds():
    wins = {1: 0, 2: 0, 3: 0}
    for i in range(3000):
        wins[services.lotvolgorde(f"seed{i}", [1, 2, 3])[0]] += 1
    assert all(850 < n < 1150 for n in wins.values()), wins
