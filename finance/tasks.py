"""Scheduled work of finance (core/scheduler.py)."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from core.scheduler import periodic
from finance import herinneringen


@periodic("10 6 * * *", label=_("Herinneringen en escalaties voor verantwoordingen"))
@task()
def herinner_verantwoordingen():
    return herinneringen.herinner_verantwoordingen()


@periodic("20 6 * * *", label=_("Herinneringen en escalaties voor beslistermijnen"))
@task()
def herinner_beslistermijnen():
    return herinneringen.herinner_beslistermijnen()
