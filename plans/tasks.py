"""Scheduled work of plans (core/scheduler.py)."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from core.scheduler import periodic
from plans import herinneringen


@periodic("0 6 * * *", label=_("Herinneringen en escalaties voor voortgangsrapportages"))
@task()
def herinner_rapportages():
    return herinneringen.herinner_en_escaleer_rapportages()
