"""Assessing and deciding: beoordelen, verlenen, weigeren and wijzigen, each with its
beschikking; the reservation of a grant in the plafond and the gebiedsbudget; the voorschot
schedule.

A decided aanvraag changes only through `wijzigen` (a recorded Wijziging with a beschikking).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record, snapshot
from core.money import ZERO, format_euro, to_money
from core.services import save_object
from finance.models import (
    Aanvraag,
    AanvraagJaar,
    Beschikking,
    Eis,
    Gebiedsbudget,
    Regeling,
    Termijn,
    VerantwoordingBestand,
    Wijziging,
)
from finance.services.base import (
    UPDATE,
    S,
    clean_money,
    current_date,
    eenmalig,
    klaar,
    require_behandelaar,
    reserve,
    vergrendel,
)
from finance.services.regelingen import klasse_voor
from finance.services.stappen import (
    STAPPEN,
    begin_stap,
    eisen_voor,
    mag,
    set_status,
    verantwoorden_voor,
)

OORDELEN = {"voldoet": _("voldoet"), "voldoet_niet": _("voldoet niet"),
            "nvt": _("niet van toepassing")}


@transaction.atomic
def beoordelen(actor, aanvraag, *, volledig: bool, aanvulling: str = "", punten=None,
               check_permission=True):
    """Completeness and the checklist. Incomplete: back to the applicant (concept) with what
    to add; the beslistermijn starts again when it is submitted again."""
    require_behandelaar(actor, aanvraag, check_permission)
    if not volledig:
        if not aanvulling.strip():
            raise ValidationError({"aanvulling": _("Schrijf wat de aanvrager moet aanvullen.")})
        before = set_status(aanvraag, S.INGEDIEND, S.CONCEPT, _(
            "Alleen een ingediende aanvraag die nog niet in behandeling is, gaat terug voor "
            "aanvulling."), aanvulling_gevraagd=aanvulling.strip(), ingediend_op=None,
            uiterste_beslisdatum=None)
        record(actor, UPDATE, aanvraag, before, snapshot(aanvraag))
        return aanvraag
    checklist = []
    for punt, oordeel, toelichting in punten or []:
        if oordeel and oordeel not in OORDELEN:
            raise ValidationError(_("Onbekend oordeel: %(o)s") % {"o": oordeel})
        checklist.append({"punt": punt, "oordeel": oordeel or "", "toelichting": toelichting})
    before = set_status(aanvraag, STAPPEN["beoordelen"], S.IN_BEHANDELING, _(
        "Over deze aanvraag is al besloten."), beoordeling=checklist)
    record(actor, UPDATE, aanvraag, before, snapshot(aanvraag))
    return aanvraag


def _kenmerk(aanvraag, soort):
    letter = {"verlening": "V", "weigering": "W", "wijziging": "M", "vaststelling": "S",
              "intrekking": "I"}[soort]
    n = Beschikking.objects.filter(aanvraag=aanvraag, soort=soort).count() + 1
    return f"{aanvraag.gemeente.cbs_code}-{aanvraag.pk:05d}-{letter}{n}"


def maak_beschikking(actor, aanvraag, soort, inhoud, today):
    regeling = aanvraag.regeling
    inhoud = {**inhoud, "ondertekenaar_naam": regeling.ondertekenaar_naam,
              "ondertekenaar_functie": regeling.ondertekenaar_functie}
    beschikking = Beschikking(
        gemeente_id=aanvraag.gemeente_id, aanvraag=aanvraag, soort=soort,
        kenmerk=_kenmerk(aanvraag, soort), datum=today, inhoud=inhoud,
        aangemaakt_door=actor if getattr(actor, "pk", None) else None)
    save_object(actor, beschikking, check_permission=False)
    # The letter is rendered after the commit, outside the locks of the decision; the download
    # view renders it too if that failed.
    from finance import pdf

    transaction.on_commit(lambda: pdf.store_beschikking_pdf(beschikking.pk))
    return beschikking


def _termijn_dates(ritme, jaar, today):
    R = Regeling.Ritme
    if ritme == R.INEENS:
        return [today]
    if ritme == R.PER_JAAR:
        return [max(datetime.date(jaar, 1, 1), today)]
    if ritme == R.PER_KWARTAAL:
        return [max(datetime.date(jaar, m, 1), today) for m in (1, 4, 7, 10)]
    return []


def _schedule(aanvraag, bedragen: dict[int, Decimal], percentage, ritme, today,
              already_paid: dict[int, Decimal] | None = None):
    """Termijnen for each year: `percentage` of the grant, split per the regeling's ritme
    (cents to the last termijn), less what was paid for that year already."""
    termijnen = []
    already_paid = already_paid or {}
    if ritme == Regeling.Ritme.INEENS:
        # One payment, attributed per year so the yearly overview stays right.
        for jaar, bedrag in sorted(bedragen.items()):
            part = to_money(bedrag * percentage / 100) - already_paid.get(jaar, ZERO)
            if part > 0:
                termijnen.append(Termijn(gemeente_id=aanvraag.gemeente_id, aanvraag=aanvraag,
                                         jaar=jaar, datum=today, bedrag=part))
        return termijnen
    for jaar, bedrag in sorted(bedragen.items()):
        target = to_money(bedrag * percentage / 100) - already_paid.get(jaar, ZERO)
        dates = [d for d in _termijn_dates(ritme, jaar, today)]
        if target <= 0 or not dates:
            continue
        dates = sorted(set(dates))
        share = to_money(target / len(dates))
        for i, datum in enumerate(dates):
            part = share if i < len(dates) - 1 else target - share * (len(dates) - 1)
            if part > 0:
                termijnen.append(Termijn(gemeente_id=aanvraag.gemeente_id, aanvraag=aanvraag,
                                         jaar=jaar, datum=datum, bedrag=part))
    return termijnen


def reserve_grant(aanvraag, deltas: dict[int, Decimal]):
    """Reserve (or release, for negative amounts) the grant in the regeling's plafond and, when
    the aanvraag belongs to a gebied, in that gebied's budget of each year."""
    regeling = aanvraag.regeling
    total = sum(deltas.values(), ZERO)
    if total:
        reserve(Regeling, regeling.pk, total, "toegekend", "plafond", lambda vrij: _(
            "Het subsidieplafond van '%(regeling)s' is bereikt: er is nog %(vrij)s beschikbaar, "
            "deze beschikking vraagt %(bedrag)s. Er is niets toegekend.") % {
            "regeling": regeling.naam, "vrij": format_euro(vrij), "bedrag": format_euro(total)})
    if not aanvraag.gebied_id:
        return
    for jaar, delta in sorted(deltas.items()):
        if not delta:
            continue
        gb = (Gebiedsbudget.objects.filter(gebied_id=aanvraag.gebied_id,
                                           programmabudget__jaar=jaar)
              .values_list("pk", flat=True).first())
        if gb is None:
            if delta < 0:
                continue
            raise ValidationError(_(
                "%(gebied)s heeft voor %(jaar)s geen gebiedsbudget. Er is niets toegekend.") % {
                "gebied": aanvraag.gebied, "jaar": jaar})
        reserve(Gebiedsbudget, gb, delta, "toegekend", "bedrag", lambda vrij, jaar=jaar,
                delta=delta: _(
            "Het gebiedsbudget %(jaar)s van %(gebied)s is niet toereikend: er is nog %(vrij)s "
            "vrij, nodig is %(bedrag)s. Er is niets toegekend.") % {
            "jaar": jaar, "gebied": aanvraag.gebied, "vrij": format_euro(vrij),
            "bedrag": format_euro(delta)})


def clean_bedragen(aanvraag, bedragen: dict, *, field="bedragen") -> dict[int, Decimal]:
    jaren = {j.jaar: j for j in aanvraag.jaren.all()}
    result = {}
    for jaar, bedrag in bedragen.items():
        jaar = int(jaar)
        if jaar not in jaren:
            raise ValidationError({field: _("%(jaar)s is geen jaar van deze aanvraag.") % {
                "jaar": jaar}})
        result[jaar] = clean_money(bedrag if bedrag not in (None, "") else "0", field)
    for jaar in jaren:
        result.setdefault(jaar, ZERO)
    return dict(sorted(result.items()))


@transaction.atomic
def verlenen(actor, aanvraag, *, bedragen: dict, motivering: str = "",
             voorschot_percentage: int | None = None, today=None, sleutel="",
             check_permission=True):
    """Grant: amounts per year (at most what was asked), the voorschot schedule, the
    reservation in the plafond (and gebiedsbudget), and the beschikking — all or nothing.
    `sleutel`: the form's idempotency key (a repeated post returns the first result)."""
    today = today or current_date()
    require_behandelaar(actor, aanvraag, check_permission)
    eerder, sleutel, jaren = begin_stap(aanvraag, "verlenen", sleutel, today)
    if eerder:
        aanvraag.refresh_from_db()
        return aanvraag
    bedragen = clean_bedragen(aanvraag, bedragen)
    for jaar, bedrag in bedragen.items():
        if bedrag > jaren[jaar].gevraagd:
            raise ValidationError({"bedragen": _(
                "Voor %(jaar)s wordt meer toegekend (%(bedrag)s) dan gevraagd (%(gevraagd)s).")
                % {"jaar": jaar, "bedrag": format_euro(bedrag),
                   "gevraagd": format_euro(jaren[jaar].gevraagd)}})
    total = sum(bedragen.values(), ZERO)
    if total <= 0:
        raise ValidationError({"bedragen": _(
            "Een verlening is meer dan € 0. Wilt u niets toekennen, weiger de aanvraag dan.")})
    regeling = aanvraag.regeling
    percentage = regeling.voorschot_percentage if voorschot_percentage is None else int(
        voorschot_percentage)
    if not 0 <= percentage <= 100:
        raise ValidationError({"voorschot_percentage": _(
            "Het voorschot is een percentage van 0 tot en met 100.")})
    if regeling.voorschot_ritme == Regeling.Ritme.GEEN:
        percentage = 0
    klasse = klasse_voor(aanvraag.gemeente, total)
    direct = klasse.eis == Eis.GEEN
    before = set_status(
        aanvraag, STAPPEN["verlenen"], S.VASTGESTELD if direct else S.VERLEEND,
        _("Over deze aanvraag is al besloten."), toegekend=total, besloten_op=timezone.now(),
        besloten_door=actor if getattr(actor, "pk", None) else None,
        besluit_toelichting=motivering.strip(), voorschot_percentage=percentage, eis=klasse.eis,
        **({"vastgesteld": total, "vastgesteld_op": timezone.now()} if direct else {}))
    reserve_grant(aanvraag, bedragen)
    for jaar, bedrag in bedragen.items():
        if AanvraagJaar.objects.filter(pk=jaren[jaar].pk, toegekend=0, betaald=0).update(
                toegekend=bedrag, **({"vastgesteld": bedrag} if direct else {})) != 1:
            raise ValidationError(_("De aanvraag is intussen veranderd; probeer het opnieuw."))
    termijnen = _schedule(aanvraag, {j: b for j, b in bedragen.items() if b > 0}, percentage,
                          regeling.voorschot_ritme, today)
    Termijn.objects.bulk_create(termijnen)
    record(actor, UPDATE, aanvraag, before, snapshot(aanvraag))
    maak_beschikking(actor, aanvraag, Beschikking.Soort.VERLENING, {
        "bedragen": {str(j): str(b) for j, b in bedragen.items()},
        "gevraagd": {str(j): str(r.gevraagd) for j, r in jaren.items()},
        "totaal_gevraagd": str(aanvraag.gevraagd),
        "verantwoorden_voor": (verantwoorden_voor(aanvraag).isoformat()
                               if not direct and verantwoorden_voor(aanvraag) else ""),
        "eis_bestanden": [str(VerantwoordingBestand.Soort(f).label)
                          for f in eisen_voor(klasse.eis)["bestanden"]],
        "totaal": str(total), "motivering": motivering.strip(),
        "voorschot_percentage": percentage, "ritme": regeling.get_voorschot_ritme_display(),
        "termijnen": [[t.datum.isoformat(), t.jaar, str(t.bedrag)] for t in termijnen],
        "eis": klasse.eis, "eis_tekst": str(klasse.get_eis_display()),
        "eis_omschrijving": klasse.omschrijving, "direct_vastgesteld": direct,
    }, today)
    return klaar(sleutel, aanvraag)


@transaction.atomic
def weigeren(actor, aanvraag, *, redenen: str, today=None, sleutel="", check_permission=True):
    today = today or current_date()
    require_behandelaar(actor, aanvraag, check_permission)
    if not (redenen or "").strip():
        raise ValidationError({"redenen": _("Schrijf waarom de aanvraag wordt geweigerd.")})
    eerder, sleutel = eenmalig(sleutel, aanvraag, "weigeren")
    if eerder:
        aanvraag.refresh_from_db()
        return aanvraag
    vergrendel(aanvraag)
    before = set_status(aanvraag, STAPPEN["weigeren"], S.GEWEIGERD, _(
        "Alleen een ingediende aanvraag waarover nog niet is besloten, kan worden geweigerd."),
        besloten_op=timezone.now(), besloten_door=actor if getattr(actor, "pk", None) else None,
        besluit_toelichting=redenen.strip())
    record(actor, UPDATE, aanvraag, before, snapshot(aanvraag))
    maak_beschikking(actor, aanvraag, Beschikking.Soort.WEIGERING,
                     {"redenen": redenen.strip()}, today)
    return klaar(sleutel, aanvraag)


@transaction.atomic
def wijzigen(actor, aanvraag, *, bedragen: dict, reden: str, today=None, sleutel="",
             check_permission=True) -> Wijziging:
    """The recorded amendment of a granted aanvraag: new amounts per year (reserved or released
    in the plafond and gebiedsbudget), a new voorschot schedule for what is not yet paid, and a
    beschikking."""
    today = today or current_date()
    require_behandelaar(actor, aanvraag, check_permission)
    if not (reden or "").strip():
        raise ValidationError({"reden": _("Schrijf de reden van de wijziging.")})
    eerder, sleutel = eenmalig(sleutel, aanvraag, "wijzigen")
    if eerder:
        return Wijziging.objects.get(pk=eerder.resultaat_id)
    # Every amount below is read after the lock, and each UPDATE also checks the value it was
    # computed from: a difference is never taken from a stale figure.
    jaren = vergrendel(aanvraag)
    mag(aanvraag, "wijzigen", today)
    bedragen = clean_bedragen(aanvraag, bedragen)
    deltas = {}
    for jaar, bedrag in bedragen.items():
        row = jaren[jaar]
        if bedrag < row.betaald:
            raise ValidationError({"bedragen": _(
                "Voor %(jaar)s is al %(betaald)s betaald; de subsidie kan niet lager worden "
                "dan dat.") % {"jaar": jaar, "betaald": format_euro(row.betaald)}})
        deltas[jaar] = bedrag - row.toegekend
    if not any(deltas.values()):
        raise ValidationError({"bedragen": _("De bedragen zijn niet veranderd.")})
    total = sum(bedragen.values(), ZERO)
    if total <= 0:
        raise ValidationError({"bedragen": _("Een verleende subsidie blijft meer dan € 0.")})
    before = snapshot(aanvraag)
    # The status is part of the UPDATE: a verantwoording that arrives meanwhile wins.
    if Aanvraag.objects.filter(pk=aanvraag.pk, status=S.VERLEEND, toegekend=aanvraag.toegekend,
                               betaald=aanvraag.betaald, betaald__lte=total).update(
            toegekend=total) != 1:
        raise ValidationError(_("De aanvraag is intussen veranderd; probeer het opnieuw."))
    reserve_grant(aanvraag, deltas)
    for jaar, bedrag in bedragen.items():
        row = jaren[jaar]
        if AanvraagJaar.objects.filter(pk=row.pk, toegekend=row.toegekend, betaald=row.betaald,
                                       betaald__lte=bedrag).update(toegekend=bedrag) != 1:
            raise ValidationError(_("Er is intussen betaald; probeer het opnieuw."))
    # Unpaid termijnen lapse; new ones cover the new amounts less what was paid.
    Termijn.objects.filter(aanvraag=aanvraag, betaling__isnull=True, vervallen=False).update(
        vervallen=True)
    paid = {j: r.betaald for j, r in jaren.items()}
    termijnen = _schedule(aanvraag, {j: b for j, b in bedragen.items() if b > 0},
                          aanvraag.voorschot_percentage or 0,
                          aanvraag.regeling.voorschot_ritme, today, already_paid=paid)
    Termijn.objects.bulk_create(termijnen)
    aanvraag.refresh_from_db()
    record(actor, UPDATE, aanvraag, before, snapshot(aanvraag))
    beschikking = maak_beschikking(actor, aanvraag, Beschikking.Soort.WIJZIGING, {
        "voor": {str(j): str(r.toegekend) for j, r in jaren.items()},
        "na": {str(j): str(b) for j, b in bedragen.items()}, "totaal": str(total),
        "reden": reden.strip(),
        "termijnen": [[t.datum.isoformat(), t.jaar, str(t.bedrag)] for t in termijnen],
    }, today)
    wijziging = Wijziging(gemeente_id=aanvraag.gemeente_id, aanvraag=aanvraag,
                          door=actor if getattr(actor, "pk", None) else None,
                          reden=reden.strip(), beschikking=beschikking,
                          voor={str(j): str(r.toegekend) for j, r in jaren.items()},
                          na={str(j): str(b) for j, b in bedragen.items()})
    save_object(actor, wijziging, check_permission=False)
    return klaar(sleutel, wijziging)
