"""After the period: the verantwoording, the vaststelling (with vrijval), the intrekking and
the terugvordering with its terugbetalingen.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import policy
from core.audit import record, snapshot
from core.models import Role
from core.money import ZERO, format_euro, parse_money
from core.notifications import notify_once
from core.selectors import users_with_role
from core.services import save_object
from finance import uploads
from finance.models import (
    Aanvraag,
    AanvraagJaar,
    Beschikking,
    Termijn,
    Terugbetaling,
    Verantwoording,
    VerantwoordingBestand,
)
from finance.services.base import (
    UPDATE,
    S,
    clean_money,
    current_date,
    eenmalig,
    klaar,
    require,
    require_behandelaar,
    vergrendel,
)
from finance.services.besluiten import clean_bedragen, maak_beschikking, reserve_grant
from finance.services.betalingen import betaaldatum
from finance.services.stappen import (
    STAPPEN,
    begin_stap,
    eisen_voor,
    mag,
    set_status,
)


@transaction.atomic
def verantwoorden(actor, aanvraag, *, verslag: str, besteed: dict, bestanden=(),
                  overschrijding_reden: str = "", today=None,
                  check_permission=True) -> Verantwoording:
    """The grantee's account after the period, as its tier asks. `bestanden`: [(soort,
    uploaded file)]; every file must be a real PDF within the size limit."""
    verantwoording = Verantwoording(gemeente_id=aanvraag.gemeente_id, aanvraag=aanvraag,
                                    verslag=(verslag or "").strip(),
                                    ingediend_door=actor if getattr(actor, "pk", None) else None)
    require(actor, policy.ADD, verantwoording, check_permission)
    mag(aanvraag, "verantwoorden", today)
    verantwoording.overschrijding_reden = (overschrijding_reden or "").strip()
    eisen = eisen_voor(aanvraag.eis)
    errors = {}
    if eisen["verslag"] and len(verantwoording.verslag) < 20:
        errors["verslag"] = _("Schrijf in het verslag wat u heeft gedaan en bereikt.")
    jaren = {j.jaar: j for j in aanvraag.jaren.filter(toegekend__gt=0)}
    cleaned = {}
    for jaar in jaren:
        value = besteed.get(jaar, besteed.get(str(jaar)))
        if value in (None, ""):
            errors.setdefault("besteed", []).append(
                _("Vul in hoeveel u in %(jaar)s heeft uitgegeven.") % {"jaar": jaar})
            continue
        try:
            cleaned[jaar] = parse_money(value)
        except ValidationError as exc:
            errors.setdefault("besteed", []).extend(exc.messages)
    for jaar, bedrag in cleaned.items():
        if bedrag > jaren[jaar].toegekend and not verantwoording.overschrijding_reden:
            errors.setdefault("overschrijding_reden", []).append(_(
                "U heeft in %(jaar)s meer uitgegeven (%(besteed)s) dan de subsidie "
                "(%(toegekend)s). Schrijf waarom; de gemeente bekijkt dat bij de "
                "vaststelling.") % {"jaar": jaar, "besteed": format_euro(bedrag),
                                    "toegekend": format_euro(jaren[jaar].toegekend)})
    files = list(bestanden)
    soorten = {soort for soort, _f in files}
    for nodig in eisen["bestanden"]:
        if nodig not in soorten:
            errors.setdefault("bestanden", []).append(
                _("Voeg toe: %(soort)s (PDF).") % {
                    "soort": VerantwoordingBestand.Soort(nodig).label})
    for soort, upload in files:
        if soort not in VerantwoordingBestand.Soort.values:
            errors.setdefault("bestanden", []).append(_("Onbekende soort bestand."))
            continue
        try:
            uploads.check_pdf(upload)
        except ValidationError as exc:
            errors.setdefault("bestanden", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    before = set_status(aanvraag, STAPPEN["verantwoorden"], S.VERANTWOORD, _(
        "Deze aanvraag is al verantwoord."))
    save_object(actor, verantwoording, check_permission=False)
    for jaar, bedrag in cleaned.items():
        AanvraagJaar.objects.filter(pk=jaren[jaar].pk).update(besteed=bedrag)
    for soort, upload in files:
        upload.seek(0)
        bestand = VerantwoordingBestand(gemeente_id=aanvraag.gemeente_id,
                                        verantwoording=verantwoording, soort=soort,
                                        naam=uploads.safe_name(upload.name), grootte=upload.size)
        bestand.bestand.save(uploads.safe_name(upload.name), upload, save=False)
        save_object(actor, bestand, check_permission=False)
    record(actor, UPDATE, aanvraag, before, snapshot(aanvraag))
    meer = {jaar: (bedrag, jaren[jaar].toegekend) for jaar, bedrag in cleaned.items()
            if bedrag > jaren[jaar].toegekend}
    if meer:
        _meld_overschrijding(aanvraag, verantwoording, meer)
    return verantwoording


OVERSCHRIJDING = "finance.overschrijding"


def _meld_overschrijding(aanvraag, verantwoording, meer: dict):
    """Tell every beleidsmedewerker that the grantee spent more than the subsidy (in the same
    transaction as the verantwoording; once per verantwoording and recipient)."""
    regels = "\n".join(
        _("%(jaar)s: uitgegeven %(besteed)s, subsidie %(toegekend)s") % {
            "jaar": jaar, "besteed": format_euro(besteed), "toegekend": format_euro(toegekend)}
        for jaar, (besteed, toegekend) in sorted(meer.items()))
    names = {"nummer": aanvraag.nummer, "titel": aanvraag.titel}
    body = "\n\n".join([
        _("In de verantwoording van %(nummer)s %(titel)s staat dat er meer is uitgegeven dan "
          "de subsidie.") % names, regels,
        _("Reden van de aanvrager: %(reden)s") % {"reden": verantwoording.overschrijding_reden},
        _("Bekijk dit bij de vaststelling. De subsidie wordt niet hoger dan wat is verleend, "
          "tenzij de verlening eerst wordt gewijzigd.")])
    for user in users_with_role(aanvraag.gemeente, Role.BELEIDSMEDEWERKER):
        notify_once(key=f"{OVERSCHRIJDING}:{verantwoording.pk}:{user.pk}",
                    gemeente=aanvraag.gemeente, kind=OVERSCHRIJDING, user=user, obj=aanvraag,
                    subject=_("Meer uitgegeven dan de subsidie: %(nummer)s %(titel)s") % names,
                    body=body, url=aanvraag.get_absolute_url())


def voorstel_vaststelling(aanvraag) -> dict[int, Decimal]:
    """Proposed final amount per year: what was spent, at most what was granted."""
    result = {}
    for jaar in aanvraag.jaren.all():
        spent = jaar.besteed if jaar.besteed is not None else jaar.toegekend
        result[jaar.jaar] = min(spent, jaar.toegekend)
    return result


@transaction.atomic
def vaststellen(actor, aanvraag, *, bedragen: dict, toelichting: str = "", today=None,
                sleutel="", check_permission=True):
    """Set the final subsidy per year (at most what was granted). If less was set than was
    paid, the difference is the terugvordering; unpaid voorschotten lapse."""
    today = today or current_date()
    require_behandelaar(actor, aanvraag, check_permission)
    eerder, sleutel, jaren = begin_stap(aanvraag, "vaststellen", sleutel, today)
    if eerder:
        aanvraag.refresh_from_db()
        return aanvraag
    bedragen = clean_bedragen(aanvraag, bedragen)
    per_jaar = {}
    for jaar, bedrag in bedragen.items():
        row = jaren[jaar]
        if bedrag > row.toegekend:
            raise ValidationError({"bedragen": _(
                "Voor %(jaar)s wordt meer vastgesteld (%(bedrag)s) dan verleend (%(toegekend)s)."
                " Verhoog eerst de verlening met een wijziging.") % {
                "jaar": jaar, "bedrag": format_euro(bedrag),
                "toegekend": format_euro(row.toegekend)}})
        terug = max(row.betaald - bedrag, ZERO)
        per_jaar[jaar] = (bedrag, terug)
    total = sum(b for b, _t in per_jaar.values())
    terug_total = sum(t for _b, t in per_jaar.values())
    # Vrijval: what was granted but not set returns to the plafond and the gebiedsbudget.
    vrij = {jaar: jaren[jaar].toegekend - bedrag for jaar, (bedrag, _t) in per_jaar.items()}
    before = set_status(aanvraag, STAPPEN["vaststellen"], S.VASTGESTELD, _(
        "Deze subsidie is al vastgesteld."), vastgesteld=total, terugvordering=terug_total,
        vrijgevallen=sum(vrij.values(), ZERO),
        terugbetalen_voor=_terugbetaaltermijn(today) if terug_total else None,
        vastgesteld_op=timezone.now(), vaststelling_toelichting=(toelichting or "").strip())
    reserve_grant(aanvraag, {jaar: -bedrag for jaar, bedrag in vrij.items()})
    for jaar, (bedrag, terug) in per_jaar.items():
        row = jaren[jaar]
        if AanvraagJaar.objects.filter(pk=row.pk, toegekend=row.toegekend, betaald=row.betaald,
                                       vastgesteld__isnull=True).update(
                vastgesteld=bedrag, terugvordering=terug, vrijgevallen=vrij[jaar]) != 1:
            raise ValidationError(_("De aanvraag is intussen veranderd; probeer het opnieuw."))
    Termijn.objects.filter(aanvraag=aanvraag, betaling__isnull=True, vervallen=False).update(
        vervallen=True)
    record(actor, UPDATE, aanvraag, before, snapshot(aanvraag))
    nabetaling = max(total - aanvraag.betaald, ZERO)
    maak_beschikking(actor, aanvraag, Beschikking.Soort.VASTSTELLING, {
        "bedragen": {str(j): str(b) for j, (b, _t) in per_jaar.items()},
        "totaal": str(total), "toegekend": str(aanvraag.toegekend),
        "betaald": str(aanvraag.betaald), "terugvordering": str(terug_total),
        "nabetaling": str(nabetaling), "toelichting": (toelichting or "").strip(),
        "terugvordering_per_jaar": {str(j): str(t) for j, (_b, t) in per_jaar.items() if t},
        "vrijgevallen": str(sum(vrij.values(), ZERO)),
        "terugbetalen_voor": (aanvraag.terugbetalen_voor.isoformat()
                              if aanvraag.terugbetalen_voor else ""),
    }, today)
    return klaar(sleutel, aanvraag)


TERUGBETAALTERMIJN_WEKEN = 6


def _terugbetaaltermijn(today):
    return today + datetime.timedelta(weeks=TERUGBETAALTERMIJN_WEKEN)


@transaction.atomic
def intrekken(actor, aanvraag, *, reden: str, today=None, sleutel="", check_permission=True):
    """Withdraw a grant that was not yet set: the subsidy becomes € 0, what was granted is
    released to the plafond and gebiedsbudget (vrijval), what was paid is reclaimed, and open
    voorschotten lapse — with a beschikking."""
    today = today or current_date()
    require_behandelaar(actor, aanvraag, check_permission)
    if not (reden or "").strip():
        raise ValidationError({"reden": _("Schrijf waarom de subsidie wordt ingetrokken.")})
    eerder, sleutel, jaren = begin_stap(aanvraag, "intrekken", sleutel, today)
    if eerder:
        aanvraag.refresh_from_db()
        return aanvraag
    terug = aanvraag.betaald
    before = set_status(aanvraag, STAPPEN["intrekken"], S.INGETROKKEN, _(
        "Deze subsidie is intussen vastgesteld of ingetrokken."), vastgesteld=ZERO,
        terugvordering=terug, vrijgevallen=aanvraag.toegekend,
        terugbetalen_voor=_terugbetaaltermijn(today) if terug else None,
        vastgesteld_op=timezone.now(), vaststelling_toelichting=reden.strip())
    reserve_grant(aanvraag, {jaar: -row.toegekend for jaar, row in jaren.items()})
    for row in jaren.values():
        if AanvraagJaar.objects.filter(pk=row.pk, toegekend=row.toegekend, betaald=row.betaald,
                                       vrijgevallen=0).update(
                vastgesteld=ZERO, terugvordering=row.betaald, vrijgevallen=row.toegekend) != 1:
            raise ValidationError(_("De aanvraag is intussen veranderd; probeer het opnieuw."))
    Termijn.objects.filter(aanvraag=aanvraag, betaling__isnull=True, vervallen=False).update(
        vervallen=True)
    record(actor, UPDATE, aanvraag, before, snapshot(aanvraag))
    maak_beschikking(actor, aanvraag, Beschikking.Soort.INTREKKING, {
        "reden": reden.strip(), "toegekend": str(aanvraag.toegekend),
        "betaald": str(aanvraag.betaald), "terugvordering": str(terug),
        "vrijgevallen": str(aanvraag.toegekend),
        "terugbetalen_voor": (aanvraag.terugbetalen_voor.isoformat()
                              if aanvraag.terugbetalen_voor else ""),
    }, today)
    return klaar(sleutel, aanvraag)


@transaction.atomic
def terugbetalen(actor, aanvraag, *, bedrag, datum=None, sleutel="", check_permission=True):
    """Record money received back on the terugvordering (the whole of it or a part), never
    more than is still to be paid back."""
    terugbetaling = Terugbetaling(gemeente_id=aanvraag.gemeente_id, aanvraag=aanvraag,
                                  geregistreerd_door=actor if getattr(actor, "pk", None)
                                  else None)
    require(actor, policy.ADD, terugbetaling, check_permission)
    datum = betaaldatum(datum)
    bedrag = clean_money(bedrag, "bedrag")
    if bedrag <= 0:
        raise ValidationError({"bedrag": _("Een terugbetaling is meer dan € 0.")})
    eerder, sleutel = eenmalig(sleutel, aanvraag, "terugbetalen")
    if eerder:
        return Terugbetaling.objects.get(pk=eerder.resultaat_id)
    vergrendel(aanvraag)
    mag(aanvraag, "terugbetalen")
    if Aanvraag.objects.filter(pk=aanvraag.pk, status__in=STAPPEN["terugbetalen"],
                               terugbetaald__lte=F("terugvordering") - bedrag).update(
            terugbetaald=F("terugbetaald") + bedrag) != 1:
        raise ValidationError({"bedrag": _(
            "Er staat nog %(rest)s open; meer kan niet worden terugbetaald.") % {
            "rest": format_euro(aanvraag.nog_terug_te_betalen)}})
    terugbetaling.datum, terugbetaling.bedrag = datum, bedrag
    save_object(actor, terugbetaling, check_permission=False)
    return klaar(sleutel, terugbetaling)
