"""Public reports ("Klopt er iets niet?"): a visitor's melding, the answer to it, and wiping
the visitor's e-mail address after its retention period."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import policy
from core.audit import record, snapshot
from core.models import AuditEntry, Bericht
from core.retention import per_period
from kaart.models import KaartInstelling, Melding
from kaart.services.common import meld

_WACHTEND = [Bericht.Status.WACHT, Bericht.Status.BEZIG, Bericht.Status.DIGEST]


def werkdagen_later(day: datetime.date, n: int) -> datetime.date:
    while n:
        day += datetime.timedelta(days=1)
        if day.isoweekday() <= 5:
            n -= 1
    return day


@transaction.atomic
def meld_fout(aanbod, *, tekst: str, email: str = ""):
    """A visitor reports that something is wrong. Provider and redacteur are told; the answer
    is due within the gemeente's number of working days (default 10)."""
    tekst = (tekst or "").strip()
    if len(tekst) < 5:
        raise ValidationError(_("Schrijf kort op wat er niet klopt."))
    instelling = KaartInstelling.voor(aanbod.gemeente)
    melding = Melding(gemeente=aanbod.gemeente, aanbod=aanbod, tekst=tekst[:2000], email=email,
                      antwoord_voor=werkdagen_later(timezone.localdate(),
                                                    instelling.melding_werkdagen))
    melding.full_clean()
    melding.save()
    record(None, AuditEntry.Action.CREATE, melding, None, _melding_snapshot(melding))
    onderwerp = _("Melding over %(naam)s") % {"naam": aanbod.naam}
    body = _("Iemand meldt dat er iets niet klopt:\n\n%(tekst)s\n\nAntwoord uiterlijk "
             "%(datum)s.") % {"tekst": melding.tekst,
                              "datum": melding.antwoord_voor.strftime("%d-%m-%Y")}
    meld(aanbod.gemeente, "kaart.melding", onderwerp, body, obj=melding, redacteur=True,
          organisatie=aanbod.organisatie, url=melding.get_absolute_url())
    return melding


@transaction.atomic
def beantwoord_melding(actor, melding, antwoord: str):
    if not (antwoord or "").strip():
        raise ValidationError(_("Schrijf een antwoord."))
    melding = Melding.objects.select_for_update().get(pk=melding.pk)
    if not (policy.can(actor, policy.CHANGE, melding)):
        raise PermissionDenied(_("U mag deze melding niet beantwoorden."))
    if melding.status == Melding.Status.BEANTWOORD:
        raise ValidationError(_("Deze melding is al beantwoord."))
    before = _melding_snapshot(melding)
    melding.status = Melding.Status.BEANTWOORD
    melding.antwoord = antwoord.strip()
    melding.beantwoord_door, melding.beantwoord_op = actor, timezone.now()
    melding.save()
    record(actor, AuditEntry.Action.UPDATE, melding, before, _melding_snapshot(melding))
    if melding.email:
        meld(melding.gemeente, "kaart.melding-antwoord",
              _("Antwoord op uw melding over %(naam)s") % {"naam": melding.aanbod.naam},
              melding.antwoord, obj=melding, email=melding.email)
    # The e-mail address was only kept to answer: it goes now (data minimisation).
    Melding.objects.filter(pk=melding.pk).update(email="")
    return melding


def _melding_snapshot(melding):
    """For the append-only audit log: without what the reporter wrote and their address (the
    address must go after its retention period, docs/privacy.md)."""
    return {k: v for k, v in snapshot(melding).items() if k not in ("tekst", "email")}


def wis_melding_emails(now=None) -> dict:
    """The address of whoever reported something (maybe a parent or a child) is kept only to
    answer: it goes from the report when the answer is given (beantwoord_melding), from the
    outbox once that answer was sent, and at the latest the gemeente's melding_email_dagen
    after the report, answered or not (an answer still waiting is then not sent). One UPDATE
    per distinct period (core.retention). Scheduled: kaart.tasks.wis_melding_emails."""
    now = now or timezone.now()
    antwoorden = Bericht.objects.filter(kind="kaart.melding-antwoord").exclude(email="")
    telling = {"melding_emails": 0, "berichten": antwoorden.exclude(
        status__in=_WACHTEND).update(email="")}
    for dagen, gemeenten in per_period(KaartInstelling.objects, "melding_email_dagen",
                                       KaartInstelling().melding_email_dagen):
        oud = Melding.objects.filter(gemeenten, ingediend_op__lte=now
                                     - datetime.timedelta(days=dagen))
        with transaction.atomic():
            telling["melding_emails"] += oud.exclude(email="").update(email="")
            telling["berichten"] += antwoorden.filter(
                object_id__in=oud.values(pk_tekst=Cast("pk", CharField()))).update(
                email="", status=Bericht.Status.MISLUKT, next_attempt_at=None,
                last_error=gettext_noop("e-mailadres gewist (bewaartermijn)"))
    return telling
