"""Background jobs of core (django-tasks): sending the outbox."""

from django_tasks import task


@task()
def verstuur_bericht(bericht_id: int):
    """Send one outbox message by e-mail (core.notifications.deliver)."""
    from core import notifications

    return notifications.deliver(bericht_id)


@task()
def verstuur_wachtende_berichten():
    """Send messages whose task was lost or whose retry is due (the safety net)."""
    from core import notifications

    return notifications.deliver_due()
