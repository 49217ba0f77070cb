"""Reminders before, escalation after, for the quarterly progress reports (scheduled in
plans/tasks.py):

- HERINNER_DAGEN days before a quarter ends, the gebiedscoördinator and the partners who trek
  an activiteit without a report for that quarter get one reminder listing them;
- after the quarter, the stuurgroep of the gebied gets one escalation listing the activiteiten
  that did not report, and the coördinator a copy.

Each message is sent once (notify_once, keyed by quarter and recipient), however often the job
runs.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Role
from core.notifications import notify_once, register_kind
from core.periods import KWARTAAL, Periode
from core.selectors import users_with_role
from plans import selectors

HERINNER_DAGEN = 14

register_kind("plans.rapportage_herinnering",
              gettext_lazy("Herinnering: voortgang rapporteren over het kwartaal"))
register_kind("plans.rapportage_escalatie",
              gettext_lazy("Activiteiten zonder voortgangsrapportage na het kwartaal"))


def zonder_rapportage(kwartaal: Periode):
    return (selectors.zonder_rapportage(kwartaal)
            .select_related("gemeente", "versie__wijkplan__gebied", "trekker")
            .order_by("gemeente_id", "versie__wijkplan__gebied_id", "naam", "pk"))


def lijst(activiteiten) -> str:
    return "\n".join(f"- {a.naam} ({a.versie.wijkplan.gebied})" for a in activiteiten)


def herinner_en_escaleer_rapportages(today=None) -> int:
    """Both steps for the current and the previous quarter. Returns the messages written."""
    today = today or timezone.localdate()
    kwartaal = Periode.containing(today, KWARTAAL)
    written = 0
    if kwartaal.end - datetime.timedelta(days=HERINNER_DAGEN) <= today:
        written += herinner(kwartaal)
    written += escaleer(kwartaal.previous())
    return written


def per_gebied(kwartaal):
    groups = {}
    for a in zonder_rapportage(kwartaal):
        groups.setdefault((a.gemeente, a.versie.wijkplan.gebied), []).append(a)
    return groups


def herinner(kwartaal: Periode) -> int:
    written = 0
    for (gemeente, gebied), activiteiten in per_gebied(kwartaal).items():
        recipients = {u: activiteiten for u in users_with_role(
            gemeente, Role.GEBIEDSCOORDINATOR, gebied_ids=[gebied.pk])}
        for org_id in {a.trekker_id for a in activiteiten if a.trekker_id}:
            own = [a for a in activiteiten if a.trekker_id == org_id]
            for user in users_with_role(gemeente, Role.PARTNER, organisatie_ids=[org_id]):
                recipients.setdefault(user, own)
        for user, items in recipients.items():
            written += bool(notify_once(
                key=f"plans.rapportage_herinnering:{kwartaal.code}:{gebied.pk}:{user.pk}",
                gemeente=gemeente, kind="plans.rapportage_herinnering", user=user,
                subject=_("Voortgang rapporteren over %(kwartaal)s, uiterlijk %(datum)s") % {
                    "kwartaal": kwartaal.label, "datum": kwartaal.end.strftime("%d-%m-%Y")},
                body=_("Over deze activiteiten is nog niet gerapporteerd voor %(kwartaal)s:"
                       "\n%(lijst)s") % {"kwartaal": kwartaal.label, "lijst": lijst(items)},
                url=reverse("core:gemeente", kwargs={"gemeente": gemeente.slug})))
    return written


def escaleer(kwartaal: Periode) -> int:
    written = 0
    for (gemeente, gebied), activiteiten in per_gebied(kwartaal).items():
        users = [*users_with_role(gemeente, Role.STUURGROEPLID, gebied_ids=[gebied.pk]),
                 *users_with_role(gemeente, Role.GEBIEDSCOORDINATOR, gebied_ids=[gebied.pk])]
        for user in dict.fromkeys(users):
            written += bool(notify_once(
                key=f"plans.rapportage_escalatie:{kwartaal.code}:{gebied.pk}:{user.pk}",
                gemeente=gemeente, kind="plans.rapportage_escalatie", user=user,
                subject=_("%(n)s activiteiten in %(gebied)s zonder voortgang over "
                          "%(kwartaal)s") % {"n": len(activiteiten), "gebied": gebied,
                                            "kwartaal": kwartaal.label},
                body=_("Het kwartaal is voorbij en over deze activiteiten is niet "
                       "gerapporteerd:\n%(lijst)s") % {"lijst": lijst(activiteiten)},
                url=reverse("plans:wijkplan-list", kwargs={"gemeente": gemeente.slug})))
    return written
