"""Scheduled work of participation (django-tasks), declared with its schedule
(core/scheduler.py): `manage.py run_scheduler` hands each to the worker on time. The management
command `purge_participation_data` still runs the purge by hand."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from core.scheduler import periodic
from participation import herinneringen


@periodic("15 3 * * *", label=_("Persoonsgegevens van kinderen verwijderen na de bewaartermijn"))
@task()
def purge_participation_data():
    """Delete children's personal data past its retention period (see services)."""
    from participation import services

    return services.wis_persoonsgegevens()


@periodic("45 * * * *", label=_("E-mailadressen van kinderen wissen na het antwoord"))
@task()
def wis_inzending_emails():
    """Hourly, so a child's e-mail address goes within the hour after the answer was sent
    (also part of the daily purge_participation_data)."""
    from participation import services

    return services.wis_inzending_emails()


@periodic("30 3 * * *", label=_("Gegevens van kandidaten die niet gewonnen hebben verwijderen"))
@task()
def wis_kandidaatgegevens():
    """Delete losing candidates' surname, photo and motivation after their retention period
    (services.wis_verliezende_kandidaten)."""
    from participation import services

    return services.wis_verliezende_kandidaten()


@periodic("35 3 * * *", label=_("Gegevens van kinderburgemeester en loco verwijderen na hun "
                                 "jaar"))
@task()
def wis_gegevens_kinderburgemeester():
    """Delete the kinderburgemeester's and the loco's surname, photo, motivation and parent's
    contact data after their term (services.wis_gegevens_na_termijn)."""
    from participation import services

    return services.wis_gegevens_na_termijn()


@periodic("0 7 * * *", label=_("Inzendingen zonder antwoord na de termijn escaleren"))
@task()
def escalate_overdue():
    """Flag and report youth voices that passed their answer deadline."""
    from participation import services

    return services.escaleer_te_laat()


@periodic("30 6 * * *", label=_("Herinneringen: kinderen wachten op antwoord"))
@task()
def herinner_antwoorden():
    """Remind who must answer a child's idea, question or advice, before the deadline."""
    return herinneringen.herinner_antwoorden()
