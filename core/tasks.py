"""Background jobs of core (django-tasks): sending the outbox."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from core.scheduler import periodic

# Finished task results are kept this long (the jobs page reads its own record, not these).
TASK_RESULTS_KEPT = datetime.timedelta(days=14)


@task()
def verstuur_bericht(bericht_id: int):
    """Send one outbox message by e-mail (core.notifications.deliver)."""
    from core import notifications

    return notifications.deliver(bericht_id)


@periodic("*/5 * * * *", label=_("Berichten versturen die nog wachten (vangnet)"))
@task()
def verstuur_wachtende_berichten():
    """Send messages whose task was lost or whose retry is due (the safety net)."""
    from core import notifications

    return notifications.deliver_due()


@periodic("30 2 * * *", label=_("Oude resultaten van achtergrondtaken opruimen"))
@task()
def ruim_taakresultaten_op():
    """Delete finished task results older than TASK_RESULTS_KEPT (the queue table grows by
    one row per message and per job run)."""
    from django_tasks_db.models import DBTaskResult

    deleted, _ = DBTaskResult.objects.finished().filter(
        finished_at__lt=timezone.now() - TASK_RESULTS_KEPT).delete()
    return deleted


@periodic("30 7 * * *", label=_("Dagoverzicht van berichten e-mailen"))
@task()
def verstuur_dagoverzichten():
    """One e-mail per person who chose the daily digest for some kinds of message."""
    from core import notifications

    return notifications.send_digests()


@periodic("40 * * * *", label=_("Verlopen voorbeelden van imports opruimen"))
@task()
def ruim_importvoorbeelden_op():
    """Delete staged import files whose preview was never confirmed (core.imports)."""
    from core import imports

    return imports.delete_expired_staged()


@periodic("45 2 * * *", label=_("Berichten ouder dan een jaar verwijderen"))
@task()
def ruim_berichten_op():
    """The outbox keeps addresses (e.g. a parent's); it is not an archive."""
    from core import notifications

    return notifications.purge_old()


@periodic("50 * * * *", label=_("Verlopen sessies verwijderen"))
@task()
def ruim_sessies_op():
    """Django's `clearsessions`, hourly: a session (also a child's on a shared school
    computer) leaves the database within the hour after it expired (SESSION_COOKIE_AGE)."""
    from django.contrib.sessions.models import Session
    from django.core.management import call_command

    verlopen = Session.objects.filter(expire_date__lt=timezone.now()).count()
    call_command("clearsessions")
    return verlopen
