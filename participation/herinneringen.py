"""Reminders before the answer deadline of a child's idea, question or advice (scheduled in
participation/tasks.py); the escalation after it is `services.escaleer_te_laat`.

HERINNER_DAGEN days before the deadline the behandelaar (or, while nobody picked it up, every
beleidsmedewerker) gets one reminder per submission (notify_once).
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Role
from core.notifications import notify_once, register_kind
from core.selectors import users_with_role
from participation.models import Inzending

HERINNER_DAGEN = 3

register_kind("participation.antwoord_herinnering",
              gettext_lazy("Herinnering: een kind wacht op antwoord"))
register_kind("participation.antwoord_escalatie",
              gettext_lazy("Berichten van kinderen zonder antwoord na de termijn"))


def herinner_antwoorden(today=None) -> int:
    today = today or timezone.localdate()
    written = 0
    soon = (Inzending.objects.filter(
        beantwoord_op__isnull=True, gesloten_op__isnull=True, deadline__gte=today,
        deadline__lte=today + datetime.timedelta(days=HERINNER_DAGEN))
        .select_related("gemeente", "behandelaar").order_by("pk"))
    for inzending in soon:
        users = ([inzending.behandelaar] if inzending.behandelaar_id
                 else users_with_role(inzending.gemeente, Role.BELEIDSMEDEWERKER))
        for user in users:
            written += bool(notify_once(
                key=f"participation.antwoord_herinnering:{inzending.pk}:"
                    f"{inzending.deadline.isoformat()}:{user.pk}",
                gemeente=inzending.gemeente, kind="participation.antwoord_herinnering",
                user=user, obj=inzending, url=inzending.get_absolute_url(),
                subject=_("Antwoord uiterlijk %(datum)s: %(onderwerp)s") % {
                    "datum": inzending.deadline.strftime("%d-%m-%Y"),
                    "onderwerp": inzending.onderwerp},
                body=_("Een kind wacht op antwoord op dit %(soort)s. Geef het antwoord "
                       "uiterlijk %(datum)s.") % {
                    "soort": inzending.get_soort_display(),
                    "datum": inzending.deadline.strftime("%d-%m-%Y")}))
    return written
