"""Every write use-case of finance: one transaction each, permission-checked, audited.

Limits hold under concurrency because the database checks them: each reservation is one
conditional UPDATE (`... SET toegekend = toegekend + x WHERE id = ? AND toegekend + x <=
plafond`) whose row count says whether it fitted; that works alike on PostgreSQL and SQLite
(where `select_for_update` does nothing). When a reservation does not fit, the service raises a
ValidationError with the reason, and the whole decision's transaction is rolled back.

The state machine of an aanvraag:

    concept → ingediend → in behandeling → verleend → verantwoord → vastgesteld
                 ↘ (onvolledig: back to concept)   ↘ geweigerd
    verleend with tier "geen verslag": vastgesteld at once.

A decided aanvraag changes only through `wijzigen` (a recorded Wijziging with a beschikking).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import policy
from core.audit import record, snapshot
from core.models import AuditEntry
from core.money import ZERO, format_euro, parse_money, to_money
from core.services import delete_object, save_object
from finance import uploads
from finance.models import (
    MAX_JAREN,
    Aanvraag,
    AanvraagBestand,
    AanvraagJaar,
    Begrotingsregel,
    Beschikking,
    Betaling,
    Eis,
    Gebiedsbudget,
    Handeling,
    Programmabudget,
    Regeling,
    Termijn,
    Terugbetaling,
    Verantwoording,
    VerantwoordingBestand,
    Verantwoordingsklasse,
    WijkplanBegrotingsregel,
    Wijziging,
)
from framework.selectors import huidig_klaverblad
from framework.services import set_doelen

S = Aanvraag.Status
CREATE, UPDATE = AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE


def _today():
    return timezone.localdate()


def _require(actor, action, obj, check_permission=True):
    if check_permission:
        policy.require(actor, action, obj)


def _require_behandelaar(actor, aanvraag, check_permission=True):
    """Deciding on an aanvraag (assessing, granting, paying, setting) is making a beschikking."""
    _require(actor, policy.ADD, Beschikking(gemeente_id=aanvraag.gemeente_id, aanvraag=aanvraag),
             check_permission)


def _money(value, field=None):
    try:
        return parse_money(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages} if field else exc.messages) from None


def _update_fields(actor, instance, fields, *, condition=None, refused=None):
    """Write only `fields` of an existing row (never its counters), if `condition` holds in the
    database at that moment; audit before/after."""
    model = type(instance)
    stored = model._default_manager.get(pk=instance.pk)
    before = snapshot(stored)
    for name in fields:
        setattr(stored, name, getattr(instance, name))
    stored.full_clean()
    changed = model._default_manager.filter(pk=instance.pk).filter(condition or Q()).update(
        **{name: getattr(instance, name) for name in fields})
    if not changed:
        raise ValidationError(refused or _("Dit kon niet worden opgeslagen."))
    instance.refresh_from_db()
    after = snapshot(instance)
    if before != after:
        record(actor, UPDATE, instance, before, after)
    return instance


# --- budgets -------------------------------------------------------------------------------


@transaction.atomic
def save_programmabudget(actor, budget: Programmabudget, *, check_permission=True):
    if budget._state.adding:
        return save_object(actor, budget, check_permission=check_permission)
    _require(actor, policy.CHANGE, budget, check_permission)
    budget.bedrag = _money(budget.bedrag, "bedrag")
    return _update_fields(
        actor, budget, ["jaar", "naam", "bedrag", "toelichting"],
        condition=Q(toegewezen__lte=budget.bedrag),
        refused=_("Er is al meer over de gebieden verdeeld dan dit budget. Verlaag eerst de "
                  "gebiedsbudgetten."))


def _reserve(model, pk, amount, used, limit, refused):
    """The one conditional UPDATE: used += amount where used + amount <= limit (or, for a
    negative amount, where used + amount >= 0). `refused`: the message, or a function of what
    is still free at the moment of refusal (read after the failed UPDATE, so it is current)."""
    amount = to_money(amount)
    if amount == 0:
        return
    qs = model._default_manager.filter(pk=pk)
    if amount > 0:
        qs = qs.filter(**{f"{used}__lte": F(limit) - amount})
    else:
        qs = qs.filter(**{f"{used}__gte": -amount})
    if qs.update(**{used: F(used) + amount}) != 1:
        if callable(refused):
            row = model._default_manager.values_list(limit, used).get(pk=pk)
            refused = refused(row[0] - row[1])
        raise ValidationError(refused)


def _eenmalig(sleutel, aanvraag, soort):
    """Claim the key of this step (made when the form was rendered, or sent by the API client).
    Returns (earlier Handeling or None, the clean key). An earlier one means: this exact post was
    handled before (or is being handled: the unique index makes the second insert wait for the
    first transaction), and the caller answers with that first result."""
    sleutel = (sleutel or "").strip()[:64]
    if not sleutel:
        return None, ""
    try:
        with transaction.atomic():
            Handeling.objects.create(gemeente_id=aanvraag.gemeente_id, sleutel=sleutel,
                                     soort=soort, aanvraag_id=aanvraag.pk)
    except IntegrityError:
        eerder = Handeling.objects.filter(sleutel=sleutel).first()
        if eerder is None or eerder.soort != soort or eerder.aanvraag_id != aanvraag.pk:
            raise ValidationError(_("Dit formulier is al eens gebruikt voor iets anders. "
                                    "Open de pagina opnieuw.")) from None
        return eerder, sleutel
    return None, sleutel


def _klaar(sleutel, resultaat):
    if sleutel:
        Handeling.objects.filter(sleutel=sleutel).update(resultaat_id=resultaat.pk)
    return resultaat


def _vergrendel(aanvraag) -> dict:
    """Lock the aanvraag for the rest of this transaction, then read it and its years afresh
    (never from a prefetch made before the transaction began). Every write that moves money on
    an aanvraag starts here, so they run one after the other per aanvraag and always lock in
    the same order: aanvraag, its years, the regeling, the gebiedsbudgetten by year.
    PostgreSQL: SELECT ... FOR UPDATE. SQLite: every transaction is IMMEDIATE (settings), so it
    holds the write lock from its start and this read is already current."""
    list(Aanvraag.objects.select_for_update().filter(pk=aanvraag.pk).values_list("pk"))
    aanvraag.refresh_from_db()
    return {j.jaar: j for j in AanvraagJaar.objects.filter(aanvraag_id=aanvraag.pk)
            .order_by("jaar")}


@transaction.atomic
def save_gebiedsbudget(actor, gb: Gebiedsbudget, *, check_permission=True):
    """Allocate (or change) a gebied's part of the programmabudget; the sum of the parts never
    exceeds the programme, and a part never drops below what was granted from it."""
    gb.bedrag = _money(gb.bedrag, "bedrag")
    pb = gb.programmabudget
    if gb._state.adding:
        _require(actor, policy.ADD, gb, check_permission)
        gb.full_clean()
        old = ZERO
    else:
        _require(actor, policy.CHANGE, gb, check_permission)
        old = Gebiedsbudget.objects.values_list("bedrag", flat=True).get(pk=gb.pk)
    delta = gb.bedrag - old
    _reserve(Programmabudget, pb.pk, delta, "toegewezen", "bedrag", lambda vrij: _(
        "Dit past niet in het programmabudget %(jaar)s: er is nog %(vrij)s te verdelen.") % {
        "jaar": pb.jaar, "vrij": format_euro(vrij)})
    if gb._state.adding:
        try:
            with transaction.atomic():
                return save_object(actor, gb, check_permission=False)
        except IntegrityError:
            raise ValidationError(_("Dit gebied heeft in dit jaar al een budget.")) from None
    return _update_fields(
        actor, gb, ["bedrag"], condition=Q(bedrag=old, toegekend__lte=gb.bedrag),
        refused=_("Uit dit gebiedsbudget is al meer toegekend dan %(bedrag)s.") % {
            "bedrag": format_euro(gb.bedrag)})


@transaction.atomic
def delete_gebiedsbudget(actor, gb: Gebiedsbudget, *, check_permission=True):
    _require(actor, policy.DELETE, gb, check_permission)
    # Lock the row on the condition that nothing was granted from it, then release what it
    # held as stored (not as the page showed it).
    if Gebiedsbudget.objects.filter(pk=gb.pk, toegekend=0).update(bedrag=F("bedrag")) != 1:
        raise ValidationError(_("Uit dit gebiedsbudget is al subsidie toegekend; het kan niet "
                                "worden verwijderd."))
    bedrag = Gebiedsbudget.objects.values_list("bedrag", flat=True).get(pk=gb.pk)
    _reserve(Programmabudget, gb.programmabudget_id, -bedrag, "toegewezen", "bedrag",
             _("Het programmabudget klopt niet meer; probeer het opnieuw."))
    delete_object(actor, gb, check_permission=False)


# --- regelingen and tiers ---------------------------------------------------------------


@transaction.atomic
def save_regeling(actor, regeling: Regeling, *, doelen=None, check_permission=True):
    """Create or change a regeling (never its plafond below what was granted); `doelen`: the
    Klaverblad doelen it serves (None: leave them)."""
    regeling.plafond = _money(regeling.plafond, "plafond")
    if regeling._state.adding:
        save_object(actor, regeling, check_permission=check_permission)
    else:
        _require(actor, policy.CHANGE, regeling, check_permission)
        fields = [f.name for f in Regeling._meta.concrete_fields
                  if f.editable and f.name not in ("id", "gemeente")]
        _update_fields(
            actor, regeling, fields, condition=Q(toegekend__lte=regeling.plafond),
            refused=_("Onder deze regeling is al meer toegekend dan dit plafond."))
    if doelen is not None:
        set_doelen(actor, regeling, doelen, check_permission=False)
    return regeling


def save_klasse(actor, klasse: Verantwoordingsklasse, *, check_permission=True):
    return save_object(actor, klasse, check_permission=check_permission)


def klassen_van(gemeente):
    """The gemeente's tiers, or the three default tiers (unsaved) when it has none."""
    from finance.models import DEFAULT_KLASSEN

    klassen = list(Verantwoordingsklasse.objects.filter(gemeente=gemeente))
    if klassen:
        return klassen
    return [Verantwoordingsklasse(gemeente=gemeente, eis=eis, omschrijving=str(tekst),
                                  tot_en_met=Decimal(grens) if grens else None)
            for grens, eis, tekst in DEFAULT_KLASSEN]


def klasse_voor(gemeente, bedrag) -> Verantwoordingsklasse:
    klassen = klassen_van(gemeente)
    for klasse in klassen:
        if klasse.tot_en_met is None or bedrag <= klasse.tot_en_met:
            return klasse
    return klassen[-1]


@transaction.atomic
def publiceren(actor, regeling: Regeling, *, check_permission=True) -> Regeling:
    """Publish a concept regeling: from now on partners see it (and may apply in its window)."""
    _require(actor, policy.CHANGE, regeling, check_permission)
    before = snapshot(regeling)
    if Regeling.objects.filter(pk=regeling.pk, gepubliceerd_op__isnull=True).update(
            gepubliceerd_op=timezone.now()) != 1:
        raise ValidationError(_("Deze regeling is al gepubliceerd."))
    regeling.refresh_from_db()
    record(actor, UPDATE, regeling, before, snapshot(regeling))
    return regeling


# --- aanvragen: writing and submitting ------------------------------------------------------


def _clean_jaren(regeling, jaren: dict) -> dict[int, Decimal]:
    result = {}
    for jaar, bedrag in sorted(jaren.items()):
        jaar = int(jaar)
        if bedrag in (None, ""):
            continue
        result[jaar] = _money(bedrag, "jaren")
    errors = []
    for jaar in result:
        if not regeling.jaar_van <= jaar <= regeling.jaar_tot:
            errors.append(_("Het jaar %(jaar)s valt buiten de regeling (%(van)s–%(tot)s).") % {
                "jaar": jaar, "van": regeling.jaar_van, "tot": regeling.jaar_tot})
    if len(result) > min(regeling.max_jaren, MAX_JAREN):
        errors.append(_("Vraag subsidie aan voor hoogstens %(n)s jaar.") % {
            "n": min(regeling.max_jaren, MAX_JAREN)})
    if result and max(result) - min(result) + 1 != len(result):
        errors.append(_("De jaren van een aanvraag volgen op elkaar, zonder gat."))
    if errors:
        raise ValidationError(errors)
    return result


@transaction.atomic
def save_aanvraag(actor, aanvraag: Aanvraag, *, jaren: dict, regels: list[dict], doelen=None,
                  check_permission=True) -> Aanvraag:
    """Create or change a concept aanvraag with its amounts per year and begroting lines.
    `regels`: [{jaar, soort, omschrijving, bedrag}]; `doelen`: Klaverblad doelen (None: leave
    them)."""
    creating = aanvraag._state.adding
    if creating:
        regeling = aanvraag.regeling
        if not Regeling.objects.filter(pk=regeling.pk, gepubliceerd_op__isnull=False).exists():
            raise ValidationError(_("Deze regeling is nog niet gepubliceerd."))
        if not regeling.open_op(_today()):
            raise ValidationError(_("Aanvragen kan van %(van)s tot en met %(tot)s.") % {
                "van": regeling.aanvragen_van.strftime("%d-%m-%Y"),
                "tot": regeling.aanvragen_tot.strftime("%d-%m-%Y")})
    if not creating:
        stored = Aanvraag.objects.get(pk=aanvraag.pk)
        if stored.status != S.CONCEPT:
            raise ValidationError(_("Deze aanvraag is al ingediend of besloten en kan niet meer "
                                    "zo worden gewijzigd. Een besloten aanvraag verandert "
                                    "alleen door een wijziging van de beschikking."))
        before = _aanvraag_snapshot(stored)
    jaren = _clean_jaren(aanvraag.regeling, jaren)
    clean_regels = []
    for i, regel in enumerate(regels, start=1):
        jaar = int(regel["jaar"])
        if jaar not in jaren:
            raise ValidationError(_("Begrotingsregel %(n)s hoort bij %(jaar)s, maar voor dat jaar "
                                    "vraagt u niets aan.") % {"n": i, "jaar": jaar})
        clean_regels.append(Begrotingsregel(
            gemeente_id=aanvraag.gemeente_id, jaar=jaar,
            soort=regel.get("soort") or Begrotingsregel.Soort.KOSTEN,
            omschrijving=(regel.get("omschrijving") or "").strip(),
            bedrag=_money(regel["bedrag"], "begroting")))
    aanvraag.gevraagd = sum(jaren.values(), ZERO)
    if creating:
        save_object(actor, aanvraag, check_permission=check_permission)
    else:
        _require(actor, policy.CHANGE, aanvraag, check_permission)
        # The status is checked again in the UPDATE itself: a concurrent indienen wins.
        fields = ["regeling", "organisatie", "initiatiefnemer", "gebied", "titel",
                  "activiteiten", "gevraagd"]
        _update_fields(actor, aanvraag, fields, condition=Q(status=S.CONCEPT),
                       refused=_("Deze aanvraag is intussen ingediend."))
    aanvraag.jaren.all().delete()
    aanvraag.begrotingsregels.all().delete()
    AanvraagJaar.objects.bulk_create([
        AanvraagJaar(gemeente_id=aanvraag.gemeente_id, aanvraag=aanvraag, jaar=jaar,
                     gevraagd=bedrag) for jaar, bedrag in jaren.items()])
    for regel in clean_regels:
        regel.aanvraag = aanvraag
        regel.full_clean()
    Begrotingsregel.objects.bulk_create(clean_regels)
    after = _aanvraag_snapshot(aanvraag)
    if creating or before != after:
        record(actor, UPDATE, aanvraag, None if creating else before, after)
    if doelen is not None:
        set_doelen(actor, aanvraag, doelen, check_permission=False)
    return aanvraag


def _aanvraag_snapshot(aanvraag):
    return {
        "jaren": {str(j.jaar): str(j.gevraagd) for j in aanvraag.jaren.all()},
        "begroting": [[r.jaar, r.soort, r.omschrijving, str(r.bedrag)]
                      for r in aanvraag.begrotingsregels.all()],
    }


@transaction.atomic
def add_bijlage(actor, aanvraag, *, soort: str, upload, check_permission=True):
    """Attach the projectplan, the begroting or another document to a concept aanvraag (PDF,
    DOCX or XLSX, checked by content and size)."""
    bestand = AanvraagBestand(gemeente_id=aanvraag.gemeente_id, aanvraag=aanvraag, soort=soort)
    _require(actor, policy.ADD, bestand, check_permission)
    _mag(aanvraag, "bewerken")
    if soort not in AanvraagBestand.Soort.values:
        raise ValidationError({"soort": _("Onbekende soort bestand.")})
    formaat = uploads.check_document(upload)
    naam = uploads.safe_name(upload.name, formaat)
    upload.seek(0)
    bestand.naam, bestand.formaat, bestand.grootte = naam, formaat, upload.size
    bestand.bestand.save(naam, upload, save=False)
    return save_object(actor, bestand, check_permission=False)


@transaction.atomic
def delete_aanvraag(actor, aanvraag, *, check_permission=True):
    if aanvraag.status != S.CONCEPT:
        raise ValidationError(_("Alleen een concept kan worden verwijderd."))
    delete_object(actor, aanvraag, check_permission=check_permission)


def begroting_per_jaar(aanvraag):
    """{jaar: {"gevraagd", "kosten", "dekking", "sluit"}} for the begroting table."""
    rows = {j.jaar: {"gevraagd": j.gevraagd, "kosten": ZERO, "dekking": ZERO}
            for j in aanvraag.jaren.all()}
    for regel in aanvraag.begrotingsregels.all():
        row = rows.setdefault(regel.jaar, {"gevraagd": ZERO, "kosten": ZERO, "dekking": ZERO})
        row["kosten" if regel.soort == Begrotingsregel.Soort.KOSTEN else "dekking"] += (
            regel.bedrag)
    for row in rows.values():
        row["sluit"] = row["kosten"] == row["gevraagd"] + row["dekking"]
    return dict(sorted(rows.items()))


def ontbreekt(aanvraag, today=None) -> list[str]:
    """The completeness check: what is missing before this aanvraag can be submitted."""
    today = today or _today()
    regeling = aanvraag.regeling
    missing = []
    if not aanvraag.titel.strip():
        missing.append(_("Geef de aanvraag een titel."))
    if len(aanvraag.activiteiten.strip()) < 20:
        missing.append(_("Beschrijf de activiteiten (wat, voor wie, waar en wanneer)."))
    if not aanvraag.organisatie_id and not aanvraag.initiatiefnemer.strip():
        missing.append(_("Vul in wie de subsidie aanvraagt."))
    if regeling.gebiedsgebonden and not aanvraag.gebied_id:
        missing.append(_("Kies het gebied: deze regeling is voor activiteiten in een gebied."))
    if (not aanvraag.doel_koppelingen.exists()
            and huidig_klaverblad(aanvraag.gemeente, today) is not None):
        missing.append(_("Kies de doelen van het Klaverblad waaraan de activiteiten "
                         "bijdragen."))
    begroting = begroting_per_jaar(aanvraag)
    if not begroting or not any(r["gevraagd"] > 0 for r in begroting.values()):
        missing.append(_("Vul in hoeveel subsidie u per jaar vraagt."))
    for jaar, row in begroting.items():
        if row["kosten"] == 0:
            missing.append(_("Zet de kosten van %(jaar)s in de begroting.") % {"jaar": jaar})
        elif not row["sluit"]:
            missing.append(_(
                "De begroting van %(jaar)s sluit niet: de kosten (%(kosten)s) zijn niet gelijk "
                "aan de gevraagde subsidie (%(gevraagd)s) plus de andere financiering "
                "(%(dekking)s).") % {"jaar": jaar, "kosten": format_euro(row["kosten"]),
                                     "gevraagd": format_euro(row["gevraagd"]),
                                     "dekking": format_euro(row["dekking"])})
    if not regeling.open_op(today):
        missing.append(_("Aanvragen kan van %(van)s tot en met %(tot)s.") % {
            "van": regeling.aanvragen_van.strftime("%d-%m-%Y"),
            "tot": regeling.aanvragen_tot.strftime("%d-%m-%Y")})
    return missing


# --- the state machine ----------------------------------------------------------------------

BETAALBAAR = (S.VERLEEND, S.VERANTWOORD, S.VASTGESTELD)

# Which statuses each step starts from. `waarom_niet` gives the reason a step cannot be taken
# now; the services refuse with it, the pages show it (and hide the buttons), the API answers
# with it. The status is checked once more in each step's conditional UPDATE (`_set_status`).
STAPPEN = {
    "bewerken": (S.CONCEPT,),
    "verwijderen": (S.CONCEPT,),
    "indienen": (S.CONCEPT,),
    "beoordelen": Aanvraag.OPEN,
    "verlenen": (S.IN_BEHANDELING,),
    "weigeren": Aanvraag.OPEN,
    "wijzigen": (S.VERLEEND,),
    "intrekken": (S.VERLEEND, S.VERANTWOORD),
    "betalen": BETAALBAAR,
    "verantwoorden": (S.VERLEEND,),
    "vaststellen": (S.VERANTWOORD,),
    "terugbetalen": (S.VASTGESTELD, S.INGETROKKEN),
}


def waarom_niet(aanvraag, stap: str, today=None) -> str:
    """Why `stap` cannot be taken on this aanvraag now ("" when it can): the one place that
    knows the state machine's preconditions and their Dutch reasons."""
    status = aanvraag.status
    allowed = status in STAPPEN[stap]
    if stap in ("bewerken", "indienen") and not allowed:
        return (_("Deze aanvraag is al ingediend.") if stap == "indienen" else _(
            "Deze aanvraag is al ingediend en kan hier niet meer worden gewijzigd."))
    if stap == "bewerken":
        return ""
    if stap == "indienen":
        missing = ontbreekt(aanvraag, today)
        return " ".join([_("Nog niet volledig:"), *missing]) if missing else ""
    if stap == "verwijderen":
        return "" if allowed else _("Alleen een concept kan worden verwijderd.")
    if stap == "beoordelen":
        return "" if allowed else _("Alleen een ingediende aanvraag waarover nog niet is "
                                    "besloten, wordt beoordeeld.")
    if stap == "verlenen":
        if status in Aanvraag.BESLOTEN:
            return _("Over deze aanvraag is al besloten.")
        if not allowed:
            return _("Neem de aanvraag eerst in behandeling: controleer of ze volledig is en "
                     "beoordeel haar.")
        return " ".join(beoordeling_compleet(aanvraag))
    if stap == "weigeren":
        return "" if allowed else _("Alleen een ingediende aanvraag waarover nog niet is "
                                    "besloten, kan worden geweigerd.")
    if stap == "wijzigen":
        return "" if allowed else _("Alleen een verleende subsidie waarvan de verantwoording "
                                    "nog niet binnen is, kan worden gewijzigd.")
    if stap == "intrekken":
        return "" if allowed else _("Alleen een verleende subsidie die nog niet is "
                                    "vastgesteld, kan worden ingetrokken.")
    if stap == "betalen":
        if status == S.GEWEIGERD:
            return _("Op een geweigerde aanvraag wordt niets betaald.")
        if not allowed:
            return _("Op een aanvraag die niet is verleend, wordt niets betaald.")
        if status == S.VASTGESTELD and aanvraag.eis != Eis.GEEN:
            return "" if aanvraag.nog_te_betalen > 0 else _(
                "Alles wat is vastgesteld, is betaald.")
        if not aanvraag.termijnen.filter(vervallen=False, betaling__isnull=True).exists():
            return _("Er staat geen voorschot meer open in het schema.")
        return ""
    if stap == "verantwoorden":
        if status == S.VASTGESTELD and aanvraag.eis == Eis.GEEN:
            return _("Deze subsidie is bij de verlening al vastgesteld; u hoeft geen "
                     "verantwoording te sturen.")
        if not allowed:
            return _("Een verantwoording hoort bij een verleende subsidie die nog niet is "
                     "verantwoord.")
        einde = periode_einde(aanvraag)
        if (einde and (today or _today()) <= einde
                and not aanvraag.regeling.tussentijds_verantwoorden):
            return _("De subsidieperiode loopt tot en met %(einde)s. Stuur de verantwoording "
                     "daarna, uiterlijk %(uiterlijk)s.") % {
                "einde": einde.strftime("%d-%m-%Y"),
                "uiterlijk": verantwoorden_voor(aanvraag).strftime("%d-%m-%Y")}
        return ""
    if stap == "vaststellen":
        if status == S.VASTGESTELD:
            return _("Deze subsidie is al vastgesteld.")
        if status == S.VERLEEND:
            return _("Wacht op de verantwoording van de aanvrager; daarna kan de subsidie "
                     "worden vastgesteld.")
        return "" if allowed else _("Een subsidie kan pas worden vastgesteld als ze is "
                                    "verleend.")
    if stap == "terugbetalen":
        if not allowed or aanvraag.terugvordering <= 0:
            return _("Er wordt niets teruggevorderd.")
        return "" if aanvraag.nog_terug_te_betalen > 0 else _(
            "De terugvordering is helemaal terugbetaald.")
    raise ValueError(stap)


def mogelijke_stappen(aanvraag) -> set[str]:
    """The steps whose button the aanvraag's page shows: the status allows them, and for the
    money steps there is something left to do. (The step's own page says what else is
    missing, e.g. an unjudged point before a verlening.)"""
    stappen = {stap for stap, van in STAPPEN.items() if aanvraag.status in van}
    for stap in ("betalen", "terugbetalen"):
        if stap in stappen and waarom_niet(aanvraag, stap):
            stappen.discard(stap)
    return stappen


def periode_einde(aanvraag):
    """The last day of the subsidy period: 31 December of the last year with a grant."""
    jaren = [j.jaar for j in aanvraag.jaren.all() if j.toegekend > 0]
    return datetime.date(max(jaren), 12, 31) if jaren else None


def verantwoorden_voor(aanvraag):
    """The verantwoording deadline: the regeling's number of weeks after the period."""
    einde = periode_einde(aanvraag)
    if einde is None:
        return None
    return einde + datetime.timedelta(weeks=aanvraag.regeling.verantwoording_weken)


def _mag(aanvraag, stap, today=None):
    reason = waarom_niet(aanvraag, stap, today)
    if reason:
        raise ValidationError(reason)


def _set_status(aanvraag, van, naar, refused, **fields):
    """Move the aanvraag from one of the states `van` to `naar` — in one conditional UPDATE,
    so two people deciding at the same moment cannot both succeed."""
    van = (van,) if isinstance(van, str) else tuple(van)
    changed = Aanvraag.objects.filter(pk=aanvraag.pk, status__in=van).update(
        status=naar, **fields)
    if changed != 1:
        raise ValidationError(refused)
    before = snapshot(aanvraag)
    aanvraag.refresh_from_db()
    return before


@transaction.atomic
def indienen(actor, aanvraag, *, today=None, check_permission=True):
    today = today or _today()
    _require(actor, policy.CHANGE, aanvraag, check_permission)
    missing = ontbreekt(aanvraag, today)
    if missing:
        raise ValidationError(missing)
    uiterst = today + datetime.timedelta(weeks=aanvraag.regeling.beslistermijn_weken)
    before = _set_status(aanvraag, STAPPEN["indienen"], S.INGEDIEND,
                         _("Deze aanvraag is al ingediend."), ingediend_op=timezone.now(),
                         ingediend_door=actor if getattr(actor, "pk", None) else None,
                         uiterste_beslisdatum=uiterst, aanvulling_gevraagd="")
    record(actor, UPDATE, aanvraag, before, snapshot(aanvraag))
    return aanvraag


# --- assessing and deciding ----------------------------------------------------------------

OORDELEN = {"voldoet": _("voldoet"), "voldoet_niet": _("voldoet niet"),
            "nvt": _("niet van toepassing")}


@transaction.atomic
def beoordelen(actor, aanvraag, *, volledig: bool, aanvulling: str = "", punten=None,
               check_permission=True):
    """Completeness and the checklist. Incomplete: back to the applicant (concept) with what
    to add; the beslistermijn starts again when it is submitted again."""
    _require_behandelaar(actor, aanvraag, check_permission)
    if not volledig:
        if not aanvulling.strip():
            raise ValidationError({"aanvulling": _("Schrijf wat de aanvrager moet aanvullen.")})
        before = _set_status(aanvraag, S.INGEDIEND, S.CONCEPT, _(
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
    before = _set_status(aanvraag, STAPPEN["beoordelen"], S.IN_BEHANDELING, _(
        "Over deze aanvraag is al besloten."), beoordeling=checklist)
    record(actor, UPDATE, aanvraag, before, snapshot(aanvraag))
    return aanvraag


def beoordeling_compleet(aanvraag) -> list[str]:
    """What stops a verlening in the checklist: unjudged points, or points that fail."""
    problems = []
    judged = {p["punt"]: p for p in aanvraag.beoordeling}
    for punt in aanvraag.regeling.punten():
        item = judged.get(punt)
        if not item or not item["oordeel"]:
            problems.append(_("Beoordeel eerst: %(punt)s.") % {"punt": punt})
        elif item["oordeel"] == "voldoet_niet":
            problems.append(_("Voldoet niet: %(punt)s. Weiger de aanvraag, of pas de "
                              "beoordeling aan.") % {"punt": punt})
    return problems


def _kenmerk(aanvraag, soort):
    letter = {"verlening": "V", "weigering": "W", "wijziging": "M", "vaststelling": "S",
              "intrekking": "I"}[soort]
    n = Beschikking.objects.filter(aanvraag=aanvraag, soort=soort).count() + 1
    return f"{aanvraag.gemeente.cbs_code}-{aanvraag.pk:05d}-{letter}{n}"


def _beschikking(actor, aanvraag, soort, inhoud, today):
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


def _reserve_grant(aanvraag, deltas: dict[int, Decimal]):
    """Reserve (or release, for negative amounts) the grant in the regeling's plafond and, when
    the aanvraag belongs to a gebied, in that gebied's budget of each year."""
    regeling = aanvraag.regeling
    total = sum(deltas.values(), ZERO)
    if total:
        _reserve(Regeling, regeling.pk, total, "toegekend", "plafond", lambda vrij: _(
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
        _reserve(Gebiedsbudget, gb, delta, "toegekend", "bedrag", lambda vrij, jaar=jaar,
                 delta=delta: _(
            "Het gebiedsbudget %(jaar)s van %(gebied)s is niet toereikend: er is nog %(vrij)s "
            "vrij, nodig is %(bedrag)s. Er is niets toegekend.") % {
            "jaar": jaar, "gebied": aanvraag.gebied, "vrij": format_euro(vrij),
            "bedrag": format_euro(delta)})


def _clean_bedragen(aanvraag, bedragen: dict, *, field="bedragen") -> dict[int, Decimal]:
    jaren = {j.jaar: j for j in aanvraag.jaren.all()}
    result = {}
    for jaar, bedrag in bedragen.items():
        jaar = int(jaar)
        if jaar not in jaren:
            raise ValidationError({field: _("%(jaar)s is geen jaar van deze aanvraag.") % {
                "jaar": jaar}})
        result[jaar] = _money(bedrag if bedrag not in (None, "") else "0", field)
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
    today = today or _today()
    _require_behandelaar(actor, aanvraag, check_permission)
    eerder, sleutel = _eenmalig(sleutel, aanvraag, "verlenen")
    if eerder:
        aanvraag.refresh_from_db()
        return aanvraag
    jaren = _vergrendel(aanvraag)
    _mag(aanvraag, "verlenen", today)
    bedragen = _clean_bedragen(aanvraag, bedragen)
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
    before = _set_status(
        aanvraag, STAPPEN["verlenen"], S.VASTGESTELD if direct else S.VERLEEND,
        _("Over deze aanvraag is al besloten."), toegekend=total, besloten_op=timezone.now(),
        besloten_door=actor if getattr(actor, "pk", None) else None,
        besluit_toelichting=motivering.strip(), voorschot_percentage=percentage, eis=klasse.eis,
        **({"vastgesteld": total, "vastgesteld_op": timezone.now()} if direct else {}))
    _reserve_grant(aanvraag, bedragen)
    for jaar, bedrag in bedragen.items():
        if AanvraagJaar.objects.filter(pk=jaren[jaar].pk, toegekend=0, betaald=0).update(
                toegekend=bedrag, **({"vastgesteld": bedrag} if direct else {})) != 1:
            raise ValidationError(_("De aanvraag is intussen veranderd; probeer het opnieuw."))
    termijnen = _schedule(aanvraag, {j: b for j, b in bedragen.items() if b > 0}, percentage,
                          regeling.voorschot_ritme, today)
    Termijn.objects.bulk_create(termijnen)
    record(actor, UPDATE, aanvraag, before, snapshot(aanvraag))
    _beschikking(actor, aanvraag, Beschikking.Soort.VERLENING, {
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
    return _klaar(sleutel, aanvraag)


@transaction.atomic
def weigeren(actor, aanvraag, *, redenen: str, today=None, sleutel="", check_permission=True):
    today = today or _today()
    _require_behandelaar(actor, aanvraag, check_permission)
    if not (redenen or "").strip():
        raise ValidationError({"redenen": _("Schrijf waarom de aanvraag wordt geweigerd.")})
    eerder, sleutel = _eenmalig(sleutel, aanvraag, "weigeren")
    if eerder:
        aanvraag.refresh_from_db()
        return aanvraag
    _vergrendel(aanvraag)
    before = _set_status(aanvraag, STAPPEN["weigeren"], S.GEWEIGERD, _(
        "Alleen een ingediende aanvraag waarover nog niet is besloten, kan worden geweigerd."),
        besloten_op=timezone.now(), besloten_door=actor if getattr(actor, "pk", None) else None,
        besluit_toelichting=redenen.strip())
    record(actor, UPDATE, aanvraag, before, snapshot(aanvraag))
    _beschikking(actor, aanvraag, Beschikking.Soort.WEIGERING,
                 {"redenen": redenen.strip()}, today)
    return _klaar(sleutel, aanvraag)


@transaction.atomic
def wijzigen(actor, aanvraag, *, bedragen: dict, reden: str, today=None, sleutel="",
             check_permission=True) -> Wijziging:
    """The recorded amendment of a granted aanvraag: new amounts per year (reserved or released
    in the plafond and gebiedsbudget), a new voorschot schedule for what is not yet paid, and a
    beschikking."""
    today = today or _today()
    _require_behandelaar(actor, aanvraag, check_permission)
    if not (reden or "").strip():
        raise ValidationError({"reden": _("Schrijf de reden van de wijziging.")})
    eerder, sleutel = _eenmalig(sleutel, aanvraag, "wijzigen")
    if eerder:
        return Wijziging.objects.get(pk=eerder.resultaat_id)
    # Every amount below is read after the lock, and each UPDATE also checks the value it was
    # computed from: a difference is never taken from a stale figure.
    jaren = _vergrendel(aanvraag)
    _mag(aanvraag, "wijzigen", today)
    bedragen = _clean_bedragen(aanvraag, bedragen)
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
    _reserve_grant(aanvraag, deltas)
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
    beschikking = _beschikking(actor, aanvraag, Beschikking.Soort.WIJZIGING, {
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
    return _klaar(sleutel, wijziging)


# --- payments ----------------------------------------------------------------------------


def _pay(actor, aanvraag, jaar, bedrag, soort, datum, termijn=None):
    """Add a payment to the year and the aanvraag, never beyond what is granted (or, after
    the vaststelling, what was set): one conditional UPDATE each."""
    year_limit = F("toegekend") if aanvraag.vastgesteld is None else F("vastgesteld")
    refused = _("Deze betaling gaat boven de toegekende subsidie uit. Er is niets betaald.")
    if AanvraagJaar.objects.filter(aanvraag=aanvraag, jaar=jaar).filter(
            betaald__lte=year_limit - bedrag).update(betaald=F("betaald") + bedrag) != 1:
        raise ValidationError(refused)
    total_limit = F("toegekend") if aanvraag.vastgesteld is None else F("vastgesteld")
    if Aanvraag.objects.filter(pk=aanvraag.pk, status__in=BETAALBAAR).filter(
            betaald__lte=total_limit - bedrag).update(betaald=F("betaald") + bedrag) != 1:
        raise ValidationError(refused)
    betaling = Betaling(gemeente_id=aanvraag.gemeente_id, aanvraag=aanvraag, termijn=termijn,
                        soort=soort, jaar=jaar, datum=datum, bedrag=bedrag,
                        geregistreerd_door=actor if getattr(actor, "pk", None) else None)
    try:
        with transaction.atomic():
            save_object(actor, betaling, check_permission=False)
    except IntegrityError:
        raise ValidationError(_("Deze termijn is al betaald.")) from None
    return betaling


def _betaaldatum(datum):
    datum = datum or _today()
    if datum > _today():
        raise ValidationError({"datum": _("Een betaling ligt niet in de toekomst: vul de dag in "
                                          "waarop er is betaald.")})
    return datum


@transaction.atomic
def betaal_termijn(actor, termijn: Termijn, *, datum=None, sleutel="",
                   check_permission=True) -> Betaling:
    """Pay one voorschot of the schedule (each once; only scheduled termijnen). Paying a termijn
    that is already paid answers with that payment when it is the same post (`sleutel`)."""
    aanvraag = termijn.aanvraag
    _require(actor, policy.ADD, Betaling(gemeente_id=aanvraag.gemeente_id, aanvraag=aanvraag),
             check_permission)
    datum = _betaaldatum(datum)
    eerder, sleutel = _eenmalig(sleutel, aanvraag, "betalen")
    if eerder:
        return Betaling.objects.get(pk=eerder.resultaat_id)
    _vergrendel(aanvraag)
    termijn.refresh_from_db()
    if aanvraag.status not in BETAALBAAR:
        _mag(aanvraag, "betalen")
    if termijn.vervallen:
        raise ValidationError(_("Deze termijn is vervallen."))
    if Betaling.objects.filter(termijn=termijn).exists():
        raise ValidationError(_("Deze termijn is al betaald."))
    if aanvraag.status == S.VASTGESTELD and aanvraag.eis != Eis.GEEN:
        raise ValidationError(_("Na de vaststelling worden geen voorschotten meer betaald."))
    return _klaar(sleutel, _pay(actor, aanvraag, termijn.jaar, termijn.bedrag,
                                Betaling.Soort.VOORSCHOT, datum, termijn=termijn))


@transaction.atomic
def nabetalen(actor, aanvraag, *, jaar: int, bedrag, datum=None, sleutel="",
              check_permission=True):
    """After the vaststelling: pay what was set but not yet paid."""
    _require(actor, policy.ADD, Betaling(gemeente_id=aanvraag.gemeente_id, aanvraag=aanvraag),
             check_permission)
    datum = _betaaldatum(datum)
    eerder, sleutel = _eenmalig(sleutel, aanvraag, "nabetalen")
    if eerder:
        return Betaling.objects.get(pk=eerder.resultaat_id)
    jaren = _vergrendel(aanvraag)
    if aanvraag.status != S.VASTGESTELD:
        raise ValidationError(waarom_niet(aanvraag, "betalen") if aanvraag.status not in
                              BETAALBAAR else _("Een betaling buiten het voorschotschema kan "
                                                "pas na de vaststelling."))
    bedrag = _money(bedrag, "bedrag")
    if bedrag <= 0:
        raise ValidationError({"bedrag": _("Een betaling is meer dan € 0.")})
    if int(jaar) not in jaren:
        raise ValidationError({"jaar": _("Dit jaar hoort niet bij de aanvraag.")})
    return _klaar(sleutel, _pay(actor, aanvraag, int(jaar), bedrag, Betaling.Soort.NABETALING,
                                datum))


def betaling_op_geweigerde(aanvraag):
    """Used by the forms to give the Dutch error before anything else."""
    return aanvraag.status == S.GEWEIGERD


# --- verantwoording, vaststelling, terugvordering ------------------------------------------


def eisen_voor(eis) -> dict:
    """What a tier asks in the verantwoording."""
    F_ = VerantwoordingBestand.Soort
    if eis == Eis.FINANCIEEL:
        return {"verslag": True, "bestanden": [F_.FINANCIEEL, F_.ACCOUNTANT]}
    if eis == Eis.ACTIVITEITENVERSLAG:
        return {"verslag": True, "bestanden": []}
    return {"verslag": False, "bestanden": []}


@transaction.atomic
def verantwoorden(actor, aanvraag, *, verslag: str, besteed: dict, bestanden=(),
                  overschrijding_reden: str = "", today=None,
                  check_permission=True) -> Verantwoording:
    """The grantee's account after the period, as its tier asks. `bestanden`: [(soort,
    uploaded file)]; every file must be a real PDF within the size limit."""
    verantwoording = Verantwoording(gemeente_id=aanvraag.gemeente_id, aanvraag=aanvraag,
                                    verslag=(verslag or "").strip(),
                                    ingediend_door=actor if getattr(actor, "pk", None) else None)
    _require(actor, policy.ADD, verantwoording, check_permission)
    _mag(aanvraag, "verantwoorden", today)
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
    before = _set_status(aanvraag, STAPPEN["verantwoorden"], S.VERANTWOORD, _(
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
    return verantwoording


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
    today = today or _today()
    _require_behandelaar(actor, aanvraag, check_permission)
    eerder, sleutel = _eenmalig(sleutel, aanvraag, "vaststellen")
    if eerder:
        aanvraag.refresh_from_db()
        return aanvraag
    jaren = _vergrendel(aanvraag)
    _mag(aanvraag, "vaststellen", today)
    bedragen = _clean_bedragen(aanvraag, bedragen)
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
    before = _set_status(aanvraag, STAPPEN["vaststellen"], S.VASTGESTELD, _(
        "Deze subsidie is al vastgesteld."), vastgesteld=total, terugvordering=terug_total,
        vrijgevallen=sum(vrij.values(), ZERO),
        terugbetalen_voor=_terugbetaaltermijn(today) if terug_total else None,
        vastgesteld_op=timezone.now(), vaststelling_toelichting=(toelichting or "").strip())
    _reserve_grant(aanvraag, {jaar: -bedrag for jaar, bedrag in vrij.items()})
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
    _beschikking(actor, aanvraag, Beschikking.Soort.VASTSTELLING, {
        "bedragen": {str(j): str(b) for j, (b, _t) in per_jaar.items()},
        "totaal": str(total), "toegekend": str(aanvraag.toegekend),
        "betaald": str(aanvraag.betaald), "terugvordering": str(terug_total),
        "nabetaling": str(nabetaling), "toelichting": (toelichting or "").strip(),
        "terugvordering_per_jaar": {str(j): str(t) for j, (_b, t) in per_jaar.items() if t},
        "vrijgevallen": str(sum(vrij.values(), ZERO)),
        "terugbetalen_voor": (aanvraag.terugbetalen_voor.isoformat()
                              if aanvraag.terugbetalen_voor else ""),
    }, today)
    return _klaar(sleutel, aanvraag)


TERUGBETAALTERMIJN_WEKEN = 6


def _terugbetaaltermijn(today):
    return today + datetime.timedelta(weeks=TERUGBETAALTERMIJN_WEKEN)


@transaction.atomic
def intrekken(actor, aanvraag, *, reden: str, today=None, sleutel="", check_permission=True):
    """Withdraw a grant that was not yet set: the subsidy becomes € 0, what was granted is
    released to the plafond and gebiedsbudget (vrijval), what was paid is reclaimed, and open
    voorschotten lapse — with a beschikking."""
    today = today or _today()
    _require_behandelaar(actor, aanvraag, check_permission)
    if not (reden or "").strip():
        raise ValidationError({"reden": _("Schrijf waarom de subsidie wordt ingetrokken.")})
    eerder, sleutel = _eenmalig(sleutel, aanvraag, "intrekken")
    if eerder:
        aanvraag.refresh_from_db()
        return aanvraag
    jaren = _vergrendel(aanvraag)
    _mag(aanvraag, "intrekken", today)
    terug = aanvraag.betaald
    before = _set_status(aanvraag, STAPPEN["intrekken"], S.INGETROKKEN, _(
        "Deze subsidie is intussen vastgesteld of ingetrokken."), vastgesteld=ZERO,
        terugvordering=terug, vrijgevallen=aanvraag.toegekend,
        terugbetalen_voor=_terugbetaaltermijn(today) if terug else None,
        vastgesteld_op=timezone.now(), vaststelling_toelichting=reden.strip())
    _reserve_grant(aanvraag, {jaar: -row.toegekend for jaar, row in jaren.items()})
    for row in jaren.values():
        if AanvraagJaar.objects.filter(pk=row.pk, toegekend=row.toegekend, betaald=row.betaald,
                                       vrijgevallen=0).update(
                vastgesteld=ZERO, terugvordering=row.betaald, vrijgevallen=row.toegekend) != 1:
            raise ValidationError(_("De aanvraag is intussen veranderd; probeer het opnieuw."))
    Termijn.objects.filter(aanvraag=aanvraag, betaling__isnull=True, vervallen=False).update(
        vervallen=True)
    record(actor, UPDATE, aanvraag, before, snapshot(aanvraag))
    _beschikking(actor, aanvraag, Beschikking.Soort.INTREKKING, {
        "reden": reden.strip(), "toegekend": str(aanvraag.toegekend),
        "betaald": str(aanvraag.betaald), "terugvordering": str(terug),
        "vrijgevallen": str(aanvraag.toegekend),
        "terugbetalen_voor": (aanvraag.terugbetalen_voor.isoformat()
                              if aanvraag.terugbetalen_voor else ""),
    }, today)
    return _klaar(sleutel, aanvraag)


@transaction.atomic
def terugbetalen(actor, aanvraag, *, bedrag, datum=None, sleutel="", check_permission=True):
    """Record money received back on the terugvordering (the whole of it or a part), never
    more than is still to be paid back."""
    terugbetaling = Terugbetaling(gemeente_id=aanvraag.gemeente_id, aanvraag=aanvraag,
                                  geregistreerd_door=actor if getattr(actor, "pk", None)
                                  else None)
    _require(actor, policy.ADD, terugbetaling, check_permission)
    datum = _betaaldatum(datum)
    bedrag = _money(bedrag, "bedrag")
    if bedrag <= 0:
        raise ValidationError({"bedrag": _("Een terugbetaling is meer dan € 0.")})
    eerder, sleutel = _eenmalig(sleutel, aanvraag, "terugbetalen")
    if eerder:
        return Terugbetaling.objects.get(pk=eerder.resultaat_id)
    _vergrendel(aanvraag)
    _mag(aanvraag, "terugbetalen")
    if Aanvraag.objects.filter(pk=aanvraag.pk, status__in=STAPPEN["terugbetalen"],
                               terugbetaald__lte=F("terugvordering") - bedrag).update(
            terugbetaald=F("terugbetaald") + bedrag) != 1:
        raise ValidationError({"bedrag": _(
            "Er staat nog %(rest)s open; meer kan niet worden terugbetaald.") % {
            "rest": format_euro(aanvraag.nog_terug_te_betalen)}})
    terugbetaling.datum, terugbetaling.bedrag = datum, bedrag
    save_object(actor, terugbetaling, check_permission=False)
    return _klaar(sleutel, terugbetaling)



# --- the begroting of a wijkplanversie ------------------------------------------------------


def _lock_versie(versie_id, revisie):
    """The wijkplanversie's optimistic lock (plans.services): a begroting line is part of the
    version, so it changes only in a concept, as the editor saw it, and a vaststelling in the
    meantime refuses it (and the other way round)."""
    from plans.services import lock_concept

    return lock_concept(versie_id, revisie)


@transaction.atomic
def save_wijkplanregel(actor, regel: WijkplanBegrotingsregel, *, revisie,
                       check_permission=True) -> WijkplanBegrotingsregel:
    regel.bedrag = _money(regel.bedrag, "bedrag")
    _require(actor, policy.ADD if regel._state.adding else policy.CHANGE, regel,
             check_permission)
    if regel.bron == WijkplanBegrotingsregel.Bron.GEBIEDSBUDGET:
        regel.financier = ""
    _lock_versie(regel.versie_id, revisie)
    return save_object(actor, regel, check_permission=False)


@transaction.atomic
def delete_wijkplanregel(actor, regel: WijkplanBegrotingsregel, *, revisie,
                         check_permission=True):
    _require(actor, policy.DELETE, regel, check_permission)
    _lock_versie(regel.versie_id, revisie)
    delete_object(actor, regel, check_permission=False)


@transaction.atomic
def begroting_overnemen(actor, versie, *, revisie, check_permission=True) -> int:
    """Copy the begroting of the version this concept revises (bijgesteld_van): activiteiten
    are matched by their sleutel (kept by plans' bijstellen). Only into an empty begroting."""
    probe = WijkplanBegrotingsregel(gemeente_id=versie.gemeente_id, versie=versie)
    _require(actor, policy.ADD, probe, check_permission)
    bron = versie.bijgesteld_van
    if bron is None:
        raise ValidationError(_("Deze versie is geen bijstelling van een eerdere versie."))
    if versie.begrotingsregels.exists():
        raise ValidationError(_("Deze versie heeft al een begroting."))
    _lock_versie(versie.pk, revisie)
    per_sleutel = {a.sleutel: a for a in versie.activiteiten.all()}
    kopieen = []
    for regel in bron.begrotingsregels.select_related("activiteit"):
        activiteit = per_sleutel.get(regel.activiteit.sleutel) if regel.activiteit_id else None
        if regel.activiteit_id and activiteit is None:
            continue  # that activiteit is no longer in the plan
        kopieen.append(WijkplanBegrotingsregel(
            gemeente_id=versie.gemeente_id, versie=versie, activiteit=activiteit,
            omschrijving=regel.omschrijving, bron=regel.bron, financier=regel.financier,
            bedrag=regel.bedrag))
    WijkplanBegrotingsregel.objects.bulk_create(kopieen)
    record(actor, UPDATE, versie, None, {"begroting_overgenomen_van": bron.pk,
                                          "regels": len(kopieen)})
    return len(kopieen)
