"""Retention of what children sent in "Jouw stem", on a frozen clock: the e-mail address goes
once the answer was sent, and at the latest N days after submitting; the child's own text of a
closed item is anonymised N months after closing. N per gemeente (Instelling)."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import scheduler
from core.models import AuditEntry, Bericht, Gemeente
from participation import herinneringen, services, tasks
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


def _stuur_in(gemeente, n, **extra):
    return [services.dien_inzending_in(gemeente, soort="idee", onderwerp=f"Idee {i}",
                                       tekst="Een idee.", **extra)[0] for i in range(n)]


def _queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return result, len(ctx.captured_queries)


def test_several_gemeenten_with_different_periods_in_bulk(groningen, assen):
    """Three gemeenten, three periods (one stored as 7 days, one as 30, one without settings:
    the default 60). Each run does a fixed number of statements per period, however many
    submissions are due: 12 at once cost what 1 costs."""
    dorp = Gemeente.objects.create(cbs_code="GM9902", naam="Testdorp", slug="testdorp")
    Instelling.objects.update_or_create(gemeente=assen,
                                        defaults={"email_bewaartermijn_dagen": 7})
    Instelling.objects.update_or_create(gemeente=groningen,
                                        defaults={"email_bewaartermijn_dagen": 30})
    with at():
        a = _stuur_in(assen, 12, email="a@example.org")
        g = _stuur_in(groningen, 1, email="g@example.org")
        d = _stuur_in(dorp, 2, email="d@example.org")
    with at(days=7, seconds=-1):
        assert services.wis_inzending_emails() == {"inzending_emails": 0}
    with at(days=7):
        result, twaalf = _queries(services.wis_inzending_emails)
    assert result == {"inzending_emails": 12}
    assert set(emails(*a)) == {""} and emails(*g, *d) == ["g@example.org"] + ["d@example.org"] * 2
    assert all(b.email == "" for b in Bericht.objects.filter(object_id__in=[str(i.pk) for i in a]))
    with at(days=30):
        result, een = _queries(services.wis_inzending_emails)
    assert result == {"inzending_emails": 1} and een == twaalf
    assert emails(*g, *d) == ["", "d@example.org", "d@example.org"]
    with at(days=60):
        assert services.wis_inzending_emails() == {"inzending_emails": 2}
    assert emails(*d) == ["", ""]
    assert Bericht.objects.filter(email__in=["a@example.org", "g@example.org",
                                             "d@example.org"]).count() == 0


def test_anonymising_several_gemeenten_with_different_periods_in_bulk(groningen, assen):
    dorp = Gemeente.objects.create(cbs_code="GM9903", naam="Testdorp", slug="testdorp")
    Instelling.objects.update_or_create(gemeente=assen, defaults={"anonimiseren_na_maanden": 1})
    Instelling.objects.update_or_create(gemeente=groningen,
                                        defaults={"anonimiseren_na_maanden": 3})
    with at():
        a, g, d = _stuur_in(assen, 12), _stuur_in(groningen, 1), _stuur_in(dorp, 2)
        Inzending.objects.filter(pk__in=[i.pk for i in a + g + d]).update(gesloten_op=START)
        Inzending.objects.filter(pk=a[0].pk).update(publiek_onderwerp="Een skatebaan")

    def teksten(items):
        return [Inzending.objects.get(pk=i.pk).tekst for i in items]

    # 3 March 10:00 in Groningen; one month later is 3 April 11:00 (summer time).
    with at(days=31, hours=-1, seconds=-1):
        assert services.anonimiseer_inzendingen() == {"inzending_teksten": 0}
    with at(days=31, hours=-1):
        result, twaalf = _queries(services.anonimiseer_inzendingen)
    assert result == {"inzending_teksten": 12} and set(teksten(a)) == {""}
    assert teksten(g + d) == ["Een idee."] * 3
    onderwerpen = [Inzending.objects.get(pk=i.pk).onderwerp for i in a[:2]]
    assert onderwerpen == ["Een skatebaan", "Idee"]
    assert AuditEntry.objects.filter(
        content_type__model="inzending", object_id__in=[str(i.pk) for i in a],
        action=AuditEntry.Action.UPDATE, after__geanonimiseerd_op__isnull=False).count() == 12
    with at(days=92, hours=-1):  # 3 June
        result, een = _queries(services.anonimiseer_inzendingen)
    assert result == {"inzending_teksten": 1} and een == twaalf
    assert teksten(d) == ["Een idee.", "Een idee."]
    with at(days=366):  # 3 March 2032 (a leap year), 10:00 winter time again
        assert services.anonimiseer_inzendingen() == {"inzending_teksten": 2}
    assert teksten(d) == ["", ""]


def test_staff_reminders_keep_their_address_and_lose_the_childs_subject(groningen, demo_user):
    beleid = demo_user("groningen", "beleid")
    with at():
        inzending, _c = services.dien_inzending_in(groningen, soort="idee",
                                                   onderwerp="Sanne uit groep 7",
                                                   tekst="Een skatebaan.", email="s@example.org")
    with at(days=26):  # shortly before the deadline (28 days): a reminder to staff
        assert herinneringen.herinner_antwoorden() >= 1
    herinnering = Bericht.objects.get(kind="participation.antwoord_herinnering",
                                      object_id=str(inzending.pk), user=beleid)
    assert "Sanne" in herinnering.subject and herinnering.email == beleid.email
    with at(days=27):
        services.beantwoord(beleid, Inzending.objects.get(pk=inzending.pk), "Antwoord")
        services.sluit_af(beleid, Inzending.objects.get(pk=inzending.pk))
    with at(days=60):
        services.wis_inzending_emails()
    herinnering.refresh_from_db()
    assert herinnering.email == beleid.email and "Een kind wacht" in herinnering.body
    assert Bericht.objects.get(kind="participation.inzending_volgcode",
                               object_id=str(inzending.pk)).email == ""
    with at(days=27 + 366):
        assert services.anonimiseer_inzendingen()["inzending_teksten"] >= 1
    herinnering.refresh_from_db()
    assert "Sanne" not in herinnering.subject
    assert not Bericht.objects.filter(object_id=str(inzending.pk),
                                      subject__contains="Sanne").exists()
