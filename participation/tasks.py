"""Scheduled work of participation (django-tasks). Cron (or any scheduler) runs
`manage.py purge_participation_data` daily, which enqueues or runs these."""

from django_tasks import task


@task()
def purge_participation_data():
    """Delete children's personal data past its retention period (see services)."""
    from participation import services

    return services.wis_persoonsgegevens()


@task()
def escalate_overdue():
    """Flag and report youth voices that passed their answer deadline."""
    from participation import services

    return services.escaleer_te_laat()


@task()
def mix_ballots():
    """Shuffle the ballots of running elections (ballot secrecy, see services.meng_stemmen)."""
    from participation import services

    return sum(services.meng_alle_stemmen().values())
