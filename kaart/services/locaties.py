"""Locaties, their weekly openingstijden and their uitzonderingen (closed or other hours on a
date): who may change them at once, and who may only propose new hours."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import policy
from core.audit import record, snapshot
from core.models import AuditEntry
from core.services import delete_object, save_object
from kaart.models import (
    Aanbod,
    KaartInstelling,
    Openingstijd,
    PostcodeBuurt,
    Uitzondering,
    Wijzigingsverzoek,
    normaliseer_postcode,
)
from kaart.services.common import is_partner_van, meld


def buurt_bij_postcode(gemeente, postcode):
    """The buurt of a postcode: the PC6 row, else the PC4 row, else None."""
    pc = normaliseer_postcode(postcode)
    rows = {p.postcode: p.buurt for p in PostcodeBuurt.objects.filter(
        gemeente=gemeente, postcode__in=[pc, pc[:4]]).select_related("buurt")}
    return rows.get(pc) or rows.get(pc[:4])


@transaction.atomic
def save_locatie(actor, locatie, *, check_permission=True):
    """Create or change a locatie; without a chosen buurt it follows from the postcode."""
    if not locatie.buurt_id:
        locatie.buurt = buurt_bij_postcode(locatie.gemeente, locatie.postcode)
    locatie.gewijzigd_op = timezone.now()
    save_object(actor, locatie, check_permission=check_permission)
    _raak_aanbod_aan(locatie)
    return locatie


def _raak_aanbod_aan(locatie):
    """A change at a locatie is a change of the aanbod given there (HSDS last_modified)."""
    Aanbod.objects.filter(locaties=locatie).update(gewijzigd_op=timezone.now())


def mag_openingstijden_wijzigen(actor, locatie) -> bool:
    """The redacteur always; a partner of the locatie's organisatie when the gemeente lets
    opening hours go live at once (KaartInstelling.openingstijden_direct). Otherwise a
    partner asks the redacteur: opening hours are not part of a change request."""
    if policy.can(actor, policy.CHANGE, locatie):
        return True
    return (is_partner_van(actor, locatie)
            and KaartInstelling.voor(locatie.gemeente).openingstijden_direct)


def _require_openingstijden(actor, locatie):
    if not mag_openingstijden_wijzigen(actor, locatie):
        raise PermissionDenied(_("U mag de openingstijden van deze locatie niet wijzigen."))


def _locatie_gewijzigd(locatie):
    locatie.gewijzigd_op = timezone.now()
    locatie.save(update_fields=["gewijzigd_op"])
    _raak_aanbod_aan(locatie)


@transaction.atomic
def zet_openingstijden(actor, locatie, tijden: list[tuple[int, datetime.time, datetime.time]],
                       *, check_permission=True):
    """Replace the regular opening hours of a locatie (see mag_openingstijden_wijzigen). All
    or nothing: one wrong or overlapping period changes nothing."""
    if check_permission:
        _require_openingstijden(actor, locatie)
    before = [str(o) for o in locatie.openingstijden.all()]
    nieuw = _gecontroleerde_tijden(locatie, tijden)
    locatie.openingstijden.all().delete()
    Openingstijd.objects.bulk_create(nieuw)
    _locatie_gewijzigd(locatie)
    record(actor, AuditEntry.Action.UPDATE, locatie, {"openingstijden": before},
           {"openingstijden": [str(o) for o in nieuw]})


def _gecontroleerde_tijden(locatie, tijden) -> list[Openingstijd]:
    """Unsaved Openingstijd rows, sorted, each checked; ValidationError (in Dutch) when one is
    wrong or two on a day overlap."""
    nieuw = []
    for weekdag, open_, sluit in sorted(tijden, key=lambda t: (t[0], t[1] or datetime.time())):
        o = Openingstijd(gemeente_id=locatie.gemeente_id, locatie=locatie, weekdag=weekdag,
                         open=open_, sluit=sluit)
        o.full_clean(exclude=["locatie"])
        vorige = nieuw[-1] if nieuw else None
        if vorige is not None and vorige.weekdag == weekdag and open_ < vorige.sluit:
            raise ValidationError(_("De tijden op %(dag)s overlappen.")
                                  % {"dag": o.get_weekdag_display()})
        nieuw.append(o)
    return nieuw


def mag_openingstijden_voorstellen(actor, locatie) -> bool:
    """Who may use the opening hours page: who may change them, and a partner of the
    locatie's organisatie (whose new hours then wait for the redacteur)."""
    return mag_openingstijden_wijzigen(actor, locatie) or is_partner_van(actor, locatie)


def tijden_json(tijden) -> list:
    return [[o.weekdag, f"{o.open:%H:%M}", f"{o.sluit:%H:%M}"] for o in tijden]


def tijden_per_dag(rijen) -> dict[int, str]:
    """[[weekdag, "HH:MM", "HH:MM"], ...] → {weekdag: "09:00–12:00, 13:00–17:00"}."""
    per_dag = {}
    for d, a, b in rijen or []:
        per_dag.setdefault(d, []).append(f"{a}–{b}")
    return {d: ", ".join(tijden) for d, tijden in per_dag.items()}


@transaction.atomic
def wijzig_openingstijden(actor, locatie, tijden):
    """New weekly hours from the opening hours page: live at once for whoever may change them
    (mag_openingstijden_wijzigen); from a partner while the gemeente does not let opening hours
    go live at once, a change request of the locatie that waits for the redacteur. Returns
    that request, or None when the hours were applied."""
    if mag_openingstijden_wijzigen(actor, locatie):
        zet_openingstijden(actor, locatie, tijden)
        return None
    if not is_partner_van(actor, locatie):
        raise PermissionDenied(_("U mag de openingstijden van deze locatie niet wijzigen."))
    huidig = tijden_json(locatie.openingstijden.all())
    voorstel = tijden_json(_gecontroleerde_tijden(locatie, tijden))
    if voorstel == huidig:
        raise ValidationError(_("U heeft niets gewijzigd."))
    verzoek = Wijzigingsverzoek(gemeente=locatie.gemeente, locatie=locatie,
                                voorstel={"openingstijden": voorstel},
                                huidig={"openingstijden": huidig}, ingediend_door=actor)
    verzoek.save()
    record(actor, AuditEntry.Action.CREATE, verzoek, None, snapshot(verzoek))
    meld(locatie.gemeente, "kaart.wijziging", _("Nieuwe openingstijden voorgesteld: %(naam)s")
          % {"naam": locatie.naam}, _("Een aanbieder stelt nieuwe openingstijden voor. Bekijk "
                                      "en keur goed of stuur terug."), obj=verzoek,
          redacteur=True, url=verzoek.get_absolute_url())
    return verzoek


@transaction.atomic
def save_uitzondering(actor, uitzondering, *, check_permission=True):
    """Add or change a day with other opening hours (closed, or other times) at a locatie;
    same permission as the regular hours. One per locatie and date."""
    locatie = uitzondering.locatie
    if check_permission:
        _require_openingstijden(actor, locatie)
    if uitzondering.gemeente_id != locatie.gemeente_id:
        raise ValidationError(_("Deze locatie hoort bij een andere gemeente."))
    if uitzondering.gesloten:
        uitzondering.open = uitzondering.sluit = None
    dubbel = ValidationError(_("Voor deze datum is al een afwijkende openingstijd. Pas die "
                               "aan."))
    if Uitzondering.objects.filter(locatie=locatie, datum=uitzondering.datum).exclude(
            pk=uitzondering.pk).exists():
        raise dubbel
    try:
        with transaction.atomic():  # the unique constraint decides when two save at once
            save_object(actor, uitzondering, check_permission=False)
    except IntegrityError:
        raise dubbel from None
    _locatie_gewijzigd(locatie)
    return uitzondering


@transaction.atomic
def delete_uitzondering(actor, uitzondering, *, check_permission=True):
    if check_permission:
        _require_openingstijden(actor, uitzondering.locatie)
    delete_object(actor, uitzondering, check_permission=False)
    _locatie_gewijzigd(uitzondering.locatie)
