"""Every write of youth voices ("Jouw stem"): a child submits an idea, question or advice; staff
assign, answer, follow up and close it; overdue items are escalated. One transaction each,
permission-checked where an account acts, audited with a redacted snapshot."""

import datetime

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core import policy
from core.models import AuditEntry, Membership, Role
from core.services import save_object
from framework.services import set_doelen
from participation import codes
from participation.models import Inzending
from participation.selectors import instelling_for, te_laat_inzendingen
from participation.services.common import audit, redacted


@transaction.atomic
def dien_inzending_in(gemeente, *, soort, onderwerp, tekst, wijk=None, email="", openbaar=False,
                      adviesronde=None, doel=None, now=None):
    """A child submits an idea, question or advice, optionally with the Klaverblad doel it fits.
    Returns (inzending, volgcode): the tracking code is shown once and stored only as a hash."""
    now = now or timezone.now()
    if adviesronde is not None:
        if adviesronde.gemeente_id != gemeente.pk:
            raise ValidationError(_("Deze adviesronde hoort bij een andere gemeente."))
        if not adviesronde.is_open(timezone.localtime(now).date()):
            raise ValidationError(_("Advies geven bij deze vraag kan niet meer."))
        soort = Inzending.Soort.ADVIES
    termijn = instelling_for(gemeente).antwoordtermijn_dagen
    volgcode = codes.new_code()
    inzending = Inzending(
        gemeente=gemeente, soort=soort, onderwerp=onderwerp.strip(), tekst=tekst.strip(),
        wijk=wijk, email=email.strip(), openbaar=openbaar, adviesronde=adviesronde,
        volgcode_hash=codes.sha256(volgcode),
        deadline=timezone.localtime(now).date() + datetime.timedelta(days=termijn),
        behandelaar_id=adviesronde.behandelaar_id if adviesronde else None)
    inzending.full_clean()
    inzending.save()
    if doel is not None:
        set_doelen(None, inzending, [doel], check_permission=False, audit=False)
    after = redacted(inzending) | {"klaverblad_doelen": [doel.pk] if doel else []}
    audit(None, AuditEntry.Action.CREATE, inzending, None, after)
    return inzending, volgcode


def zoek_inzending(gemeente, typed):
    """The submission of a tracking code in this gemeente, or None."""
    code = codes.normalize(typed)
    if not code:
        return None
    return Inzending.objects.filter(gemeente=gemeente,
                                    volgcode_hash=codes.sha256(code)).first()


def _change(actor, inzending, **changes):
    policy.require(actor, policy.CHANGE, inzending)
    stored = Inzending.objects.select_for_update().get(pk=inzending.pk)
    before = redacted(stored)
    for key, value in changes.items():
        setattr(stored, key, value)
    stored.full_clean()
    stored.save()
    audit(actor, AuditEntry.Action.UPDATE, stored, before, redacted(stored))
    return stored


@transaction.atomic
def wijs_toe(actor, inzending, behandelaar):
    if inzending.gesloten_op:
        raise ValidationError(_("Deze inzending is afgesloten."))
    return _change(actor, inzending, behandelaar=behandelaar)


@transaction.atomic
def beantwoord(actor, inzending, antwoord, now=None):
    """Publish (or correct) the answer. The first answer stops the deadline clock."""
    antwoord = (antwoord or "").strip()
    if not antwoord:
        raise ValidationError({"antwoord": _("Schrijf een antwoord.")})
    if inzending.gesloten_op:
        raise ValidationError(_("Deze inzending is afgesloten."))
    now = now or timezone.now()
    eerste = inzending.beantwoord_op is None
    changes = {"antwoord": antwoord}
    if eerste:
        changes.update(beantwoord_op=now, beantwoord_door=actor)
    if not inzending.behandelaar_id and policy.roles(actor, inzending.gemeente_id) & {
            Role.BELEIDSMEDEWERKER}:
        changes["behandelaar"] = actor
    stored = _change(actor, inzending, **changes)
    _notify_child(stored, "participation/mail/antwoord.txt")
    return stored


@transaction.atomic
def sluit_af(actor, inzending, now=None):
    if not inzending.beantwoord_op:
        raise ValidationError(_("Een inzending kan pas dicht als ze een antwoord heeft."))
    if inzending.gesloten_op:
        raise ValidationError(_("Deze inzending is al afgesloten."))
    if any(a.open for a in inzending.vervolgacties.all()):
        raise ValidationError(_("Er zijn nog vervolgacties die gepland of bezig zijn. Zet ze "
                                "eerst op klaar of gestopt."))
    return _change(actor, inzending, gesloten_op=now or timezone.now())


@transaction.atomic
def voeg_terugkoppeling_toe(actor, terugkoppeling):
    if terugkoppeling.inzending.gesloten_op:
        raise ValidationError(_("Deze inzending is afgesloten."))
    saved = save_object(actor, terugkoppeling)
    _notify_child(terugkoppeling.inzending, "participation/mail/terugkoppeling.txt")
    return saved


@transaction.atomic
def save_vervolgactie(actor, actie):
    if actie.inzending.gesloten_op:
        raise ValidationError(_("Deze inzending is afgesloten."))
    return save_object(actor, actie)


def _notify_child(inzending, template):
    if inzending.email:
        transaction.on_commit(lambda: send_mail(
            subject=_("Er is nieuws over je %(soort)s") % {"soort": inzending.get_soort_display()},
            message=render_to_string(template, {"inzending": inzending,
                                                "gemeente": inzending.gemeente}),
            from_email=None, recipient_list=[inzending.email]))


def escaleer_te_laat(gemeente=None, actor=None, now=None):
    """Flag every unanswered submission past its deadline that was not escalated yet, and
    e-mail the beleidsmedewerkers of its gemeente. Returns the number escalated."""
    now = now or timezone.now()
    if actor is not None:
        policy.require(actor, policy.CHANGE, Inzending(gemeente=gemeente))
    qs = te_laat_inzendingen(gemeente, timezone.localtime(now).date()).filter(
        geescaleerd_op__isnull=True).select_related("gemeente", "behandelaar")
    per_gemeente = {}
    with transaction.atomic():
        for inzending in qs.select_for_update(of=("self",)):
            before = redacted(inzending)
            inzending.geescaleerd_op = now
            inzending.save(update_fields=["geescaleerd_op"])
            audit(actor, AuditEntry.Action.UPDATE, inzending, before, redacted(inzending))
            per_gemeente.setdefault(inzending.gemeente, []).append(inzending)
    for g, items in per_gemeente.items():
        ontvangers = sorted({m.user.email for m in Membership.objects.select_related("user")
                             .filter(gemeente=g, role=Role.BELEIDSMEDEWERKER)
                             if m.user.email})
        if ontvangers:
            send_mail(
                subject=_("%(n)s inzendingen van kinderen zonder antwoord na de termijn")
                % {"n": len(items)},
                message=render_to_string("participation/mail/escalatie.txt",
                                         {"gemeente": g, "inzendingen": items}),
                from_email=None, recipient_list=ontvangers)
    return sum(len(v) for v in per_gemeente.values())


def save_adviesronde(actor, ronde):
    return save_object(actor, ronde)


# ---------------------------------------------------------------------------------------------
# Retention
# ---------------------------------------------------------------------------------------------

def wis_inzending_emails(now=None):
    """Delete the submitter's e-mail address the gemeente's bewaartermijn (30 days by default)
    after a submission was closed. Returns counts per kind."""
    now = now or timezone.now()
    counts = {"inzending_emails": 0}
    for inzending in (Inzending.objects.exclude(email="").filter(gesloten_op__isnull=False)
                      .select_related("gemeente")):
        dagen = instelling_for(inzending.gemeente).bewaartermijn_dagen
        if inzending.gesloten_op + datetime.timedelta(days=dagen) <= now:
            Inzending.objects.filter(pk=inzending.pk).update(email="")
            counts["inzending_emails"] += 1
    return counts
