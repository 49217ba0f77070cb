"""Write use-cases for wijkplannen. Each is one transaction, permission-checked and audited.

Every change of a concept version (its own fields, a pijler, an activiteit, an import) first
takes the version's optimistic lock: a conditional `UPDATE ... SET revisie = revisie + 1 WHERE
revisie = <what the editor saw> AND status = 'concept'`. If that updates no row, somebody else
changed the concept (or it was vastgesteld) in the meantime, and nothing is written.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core import imports, policy
from core.audit import record, snapshot
from core.models import AuditEntry, Role
from core.notifications import notify
from core.services import delete_object, save_object
from framework.services import copy_doelen, set_doelen
from plans import rules
from plans.models import (
    Activiteit,
    Pijler,
    VoortgangRapportage,
    Wijkplan,
    WijkplanVersie,
    assert_concept,
    niet_bewerkbaar,
)

S = WijkplanVersie.Status


class VersieGewijzigd(ValidationError):
    """The concept changed since the editor loaded it: their save is refused."""

    def __init__(self, versie):
        self.versie = versie
        super().__init__(format_html(
            _("Iemand anders heeft deze versie gewijzigd terwijl u bezig was. Uw wijziging is "
              "niet opgeslagen, er is niets overschreven. <a class=\"utrecht-link\" "
              "href=\"{}\">Bekijk de nieuwste stand van {}</a> en breng uw wijziging daarna "
              "opnieuw aan."),
            versie.get_absolute_url(), str(versie)))


def lock_concept(versie_id, revisie) -> int:
    """Take the optimistic lock of a concept; return the new revisie. Also used by finance
    for the version's begroting and by plans.transfer for an import."""
    if revisie is None:
        raise ValueError("revisie is verplicht bij het wijzigen van een concept")
    updated = WijkplanVersie.objects.filter(
        pk=versie_id, revisie=int(revisie), status=S.CONCEPT).update(revisie=F("revisie") + 1)
    if not updated:
        current = WijkplanVersie.objects.select_related("wijkplan", "gemeente").get(pk=versie_id)
        if current.status != S.CONCEPT:
            raise niet_bewerkbaar(current.status)
        raise VersieGewijzigd(current)
    return int(revisie) + 1


# Wijkplan -------------------------------------------------------------------------------------

@transaction.atomic
def create_wijkplan(actor, wijkplan: Wijkplan, *, check_permission=True) -> WijkplanVersie:
    """A new wijkplan with its first (concept) version for its first year."""
    save_object(actor, wijkplan, check_permission=check_permission)
    versie = WijkplanVersie(gemeente=wijkplan.gemeente, wijkplan=wijkplan, nummer=1,
                            jaar=wijkplan.jaar_van, titel=wijkplan.naam)
    return save_object(actor, versie, check_permission=check_permission)


def save_wijkplan(actor, wijkplan: Wijkplan, *, check_permission=True) -> Wijkplan:
    if not wijkplan._state.adding:
        stored = Wijkplan.objects.get(pk=wijkplan.pk)
        if stored.gebied_id != wijkplan.gebied_id and wijkplan.versies.exclude(
                status=S.CONCEPT).exists():
            raise ValidationError(_("Het gebied van een wijkplan met een vastgestelde versie "
                                    "kan niet veranderen."))
        outside = wijkplan.versies.exclude(jaar__gte=wijkplan.jaar_van,
                                           jaar__lte=wijkplan.jaar_tot)
        if outside.exists():
            raise ValidationError(_("Er zijn versies voor jaren buiten deze looptijd."))
    return save_object(actor, wijkplan, check_permission=check_permission)


@transaction.atomic
def delete_wijkplan(actor, wijkplan: Wijkplan):
    policy.require(actor, policy.DELETE, wijkplan)
    if wijkplan.versies.exclude(status=S.CONCEPT).exists():
        raise ValidationError(_("Een wijkplan met een vastgestelde versie blijft bewaard."))
    for versie in wijkplan.versies.all():
        delete_concept(actor, versie)
    delete_object(actor, wijkplan)


# Versie ---------------------------------------------------------------------------------------

@transaction.atomic
def save_versie(actor, versie: WijkplanVersie, *, revisie, check_permission=True):
    """Save the concept's own fields (inleiding, organisatie, speerpunten, ...)."""
    if versie._state.adding:
        raise ValueError("Een nieuwe versie ontstaat met create_wijkplan of bijstellen.")
    if check_permission:
        policy.require(actor, policy.CHANGE, versie)
    versie.revisie = lock_concept(versie.pk, revisie)
    versie.status = S.CONCEPT
    return save_object(actor, versie, check_permission=False)


@transaction.atomic
def delete_concept(actor, versie: WijkplanVersie, *, check_permission=True):
    if check_permission:
        policy.require(actor, policy.DELETE, versie)
    assert_concept(versie.pk)
    for activiteit in versie.activiteiten.all():
        set_doelen(actor, activiteit, [], check_permission=False, audit=False)
    for pijler in versie.pijlers.all():
        set_doelen(actor, pijler, [], check_permission=False, audit=False)
    versie.activiteiten.all().delete()
    versie.pijlers.all().delete()
    delete_object(actor, versie, check_permission=False)


def rollen_snapshot(versie) -> list[dict]:
    """The stuurgroep's roles now, as stored in a version when it is vastgesteld."""
    from network.models import StuurgroepRol

    rollen = StuurgroepRol.objects.filter(
        gemeente_id=versie.gemeente_id, stuurgroep__gebied_id=versie.wijkplan.gebied_id
    ).select_related("organisatie", "persoon").order_by("volgorde", "id")
    return [{"rol": r.rol, "rol_label": r.get_rol_display(), "titel": r.titel,
             "organisatie": r.organisatie.naam if r.organisatie_id else "",
             "persoon": r.persoon.naam if r.persoon_id else "",
             "taken": r.takenlijst()} for r in rollen]


# The steps of a version: concept → aangeboden → vastgesteld (→ vervangen by the next one), or
# aangeboden → teruggestuurd (concept again). What step is allowed, for whom, and why not is
# decided here and nowhere else: views, API and the attention list ask `weigering`.

AANBIEDEN, TERUGSTUREN, VASTSTELLEN, BIJSTELLEN = (
    "aanbieden", "terugsturen", "vaststellen", "bijstellen")
STAPPEN = {AANBIEDEN: (S.CONCEPT, S.AANGEBODEN), TERUGSTUREN: (S.AANGEBODEN, S.CONCEPT),
           VASTSTELLEN: (S.AANGEBODEN, S.VASTGESTELD), BIJSTELLEN: (S.VASTGESTELD, S.CONCEPT)}


def weigering(actor, versie: WijkplanVersie, stap: str):
    """Why `actor` may not take `stap` on `versie` now: a PermissionDenied (not theirs to take)
    or a ValidationError (not now, with the reason); None when the step is allowed."""
    van = STAPPEN[stap][0]
    if stap == BIJSTELLEN:
        allowed = policy.can(actor, policy.ADD,
                             WijkplanVersie(gemeente=versie.gemeente, wijkplan=versie.wijkplan))
    elif stap == AANBIEDEN:
        allowed = policy.can(actor, policy.CHANGE, versie)
    else:
        allowed = rules.may_vaststellen(actor, versie)
    if not allowed:
        return PermissionDenied({
            AANBIEDEN: _("Alleen wie het concept mag bewerken, biedt het aan."),
            TERUGSTUREN: _("Alleen de voorzitter van de stuurgroep of een beleidsmedewerker "
                           "stuurt een aangeboden versie terug."),
            VASTSTELLEN: _("Alleen de voorzitter van de stuurgroep of een beleidsmedewerker "
                           "stelt een wijkplan vast."),
            BIJSTELLEN: _("U mag geen nieuwe versie van dit wijkplan maken."),
        }[stap])
    if versie.status != van:
        return ValidationError({
            AANBIEDEN: _("Alleen een concept kan aangeboden worden; deze versie is %(status)s."),
            TERUGSTUREN: _("Alleen een aangeboden versie kan teruggestuurd worden; deze versie "
                           "is %(status)s."),
            VASTSTELLEN: _("Alleen een aangeboden versie kan vastgesteld worden; deze versie is "
                           "%(status)s. De coördinator biedt het concept eerst aan."),
            BIJSTELLEN: _("Alleen de vastgestelde versie kan bijgesteld worden."),
        }[stap] % {"status": versie.get_status_display()})
    if stap == AANBIEDEN and not versie.pijlers.exists():
        return ValidationError(_("Een versie zonder pijlers kan niet aangeboden worden."))
    return None


def mag(actor, versie, stap) -> bool:
    return weigering(actor, versie, stap) is None


def _require_stap(actor, versie, stap):
    refused = weigering(actor, versie, stap)
    if refused is not None:
        raise refused


def _zet_status(actor, versie, stap, revisie, **fields):
    """Move `versie` one step, exactly as the actor saw it (revisie), in one conditional
    UPDATE; audited. Refused (nothing written) if it changed or moved on in the meantime."""
    van, naar = STAPPEN[stap]
    before = snapshot(versie)
    updated = WijkplanVersie.objects.filter(
        pk=versie.pk, status=van, revisie=int(revisie)).update(
        status=naar, revisie=F("revisie") + 1, **fields)
    if not updated:
        current = WijkplanVersie.objects.select_related("wijkplan", "gemeente").get(pk=versie.pk)
        if current.status != van:
            raise ValidationError(_("Deze versie is intussen %(status)s. Open de versie opnieuw.")
                                  % {"status": current.get_status_display()})
        raise VersieGewijzigd(current)
    versie.refresh_from_db()
    record(actor, AuditEntry.Action.UPDATE, versie, before, snapshot(versie))
    return versie


def _user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def betrokkenen(versie, *roles):
    """The users of the version's gebied in `roles` (coördinators, stuurgroepleden)."""
    from core.models import User

    return list(User.objects.filter(
        memberships__gemeente_id=versie.gemeente_id, memberships__role__in=roles,
        memberships__gebied_id=versie.wijkplan.gebied_id, is_active=True).distinct()
        .order_by("pk"))


def _meld(actor, versie, kind, subject, body, roles):
    """Tell the people concerned (not the actor) about a step, through the outbox."""
    for user in betrokkenen(versie, *roles):
        if user.pk != getattr(actor, "pk", None):
            notify(gemeente=versie.gemeente, kind=kind, subject=subject, body=body, user=user,
                   obj=versie, url=versie.get_absolute_url())


def _naam(actor):
    return (actor.get_full_name() or actor.get_username()) if getattr(
        actor, "is_authenticated", False) else _("iemand")


@transaction.atomic
def aanbieden(actor, versie: WijkplanVersie, *, revisie, bericht: str = "",
              aangeboden_op=None):
    """The coördinator offers the concept, as they saw it, to the stuurgroep to vaststellen,
    with a message. From now on the version waits unchanged for the decision."""
    _require_stap(actor, versie, AANBIEDEN)
    versie = _zet_status(actor, versie, AANBIEDEN, revisie,
                         aangeboden_op=aangeboden_op or timezone.now(),
                         aangeboden_door=_user_or_none(actor), aanbieding=bericht.strip())
    body = _("%(naam)s biedt %(versie)s aan de stuurgroep aan om vast te stellen.") % {
        "naam": _naam(actor), "versie": versie}
    if versie.aanbieding:
        body += "\n\n" + _("Bericht: %(bericht)s") % {"bericht": versie.aanbieding}
    _meld(actor, versie, "plans.versie_aangeboden",
          _("Vast te stellen: %(versie)s") % {"versie": versie}, body, [Role.STUURGROEPLID])
    return versie


@transaction.atomic
def terugsturen(actor, versie: WijkplanVersie, *, revisie, redenen: str):
    """The stuurgroep sends an aangeboden version back to the coördinator, with its reasons;
    it is a concept again."""
    _require_stap(actor, versie, TERUGSTUREN)
    if not (redenen or "").strip():
        raise ValidationError({"redenen": _("Schrijf waarom u de versie terugstuurt, zodat de "
                                            "coördinator weet wat er moet veranderen.")})
    versie = _zet_status(actor, versie, TERUGSTUREN, revisie, teruggestuurd_op=timezone.now(),
                         teruggestuurd_door=_user_or_none(actor),
                         terugstuurreden=redenen.strip())
    body = _("%(naam)s stuurt %(versie)s terug. Pas het concept aan en bied het opnieuw "
             "aan.\n\nRedenen: %(redenen)s") % {
        "naam": _naam(actor), "versie": versie, "redenen": versie.terugstuurreden}
    _meld(actor, versie, "plans.versie_teruggestuurd",
          _("Teruggestuurd: %(versie)s") % {"versie": versie}, body,
          [Role.GEBIEDSCOORDINATOR, Role.STUURGROEPLID])
    return versie


@transaction.atomic
def vaststellen(actor, versie: WijkplanVersie, *, revisie, vastgesteld_op=None):
    """Adopt the aangeboden version exactly as the vaststeller saw it (revisie); the version it
    revises (the current vastgestelde one) becomes vervangen. `vastgesteld_op` registers a
    decision taken earlier (default: now)."""
    _require_stap(actor, versie, VASTSTELLEN)
    vorige = WijkplanVersie.objects.filter(wijkplan_id=versie.wijkplan_id,
                                           status=S.VASTGESTELD).exclude(pk=versie.pk).first()
    if vorige is not None:
        if vorige.jaar > versie.jaar:
            raise ValidationError(_(
                "De vastgestelde versie is voor %(oud)s; deze versie is voor %(nieuw)s. Een "
                "oudere versie kan een nieuwere niet vervangen.") % {
                    "oud": vorige.jaar, "nieuw": versie.jaar})
        before = snapshot(vorige)
        WijkplanVersie.objects.filter(pk=vorige.pk, status=S.VASTGESTELD).update(
            status=S.VERVANGEN)
        vorige.refresh_from_db()
        record(actor, AuditEntry.Action.UPDATE, vorige, before, snapshot(vorige))
    versie = _zet_status(actor, versie, VASTSTELLEN, revisie,
                         vastgesteld_op=vastgesteld_op or timezone.now(),
                         vastgesteld_door=_user_or_none(actor),
                         vastgesteld_als=rules.vaststeller_rol(actor, versie),
                         rollen_snapshot=rollen_snapshot(versie))
    _meld(actor, versie, "plans.versie_vastgesteld",
          _("Vastgesteld: %(versie)s") % {"versie": versie},
          _("%(naam)s heeft %(versie)s vastgesteld als %(als)s.") % {
              "naam": _naam(actor), "versie": versie, "als": versie.vastgesteld_als},
          [Role.GEBIEDSCOORDINATOR, Role.STUURGROEPLID])
    return versie


@transaction.atomic
def bijstellen(actor, versie: WijkplanVersie, *, jaar=None, check_permission=True):
    """Copy a vastgestelde version into a new concept (the yearly "bijgesteld wijkplan").
    Pijlers and activiteiten keep their `sleutel`, so the two versions can be compared; an
    activiteit keeps its partners, locaties, Klaverblad doelen and streefwaarden."""
    if check_permission:
        _require_stap(actor, versie, BIJSTELLEN)
    elif versie.status != S.VASTGESTELD:
        raise ValidationError(_("Alleen de vastgestelde versie kan bijgesteld worden."))
    wijkplan = versie.wijkplan
    jaar = int(jaar or min(versie.jaar + 1, wijkplan.jaar_tot))
    nieuw = WijkplanVersie(
        gemeente=versie.gemeente, wijkplan=wijkplan, jaar=jaar, titel=versie.titel,
        inleiding=versie.inleiding, organisatie=versie.organisatie,
        speerpunten=versie.speerpunten, bijgesteld_van=versie,
        nummer=(wijkplan.versies.aggregate(n=Max("nummer"))["n"] or 0) + 1)
    bestaand = wijkplan.versies.filter(status__in=[S.CONCEPT, S.AANGEBODEN]).first()
    if bestaand:
        raise ValidationError(format_html(
            _("Er is al een conceptversie van dit wijkplan: <a class=\"utrecht-link\" "
              "href=\"{}\">{}</a>. Werk die bij of verwijder die eerst."),
            bestaand.get_absolute_url(), str(bestaand)))
    try:
        with transaction.atomic():
            save_object(actor, nieuw, check_permission=False)
    except IntegrityError:
        raise ValidationError(_("Iemand anders heeft tegelijk een conceptversie gemaakt. "
                                "Open het wijkplan opnieuw.")) from None
    pijlers = {}
    for pijler in versie.pijlers.all():
        kopie = Pijler(gemeente=pijler.gemeente, versie=nieuw, sleutel=pijler.sleutel,
                       naam=pijler.naam, doelen=pijler.doelen, volgorde=pijler.volgorde)
        kopie.save()
        copy_doelen(pijler, kopie)
        pijlers[pijler.pk] = kopie
    for act in versie.activiteiten.prefetch_related("partners", "locaties", "streefwaarden"):
        kopie = Activiteit(
            gemeente=act.gemeente, versie=nieuw, pijler=pijlers[act.pijler_id],
            sleutel=act.sleutel, naam=act.naam, beschrijving=act.beschrijving,
            trekker_id=act.trekker_id, locatie_omschrijving=act.locatie_omschrijving,
            leeftijd_van=act.leeftijd_van, leeftijd_tot=act.leeftijd_tot, start=act.start,
            eind=act.eind, beoogde_resultaten=act.beoogde_resultaten, status=act.status,
            volgorde=act.volgorde)
        kopie.save()
        kopie.partners.set(act.partners.all())
        kopie.locaties.set(act.locaties.all())
        kopie.streefwaarden.set(act.streefwaarden.all())
        copy_doelen(act, kopie)
    return nieuw


# Pijlers and activiteiten ---------------------------------------------------------------------

def _save_onderdeel(actor, onderdeel: Pijler | Activiteit, *, revisie, m2m=None, doelen=None,
                    check_permission=True):
    """Create or change a pijler or activiteit of a concept, on the version as the editor saw
    it (`revisie`), with its Klaverblad doelen."""
    if check_permission:
        policy.require(actor, policy.ADD if onderdeel._state.adding else policy.CHANGE,
                       onderdeel)
    if m2m and m2m.get("streefwaarden") is not None:
        check_streefwaarden(onderdeel, m2m["streefwaarden"])
    onderdeel.versie.revisie = lock_concept(onderdeel.versie_id, revisie)
    onderdeel = save_object(actor, onderdeel, m2m=m2m, check_permission=False)
    if doelen is not None:
        set_doelen(actor, onderdeel, doelen, check_permission=False)
    return onderdeel


def _delete_onderdeel(actor, onderdeel: Pijler | Activiteit, *, revisie, weigering=None):
    """Delete a pijler or activiteit of a concept with its tags; `weigering(onderdeel)` may
    refuse (ValidationError) once the concept is locked."""
    policy.require(actor, policy.DELETE, onderdeel)
    lock_concept(onderdeel.versie_id, revisie)
    if weigering is not None:
        weigering(onderdeel)
    set_doelen(actor, onderdeel, [], check_permission=False)
    delete_object(actor, onderdeel, check_permission=False)


@transaction.atomic
def save_pijler(actor, pijler: Pijler, *, revisie, doelen=None, check_permission=True):
    return _save_onderdeel(actor, pijler, revisie=revisie, doelen=doelen,
                           check_permission=check_permission)


def _pijler_zonder_activiteiten(pijler: Pijler) -> None:
    if pijler.activiteiten.exists():
        raise ValidationError(_("Deze pijler heeft nog activiteiten. Verplaats of verwijder "
                                "die eerst."))


@transaction.atomic
def delete_pijler(actor, pijler: Pijler, *, revisie):
    _delete_onderdeel(actor, pijler, revisie=revisie, weigering=_pijler_zonder_activiteiten)


def check_streefwaarden(activiteit: Activiteit, streefwaarden) -> None:
    """An activiteit works on targets of its own gemeente, set for its wijkplan's gebied or
    for the gemeente as a whole (ValidationError on the field `streefwaarden` otherwise). A
    link it already has is kept, even if that target's gebied changed since."""
    gebied_id = activiteit.versie.wijkplan.gebied_id
    bestaand = set(activiteit.streefwaarden.values_list("pk", flat=True)) \
        if activiteit.pk else set()
    for s in streefwaarden:
        if s.gemeente_id != activiteit.gemeente_id:
            raise ValidationError({"streefwaarden": _(
                "Deze streefwaarde hoort bij een andere gemeente.")})
        if s.gebied_id is not None and s.gebied_id != gebied_id and s.pk not in bestaand:
            raise ValidationError({"streefwaarden": _(
                "Kies een streefwaarde voor het gebied van dit wijkplan of voor de hele "
                "gemeente.")})


@transaction.atomic
def save_activiteit(actor, activiteit: Activiteit, *, revisie, m2m=None, doelen=None,
                    check_permission=True):
    """Create or change an activiteit of a concept. `m2m` may hold partners, locaties and
    streefwaarden (the "te behalen resultaten"; see check_streefwaarden)."""
    return _save_onderdeel(actor, activiteit, revisie=revisie, m2m=m2m, doelen=doelen,
                           check_permission=check_permission)


@transaction.atomic
def delete_activiteit(actor, activiteit: Activiteit, *, revisie):
    _delete_onderdeel(actor, activiteit, revisie=revisie)


@dataclass
class ActiviteitRij:
    """One checked row of an activiteiten import (plans.transfer.lees)."""

    VELDEN = ("pijler", "naam", "beschrijving", "trekker", "leeftijd_van", "leeftijd_tot",
              "start", "eind", "beoogde_resultaten", "status")

    velden: dict
    partners: list
    locaties: list
    doelen: list


@transaction.atomic
def importeer_activiteiten(actor, versie: WijkplanVersie, rijen: list[ActiviteitRij], *,
                           revisie, check_permission=True) -> imports.Resultaat:
    """Write checked rows into a concept version under one lock: a row updates the activiteit
    with the same pijler and naam, or adds one. Nothing changed: the lock's revisie is given
    back, so editors who loaded the concept are not refused afterwards."""
    if check_permission:
        policy.require(actor, policy.ADD, Activiteit(gemeente=versie.gemeente, versie=versie))
    revisie = lock_concept(versie.pk, revisie)  # one lock for the whole import
    bestaand = {(a.pijler_id, a.naam.strip().lower()): a for a in
                Activiteit.objects.filter(versie=versie).prefetch_related(
                    "partners", "locaties", "doel_koppelingen")}
    result = imports.Resultaat()
    volgorde = len(bestaand)
    for r in rijen:
        velden = r.velden
        act = bestaand.get((velden["pijler"].pk, velden["naam"].lower()))
        doelen = sorted(d.pk for d in r.doelen)
        if act is None:
            volgorde += 1
            act = Activiteit(gemeente=versie.gemeente, versie=versie, volgorde=volgorde,
                             **velden)
            result.aangemaakt += 1
        else:
            same = (all(getattr(act, k) == w for k, w in velden.items())
                    and {o.pk for o in act.partners.all()} == {o.pk for o in r.partners}
                    and {o.pk for o in act.locaties.all()} == {o.pk for o in r.locaties}
                    and sorted(k.doel_id for k in act.doel_koppelingen.all()) == doelen)
            if same:
                result.ongewijzigd += 1
                continue
            for k, w in velden.items():
                setattr(act, k, w)
            result.bijgewerkt += 1
        save_object(actor, act, m2m={"partners": r.partners, "locaties": r.locaties},
                    check_permission=check_permission)
        set_doelen(actor, act, r.doelen, check_permission=False)
    if not (result.aangemaakt or result.bijgewerkt):
        WijkplanVersie.objects.filter(pk=versie.pk, revisie=revisie).update(revisie=revisie - 1)
    return result


# Voortgang ------------------------------------------------------------------------------------

@transaction.atomic
def rapporteren(actor, rapportage: VoortgangRapportage, *, check_permission=True):
    """Create or update the report of one activiteit for one quarter. A second report for the
    same quarter is refused by the database's unique constraint."""
    if rapportage._state.adding:
        rapportage.gerapporteerd_door = actor if getattr(actor, "is_authenticated",
                                                          False) else None
    try:
        with transaction.atomic():
            return save_object(actor, rapportage, check_permission=check_permission)
    except IntegrityError:
        raise ValidationError({"periode": _("Over dit kwartaal is al gerapporteerd. Pas die "
                                            "rapportage aan.")}) from None
