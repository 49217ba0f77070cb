"""Periodic jobs, declared in code with their schedule, run by one scheduler process.

An app declares a job in its `<app>/tasks.py`: a plain service function does the work, a
django-tasks task wraps it, and `periodic` gives it a cron schedule (in the site's time zone,
Europe/Amsterdam) and a Dutch label for the jobs page:

    from django.utils.translation import gettext_lazy as _
    from django_tasks import task

    from core.scheduler import periodic

    @periodic("15 3 * * *", label=_("Persoonsgegevens verwijderen na de bewaartermijn"))
    @task()
    def purge_participation_data():
        from participation import services
        return services.purge_personal_data()

`manage.py run_scheduler` imports every app's `tasks` module, and each minute hands every job
whose slot has come to the task worker (`manage.py db_worker`), which runs it. Only one
scheduler works at a time: it holds a lease (one row, `SchedulerLease`) that it renews while it
lives; a second scheduler finds it held and waits, and takes over only when the first stops
renewing. A slot is handed over once (a conditional UPDATE on `GeplandeTaak.last_slot`), also if
two schedulers raced. A scheduler that was down runs each missed job once when it comes back,
not once per missed slot.

Why not django-crontask or django-scheduled-tasks: both need Python 3.12+ (and Django 6's
`django.tasks`); this project runs Python 3.11 with the django-tasks backport. The cron
expressions are evaluated by `cronsim` (the evaluator of healthchecks.io).
"""

import datetime
import logging
from dataclasses import dataclass

from cronsim import CronSim
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from core.models import GeplandeTaak, SchedulerLease

logger = logging.getLogger(__name__)

LEASE = datetime.timedelta(seconds=90)
LEASE_NAME = "scheduler"


@dataclass(frozen=True)
class Job:
    name: str  # the task's module path, e.g. "participation.tasks.purge_participation_data"
    task: object  # a django_tasks.Task
    schedule: str  # a cron expression in the site's time zone
    label: str


JOBS: dict[str, Job] = {}


def periodic(schedule: str, *, label=""):
    """Register a django-tasks task as a periodic job (see the module docstring)."""
    CronSim(schedule, timezone.localtime())  # a wrong expression fails at import, not at 3am

    def register(task):
        JOBS[task.module_path] = Job(task.module_path, task, schedule,
                                     label or task.name)
        return task

    return register


def jobs() -> list[Job]:
    """Every declared job (importing each app's tasks module once)."""
    autodiscover_modules("tasks")
    return sorted(JOBS.values(), key=lambda job: job.name)


def previous_slot(job: Job, now: datetime.datetime) -> datetime.datetime:
    """The latest time at or before `now` that the schedule names."""
    after = timezone.localtime(now).replace(microsecond=0) + datetime.timedelta(seconds=1)
    return next(CronSim(job.schedule, after, reverse=True))


def next_slot(job: Job, now: datetime.datetime) -> datetime.datetime:
    return next(CronSim(job.schedule, timezone.localtime(now)))


def tick(now=None) -> list[str]:
    """Hand every job whose slot has come to the worker, once per slot. Returns their names."""
    now = now or timezone.now()
    handed = []
    states = {s.name: s for s in GeplandeTaak.objects.all()}
    for job in jobs():
        slot = previous_slot(job, now)
        state = states.get(job.name)
        if state is None:
            try:
                with transaction.atomic():
                    state = GeplandeTaak.objects.create(name=job.name)
            except IntegrityError:
                state = GeplandeTaak.objects.get(name=job.name)
        if state.last_slot is not None and state.last_slot >= slot:
            continue
        with transaction.atomic():
            unchanged = (Q(last_slot__isnull=True) if state.last_slot is None
                         else Q(last_slot=state.last_slot))
            if not GeplandeTaak.objects.filter(unchanged, pk=state.pk).update(
                    last_slot=slot, last_enqueued_at=now):
                continue  # another scheduler handed this slot over just now
            result = job.task.enqueue()
            GeplandeTaak.objects.filter(pk=state.pk).update(last_result_id=str(result.id))
        handed.append(job.name)
        logger.info("scheduler: %s klaargezet (%s)", job.name, slot.isoformat())
    return handed


def acquire_lease(holder: str, now=None) -> bool:
    """Take or renew the scheduler's lease; False when another living scheduler holds it."""
    now = now or timezone.now()
    if SchedulerLease.objects.filter(
            Q(holder=holder) | Q(expires_at__lt=now), name=LEASE_NAME,
    ).update(holder=holder, expires_at=now + LEASE):
        return True
    try:
        with transaction.atomic():
            SchedulerLease.objects.create(name=LEASE_NAME, holder=holder,
                                          expires_at=now + LEASE)
    except IntegrityError:
        return False
    return True


def release_lease(holder: str) -> None:
    SchedulerLease.objects.filter(name=LEASE_NAME, holder=holder).delete()


def lease_holder(now=None):
    now = now or timezone.now()
    return SchedulerLease.objects.filter(name=LEASE_NAME, expires_at__gte=now).first()


def record_started(sender=None, *, task_result, **kwargs) -> None:
    """Signal receiver (core.apps): a periodic job began running in the worker."""
    name = task_result.task.module_path
    if name in JOBS:
        GeplandeTaak.objects.filter(name=name).update(last_started_at=task_result.started_at
                                                      or timezone.now())


def record_finished(sender=None, *, task_result, **kwargs) -> None:
    """Signal receiver (core.apps): a periodic job ended; keep how, for the jobs page."""
    name = task_result.task.module_path
    if name not in JOBS:
        return
    finished = task_result.finished_at or timezone.now()
    if task_result.status == "SUCCESSFUL":
        GeplandeTaak.objects.filter(name=name).update(
            last_finished_at=finished, last_status="SUCCESSFUL", last_error="",
            last_success_at=finished)
    else:
        error = task_result.errors[-1].traceback if task_result.errors else ""
        GeplandeTaak.objects.filter(name=name).update(
            last_finished_at=finished, last_status="FAILED", last_failure_at=finished,
            last_error=error[-4000:])


@dataclass
class JobStatus:
    job: Job
    state: GeplandeTaak | None
    next_run: datetime.datetime

    @property
    def failed(self) -> bool:
        return bool(self.state and self.state.last_status == "FAILED")

    @property
    def error_line(self) -> str:
        """The exception's own line (the last of the traceback), not the whole traceback."""
        lines = (self.state.last_error if self.state else "").strip().splitlines()
        return lines[-1][:300] if lines else ""


def job_statuses(now=None) -> list[JobStatus]:
    """Each job with when it last ran, how that ended, and when it runs next."""
    now = now or timezone.now()
    states = {s.name: s for s in GeplandeTaak.objects.all()}
    return [JobStatus(job, states.get(job.name), next_slot(job, now)) for job in jobs()]
