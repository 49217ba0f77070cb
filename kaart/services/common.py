"""What the parts of kaart.services share: the messages through the outbox (`KINDS`, `meld`)
and whether an actor is a partner of an object's organisatie."""

from django.utils.translation import gettext_lazy as _l

from core import policy
from core.notifications import notify, notify_once


def is_partner_van(actor, obj) -> bool:
    return any(m.role == "partner" and m.gemeente_id == obj.gemeente_id
               and m.organisatie_id in obj.policy_organisatie_ids()
               for m in policy.memberships(actor))


KINDS = {
    "kaart.wijziging": _l("Sociale kaart: wijzigingsverzoeken"),
    "kaart.melding": _l("Sociale kaart: meldingen 'Klopt er iets niet?'"),
    "kaart.melding-antwoord": _l("Sociale kaart: antwoord op een melding"),
    "kaart.controle": _l("Sociale kaart: aanbod controleren"),
    "kaart.escalatie": _l("Sociale kaart: controles en meldingen over de termijn"),
}


def ontvangers(gemeente, *, redacteur=False, organisatie=None, user=None):
    from core.models import Membership, Role

    users = [user] if user is not None else []
    if redacteur:
        users += [m.user for m in Membership.objects.filter(
            gemeente=gemeente, role=Role.BELEIDSMEDEWERKER).select_related("user")]
    if organisatie is not None:
        users += [m.user for m in Membership.objects.filter(
            gemeente=gemeente, role=Role.PARTNER, organisatie=organisatie).select_related("user")]
    return list(dict.fromkeys(users))


def meld(gemeente, kind, subject, body, *, obj=None, redacteur=False, organisatie=None,
          user=None, email="", url="", key=""):
    """Messages through the outbox (core.notifications) to the redacteuren, the partners of an
    organisatie, a user and/or an e-mail address. With `key`: at most once (notify_once)."""
    targets = [{"user": u} for u in ontvangers(gemeente, redacteur=redacteur,
                                                 organisatie=organisatie, user=user)]
    if email:
        targets.append({"email": email})
    for target in targets:
        common = {"gemeente": gemeente, "kind": kind, "subject": subject, "body": body,
                  "obj": obj, "url": url, **target}
        if key:
            who = target.get("user").pk if "user" in target else target["email"]
            notify_once(key=f"{key}:{who}", **common)
        else:
            notify(**common)
