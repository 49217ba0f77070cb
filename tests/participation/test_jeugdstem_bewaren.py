"""Retention of what children sent in "Jouw stem", on a frozen clock: the e-mail address goes
once the answer was sent, and at the latest N days after submitting; the child's own text of a
closed item is anonymised N months after closing. N per gemeente (Instelling)."""

import datetime

import pytest
import time_machine
from django.core import mail

from core import scheduler
from core.models import Bericht
from participation import services, tasks
from participation.models import Instelling, Inzending
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

# In UTC: "N days" are N times 24 hours, also across the change to summer time.
START = datetime.datetime(2031, 3, 3, 9, 0, tzinfo=datetime.UTC)


def at(days=0, **kwargs):
    return time_machine.travel(START + datetime.timedelta(days=days, **kwargs), tick=False)


def emails(*inzendingen):
    return [Inzending.objects.get(pk=i.pk).email for i in inzendingen]


def test_the_address_goes_after_the_answer_was_sent_or_after_n_days(
        groningen, demo_user, django_capture_on_commit_callbacks):
    beleid = demo_user("groningen", "beleid")
    with at(), django_capture_on_commit_callbacks(execute=True):
        beantwoord, _c = services.dien_inzending_in(groningen, soort="idee", onderwerp="A",
                                                    tekst="A", email="a@example.org")
        open_, _c = services.dien_inzending_in(groningen, soort="idee", onderwerp="B",
                                               tekst="B", email="b@example.org")
    with at(days=1):
        run_worker()  # the tracking codes are sent
        assert services.wis_inzending_emails() == {"inzending_emails": 0}
    with at(days=5), django_capture_on_commit_callbacks(execute=True):
        services.beantwoord(beleid, beantwoord, "Antwoord")
    with at(days=5, minutes=1):
        # The answer waits in the outbox: the address is still needed.
        assert services.wis_inzending_emails() == {"inzending_emails": 0}
        run_worker()
        assert any(m.to == ["a@example.org"] and "Antwoord" in m.body for m in mail.outbox)
        assert services.wis_inzending_emails() == {"inzending_emails": 1}
    assert emails(beantwoord, open_) == ["", "b@example.org"]
    # Not in the outbox either: neither the address nor the code in the message's text.
    for b in Bericht.objects.filter(object_id=str(beantwoord.pk),
                                    kind__startswith="participation.inzending_"):
        assert b.email == "" and "volgcode" not in b.body.lower()
    assert Bericht.objects.get(kind="participation.inzending_volgcode",
                               object_id=str(open_.pk)).email == "b@example.org"
    # Open and unanswered: kept until 60 days (the default) after submitting, then gone.
    with at(days=59, hours=23):
        services.wis_inzending_emails()
    assert emails(open_) == ["b@example.org"]
    with at(days=60):
        assert tasks.purge_participation_data.call()["inzending_emails"] == 1
    assert emails(open_) == [""]
    # The answer, when it comes, is not mailed: there is no address any more.
    with at(days=61):
        services.beantwoord(beleid, Inzending.objects.get(pk=open_.pk), "Laat antwoord")
    assert not Bericht.objects.filter(kind="participation.inzending_antwoord",
                                      object_id=str(open_.pk)).exists()


def test_the_e_mail_period_is_set_per_gemeente(groningen, assen):
    Instelling.objects.update_or_create(gemeente=assen,
                                        defaults={"email_bewaartermijn_dagen": 7})
    with at():
        g, _c = services.dien_inzending_in(groningen, soort="idee", onderwerp="G", tekst="G",
                                           email="g@example.org")
        a, _c = services.dien_inzending_in(assen, soort="idee", onderwerp="A", tekst="A",
                                           email="a@example.org")
    with at(days=7):
        assert services.wis_inzending_emails() == {"inzending_emails": 1}
    assert emails(g, a) == ["g@example.org", ""]


def test_childrens_texts_are_anonymised_n_months_after_closing(groningen, demo_user, client):
    beleid = demo_user("groningen", "beleid")
    Instelling.objects.update_or_create(gemeente=groningen,
                                        defaults={"anonimiseren_na_maanden": 6})
    with at():
        gesloten, code = services.dien_inzending_in(
            groningen, soort="idee", onderwerp="Sanne's idee",
            tekst="Ik ben Sanne uit groep 7. Een skatebaan!", openbaar=True)
        nog_open, _c = services.dien_inzending_in(groningen, soort="idee", onderwerp="Open",
                                                  tekst="Nog open")
        services.keur_goed(beleid, gesloten, publiek_onderwerp="Een skatebaan",
                           publieke_tekst="Een skatebaan!")
        services.beantwoord(beleid, Inzending.objects.get(pk=gesloten.pk), "Goed idee.")
        services.sluit_af(beleid, Inzending.objects.get(pk=gesloten.pk))
    # Six months after 3 March is 3 September (10:00 in Groningen, 11:00 in summer time).
    with at(days=183, hours=-1):
        assert services.anonimiseer_inzendingen() == {"inzending_teksten": 0}
    with at(days=184):
        assert services.anonimiseer_inzendingen() == {"inzending_teksten": 1}
        assert services.anonimiseer_inzendingen() == {"inzending_teksten": 0}  # once
    gesloten.refresh_from_db()
    assert gesloten.tekst == "" and "Sanne" not in gesloten.onderwerp
    assert gesloten.onderwerp == "Een skatebaan" and gesloten.volgcode_hash == ""
    assert gesloten.geanonimiseerd_op == START + datetime.timedelta(days=184)
    assert Inzending.objects.get(pk=nog_open.pk).tekst == "Nog open"
    # The approved public text and the answer stay public; the code no longer finds it.
    page = client.get("/groningen/jouw-stem/").content.decode()
    assert "Een skatebaan!" in page and "Goed idee." in page and "Sanne" not in page
    assert services.zoek_inzending(groningen, code) is None


def test_retention_runs_on_a_schedule():
    jobs = {job.name: job for job in scheduler.jobs()}
    assert jobs["participation.tasks.wis_inzending_emails"].schedule == "45 * * * *"
    assert jobs["participation.tasks.purge_participation_data"].schedule == "15 3 * * *"
    assert jobs["participation.tasks.wis_inzending_emails"].task is tasks.wis_inzending_emails
