"""Reminders before, escalation after, for the subsidy deadlines (scheduled in
finance/tasks.py):

- verantwoording: HERINNER_DAGEN days before it is due (finance.attention.
  verantwoording_uiterlijk) the partners of the organisatie get a reminder; once it is overdue
  the beleidsmedewerkers get an escalation;
- beslistermijn: HERINNER_DAGEN days before `uiterste_beslisdatum` of an aanvraag that waits
  for a decision the beleidsmedewerkers get a reminder; once it has passed, an escalation.

Each message is sent once per aanvraag, deadline and recipient (notify_once), however often the
job runs.
"""

import datetime

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Role
from core.notifications import notify_once, register_kind
from core.selectors import users_with_role
from finance.attention import verantwoording_uiterlijk
from finance.models import Aanvraag

HERINNER_DAGEN = 14

register_kind("finance.verantwoording_herinnering",
              gettext_lazy("Herinnering: verantwoording indienen"))
register_kind("finance.verantwoording_escalatie",
              gettext_lazy("Verantwoording te laat"))
register_kind("finance.beslistermijn_herinnering",
              gettext_lazy("Herinnering: beslistermijn van een aanvraag loopt af"))
register_kind("finance.beslistermijn_escalatie",
              gettext_lazy("Beslistermijn van een aanvraag verstreken"))


def send(step, aanvraag, deadline, users, subject, body) -> int:
    return sum(bool(notify_once(
        key=f"finance.{step}:{aanvraag.pk}:{deadline.isoformat()}:{user.pk}",
        gemeente=aanvraag.gemeente, kind=f"finance.{step}", user=user, obj=aanvraag,
        subject=subject, body=body, url=aanvraag.get_absolute_url())) for user in users)


def herinner_verantwoordingen(today=None) -> int:
    today = today or timezone.localdate()
    written = 0
    due = (Aanvraag.objects.filter(status=Aanvraag.Status.VERLEEND,
                                   verantwoording__isnull=True)
           .annotate(laatste_jaar=Max("jaren__jaar")).filter(laatste_jaar__isnull=False)
           .select_related("gemeente").order_by("pk"))
    for aanvraag in due:
        deadline = verantwoording_uiterlijk(aanvraag.laatste_jaar)
        names = {"nummer": aanvraag.nummer, "titel": aanvraag.titel,
                 "datum": deadline.strftime("%d-%m-%Y")}
        if deadline < today:
            written += send(
                "verantwoording_escalatie", aanvraag, deadline,
                users_with_role(aanvraag.gemeente, Role.BELEIDSMEDEWERKER),
                _("Verantwoording te laat: %(nummer)s %(titel)s") % names,
                _("De verantwoording van %(nummer)s %(titel)s moest uiterlijk %(datum)s "
                  "binnen zijn en is er nog niet.") % names)
        elif deadline - datetime.timedelta(days=HERINNER_DAGEN) <= today \
                and aanvraag.organisatie_id:
            written += send(
                "verantwoording_herinnering", aanvraag, deadline,
                users_with_role(aanvraag.gemeente, Role.PARTNER,
                                organisatie_ids=[aanvraag.organisatie_id]),
                _("Verantwoording indienen voor %(datum)s: %(nummer)s %(titel)s") % names,
                _("Dien de verantwoording van %(nummer)s %(titel)s uiterlijk %(datum)s in.")
                % names)
    return written


def herinner_beslistermijnen(today=None) -> int:
    today = today or timezone.localdate()
    written = 0
    grens = today + datetime.timedelta(days=HERINNER_DAGEN)
    waiting = (Aanvraag.objects.filter(status__in=Aanvraag.OPEN,
                                       uiterste_beslisdatum__lte=grens)
               .select_related("gemeente").order_by("pk"))
    for aanvraag in waiting:
        deadline = aanvraag.uiterste_beslisdatum
        names = {"nummer": aanvraag.nummer, "titel": aanvraag.titel,
                 "datum": deadline.strftime("%d-%m-%Y")}
        users = users_with_role(aanvraag.gemeente, Role.BELEIDSMEDEWERKER)
        if deadline < today:
            written += send(
                "beslistermijn_escalatie", aanvraag, deadline, users,
                _("Beslistermijn verstreken: %(nummer)s %(titel)s") % names,
                _("Op %(nummer)s %(titel)s moest uiterlijk %(datum)s besloten zijn. "
                  "Neem zo snel mogelijk een besluit.") % names)
        else:
            written += send(
                "beslistermijn_herinnering", aanvraag, deadline, users,
                _("Besluiten voor %(datum)s: %(nummer)s %(titel)s") % names,
                _("De beslistermijn van %(nummer)s %(titel)s loopt af op %(datum)s.") % names)
    return written
