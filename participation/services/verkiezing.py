"""Every write of the kinderburgemeester election: applications and jury, voting codes, the
vote, the result and the retention of the election's personal data. One transaction each,
permission-checked where an account acts, audited -- except votes, which are secret and leave
no trace that could link them to a voter."""

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import policy
from core.audit import snapshot
from core.models import AuditEntry
from core.notifications import notify
from participation import codes, stembus
from participation.models import (
    Aanmelding,
    EmailKiezer,
    JuryScore,
    Kanaal,
    Kandidaat,
    Stembus,
    Stemcode,
    StemcodeReeks,
    Uitslag,
    Verkiezing,
    keyed_hash,
)
from participation.selectors import instelling_for, telling
from participation.services.common import audit, redacted
from participation.uploads import UploadRejected, check_vlog, clean_foto

EMAIL_LINK_GELDIG = datetime.timedelta(hours=24)


# ---------------------------------------------------------------------------------------------
# Applications and jury
# ---------------------------------------------------------------------------------------------

@transaction.atomic
def dien_aanmelding_in(verkiezing, *, voornaam, achternaam, groep, school, motivatie, vlog,
                       ouder_naam, ouder_email, ouder_toestemming, toestemming_publiek,
                       foto=None, andere_school="", now=None):
    """A pupil applies through the public form. Files are checked here as well as in the form,
    so every path (form, API, import) gets the same rules."""
    if not verkiezing.aanmelding_open(now):
        raise ValidationError(_("Aanmelden kan nu niet. Kijk op de pagina van de verkiezing "
                                "wanneer het wel kan."))
    if groep not in (6, 7):
        raise ValidationError({"groep": _("Je kunt meedoen als je in groep 6 of groep 7 zit.")})
    if not ouder_toestemming:
        raise ValidationError({"ouder_toestemming": _(
            "Je vader, moeder of verzorger moet het goed vinden dat je meedoet.")})
    if vlog is None:
        raise ValidationError({"vlog": _("Stuur je vlog mee.")})
    try:
        vlog_ext = check_vlog(vlog)
        foto_file = clean_foto(foto) if foto else None
    except UploadRejected as exc:
        raise ValidationError(str(exc)) from None
    aanmelding = Aanmelding(
        gemeente_id=verkiezing.gemeente_id, verkiezing=verkiezing, voornaam=voornaam.strip(),
        achternaam=achternaam.strip(), groep=groep, school=school,
        andere_school="" if school is not None else andere_school.strip(), motivatie=motivatie,
        ouder_naam=ouder_naam, ouder_email=ouder_email, ouder_toestemming=True,
        toestemming_publiek=bool(toestemming_publiek))
    aanmelding.full_clean(exclude=["vlog", "foto"])
    vlog.seek(0)
    aanmelding.vlog.save(f"vlog{vlog_ext}", vlog, save=False)
    if foto_file is not None:
        aanmelding.foto.save(foto_file.name, foto_file, save=False)
    try:
        aanmelding.save()
        audit(None, AuditEntry.Action.CREATE, aanmelding, None, redacted(aanmelding))
        _mail_ouder(aanmelding, "aanmelding_ontvangen",
                    _("Aanmelding kinderburgemeester ontvangen"))
    except Exception:
        for f in (aanmelding.vlog, aanmelding.foto):  # nothing stored stays behind
            if f:
                f.storage.delete(f.name)
        raise
    return aanmelding


def _mail_ouder(aanmelding, template, subject, **context):
    """A message to the parent or guardian of an applicant (no account: by e-mail only),
    through the outbox, in the caller's transaction. A2 Dutch."""
    if not aanmelding.ouder_email:
        return None
    verkiezing = aanmelding.verkiezing
    body = render_to_string(f"participation/mail/{template}.txt", {
        "aanmelding": aanmelding, "verkiezing": verkiezing, "gemeente": verkiezing.gemeente,
        "ouder_naam": aanmelding.ouder_naam or _("ouder of verzorger"), **context})
    return notify(gemeente=verkiezing.gemeente, kind=f"participation.{template}",
                  subject=subject, body=body, email=aanmelding.ouder_email, obj=aanmelding,
                  url=verkiezing.get_public_url())


def _delete_files(aanmelding, fields=("vlog", "foto")):
    """Clear the file fields now; remove the files once the transaction has committed."""
    for name in fields:
        f = getattr(aanmelding, name)
        if f:
            storage, path = f.storage, f.name
            transaction.on_commit(lambda s=storage, p=path: s.delete(p))
            setattr(aanmelding, name, "")


@transaction.atomic
def geef_scores(jurylid, aanmelding, scores: dict):
    """A juror scores one application: {criterium: 1..5}. Only their own scores change."""
    probe = JuryScore(gemeente_id=aanmelding.gemeente_id, aanmelding=aanmelding,
                      jurylid=jurylid)
    policy.require(jurylid, policy.ADD, probe)
    verkiezing = aanmelding.verkiezing
    if verkiezing.kandidaten.exists():
        raise ValidationError(_("De kandidaten zijn al gekozen; de scores liggen vast."))
    if aanmelding.status != Aanmelding.Status.INGEDIEND:
        raise ValidationError(_("Deze aanmelding doet niet meer mee."))
    criteria = {c.pk: c for c in verkiezing.criteria.all()}
    for criterium, score in scores.items():
        if criterium.pk not in criteria:
            raise ValidationError(_("Dit criterium hoort niet bij deze verkiezing."))
        if score not in (1, 2, 3, 4, 5):
            raise ValidationError(_("Een score is 1, 2, 3, 4 of 5."))
        existing = JuryScore.objects.select_for_update().filter(
            aanmelding=aanmelding, criterium=criterium, jurylid=jurylid).first()
        if existing is None:
            obj = JuryScore(gemeente_id=aanmelding.gemeente_id, aanmelding=aanmelding,
                            criterium=criterium, jurylid=jurylid, score=score)
            obj.full_clean()
            obj.save()
            audit(jurylid, AuditEntry.Action.CREATE, obj, None, snapshot(obj))
        elif existing.score != score:
            before = snapshot(existing)
            existing.score = score
            existing.save(update_fields=["score"])
            audit(jurylid, AuditEntry.Action.UPDATE, existing, before, snapshot(existing))


@transaction.atomic
def bevestig_kandidaten(actor, verkiezing, aanmeldingen, now=None):
    """The beleidsmedewerker confirms the jury's shortlist once applying has closed: exactly 5
    applications become the candidates (numbered alphabetically by first name); the others are
    not chosen. Every parent or guardian is told by e-mail, chosen or not."""
    policy.require(actor, policy.ADD, Kandidaat(gemeente_id=verkiezing.gemeente_id))
    verkiezing = Verkiezing.objects.select_for_update().get(pk=verkiezing.pk)
    now = now or timezone.now()
    if timezone.localtime(now).date() <= verkiezing.aanmelding_eind:
        raise ValidationError(_(
            "Aanmelden kan nog tot en met %(eind)s. Bevestig de kandidaten daarna, zodat de "
            "jury alle aanmeldingen ziet.") % {"eind": date_format(verkiezing.aanmelding_eind,
                                                                   "j F Y")})
    if now >= verkiezing.stemmen_start:
        raise ValidationError(_("Het stemmen is al begonnen; de kandidaten liggen vast."))
    if verkiezing.kandidaten.exists():
        raise ValidationError(_("De kandidaten zijn al gekozen."))
    ids = {a.pk for a in aanmeldingen}
    if len(ids) != 5:
        raise ValidationError(_("Kies precies 5 kandidaten. U koos er %(n)s.") % {"n": len(ids)})
    chosen = list(Aanmelding.objects.select_related("school").filter(
        verkiezing=verkiezing, pk__in=ids, status=Aanmelding.Status.INGEDIEND))
    if len(chosen) != 5:
        raise ValidationError(_("Kies 5 aanmeldingen van deze verkiezing die nog meedoen."))
    chosen.sort(key=lambda a: (a.voornaam.lower(), a.pk))
    for nummer, aanmelding in enumerate(chosen, start=1):
        kandidaat = Kandidaat(gemeente_id=verkiezing.gemeente_id, verkiezing=verkiezing,
                              aanmelding=aanmelding, nummer=nummer,
                              publiek=aanmelding.toestemming_publiek)
        kandidaat.full_clean()
        kandidaat.save()
        audit(actor, AuditEntry.Action.CREATE, kandidaat, None, redacted(kandidaat))
    bewaartermijn = instelling_for(verkiezing.gemeente_id).bewaartermijn_dagen
    for aanmelding in Aanmelding.objects.filter(verkiezing=verkiezing).select_related(
            "kandidaat"):
        before = redacted(aanmelding)
        gekozen = aanmelding.pk in ids
        aanmelding.status = (Aanmelding.Status.KANDIDAAT if gekozen
                             else Aanmelding.Status.NIET_GEKOZEN)
        aanmelding.save(update_fields=["status"])
        audit(actor, AuditEntry.Action.UPDATE, aanmelding, before, redacted(aanmelding))
        if gekozen:
            _mail_ouder(aanmelding, "kandidaat_gekozen",
                        _("Gekozen als kandidaat voor kinderburgemeester"),
                        kandidaat=aanmelding.kandidaat)
        else:
            _mail_ouder(aanmelding, "niet_gekozen", _("Uitslag van de jury kinderburgemeester"),
                        bewaartermijn=bewaartermijn)
    return verkiezing.kandidaten.all()


# ---------------------------------------------------------------------------------------------
# Voting
# ---------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------
# Result
# ---------------------------------------------------------------------------------------------

def lotvolgorde(seed: str, nummers):
    """The order of a lot drawing: ascending SHA-256 of 'seed:nummer'. Anyone with the stored
    seed can redo it."""
    return sorted(nummers, key=lambda n: hashlib.sha256(f"{seed}:{n}".encode()).hexdigest())


def rangorde(rows, seed_factory=lambda: secrets.token_hex(16)):
    """Order tally rows (dicts with 'nummer' and 'totaal') by votes; ties that touch place 1 or
    2 are drawn by lot. Returns (ordered rows, [lot records])."""
    ordered = sorted(rows, key=lambda r: (-r["totaal"], r["nummer"]))
    result, draws, i = [], [], 0
    while i < len(ordered):
        group = [r for r in ordered[i:] if r["totaal"] == ordered[i]["totaal"]]
        if len(group) > 1 and i < 2:
            seed = seed_factory()
            volgorde = lotvolgorde(seed, [r["nummer"] for r in group])
            by_nummer = {r["nummer"]: r for r in group}
            group = [by_nummer[n] for n in volgorde]
            draws.append({"seed": seed, "stemmen": ordered[i]["totaal"],
                          "kandidaten": sorted(by_nummer), "volgorde": volgorde,
                          "regel": "oplopend op SHA-256 van 'seed:nummer'"})
        result.extend(group)
        i += len(group)
    return result, draws


@transaction.atomic
def stel_uitslag_vast(actor, verkiezing, now=None):
    """After the voting window: most votes = kinderburgemeester, second = loco; a tie is broken
    by a recorded lot drawing. The OneToOne on Uitslag makes this happen once."""
    policy.require(actor, policy.ADD, Uitslag(gemeente_id=verkiezing.gemeente_id))
    if not verkiezing.stemmen_gesloten(now):
        raise ValidationError(_("De uitslag kan pas worden vastgesteld als het stemmen voorbij "
                                "is."))
    if Uitslag.objects.filter(verkiezing=verkiezing).exists():
        raise ValidationError(_("De uitslag is al vastgesteld."))
    rows = telling(verkiezing, now)["kandidaten"]
    if len(rows) < 2:
        raise ValidationError(_("Er zijn te weinig kandidaten voor een uitslag."))
    ordered, draws = rangorde(rows)
    uitslag = Uitslag(
        gemeente_id=verkiezing.gemeente_id, verkiezing=verkiezing,
        kinderburgemeester=ordered[0]["kandidaat"], loco=ordered[1]["kandidaat"],
        telling=[{"nummer": r["nummer"], "kandidaat": r["kandidaat"].pk,
                  "per_kanaal": r["per_kanaal"], "totaal": r["totaal"]} for r in ordered],
        loting=draws or None, vastgesteld_door=actor)
    try:
        with transaction.atomic():
            uitslag.save()
    except IntegrityError:
        raise ValidationError(_("De uitslag is al vastgesteld.")) from None
    audit(actor, AuditEntry.Action.CREATE, uitslag, None, snapshot(uitslag))
    _verzegel_stembussen(verkiezing)
    return uitslag


def _verzegel_stembussen(verkiezing):
    """Merge the election's ballot boxes into one per channel, in the transaction of the
    result. Until now each box row carried the transaction id of the last vote put in it (the
    id its spent code carries too); afterwards no row carries a voter's transaction id, and
    only the totals per channel remain (equal to the result's tally)."""
    totalen = {}
    for bus in Stembus.objects.select_for_update().filter(verkiezing=verkiezing):
        per = totalen.setdefault(bus.kanaal, dict.fromkeys(Stembus.KOLOMMEN, 0))
        for kolom in Stembus.KOLOMMEN:
            per[kolom] += getattr(bus, kolom)
    Stembus.objects.filter(verkiezing=verkiezing).delete()
    Stembus.objects.bulk_create([
        Stembus(gemeente_id=verkiezing.gemeente_id, verkiezing=verkiezing, kanaal=kanaal,
                nummer=0, **per) for kanaal, per in sorted(totalen.items())])


# ---------------------------------------------------------------------------------------------
# Retention
# ---------------------------------------------------------------------------------------------

def wis_verkiezingsgegevens(now=None):
    """Delete the election's personal data of children whose retention has passed: the
    gemeente's bewaartermijn (30 days by default) after an election's voting window, the
    applications that were not shortlisted (rows and files), every vlog file, the parents'
    contact data, and the e-mail voters (hashes). Returns counts per kind."""
    now = now or timezone.now()
    counts = {"aanmeldingen": 0, "vlogs": 0, "fotos": 0, "emailkiezers": 0}
    for verkiezing in Verkiezing.objects.select_related("gemeente"):
        dagen = instelling_for(verkiezing.gemeente).bewaartermijn_dagen
        if verkiezing.stemmen_eind + datetime.timedelta(days=dagen) > now:
            continue
        with transaction.atomic():
            for aanmelding in (Aanmelding.objects.select_for_update()
                               .filter(verkiezing=verkiezing)):
                if not hasattr(aanmelding, "kandidaat"):
                    counts["vlogs"] += bool(aanmelding.vlog)
                    counts["fotos"] += bool(aanmelding.foto)
                    before = redacted(aanmelding)
                    _delete_files(aanmelding)
                    audit(None, AuditEntry.Action.DELETE, aanmelding, before, None)
                    aanmelding.delete()
                    counts["aanmeldingen"] += 1
                elif aanmelding.vlog or aanmelding.ouder_email or aanmelding.ouder_naam:
                    counts["vlogs"] += bool(aanmelding.vlog)
                    before = redacted(aanmelding)
                    _delete_files(aanmelding, fields=("vlog",))
                    aanmelding.ouder_naam = aanmelding.ouder_email = ""
                    aanmelding.gewist_op = now
                    aanmelding.save(update_fields=["vlog", "ouder_naam", "ouder_email",
                                                   "gewist_op"])
                    audit(None, AuditEntry.Action.UPDATE, aanmelding, before,
                          redacted(aanmelding))
            n, _detail = EmailKiezer.objects.filter(verkiezing=verkiezing).delete()
            counts["emailkiezers"] += n
    return counts


def _wis_kandidaat(aanmelding, now):
    """Wipe what a candidate's published result does not need: surname, motivation, photo
    (file too), the parent's contact data, the vlog and the jury's scores. The first name,
    group and school stay (they are on the published result). Audited, redacted."""
    before = redacted(aanmelding)
    _delete_files(aanmelding)
    aanmelding.achternaam = aanmelding.motivatie = ""
    aanmelding.ouder_naam = aanmelding.ouder_email = ""
    aanmelding.gewist_op = now
    aanmelding.save(update_fields=["achternaam", "motivatie", "foto", "vlog", "ouder_naam",
                                   "ouder_email", "gewist_op"])
    JuryScore.objects.filter(aanmelding=aanmelding).delete()
    audit(None, AuditEntry.Action.UPDATE, aanmelding, before, redacted(aanmelding))


_TE_WISSEN = (~Q(achternaam="") | ~Q(motivatie="") | ~Q(foto="") | ~Q(vlog="")
              | ~Q(ouder_naam="") | ~Q(ouder_email="") | Q(scores__isnull=False))


def wis_verliezende_kandidaten(now=None):
    """Delete the surname, photo and motivation (and jury scores) of the candidates who did
    not become kinderburgemeester or loco, the gemeente's `bewaartermijn_kandidaten_dagen` (30
    by default) after the result: counted from the later of "uitslag vaststellen" and the
    announced date. Their first name and school stay (they are on the published result).
    Returns the number of candidates wiped. Run daily
    (participation.tasks.wis_kandidaatgegevens)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    gewist = 0
    for uitslag in Uitslag.objects.select_related("verkiezing"):
        verkiezing = uitslag.verkiezing
        dagen = instelling_for(verkiezing.gemeente_id).bewaartermijn_kandidaten_dagen
        resultaat = max(timezone.localtime(uitslag.vastgesteld_op).date(),
                        verkiezing.uitslag_datum)
        if resultaat + datetime.timedelta(days=dagen) > today:
            continue
        with transaction.atomic():
            verliezers = Aanmelding.objects.select_for_update().filter(
                pk__in=Aanmelding.objects.filter(_TE_WISSEN, kandidaat__verkiezing=verkiezing)
                .exclude(kandidaat__in=[uitslag.kinderburgemeester_id, uitslag.loco_id])
                .values("pk"))
            for aanmelding in verliezers:
                _wis_kandidaat(aanmelding, now)
                gewist += 1
    return gewist


def wis_gegevens_na_termijn(now=None):
    """The kinderburgemeester and the loco keep their data for their year: the gemeente's
    `bewaartermijn_na_termijn_dagen` (30 by default) after the term ended (the day before the
    next installation) their surname, motivation, photo, the parent's contact data and the
    jury's scores are deleted, as the losing candidates' were. Their first name and school stay
    as the public record of who was kinderburgemeester (docs/privacy.md). Returns the number of
    children wiped. Run daily (participation.tasks.wis_gegevens_kinderburgemeester)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    gewist = 0
    for uitslag in Uitslag.objects.select_related("verkiezing"):
        verkiezing = uitslag.verkiezing
        dagen = instelling_for(verkiezing.gemeente_id).bewaartermijn_na_termijn_dagen
        if verkiezing.termijn_eind + datetime.timedelta(days=dagen) > today:
            continue
        with transaction.atomic():
            gekozen = (Aanmelding.objects.select_for_update()
                       .filter(pk__in=Aanmelding.objects.filter(
                           _TE_WISSEN, kandidaat__in=[uitslag.kinderburgemeester_id,
                                                      uitslag.loco_id]).values("pk")))
            for aanmelding in gekozen:
                _wis_kandidaat(aanmelding, now)
                gewist += 1
    return gewist
