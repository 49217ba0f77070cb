"""The in-site inbox with its unread count, e-mail preferences per kind with the daily digest,
and the gemeente's outbox for the beleidsmedewerker."""

import pytest
from django.urls import reverse

from core import notifications
from core.models import Bericht, BerichtVoorkeur
from core.notifications import notify

pytestmark = pytest.mark.django_db


def url(name, slug="groningen"):
    return reverse(f"core:{name}", kwargs={"gemeente": slug})


def bericht_voor(user, gemeente, subject="Er wacht een aanvraag", kind="test.aanvraag"):
    return notify(gemeente=gemeente, kind=kind, subject=subject, body="Kijk even.",
                  user=user, url="/groningen/")


def test_unread_count_in_the_top_bar_and_marking_read(client_for, demo_user, groningen):
    raad = demo_user("groningen", "raad")
    first = bericht_voor(raad, groningen, "Het wijkplan is vastgesteld")
    bericht_voor(raad, groningen, "Antwoord aan kinderen te laat")
    bericht_voor(demo_user("groningen", "beleid"), groningen, "Niet voor de raad")
    client = client_for("groningen", "raad")
    home = client.get(url("gemeente")).content.decode()
    assert 'class="og-badge">2</span>' in home

    inbox = client.get(url("inbox")).content.decode()
    assert "Het wijkplan is vastgesteld" in inbox and "Niet voor de raad" not in inbox
    client.post(url("inbox"), {"bericht": first.pk})
    first.refresh_from_db()
    assert first.read_at is not None
    assert 'class="og-badge">1</span>' in client.get(url("gemeente")).content.decode()
    client.post(url("inbox"))
    assert 'og-badge' not in client.get(url("gemeente")).content.decode()


def test_nobody_marks_another_users_message(client_for, demo_user, groningen):
    other = bericht_voor(demo_user("groningen", "beleid"), groningen)
    client_for("groningen", "raad").post(url("inbox"), {"bericht": other.pk})
    other.refresh_from_db()
    assert other.read_at is None


def test_preference_digest_sends_one_daily_email(client_for, demo_user, groningen, smtp_server):
    beleid = demo_user("groningen", "beleid")
    beleid.email = "beleid@example.org"
    beleid.save()
    notifications.register_kind("test.aanvraag", "Aanvragen")
    try:
        client = client_for("groningen", "beleid")
        page = client.get(url("bericht-voorkeuren")).content.decode()
        assert "Aanvragen" in page
        client.post(url("bericht-voorkeuren"), {"test.aanvraag": "digest"})
    finally:
        notifications.KINDS.pop("test.aanvraag")
    assert BerichtVoorkeur.objects.get(user=beleid, kind="test.aanvraag").wijze == "digest"

    a = bericht_voor(beleid, groningen, "Aanvraag 1 wacht")
    b = bericht_voor(beleid, groningen, "Aanvraag 2 wacht")
    assert {a.status, b.status} == {Bericht.Status.DIGEST}
    assert notifications.send_digests() == 1
    [message] = smtp_server.messages
    text = message.get_payload(decode=True).decode()
    assert message["To"] == "beleid@example.org" and "2 berichten" in message["Subject"]
    assert "Aanvraag 1 wacht" in text and "Aanvraag 2 wacht" in text
    assert "http://127.0.0.1:8000/groningen/" in text
    assert set(Bericht.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) \
        == {Bericht.Status.VERZONDEN}
    assert notifications.send_digests() == 0  # nothing twice


def test_outbox_shows_what_went_to_whom_and_failures(client_for, demo_user, groningen, assen):
    raad = demo_user("groningen", "raad")
    ok = bericht_voor(raad, groningen, "Onbezorgbaar bericht")
    Bericht.objects.filter(pk=ok.pk).update(status=Bericht.Status.MISLUKT,
                                            last_error="SMTPRecipientsRefused: 550")
    notify(gemeente=assen, kind="test", subject="Bericht in Assen", body="x",
           user=demo_user("assen", "raad"))
    client = client_for("groningen", "beleid")
    page = client.get(url("outbox")).content.decode()
    assert "Onbezorgbaar bericht" in page and "SMTPRecipientsRefused: 550" in page
    assert "Bericht in Assen" not in page
    assert "1 e-mail kon niet worden bezorgd" in page
    failed = client.get(url("outbox") + "?status=mislukt").content.decode()
    assert "Onbezorgbaar bericht" in failed
