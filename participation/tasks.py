"""Scheduled work of participation (django-tasks), declared with its schedule
(core/scheduler.py): `manage.py run_scheduler` hands each to the worker on time. The management
commands (`purge_participation_data`, `mix_ballots`) still run them by hand."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from core.scheduler import periodic


@periodic("15 3 * * *", label=_("Persoonsgegevens van kinderen verwijderen na de bewaartermijn"))
@task()
def purge_participation_data():
    """Delete children's personal data past its retention period (see services)."""
    from participation import services

    return services.wis_persoonsgegevens()


@periodic("0 7 * * *", label=_("Inzendingen zonder antwoord na de termijn escaleren"))
@task()
def escalate_overdue():
    """Flag and report youth voices that passed their answer deadline."""
    from participation import services

    return services.escaleer_te_laat()


@periodic("* * * * *", label=_("Stembiljetten van lopende verkiezingen door elkaar schudden"))
@task()
def mix_ballots():
    """Shuffle the ballots of running elections (ballot secrecy, see services.meng_stemmen)."""
    from participation import services

    return sum(services.meng_alle_stemmen().values())
