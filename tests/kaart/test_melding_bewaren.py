"""The address of whoever reports something on the kaart ("Klopt er iets niet?") is deleted
once the answer is given and sent, and at the latest N days after the report (N per gemeente,
KaartInstelling.melding_email_dagen, default 60), by a scheduled job. Frozen clock."""

import datetime

import pytest
import time_machine
from django.core import mail

from core import notifications, scheduler
from core.models import AuditEntry, Bericht
from kaart import services, tasks
from kaart.models import KaartInstelling, Melding
from tests.kaart.helpers import aanbod
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

START = datetime.datetime(2031, 3, 3, 9, 0, tzinfo=datetime.UTC)


def at(days=0, **kwargs):
    return time_machine.travel(START + datetime.timedelta(days=days, **kwargs), tick=False)


def emails(*meldingen):
    return [Melding.objects.get(pk=m.pk).email for m in meldingen]


def antwoordbericht(melding):
    return Bericht.objects.get(kind="kaart.melding-antwoord", object_id=str(melding.pk))


def test_the_address_goes_with_the_answer_and_after_n_days_per_gemeente(
        groningen, assen, demo_user, django_capture_on_commit_callbacks):
    KaartInstelling.objects.update_or_create(gemeente=assen,
                                             defaults={"melding_email_dagen": 7})
    with at():
        beantwoord = services.meld_fout(aanbod(groningen, "Zwemles"), tekst="De tijd klopt niet.",
                                        email="ouder@example.org")
        open_g = services.meld_fout(aanbod(groningen, "Judo"), tekst="Het adres klopt niet.",
                                    email="kind@example.org")
        open_a = services.meld_fout(aanbod(assen, "Voetbal"), tekst="Verhuisd naar de hal.",
                                    email="assen@example.org")
    with at(days=2), django_capture_on_commit_callbacks(execute=True):
        services.beantwoord_melding(demo_user("groningen", "beleid"), beantwoord,
                                    "Dank u, we hebben de tijd aangepast.")
    # On the report at once; in the outbox the answer waits to be sent and keeps it.
    assert emails(beantwoord) == [""]
    with at(days=2, minutes=1):
        assert services.wis_melding_emails() == {"melding_emails": 0, "berichten": 0}
        assert antwoordbericht(beantwoord).email == "ouder@example.org"
        run_worker()
        assert [m.to for m in mail.outbox if "tijd aangepast" in m.body] == [
            ["ouder@example.org"]]
        assert services.wis_melding_emails() == {"melding_emails": 0, "berichten": 1}
    assert antwoordbericht(beantwoord).email == ""
    # Open reports: Assen keeps the address 7 days, Groningen the default 60.
    with at(days=7, seconds=-1):
        services.wis_melding_emails()
    assert emails(open_g, open_a) == ["kind@example.org", "assen@example.org"]
    with at(days=7):
        assert tasks.wis_melding_emails.call() == {"melding_emails": 1, "berichten": 0}
    assert emails(open_g, open_a) == ["kind@example.org", ""]
    with at(days=59, hours=23):
        services.wis_melding_emails()
    assert emails(open_g) == ["kind@example.org"]
    with at(days=60):
        assert services.wis_melding_emails()["melding_emails"] == 1
    assert emails(open_g) == [""]
    # Answered later, there is no address to mail it to.
    with at(days=61), django_capture_on_commit_callbacks(execute=True):
        services.beantwoord_melding(demo_user("groningen", "beleid"),
                                    Melding.objects.get(pk=open_g.pk), "Aangepast.")
    assert not Bericht.objects.filter(kind="kaart.melding-antwoord",
                                      object_id=str(open_g.pk)).exists()


def test_an_answer_still_waiting_after_the_period_is_not_sent(
        groningen, demo_user, django_capture_on_commit_callbacks):
    with at():
        melding = services.meld_fout(aanbod(groningen, "Zwemles"), tekst="De tijd klopt niet.",
                                     email="ouder@example.org")
    with at(days=59, hours=23), django_capture_on_commit_callbacks(execute=False):
        services.beantwoord_melding(demo_user("groningen", "beleid"), melding, "Aangepast.")
    assert antwoordbericht(melding).status == Bericht.Status.WACHT
    with at(days=60):
        assert services.wis_melding_emails() == {"melding_emails": 0, "berichten": 1}
    bericht = antwoordbericht(melding)
    assert bericht.email == "" and bericht.status == Bericht.Status.MISLUKT
    mail.outbox.clear()
    with at(days=60, minutes=5):
        assert notifications.deliver(bericht.pk) == ""  # the worker's task finds nothing
        notifications.deliver_due()  # nor does the safety net
    assert not mail.outbox


def test_the_job_runs_hourly():
    job = {j.name: j for j in scheduler.jobs()}["kaart.tasks.wis_melding_emails"]
    assert job.schedule == "55 * * * *" and job.task is tasks.wis_melding_emails


def test_the_audit_log_keeps_neither_the_address_nor_the_text(groningen, demo_user):
    melding = services.meld_fout(aanbod(groningen, "Zwemles"), tekst="Ik ben Sanne, 06-12345678",
                                 email="sanne@example.org")
    services.beantwoord_melding(demo_user("groningen", "beleid"), melding, "Aangepast.")
    entries = AuditEntry.objects.filter(content_type__model="melding", object_id=str(melding.pk))
    assert [e.action for e in entries.order_by("at", "pk")] == ["create", "update"]
    for entry in entries:
        assert "sanne" not in str(entry.before).lower() + str(entry.after).lower()
    assert entries.get(action="update").after["antwoord"] == "Aangepast."
