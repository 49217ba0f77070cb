"""Decisions, amendments and payments at the same moment never over-commit a plafond or a
gebiedsbudget and never let a counter drift from the rows it counts.

Each step runs in its own thread with its own database connection; a barrier releases them
together. Every test here ends with `manage.py controleer_financien`, which must exit 0.
Run on SQLite (the default) and on PostgreSQL (DATABASE_URL=postgres://...)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from finance import services
from finance.models import Aanvraag, AanvraagJaar, Beschikking, Gebiedsbudget, Programmabudget
from tests.finance.conftest import JAAR, in_behandeling, make_aanvraag, make_regeling

D = Decimal
N = 20


@pytest.fixture(scope="module", autouse=True)
def _demo_snapshot(django_db_setup, django_db_blocker):
    """These tests need committed data (threads have their own connections), so they are
    transactional, and a transactional test ends by emptying the database. Django's serialized
    rollback reloads this snapshot of the demo before each of them (as tests/e2e does)."""
    import io

    from django.core.management import call_command

    from core.models import Gemeente

    with django_db_blocker.unblock():
        if not Gemeente.objects.filter(cbs_code="GM0014").exists():
            call_command("load_demo", stdout=io.StringIO())
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()


def _controleer():
    """Every concurrency test ends here: `manage.py controleer_financien` exits 0 (every
    counter equals the sum over its aanvragen)."""
    import io

    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("controleer_financien", stdout=out, stderr=err)
    except SystemExit as exc:
        pytest.fail(f"controleer_financien exit {exc.code}:\n{err.getvalue()}")
    assert "kloppen" in out.getvalue()


def _run_concurrently(calls):
    """Run each zero-argument function in its own thread, released together; returns a list
    of (result or None, Dutch refusal or None, unexpected exception or None)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, fn):
        try:
            barrier.wait(timeout=30)
            results[i] = (fn(), None, None)
        except ValidationError as exc:
            results[i] = (None, " ".join(exc.messages), None)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion of the caller
            results[i] = (None, None, exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert not any(t.is_alive() for t in threads)
    unexpected = [r[2] for r in results if r[2] is not None]
    assert not unexpected, unexpected
    return results


def _decide_concurrently(aanvragen, actor):
    barrier = threading.Barrier(len(aanvragen))
    results = {}

    def decide(aanvraag):
        try:
            barrier.wait(timeout=30)
            services.verlenen(actor, aanvraag,
                              bedragen={JAAR: aanvraag.jaren.get().gevraagd})
            results[aanvraag.pk] = None
        except ValidationError as exc:
            results[aanvraag.pk] = " ".join(exc.messages)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[aanvraag.pk] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(a,)) for a in aanvragen]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    return results


def _prepare(regeling, n, bedrag, gebied=None):
    aanvragen = []
    for _ in range(n):
        aanvraag = make_aanvraag(regeling, gebied=gebied, jaren={JAAR: bedrag})
        aanvragen.append(in_behandeling(aanvraag))
    # Each thread reads its aanvraag with its own connection; no shared instance state.
    return [Aanvraag.objects.select_related("regeling", "gemeente").get(pk=a.pk)
            for a in aanvragen]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_decisions_stay_within_the_plafond(groningen, demo_user):
    regeling = make_regeling(groningen, plafond=D("100000.00"))
    aanvragen = _prepare(regeling, N, D("12000.00"))

    results = _decide_concurrently(aanvragen, demo_user("groningen", "beleid"))

    errors = [r for r in results.values() if isinstance(r, Exception)]
    assert not errors, errors
    granted = [pk for pk, r in results.items() if r is None]
    refused = {pk: r for pk, r in results.items() if r is not None}
    regeling.refresh_from_db()
    assert len(granted) == 8  # 8 × € 12.000 = € 96.000 fits in € 100.000; a ninth does not
    assert regeling.toegekend == D("96000.00") <= regeling.plafond
    assert sum(Aanvraag.objects.get(pk=pk).toegekend for pk in granted) == regeling.toegekend
    for pk, reason in refused.items():
        assert "subsidieplafond" in reason and "Er is niets toegekend" in reason, reason
        aanvraag = Aanvraag.objects.get(pk=pk)
        assert aanvraag.status == Aanvraag.Status.IN_BEHANDELING
        assert aanvraag.toegekend == 0
        assert not AanvraagJaar.objects.filter(aanvraag=aanvraag, toegekend__gt=0).exists()
        assert not Beschikking.objects.filter(aanvraag=aanvraag).exists()
        assert not aanvraag.termijnen.exists()
    assert Beschikking.objects.filter(aanvraag__regeling=regeling).count() == 8
    _controleer()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_decisions_stay_within_the_gebiedsbudget(groningen, demo_user):
    from regions.models import Gebied

    gebied = Gebied.objects.get(gemeente=groningen, naam="Beijum")
    pb = Programmabudget.objects.get(gemeente=groningen, jaar=JAAR)
    budget = Gebiedsbudget.objects.get(programmabudget=pb, gebied=gebied)
    free = budget.bedrag - budget.toegekend
    regeling = make_regeling(groningen, plafond=D("10000000.00"), gebiedsgebonden=True)
    bedrag = (free / 5).quantize(D("0.01"))  # exactly five fit
    aanvragen = _prepare(regeling, N, bedrag, gebied=gebied)

    results = _decide_concurrently(aanvragen, demo_user("groningen", "beleid"))

    assert not [r for r in results.values() if isinstance(r, Exception)]
    granted = [pk for pk, r in results.items() if r is None]
    budget.refresh_from_db()
    assert len(granted) == 5
    assert budget.toegekend <= budget.bedrag
    assert budget.toegekend == bedrag * 5
    for reason in (r for r in results.values() if r is not None):
        assert "gebiedsbudget" in reason and "Beijum" in reason, reason
    regeling.refresh_from_db()
    assert regeling.toegekend == bedrag * 5  # the refused ones released nothing they never had
    _controleer()


def test_connection_vendor_is_reported(db):
    """Shows in the test output which database the concurrency tests ran on."""
    assert connection.vendor in {"sqlite", "postgresql"}


def _fresh(aanvraag):
    """A new instance per thread (with the prefetch a page would have made before posting)."""
    return (Aanvraag.objects.select_related("regeling", "gemeente", "gebied")
            .prefetch_related("jaren", "termijnen__betaling").get(pk=aanvraag.pk))


def _granted(regeling, bedrag, **kwargs):
    from tests.finance.conftest import verleend

    return verleend(make_aanvraag(regeling, jaren={JAAR: bedrag}), **kwargs)


def _assert_consistent(regeling):
    regeling.refresh_from_db()
    held = sum((a.toegekend - a.vrijgevallen for a in Aanvraag.objects.filter(
        regeling=regeling)), D("0"))
    assert regeling.toegekend == held <= regeling.plafond


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_concurrent_amendments_of_one_grant(groningen, demo_user):
    """The issue's case: ten 'Verlening wijzigen' posts (€ 40.000 … € 31.000) on one € 50.000
    grant. Each one that succeeds moved the counter by exactly its own difference; afterwards
    the plafond cannot be filled beyond € 100.000."""
    beleid = demo_user("groningen", "beleid")
    regeling = make_regeling(groningen, plafond=D("100000.00"))
    aanvraag = _granted(regeling, D("50000.00"))
    amounts = [D(40000 - 1000 * i) for i in range(10)]
    results = _run_concurrently([
        (lambda bedrag=bedrag: services.wijzigen(beleid, _fresh(aanvraag), bedragen={
            JAAR: bedrag}, reden="Minder activiteiten")) for bedrag in amounts])

    done = [r[0] for r in results if r[0] is not None]
    assert done, [r[1] for r in results]
    for _result, refusal, _exc in results:
        assert refusal is None or "intussen" in refusal or "niet veranderd" in refusal, refusal
    aanvraag.refresh_from_db()
    wijzigingen = list(aanvraag.wijzigingen.order_by("pk"))
    assert len(wijzigingen) == len(done)
    assert aanvraag.toegekend == D(wijzigingen[-1].na[str(JAAR)])
    assert Beschikking.objects.filter(aanvraag=aanvraag, soort="wijziging").count() == len(done)
    _assert_consistent(regeling)
    # Fill the plafond: exactly what is free fits, one cent more does not.
    regeling.refresh_from_db()
    vrij = regeling.plafond - regeling.toegekend
    _granted(regeling, vrij)
    with pytest.raises(ValidationError) as exc:
        _granted(regeling, D("0.01"))
    assert "nog €\xa00,00 beschikbaar" in " ".join(exc.value.messages)
    _assert_consistent(regeling)
    assert regeling.toegekend == regeling.plafond
    _controleer()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_identical_amendment_posts_are_applied_once(groningen, demo_user):
    """A double click on 'opslaan': both posts carry the key of the one rendered form; both
    are answered with the one Wijziging, and the counter moves once."""
    beleid = demo_user("groningen", "beleid")
    regeling = make_regeling(groningen, plafond=D("100000.00"))
    aanvraag = _granted(regeling, D("50000.00"))
    results = _run_concurrently([
        (lambda: services.wijzigen(beleid, _fresh(aanvraag), bedragen={JAAR: "40000"},
                                   reden="Minder", sleutel="dubbelklik-1"))] * 2)

    assert [r[1] for r in results] == [None, None]
    assert results[0][0].pk == results[1][0].pk
    aanvraag.refresh_from_db()
    assert aanvraag.wijzigingen.count() == 1
    assert Beschikking.objects.filter(aanvraag=aanvraag, soort="wijziging").count() == 1
    regeling.refresh_from_db()
    assert aanvraag.toegekend == regeling.toegekend == D("40000.00")
    _controleer()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_payments_on_one_grant(groningen, demo_user):
    """Twenty payments at once on one grant with 16 termijnen (four years, per kwartaal): each
    termijn is paid once, nothing beyond the grant, and betaald is the sum of the betalingen."""
    from finance.models import Betaling, Regeling

    beleid = demo_user("groningen", "beleid")
    regeling = make_regeling(groningen, plafond=D("1000000.00"),
                             voorschot_ritme=Regeling.Ritme.PER_KWARTAAL)
    jaren = {JAAR + i: D("40000.00") for i in range(4)}
    from tests.finance.conftest import verleend

    aanvraag = verleend(make_aanvraag(regeling, jaren=jaren))
    termijnen = list(aanvraag.termijnen.order_by("pk"))
    n = len(termijnen)  # this year's past quarters are one termijn today: 13 to 16
    assert 13 <= n <= 16
    results = _run_concurrently([
        (lambda t=termijnen[i % n]: services.betaal_termijn(beleid, t)) for i in range(20)])

    paid = [r[0] for r in results if r[0] is not None]
    refused = [r[1] for r in results if r[1] is not None]
    assert len(paid) == n and len(refused) == 20 - n
    assert all("al betaald" in r for r in refused), refused
    aanvraag.refresh_from_db()
    total = sum((b.bedrag for b in Betaling.objects.filter(aanvraag=aanvraag)), D("0"))
    assert aanvraag.betaald == total == sum((t.bedrag for t in termijnen), D("0"))
    assert aanvraag.betaald <= aanvraag.toegekend
    _controleer()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_nabetalingen_never_pay_beyond_the_vaststelling(groningen,
                                                                           demo_user):
    from finance.models import Regeling

    beleid = demo_user("groningen", "beleid")
    regeling = make_regeling(groningen, voorschot_ritme=Regeling.Ritme.GEEN)
    aanvraag = _granted(regeling, D("30000.00"))  # tier: activiteitenverslag
    services.verantwoorden(None, aanvraag, verslag="Gedaan wat we beloofden, voor 40 kinderen.",
                           besteed={JAAR: "30000"}, check_permission=False)
    services.vaststellen(None, aanvraag, bedragen={JAAR: "25000"}, check_permission=False)
    results = _run_concurrently([
        (lambda: services.nabetalen(beleid, _fresh(aanvraag), jaar=JAAR, bedrag="2000"))
        for _ in range(20)])

    assert len([r for r in results if r[0] is not None]) == 12  # 12 × 2.000 ≤ 25.000 < 13 ×
    aanvraag.refresh_from_db()
    assert aanvraag.betaald == D("24000.00") <= aanvraag.vastgesteld
    regeling.refresh_from_db()
    assert regeling.toegekend == D("25000.00")  # € 5.000 fell free at the vaststelling
    _controleer()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_grants_racing_amendments_on_one_regeling(groningen, demo_user):
    """Ten grants of € 10.000 and five upward amendments of a € 40.000 grant race for the
    € 100.000 plafond: whatever wins, the plafond holds and the counter is exact."""
    beleid = demo_user("groningen", "beleid")
    regeling = make_regeling(groningen, plafond=D("100000.00"))
    groot = _granted(regeling, D("40000.00"))
    aanvragen = _prepare(regeling, 10, D("10000.00"))
    calls = [(lambda a=a: services.verlenen(beleid, a, bedragen={JAAR: "10000"}))
             for a in aanvragen]
    calls += [(lambda bedrag=bedrag: services.wijzigen(beleid, _fresh(groot), bedragen={
        JAAR: bedrag}, reden="Meer kinderen")) for bedrag in ("45000", "50000", "35000",
                                                               "60000", "30000")]
    results = _run_concurrently(calls)

    for _r, refusal, _e in results:
        assert refusal is None or "subsidieplafond" in refusal or "intussen" in refusal, refusal
    _assert_consistent(regeling)
    groot.refresh_from_db()
    granted = Aanvraag.objects.filter(pk__in=[a.pk for a in aanvragen],
                                      status=Aanvraag.Status.VERLEEND).count()
    assert regeling.toegekend == groot.toegekend + granted * D("10000.00")
    _controleer()

