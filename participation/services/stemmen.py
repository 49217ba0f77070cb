"""The vote of the kinderburgemeester election: voting codes, the e-mail link, and casting a
vote in the ballot box (participation.stembus). Votes are secret: they leave no audit entry
or anything else that could link them to a voter. Every refusal is a child-friendly
`Melding`."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, connections, router, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import policy
from core.audit import snapshot
from core.models import AuditEntry
from participation import codes, stembus
from participation.models import (
    EmailKiezer,
    Kanaal,
    Kandidaat,
    Stembus,
    Stemcode,
    StemcodeReeks,
    Verkiezing,
    keyed_hash,
)
from participation.services.common import audit

EMAIL_LINK_GELDIG = datetime.timedelta(hours=24)


class Melding:
    """The child-friendly messages of voting. Each is also the ValidationError code."""

    ONBEKEND = "onbekend"
    GEBRUIKT = "gebruikt"
    INGETROKKEN = "ingetrokken"
    NOG_NIET = "nog_niet"
    VOORBIJ = "voorbij"
    KANAAL = "kanaal"
    KANDIDAAT = "kandidaat"
    LINK = "link"


def _fout(code, **params):
    fmt = lambda d: date_format(timezone.localtime(d), "j F Y \\o\\m H:i")  # noqa: E731
    texts = {
        Melding.ONBEKEND: _("Deze code kennen we niet. Kijk goed of je alle letters en cijfers "
                            "goed hebt overgetypt."),
        Melding.GEBRUIKT: _("Met deze code is al gestemd. Elke code werkt maar één keer. "
                            "Je stem is dus al geteld."),
        Melding.INGETROKKEN: _("Deze code werkt niet meer. Vraag om een nieuwe code."),
        Melding.NOG_NIET: _("Stemmen kan nog niet. Je kunt stemmen vanaf %(start)s."),
        Melding.VOORBIJ: _("Stemmen kan niet meer. Het stemmen is voorbij sinds %(eind)s."),
        Melding.KANAAL: _("Op deze manier stemmen kan bij deze verkiezing niet."),
        Melding.KANDIDAAT: _("Kies één van de kandidaten."),
        Melding.LINK: _("Deze link werkt niet (meer). Vraag een nieuwe link aan. Heb je al "
                        "gestemd? Dan is je stem al geteld."),
    }
    text = texts[code]
    if "start" in params:
        text = text % {"start": fmt(params["start"])}
    if "eind" in params:
        text = text % {"eind": fmt(params["eind"])}
    return ValidationError(text, code=code)


def controleer_venster(verkiezing, now=None):
    now = now or timezone.now()
    if now < verkiezing.stemmen_start:
        raise _fout(Melding.NOG_NIET, start=verkiezing.stemmen_start)
    if now >= verkiezing.stemmen_eind:
        raise _fout(Melding.VOORBIJ, eind=verkiezing.stemmen_eind)


def controleer_kandidaat(verkiezing, kandidaat_id) -> int:
    """The id of a candidate of this election, or a ValidationError (Melding.KANDIDAAT)."""
    try:
        pk = int(kandidaat_id)
    except (TypeError, ValueError):
        raise _fout(Melding.KANDIDAAT) from None
    if not Kandidaat.objects.filter(verkiezing=verkiezing, pk=pk).exists():
        raise _fout(Melding.KANDIDAAT)
    return pk


@transaction.atomic
def maak_stemcodes(actor, verkiezing, *, kanaal, omschrijving, aantal, school=None, now=None,
                   check_permission=True):
    """Generate a batch of single-use codes. Returns (reeks, [codes]); the plain codes are not
    stored anywhere: the caller prints them (PDF) and forgets them."""
    reeks = StemcodeReeks(gemeente_id=verkiezing.gemeente_id, verkiezing=verkiezing,
                          kanaal=kanaal, school=school, omschrijving=omschrijving, aantal=aantal)
    if check_permission:
        policy.require(actor, policy.ADD, reeks)
    if not verkiezing.kanaal_codes:
        raise ValidationError(_("Bij deze verkiezing wordt niet met stemcodes gestemd."))
    if verkiezing.stemmen_gesloten(now):
        raise ValidationError(_("Het stemmen is voorbij."))
    reeks.full_clean()
    reeks.save()
    plain = set()
    while len(plain) < aantal:
        plain.add(codes.new_code())
    plain = sorted(plain)
    Stemcode.objects.bulk_create([
        Stemcode(gemeente_id=verkiezing.gemeente_id, verkiezing=verkiezing, reeks=reeks,
                 kanaal=kanaal, code_hash=verkiezing.code_hash(c)) for c in plain
    ], batch_size=1000)
    audit(actor, AuditEntry.Action.CREATE, reeks, None, snapshot(reeks))
    return reeks, plain


@transaction.atomic
def trek_reeks_in(actor, reeks, now=None):
    """Withdraw a batch (a lost PDF): its unused codes stop working; used ones stay counted."""
    policy.require(actor, policy.CHANGE, reeks)
    if reeks.ingetrokken_op:
        raise ValidationError(_("Deze reeks is al ingetrokken."))
    before = snapshot(reeks)
    reeks.ingetrokken_op = now or timezone.now()
    reeks.save(update_fields=["ingetrokken_op"])
    Stemcode.objects.filter(reeks=reeks, status=Stemcode.OPEN).update(
        status=Stemcode.INGETROKKEN)
    audit(actor, AuditEntry.Action.UPDATE, reeks, before, snapshot(reeks))
    return reeks


def _code_row(verkiezing, typed, now=None):
    """(normalised code, {pk, status, kanaal}) of a typed code, or a ValidationError."""
    controleer_venster(verkiezing, now)
    if not verkiezing.kanaal_codes:
        raise _fout(Melding.KANAAL)
    code = codes.normalize(typed)
    row = code and (Stemcode.objects.filter(verkiezing=verkiezing,
                                            code_hash=verkiezing.code_hash(code))
                    .values("pk", "status", "kanaal").first())
    if not row:
        raise _fout(Melding.ONBEKEND)
    if row["status"] == Stemcode.GEBRUIKT:
        raise _fout(Melding.GEBRUIKT)
    if row["status"] == Stemcode.INGETROKKEN:
        raise _fout(Melding.INGETROKKEN)
    return code, row


def controleer_code(verkiezing, typed, now=None) -> str:
    """Check a code before the confirmation screen; returns the normalised code. Raises a
    ValidationError whose code says why (Melding.*)."""
    return _code_row(verkiezing, typed, now)[0]


def _candidate_id(value):
    """The typed candidate as a database id, or None (matches no candidate)."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk < 2**63 else None


def breng_stem_uit(verkiezing_id, pepper, gemeente_slug, jaar, typed, kandidaat_id, now=None):
    """Cast one vote with a typed code: spend the code and write its ballot, all or nothing, in
    one statement (`participation.stembus`).

    Returns None when the vote counted. Otherwise nothing changed and it returns the
    ValidationError that tells the voter why (its code is a Melding), decided from the facts
    the same statement read: the window, the channel, the code, the candidate, in that order;
    a code that looked open but was not spent was spent by a request at the same moment.
    Raises Verkiezing.DoesNotExist when no election has this id, gemeente slug and year (a
    caller's stale hint). Needs no model instance, so the public vote endpoint can call it with
    the few values it caches."""
    code = codes.normalize(typed)
    feiten = stembus.werp_in(verkiezing_id, gemeente_slug, jaar,
                             keyed_hash(pepper, code) if code else None,
                             _candidate_id(kandidaat_id), now or timezone.now())
    if feiten is None:
        raise Verkiezing.DoesNotExist(
            f"no election {verkiezing_id} of {gemeente_slug!r} in {jaar}")
    if feiten.geteld:
        return None
    if not (feiten.begonnen and feiten.lopend):
        start, eind = Verkiezing.objects.values_list("stemmen_start", "stemmen_eind").get(
            pk=verkiezing_id)
        return (_fout(Melding.NOG_NIET, start=start) if not feiten.begonnen
                else _fout(Melding.VOORBIJ, eind=eind))
    if not feiten.kanaal_codes:
        return _fout(Melding.KANAAL)
    if feiten.status is None:
        return _fout(Melding.ONBEKEND)
    if feiten.status == Stemcode.INGETROKKEN:
        return _fout(Melding.INGETROKKEN)
    if feiten.status == Stemcode.OPEN and not feiten.kandidaat_ok:
        return _fout(Melding.KANDIDAAT)
    return _fout(Melding.GEBRUIKT)  # spent before, or by another request at the same moment


def stem_met_code(verkiezing, typed, kandidaat_id, now=None):
    """Cast one vote with a code (see `breng_stem_uit`: one statement spends the code and
    writes the ballot). Raises the ValidationError that says why when it does not count."""
    fout = breng_stem_uit(verkiezing.pk, verkiezing.pepper, verkiezing.gemeente.slug,
                      verkiezing.jaar, typed, kandidaat_id, now)
    if fout is not None:
        raise fout


def vraag_stemlink_aan(verkiezing, email, link_for, now=None):
    """Send a one-time voting link to an e-mail address. Only a keyed hash of the address is
    stored. Whether or not the address voted before, the visitor sees the same answer; the
    e-mail itself tells."""
    now = now or timezone.now()
    controleer_venster(verkiezing, now)
    if not verkiezing.kanaal_email:
        raise _fout(Melding.KANAAL)
    email = email.strip()
    email_hash = verkiezing.email_hash(email)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        kiezer = EmailKiezer.objects.filter(verkiezing=verkiezing,
                                            email_hash=email_hash).first()
        if kiezer is None:
            try:
                with transaction.atomic():
                    kiezer = EmailKiezer.objects.create(
                        gemeente_id=verkiezing.gemeente_id, verkiezing=verkiezing,
                        email_hash=email_hash)
            except IntegrityError:
                kiezer = EmailKiezer.objects.get(verkiezing=verkiezing, email_hash=email_hash)
        al_gestemd = kiezer.gestemd
        if not al_gestemd:
            EmailKiezer.objects.filter(pk=kiezer.pk, gestemd=False).update(
                token_hash=codes.sha256(token),
                token_geldig_tot=min(now + EMAIL_LINK_GELDIG, verkiezing.stemmen_eind))
    context = {"verkiezing": verkiezing, "gemeente": verkiezing.gemeente,
               "link": None if al_gestemd else link_for(token), "al_gestemd": al_gestemd}
    send_mail(
        subject=_("Stemmen voor de kinderburgemeester van %(gemeente)s")
        % {"gemeente": verkiezing.gemeente.naam},
        message=render_to_string("participation/mail/stemlink.txt", context),
        from_email=None, recipient_list=[email])


def kiezer_voor_link(token, now=None):
    """The e-mail voter of a one-time link, or a ValidationError (Melding.LINK)."""
    now = now or timezone.now()
    if not token or len(token) > 100:
        raise _fout(Melding.LINK)
    kiezer = (EmailKiezer.objects.select_related("verkiezing__gemeente")
              .filter(token_hash=codes.sha256(token), gestemd=False).first())
    if kiezer is None or kiezer.token_geldig_tot is None or kiezer.token_geldig_tot <= now:
        raise _fout(Melding.LINK)
    return kiezer


def stem_met_link(token, kandidaat_id, now=None):
    """Cast one vote with a one-time e-mail link: `gestemd` flips False → True by one
    conditional UPDATE, in the same transaction as the ballot insert."""
    kiezer = kiezer_voor_link(token, now)
    verkiezing = kiezer.verkiezing
    controleer_venster(verkiezing, now)
    kandidaat_id = controleer_kandidaat(verkiezing, kandidaat_id)
    with transaction.atomic():
        spent = EmailKiezer.objects.filter(
            pk=kiezer.pk, gestemd=False, token_hash=codes.sha256(token)).update(
            gestemd=True, token_hash="", token_geldig_tot=None)
        if spent != 1:
            raise _fout(Melding.LINK)
        connection = connections[router.db_for_write(Stembus)]
        with connection.cursor() as cursor:
            if not stembus.tel_in_stembus(cursor, connection, verkiezing.pk,
                                          verkiezing.gemeente_id, Kanaal.EMAIL, kandidaat_id):
                raise _fout(Melding.KANDIDAAT)  # rolls the spend back too
    return verkiezing
