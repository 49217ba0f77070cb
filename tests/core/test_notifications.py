"""The outbox: a message is written in the caller's transaction, handed to the task worker
after the commit, delivered to a real SMTP server (aiosmtpd), retried with backoff."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import notifications
from core.models import Bericht, BerichtVoorkeur
from core.notifications import notify, notify_once
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


def queued():
    return list(DBTaskResult.objects.filter(task_path="core.tasks.verstuur_bericht",
                                            status="READY"))


@pytest.fixture
def beleid(demo_user):
    user = demo_user("groningen", "beleid")
    user.email = "beleid@example.org"
    user.save()
    return user


def send(user, groningen, **kwargs):
    fields = {"gemeente": groningen, "kind": "test.bericht", "subject": "Er wacht iets",
              "body": "Kijk even naar de aanvraag.", "user": user,
              "url": "/groningen/financien/", **kwargs}
    return notify(**fields)


def test_message_is_in_the_outbox_and_delivered_after_commit(
        beleid, groningen, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            bericht = send(beleid, groningen, obj=groningen)
            assert queued() == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    bericht.refresh_from_db()
    assert bericht.status == Bericht.Status.WACHT and bericht.email == "beleid@example.org"
    assert bericht.object_id == str(groningen.pk)
    assert len(queued()) == 1 and smtp_server.messages == []

    run_worker()

    [message] = smtp_server.messages
    assert message["To"] == "beleid@example.org" and message["Subject"] == "Er wacht iets"
    text = message.get_payload(decode=True).decode()
    assert "Kijk even naar de aanvraag." in text
    assert "http://127.0.0.1:8000/groningen/financien/" in text
    bericht.refresh_from_db()
    assert bericht.status == Bericht.Status.VERZONDEN and bericht.attempts == 1
    assert bericht.sent_at is not None and bericht.last_error == ""
    run_worker()  # a second run sends nothing again
    assert len(smtp_server.messages) == 1


def test_rolled_back_change_leaves_no_message(beleid, groningen,
                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            send(beleid, groningen)
            raise RuntimeError("de service faalt")
    assert callbacks == [] and not Bericht.objects.filter(kind="test.bericht").exists()


def test_refused_delivery_is_retried_with_backoff(beleid, groningen, smtp_server,
                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        bericht = send(beleid, groningen)
    smtp_server.refuse(451)
    before = timezone.now()
    run_worker()
    bericht.refresh_from_db()
    assert bericht.status == Bericht.Status.WACHT and bericht.attempts == 1
    assert "451" in bericht.last_error and smtp_server.messages == []
    wait = bericht.next_attempt_at - before
    assert notifications.BACKOFF[0] <= wait < notifications.BACKOFF[0] + datetime.timedelta(
        seconds=30)
    [retry] = DBTaskResult.objects.filter(task_path="core.tasks.verstuur_bericht",
                                          status="READY")
    assert retry.run_after == bericht.next_attempt_at
    run_worker()  # not due yet: nothing happens
    bericht.refresh_from_db()
    assert bericht.attempts == 1

    smtp_server.accept()
    # Time passes: the retry becomes due.
    Bericht.objects.filter(pk=bericht.pk).update(next_attempt_at=timezone.now())
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    bericht.refresh_from_db()
    assert bericht.status == Bericht.Status.VERZONDEN and bericht.attempts == 2
    assert len(smtp_server.messages) == 1


def test_permanent_refusal_fails_at_once(beleid, groningen, smtp_server,
                                         django_capture_on_commit_callbacks):
    smtp_server.refuse(550)
    with django_capture_on_commit_callbacks(execute=True):
        bericht = send(beleid, groningen)
    run_worker()
    bericht.refresh_from_db()
    assert bericht.status == Bericht.Status.MISLUKT and "550" in bericht.last_error
    assert queued() == []


def test_unreachable_server_gives_up_after_the_last_attempt(beleid, groningen, smtp_server):
    smtp_server.controller.stop()  # nothing listens on the port any more
    smtp_server.controller.start = lambda: None
    smtp_server.controller.stop = lambda: None
    bericht = send(beleid, groningen)
    now = timezone.now()
    for attempt in range(1, notifications.MAX_ATTEMPTS + 1):
        status = notifications.deliver(bericht.pk, now)
        bericht.refresh_from_db()
        assert bericht.attempts == attempt and "Connection" in bericht.last_error
        if attempt < notifications.MAX_ATTEMPTS:
            assert status == Bericht.Status.WACHT
            assert notifications.deliver(bericht.pk, now) == ""  # not due yet
            now = bericht.next_attempt_at
    assert status == Bericht.Status.MISLUKT


def test_user_without_address_gets_the_in_site_message_only(demo_user, groningen,
                                                            django_capture_on_commit_callbacks):
    raad = demo_user("groningen", "raad")
    raad.email = ""
    raad.save()
    with django_capture_on_commit_callbacks(execute=True):
        bericht = send(raad, groningen)
    assert bericht.status == Bericht.Status.ALLEEN_SITE and queued() == []
    assert raad.berichten.filter(read_at__isnull=True).get() == bericht


def test_address_without_account(groningen, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        bericht = notify(gemeente=groningen, kind="test.ouder", subject="Antwoord op uw idee",
                         body="Het antwoord staat klaar.", email="ouder@example.org")
    run_worker()
    bericht.refresh_from_db()
    assert bericht.user is None and bericht.status == Bericht.Status.VERZONDEN
    assert [m["To"] for m in smtp_server.messages] == ["ouder@example.org"]


def test_preference_per_kind(beleid, groningen):
    BerichtVoorkeur.objects.create(user=beleid, kind="test.digest",
                                   wijze=BerichtVoorkeur.Wijze.DIGEST)
    BerichtVoorkeur.objects.create(user=beleid, kind="test.stil",
                                   wijze=BerichtVoorkeur.Wijze.GEEN)
    assert send(beleid, groningen, kind="test.digest").status == Bericht.Status.DIGEST
    assert send(beleid, groningen, kind="test.stil").status == Bericht.Status.ALLEEN_SITE
    assert send(beleid, groningen, kind="test.anders").status == Bericht.Status.WACHT


def test_notify_once_writes_one_message_per_key(beleid, groningen):
    fields = {"gemeente": groningen, "kind": "test.herinnering", "subject": "Herinnering",
              "body": "Nog drie dagen.", "user": beleid}
    assert notify_once(key="test:1", **fields) is not None
    assert notify_once(key="test:1", **fields) is None
    assert Bericht.objects.filter(key="test:1").count() == 1


def test_lost_task_is_caught_by_the_safety_net(beleid, groningen, smtp_server):
    bericht = send(beleid, groningen)  # no on-commit callback ran: the task was never queued
    assert notifications.deliver_due() == 0  # younger than a minute: its task may yet come
    later = timezone.now() + datetime.timedelta(minutes=2)
    assert notifications.deliver_due(later) == 1
    bericht.refresh_from_db()
    assert bericht.status == Bericht.Status.VERZONDEN and len(smtp_server.messages) == 1


def test_notify_needs_a_recipient(groningen):
    with pytest.raises(ValueError):
        notify(gemeente=groningen, kind="test", subject="x", body="y")


def test_old_messages_are_deleted_after_a_year(beleid, groningen):
    Bericht.objects.all().delete()  # the demo's own messages (plans flow) are not this test's
    old = send(beleid, groningen)
    waiting = send(beleid, groningen, kind="test.digest")
    Bericht.objects.filter(pk=old.pk).update(status=Bericht.Status.VERZONDEN)
    Bericht.objects.filter(pk=waiting.pk).update(status=Bericht.Status.DIGEST)
    later = timezone.now() + notifications.BEWAARTERMIJN + datetime.timedelta(days=1)
    assert notifications.purge_old(later) == 1
    assert not Bericht.objects.filter(pk=old.pk).exists()
    assert Bericht.objects.filter(pk=waiting.pk).exists()  # not sent yet: kept
