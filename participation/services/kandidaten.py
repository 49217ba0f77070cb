"""The kinderburgemeester election's applications and jury (aanmelding, scores, the shortlist
of kandidaten), and the retention of the election's personal data: what is wiped after the
voting window, of losing candidates after the result, and of the chosen ones after their
term. One transaction each, permission-checked where an account acts, audited (redacted)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import policy
from core.audit import snapshot
from core.models import AuditEntry
from core.notifications import notify
from participation.models import Aanmelding, EmailKiezer, JuryScore, Kandidaat, Uitslag, Verkiezing
from participation.selectors import instelling_for
from participation.services.common import audit, redacted
from participation.uploads import UploadRejected, check_vlog, clean_foto


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
