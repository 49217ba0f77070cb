"""Scheduled work of the sociale kaart (core/scheduler.py): reminders to providers before the
review date, and escalation to the redacteur of overdue checks and unanswered reports."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from core.scheduler import periodic


@periodic("30 6 * * *", label=_("Sociale kaart: aanbieders herinneren aan hun controle"))
@task()
def herinner_aanbieders():
    from kaart import services

    return services.herinner_aanbieders()


@periodic("45 6 * * 1-5", label=_("Sociale kaart: te late controles en meldingen escaleren"))
@task()
def escaleer():
    from kaart import services

    return services.escaleer()


@periodic("55 * * * *", label=_("Sociale kaart: e-mailadressen bij meldingen wissen"))
@task()
def wis_melding_emails():
    """Hourly, so a reporter's address leaves the outbox within the hour after the answer
    was sent (services.wis_melding_emails)."""
    from kaart import services

    return services.wis_melding_emails()


@periodic("15 5 * * *", label=_("Sociale kaart: aandeel actueel aanbod naar de monitor"))
@task()
def bereken_indicator():
    from kaart import indicator

    return indicator.bereken_alle()
