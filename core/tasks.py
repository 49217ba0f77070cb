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
