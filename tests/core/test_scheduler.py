"""Periodic jobs: declared in code, handed to the worker once per slot by one scheduler (a
lease), their last run recorded for the jobs page."""

import datetime
import io
import re
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from core import scheduler
from core.models import GeplandeTaak
from tests.worker import run_worker

pytestmark = pytest.mark.django_db
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")


@task()
def kapotte_taak():
    raise RuntimeError("de bron is onbereikbaar")


@pytest.fixture
def kapot():
    job = scheduler.periodic("0 * * * *", label="Kapotte taak")(kapotte_taak)
    yield job
    scheduler.JOBS.pop(kapotte_taak.module_path)


def enqueued(name):
    return DBTaskResult.objects.filter(task_path=name).count()


def test_participation_jobs_are_declared_with_a_schedule():
    jobs = {job.name: job for job in scheduler.jobs()}
    assert jobs["participation.tasks.purge_participation_data"].schedule == "15 3 * * *"
    assert jobs["participation.tasks.escalate_overdue"].schedule == "0 7 * * *"
    assert "core.tasks.verstuur_wachtende_berichten" in jobs


def test_each_slot_is_handed_over_once():
    purge = "participation.tasks.purge_participation_data"
    t0 = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=AMS)
    assert purge in scheduler.tick(t0)  # never ran: runs at once
    assert purge not in scheduler.tick(t0 + datetime.timedelta(minutes=1))
    assert enqueued(purge) == 1
    assert purge not in scheduler.tick(datetime.datetime(2026, 3, 3, 3, 14, tzinfo=AMS))
    assert purge in scheduler.tick(datetime.datetime(2026, 3, 3, 3, 15, tzinfo=AMS))
    assert purge not in scheduler.tick(datetime.datetime(2026, 3, 3, 3, 16, tzinfo=AMS))
    assert enqueued(purge) == 2
    # The scheduler was down for a week: the missed job runs once, not seven times.
    assert purge in scheduler.tick(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=AMS))
    assert enqueued(purge) == 3
    state = GeplandeTaak.objects.get(name=purge)
    assert state.last_slot == datetime.datetime(2026, 3, 10, 3, 15, tzinfo=AMS)


def test_a_second_scheduler_does_nothing_while_the_first_lives():
    now = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=AMS)
    assert scheduler.acquire_lease("a", now)
    assert not scheduler.acquire_lease("b", now + datetime.timedelta(seconds=30))
    assert scheduler.acquire_lease("a", now + datetime.timedelta(seconds=60))  # renewed
    assert not scheduler.acquire_lease("b", now + datetime.timedelta(seconds=120))
    # "a" stopped renewing: after its lease ran out "b" takes over.
    assert scheduler.acquire_lease("b", now + datetime.timedelta(seconds=60) + scheduler.LEASE
                                   + datetime.timedelta(seconds=1))
    scheduler.release_lease("b")
    assert scheduler.lease_holder() is None


def test_run_scheduler_once_waits_when_another_holds_the_lease():
    assert scheduler.acquire_lease("elders")
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert "Een andere planner draait al (elders)" in out.getvalue()
    assert not DBTaskResult.objects.exists()
    scheduler.release_lease("elders")
    call_command("run_scheduler", "--once", stdout=out)
    assert "Klaargezet: participation.tasks.purge_participation_data" in out.getvalue()


def test_worker_records_how_each_job_ended(kapot, client_for):
    scheduler.tick()
    run_worker()
    states = {s.name: s for s in GeplandeTaak.objects.all()}
    purge = states["participation.tasks.purge_participation_data"]
    assert purge.last_status == "SUCCESSFUL" and purge.last_success_at is not None
    broken = states[kapotte_taak.module_path]
    assert broken.last_status == "FAILED" and "de bron is onbereikbaar" in broken.last_error

    page = client_for("groningen", "beleid").get(
        reverse("core:job-list", kwargs={"gemeente": "groningen"}))
    html = page.content.decode()
    assert "Kapotte taak" in html and "mislukt" in html
    assert "RuntimeError: de bron is onbereikbaar" in html
    assert "Persoonsgegevens van kinderen verwijderen na de bewaartermijn" in html
    assert "De planner draait nu niet" in html


def test_expired_sessions_are_cleared_by_the_scheduler():
    """A session expires SESSION_COOKIE_AGE (8 hours) after its last change; the scheduler
    hands `clearsessions` to the worker every hour, so an expired session (a child's on a
    shared school computer) leaves the database within the hour. Frozen clock."""
    job = "core.tasks.ruim_sessies_op"
    assert {j.name: j for j in scheduler.jobs()}[job].schedule == "50 * * * *"
    start = datetime.datetime(2031, 3, 3, 9, 0, tzinfo=AMS)

    def nieuwe_sessie():
        store = SessionStore()
        store["participation.nieuwe_volgcode"] = "ABCD"
        store.create()
        return store.session_key

    with time_machine.travel(start, tick=False):
        oud = nieuwe_sessie()  # expires at 17:00
    with time_machine.travel(start + datetime.timedelta(hours=2), tick=False):
        jong = nieuwe_sessie()  # expires at 19:00
    assert settings.SESSION_COOKIE_AGE == 8 * 3600

    def bestaat(key):
        return Session.objects.filter(session_key=key).exists()

    with time_machine.travel(start + datetime.timedelta(hours=8, minutes=30), tick=False):
        assert job in scheduler.tick()  # never ran: runs at once
        run_worker()
    assert not bestaat(oud) and bestaat(jong)
    with time_machine.travel(start + datetime.timedelta(hours=8, minutes=49), tick=False):
        assert job not in scheduler.tick()  # its slot (16:50) has been handed over
    with time_machine.travel(start + datetime.timedelta(hours=10, minutes=5), tick=False):
        assert job in scheduler.tick()  # the 18:50 slot
        run_worker()
    assert not bestaat(jong)
    assert GeplandeTaak.objects.get(name=job).last_status == "SUCCESSFUL"


def test_make_run_and_the_production_setup_start_the_scheduler():
    """No hand-made cron: `make run` starts Procfile.dev, whose processes include the worker and
    the scheduler; the README's production setup names both."""
    root = Path(__file__).resolve().parents[2]
    procs = dict(line.split(":", 1) for line in (root / "Procfile.dev").read_text().splitlines()
                 if line and not line.startswith("#"))
    assert "manage.py run_scheduler" in procs["scheduler"]
    assert "manage.py db_worker" in procs["worker"] and "'*'" in procs["worker"]
    run = re.search(r"^run:.*?(?=^\S)", (root / "Makefile").read_text(), re.M | re.S).group(0)
    assert "honcho -f Procfile.dev start" in run
    readme = (root / "README.md").read_text()
    assert "`python manage.py run_scheduler`" in readme
    assert "`python manage.py db_worker --queue-name '*'`" in readme
