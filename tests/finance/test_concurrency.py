"""Twenty decisions at the same moment never over-commit a plafond or a gebiedsbudget.

Each decision runs in its own thread with its own database connection; a barrier releases them
together. Run on SQLite (the default) and on PostgreSQL (DATABASE_URL=postgres://...)."""

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


def test_connection_vendor_is_reported(db):
    """Shows in the test output which database the concurrency tests ran on."""
    assert connection.vendor in {"sqlite", "postgresql"}
