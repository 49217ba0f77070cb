"""Wijzigingsverzoeken: a provider proposes a change to an aanbod (or new openingstijden of a
locatie), the redacteur approves it or sends it back."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import policy
from core.audit import record, snapshot
from core.models import AuditEntry
from kaart.models import Aanbod, KaartInstelling, Openingstijd, Wijzigingsverzoek
from kaart.services.aanbod import save_aanbod
from kaart.services.common import meld
from kaart.services.locaties import tijden_json, tijden_per_dag, zet_openingstijden

# Fields a provider may propose to change, and the ones that may go live at once when the
# gemeente allows it (KaartInstelling.telefoon_direct).
WIJZIGBARE_VELDEN = [
    "naam", "korte_beschrijving", "beschrijving", "leeftijd_van", "leeftijd_tot", "doelgroep",
    "kosten", "prijs", "kosten_toelichting", "aanmelden", "aanmelden_toelichting", "wachttijd",
    "talen", "toegankelijkheid", "website", "email", "telefoon", "verwijzen", "status",
]
DIRECTE_VELDEN = {"telefoon": "telefoon_direct"}


def _waarde(aanbod, veld):
    value = getattr(aanbod, veld)
    return str(value) if value is not None and not isinstance(value, (str, int)) else value


def huidige_waarden(aanbod) -> dict:
    return {veld: _waarde(aanbod, veld) for veld in WIJZIGBARE_VELDEN}


@transaction.atomic
def dien_wijziging_in(actor, aanbod, voorstel: dict, *, via_link: bool = False):
    """A partner proposes changes to their organisation's aanbod (logged in, or without login
    through the signed 'wijzigen' link of this aanbod: `via_link`, checked by the caller with
    lees_controlelink). Fields the gemeente lets go live at once are applied now; the rest
    waits for the redacteur as one change request. Returns the request (None when nothing
    waits)."""
    if not via_link and not policy.can(actor, policy.ADD, Wijzigingsverzoek(
            gemeente=aanbod.gemeente, aanbod=aanbod)):
        raise PermissionDenied(_("U mag dit aanbod niet wijzigen."))
    aanbod = Aanbod.objects.select_for_update().get(pk=aanbod.pk)
    huidig = huidige_waarden(aanbod)
    voorstel = {k: v for k, v in voorstel.items()
                if k in WIJZIGBARE_VELDEN and v != huidig[k]}
    if not voorstel:
        raise ValidationError(_("U heeft niets gewijzigd."))
    instelling = KaartInstelling.voor(aanbod.gemeente)
    direct = {k: v for k, v in voorstel.items()
              if k in DIRECTE_VELDEN and getattr(instelling, DIRECTE_VELDEN[k])}
    wacht = {k: v for k, v in voorstel.items() if k not in direct}
    # Check the whole proposal against the model's rules before anything is applied.
    proef = Aanbod.objects.get(pk=aanbod.pk)
    for k, v in voorstel.items():
        setattr(proef, k, v)
    proef.full_clean()
    if direct:
        for k, v in direct.items():
            setattr(aanbod, k, v)
        save_aanbod(actor, aanbod, check_permission=False)
    if not wacht:
        return None
    verzoek = Wijzigingsverzoek(gemeente=aanbod.gemeente, aanbod=aanbod, voorstel=wacht,
                                huidig={k: huidig[k] for k in wacht}, ingediend_door=actor)
    verzoek.save()
    record(actor, AuditEntry.Action.CREATE, verzoek, None, snapshot(verzoek))
    meld(aanbod.gemeente, "kaart.wijziging", _("Wijziging voorgesteld: %(naam)s")
          % {"naam": aanbod.naam}, _("Een aanbieder stelt een wijziging voor. Bekijk en keur "
                                     "goed of stuur terug."), obj=verzoek, redacteur=True,
          url=verzoek.get_absolute_url())
    return verzoek


def diff(verzoek) -> list[tuple[str, object, object, object]]:
    """[(field label, value when proposed, proposed value, value now)] of a change request."""
    if not verzoek.aanbod_id:  # opening hours: one row per weekday that changes
        oud, nieuw = (tijden_per_dag(w.get("openingstijden")) for w in (verzoek.huidig,
                                                                         verzoek.voorstel))
        nu = tijden_per_dag(tijden_json(verzoek.locatie.openingstijden.all()))
        gesloten = _("gesloten")
        return [(_("openingstijden op %(dag)s") % {"dag": naam}, oud.get(d, gesloten),
                 nieuw.get(d, gesloten), nu.get(d, gesloten))
                for d, naam in Openingstijd.Weekdag.choices if oud.get(d) != nieuw.get(d)]
    aanbod = verzoek.aanbod
    rows = []
    for veld, nieuw in verzoek.voorstel.items():
        label = Aanbod._meta.get_field(veld).verbose_name
        rows.append((label, verzoek.huidig.get(veld), nieuw, _waarde(aanbod, veld)))
    return rows


def _beoordeel(actor, verzoek):
    # Lock the request only: aanbod and locatie are optional (outer joins cannot be locked).
    verzoek = Wijzigingsverzoek.objects.select_for_update(of=("self",)).select_related(
        "aanbod__gemeente", "locatie__gemeente").get(pk=verzoek.pk)
    policy.require(actor, policy.CHANGE, verzoek)
    if verzoek.status != Wijzigingsverzoek.Status.INGEDIEND:
        raise ValidationError(_("Over dit verzoek is al beslist."))
    return verzoek


@transaction.atomic
def keur_wijziging_goed(actor, verzoek):
    verzoek = _beoordeel(actor, verzoek)
    before = snapshot(verzoek)
    if verzoek.aanbod_id:
        aanbod = Aanbod.objects.select_for_update().get(pk=verzoek.aanbod_id)
        for veld, waarde in verzoek.voorstel.items():
            setattr(aanbod, veld, waarde)
        save_aanbod(actor, aanbod)
    else:
        zet_openingstijden(actor, verzoek.locatie, [
            (d, datetime.time.fromisoformat(a), datetime.time.fromisoformat(b))
            for d, a, b in verzoek.voorstel["openingstijden"]])
    verzoek.status = Wijzigingsverzoek.Status.GOEDGEKEURD
    verzoek.beoordeeld_door, verzoek.beoordeeld_op = actor, timezone.now()
    verzoek.save()
    record(actor, AuditEntry.Action.UPDATE, verzoek, before, snapshot(verzoek))
    _meld_indiener(verzoek, _("Uw wijziging is goedgekeurd: %(naam)s"),
                   _("De wijziging staat nu op de sociale kaart."))
    return verzoek


@transaction.atomic
def stuur_wijziging_terug(actor, verzoek, reden: str):
    if not (reden or "").strip():
        raise ValidationError(_("Schrijf op waarom u het verzoek terugstuurt."))
    verzoek = _beoordeel(actor, verzoek)
    before = snapshot(verzoek)
    verzoek.status = Wijzigingsverzoek.Status.TERUGGESTUURD
    verzoek.reden = reden.strip()
    verzoek.beoordeeld_door, verzoek.beoordeeld_op = actor, timezone.now()
    verzoek.save()
    record(actor, AuditEntry.Action.UPDATE, verzoek, before, snapshot(verzoek))
    _meld_indiener(verzoek, _("Uw wijziging is teruggestuurd: %(naam)s"), verzoek.reden)
    return verzoek


def _meld_indiener(verzoek, subject, body):
    if verzoek.ingediend_door_id:
        meld(verzoek.gemeente, "kaart.wijziging", subject % {"naam": verzoek.onderwerp.naam},
              body, obj=verzoek, user=verzoek.ingediend_door, url=verzoek.get_absolute_url())
