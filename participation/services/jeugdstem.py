"""Every write of youth voices ("Jouw stem"): a child submits an idea, question or advice; staff
assign, answer, follow up and close it; overdue items are escalated. One transaction each,
permission-checked where an account acts, audited with a redacted snapshot."""

import calendar
import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, CharField, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Cast, Coalesce, NullIf
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import policy
from core.models import AuditEntry, Bericht, Role
from core.notifications import notify
from core.retention import per_period
from core.selectors import users_with_role
from core.services import delete_object, save_object
from framework.selectors import klaverblad_doelen
from framework.services import set_doelen
from participation import codes, persoonsgegevens
from participation.codes import pretty
from participation.models import Instelling, Inzending, Kinderthema
from participation.models.common import (
    DEFAULT_ANONIMISEREN_NA_MAANDEN,
    DEFAULT_EMAIL_BEWAARTERMIJN_DAGEN,
)
from participation.selectors import instelling_for, te_laat_inzendingen
from participation.services.common import audit, audit_entry, redacted


@transaction.atomic
def dien_inzending_in(gemeente, *, soort, onderwerp, tekst, gebied=None, thema=None, email="",
                      openbaar=False, adviesronde=None, now=None):
    """A child submits an idea, question or advice, optionally with the theme (a Klaverblad
    doel in children's words) and the gebied it is about. Returns (inzending, volgcode): the
    tracking code is shown once, stored only as a hash, and e-mailed when the child gave an
    address. Nothing of it is public until staff approved a public text (keur_goed)."""
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
        gebied=gebied, thema=thema, email=email.strip(), openbaar=openbaar,
        adviesronde=adviesronde, volgcode_hash=codes.sha256(volgcode), ontvangen_op=now,
        deadline=timezone.localtime(now).date() + datetime.timedelta(days=termijn),
        behandelaar_id=adviesronde.behandelaar_id if adviesronde else None)
    if not inzending.tekst:
        raise ValidationError({"tekst": _("Schrijf je bericht.")})
    inzending.full_clean()
    inzending.save()
    if thema is not None:
        set_doelen(None, inzending, [thema.doel], check_permission=False, audit=False)
    after = redacted(inzending) | {"klaverblad_doelen": [thema.doel_id] if thema else []}
    audit(None, AuditEntry.Action.CREATE, inzending, None, after)
    if inzending.email:
        _mail_kind(inzending, "volgcode", _("Je volgcode: zo volg je je bericht"),
                   volgcode=pretty(volgcode))
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
    """Publish (or correct) the answer. The first answer stops the deadline clock and is
    e-mailed to the child (once; a correction is not mailed again)."""
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
    if eerste and stored.email:
        _mail_kind(stored, "antwoord", _("Je hebt antwoord op je bericht"))
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
    if terugkoppeling.inzending.email:
        _mail_kind(terugkoppeling.inzending, "terugkoppeling",
                   _("Er is nieuws over je bericht"))
    return saved


@transaction.atomic
def save_vervolgactie(actor, actie):
    if actie.inzending.gesloten_op:
        raise ValidationError(_("Deze inzending is afgesloten."))
    return save_object(actor, actie)


def _mail_kind(inzending, template, subject, **context):
    """A message to the child who gave an e-mail address (no account: e-mail only), through
    the outbox, in the caller's transaction. A2 Dutch. The link goes to the tracking page,
    never to the message itself: reading it takes the code."""
    gemeente = inzending.gemeente
    return notify(gemeente=gemeente, kind=f"participation.inzending_{template}",
                  subject=subject, email=inzending.email, obj=inzending,
                  body=render_to_string(f"participation/mail/{template}.txt",
                                        {"inzending": inzending, "gemeente": gemeente,
                                         **context}),
                  url=reverse("participation:publiek-volgen",
                              kwargs={"gemeente": gemeente.slug}))


# ---------------------------------------------------------------------------------------------
# Moderation: nothing a child wrote is public before staff approved the public text
# ---------------------------------------------------------------------------------------------

def signalen(inzending):
    """Likely personal data in what the child wrote (persoonsgegevens.signaleer)."""
    return persoonsgegevens.signaleer(inzending.onderwerp, inzending.tekst)


@transaction.atomic
def keur_goed(actor, inzending, *, publiek_onderwerp, publieke_tekst, ondanks_signalen=False,
              now=None):
    """Approve the public version of a child's message (edited by staff as needed). Refused
    while it still looks like it holds personal data, unless the moderator confirms it does
    not. Only for a message the child agreed to publish."""
    publiek_onderwerp = (publiek_onderwerp or "").strip()
    publieke_tekst = (publieke_tekst or "").strip()
    if not inzending.openbaar:
        raise ValidationError(_("Het kind wil niet dat dit bericht openbaar is."))
    if inzending.spam_op or inzending.geanonimiseerd_op:
        raise ValidationError(_("Dit bericht kan niet meer openbaar worden."))
    errors = {}
    if not publiek_onderwerp:
        errors["publiek_onderwerp"] = _("Schrijf een onderwerp.")
    if not publieke_tekst:
        errors["publieke_tekst"] = _("Schrijf de openbare tekst.")
    if errors:
        raise ValidationError(errors)
    gevonden = persoonsgegevens.signaleer(publiek_onderwerp, publieke_tekst)
    if gevonden and not ondanks_signalen:
        raise ValidationError(
            _("Er staan misschien nog persoonsgegevens in de openbare tekst: %(lijst)s. Pas de "
              "tekst aan, of vink aan dat het geen persoonsgegevens zijn.")
            % {"lijst": "; ".join(f"{s.label} \u201c{s.tekst}\u201d" for s in gevonden)})
    return _change(actor, inzending, publiek_onderwerp=publiek_onderwerp,
                   publieke_tekst=publieke_tekst, goedgekeurd_op=now or timezone.now(),
                   goedgekeurd_door=actor)


@transaction.atomic
def verberg(actor, inzending, verborgen=True, now=None):
    """Take an approved message off the public pages (or put it back)."""
    return _change(actor, inzending,
                   verborgen_op=(now or timezone.now()) if verborgen else None)


@transaction.atomic
def markeer_als_spam(actor, inzending, now=None):
    """Close a message without an answer: it is no longer open, overdue or on anyone's list
    of things to do, and never public. No answer will be mailed, so the e-mail address goes
    now."""
    if inzending.spam_op:
        raise ValidationError(_("Dit bericht is al als spam gemarkeerd."))
    now = now or timezone.now()
    stored = _change(actor, inzending, spam_op=now, gesloten_op=inzending.gesloten_op or now,
                     email="")
    _wis_adressen_in_berichten([stored.pk])
    return stored


@transaction.atomic
def delete_inzending(actor, inzending):
    """Delete a message with everything of it: the child's original and the public text,
    follow-up, check-ins, Klaverblad tags and its e-mails in the outbox."""
    policy.require(actor, policy.DELETE, inzending)
    stored = Inzending.objects.select_for_update().get(pk=inzending.pk)
    audit(actor, AuditEntry.Action.DELETE, stored, redacted(stored), None)
    _berichten(stored).delete()
    stored.delete()


def _berichten(inzending):
    return Bericht.objects.filter(content_type=ContentType.objects.get_for_model(Inzending),
                                  object_id=str(inzending.pk))


def _wis_adressen_in_berichten(inzending_ids):
    """The children's addresses leave the outbox too: the messages to the children about these
    submissions (sent to an address, no account) lose address and text (the tracking code is
    in it), and one still waiting is not sent any more. Two UPDATEs for any number of
    submissions. Messages to staff about them (reminders) keep theirs."""
    berichten = _berichten_over(inzending_ids).filter(user__isnull=True)
    berichten.filter(status__in=_WACHTEND).update(
        status=Bericht.Status.MISLUKT, next_attempt_at=None,
        last_error=gettext_noop("e-mailadres gewist (bewaartermijn)"))
    berichten.update(email="", body=_("Deze tekst is gewist: het e-mailadres van het kind is "
                                      "niet meer bewaard."))


def _berichten_over(inzending_ids):
    return Bericht.objects.filter(content_type=ContentType.objects.get_for_model(Inzending),
                                  object_id__in=[str(pk) for pk in inzending_ids])


def escaleer_te_laat(gemeente=None, actor=None, now=None):
    """Flag every unanswered submission past its deadline that was not escalated yet, and
    tell the beleidsmedewerkers of its gemeente (outbox). Returns the number escalated; the
    flag makes it once per submission."""
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
            # In the outbox, in this transaction: every beleidsmedewerker, also one without
            # an e-mail address (in-site message); the raad and the coördinator see overdue
            # voices on their home page (participation/attention.py).
            for user in users_with_role(g, Role.BELEIDSMEDEWERKER):
                notify(gemeente=g, kind="participation.antwoord_escalatie", user=user,
                       subject=_("%(n)s inzendingen van kinderen zonder antwoord na de termijn")
                       % {"n": len(items)},
                       body=render_to_string("participation/mail/escalatie.txt",
                                             {"gemeente": g, "inzendingen": items}),
                       url=reverse("participation:te-laat", kwargs={"gemeente": g.slug}))
    return sum(len(v) for v in per_gemeente.values())


def save_adviesronde(actor, ronde):
    return save_object(actor, ronde)


@transaction.atomic
def save_kinderthemas(actor, gemeente, teksten):
    """Set the children's words for the doelen of the current Klaverblad: {doel: tekst}, in
    the order given; an empty text removes the doel from the children's form. Each change is
    audited (save_object / delete_object)."""
    huidig = {t.doel_id: t for t in Kinderthema.objects.filter(gemeente=gemeente)}
    toegestaan = set(klaverblad_doelen(gemeente).values_list("pk", flat=True))
    for volgorde, (doel, tekst) in enumerate(teksten.items(), start=1):
        if doel.pk not in toegestaan:
            raise ValidationError(_("Dit doel hoort niet bij het Klaverblad van deze gemeente."))
        tekst = (tekst or "").strip()
        thema = huidig.get(doel.pk)
        if not tekst:
            if thema is not None:
                delete_object(actor, thema)
            continue
        if thema is None:
            thema = Kinderthema(gemeente=gemeente, doel=doel)
        elif thema.tekst == tekst and thema.volgorde == volgorde:
            continue
        thema.tekst, thema.volgorde = tekst, volgorde
        save_object(actor, thema)


# ---------------------------------------------------------------------------------------------
# Retention
# ---------------------------------------------------------------------------------------------

_WACHTEND = [Bericht.Status.WACHT, Bericht.Status.BEZIG, Bericht.Status.DIGEST]
_BATCH = 500  # ids per statement (SQLite allows 32766 parameters, PostgreSQL 65535)


def wis_inzending_emails(now=None):
    """Delete a child's e-mail address (on the submission and in the outbox) once the answer
    has been sent, and at the latest the gemeente's email_bewaartermijn_dagen after the
    submission, answered or not. In bulk: per distinct period one SELECT of the ids and one
    UPDATE of the submissions and of their messages per batch (core.retention). Returns
    counts per kind."""
    now = now or timezone.now()
    wachtend = Bericht.objects.filter(
        content_type=ContentType.objects.get_for_model(Inzending),
        object_id=Cast(OuterRef("pk"), CharField()), status__in=_WACHTEND)
    verstuurd = Q(beantwoord_op__isnull=False) & ~Exists(wachtend)
    gewist = 0
    for dagen, gemeenten in per_period(Instelling.objects, "email_bewaartermijn_dagen",
                                       DEFAULT_EMAIL_BEWAARTERMIJN_DAGEN):
        verlopen = Q(ontvangen_op__lte=now - datetime.timedelta(days=dagen))
        with transaction.atomic():
            ids = list(Inzending.objects.filter(gemeenten, verlopen | verstuurd)
                       .exclude(email="").select_for_update().values_list("pk", flat=True))
            for batch in _batches(ids, _BATCH):
                Inzending.objects.filter(pk__in=batch).update(email="")
                _wis_adressen_in_berichten(batch)
        gewist += len(ids)
    return {"inzending_emails": gewist}


def anonimiseer_inzendingen(now=None):
    """The gemeente's anonimiseren_na_maanden after an item was closed, what the child wrote
    is deleted: the original text, the subject (replaced by the approved public one), the
    address and the tracking code (the message can no longer be followed). The approved
    public text, the answer and the follow-up stay. In bulk, per distinct period: one SELECT,
    then per batch one UPDATE of the submissions, a few of their messages and one INSERT of
    the (redacted) audit entries. Returns counts per kind."""
    now = now or timezone.now()
    soort = {value: str(label).capitalize() for value, label in Inzending.Soort.choices}
    # The child's subject gives way to the approved public one, else the kind ("Idee").
    onderwerp = Coalesce(NullIf("publiek_onderwerp", Value("")),
                         Case(*[When(soort=value, then=Value(label))
                                for value, label in soort.items()],
                              default=Value(""), output_field=CharField()))
    gewist = 0
    for maanden, gemeenten in per_period(Instelling.objects, "anonimiseren_na_maanden",
                                         DEFAULT_ANONIMISEREN_NA_MAANDEN):
        grens = _before_month_after(timezone.localtime(now), maanden)
        with transaction.atomic():
            rijen = list(Inzending.objects.filter(gemeenten, gesloten_op__lt=grens,
                                                  geanonimiseerd_op__isnull=True)
                         .select_for_update())
            rijen = [r for r in rijen
                     if add_months(timezone.localtime(r.gesloten_op), maanden) <= now]
            for batch in _batches(rijen, _BATCH):
                ids = [r.pk for r in batch]
                Inzending.objects.filter(pk__in=ids).update(
                    tekst="", onderwerp=onderwerp, email="", volgcode_hash="",
                    geanonimiseerd_op=now)
                _wis_adressen_in_berichten(ids)
                # A reminder to staff carries the child's subject in its own.
                _berichten_over(ids).filter(user__isnull=False).update(
                    subject=_("Herinnering over een bericht van een kind (geanonimiseerd)"))
                entries = []
                for inzending in batch:
                    before = redacted(inzending)
                    inzending.geanonimiseerd_op = now
                    entries.append(audit_entry(None, AuditEntry.Action.UPDATE, inzending,
                                               before, redacted(inzending)))
                AuditEntry.objects.bulk_create(entries)
        gewist += len(rijen)
    return {"inzending_teksten": gewist}


def _batches(items, size=_BATCH):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _before_month_after(moment, months):
    """The start of the month after the one `months` before `moment`: every item closed
    before it may be due (add_months clamps to the month's end, so whether one closed in that
    month itself is due is decided per item)."""
    month = moment.month - 1 - months + 1
    year, month = moment.year + month // 12, month % 12 + 1
    return moment.replace(year=year, month=month, day=1, hour=0, minute=0, second=0,
                          microsecond=0)


def add_months(moment, months):
    """The same day `months` later (the last day of a shorter month)."""
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
