"""Writing an aanvraag: the concept with its years and begroting, its bijlagen, and indienen.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import policy
from core.audit import record, snapshot
from core.money import ZERO
from core.services import delete_object, save_object
from finance import uploads
from finance.models import (
    MAX_JAREN,
    Aanvraag,
    AanvraagBestand,
    AanvraagJaar,
    Begrotingsregel,
    Beschikking,
    Regeling,
)
from finance.services.base import (
    UPDATE,
    S,
    clean_money,
    current_date,
    require,
    update_fields,
    vergrendel,
)
from finance.services.stappen import (
    STAPPEN,
    mag,
    ontbreekt,
    set_status,
)
from framework.services import set_doelen


def _clean_jaren(regeling, jaren: dict) -> dict[int, Decimal]:
    result = {}
    for jaar, bedrag in sorted(jaren.items()):
        jaar = int(jaar)
        if bedrag in (None, ""):
            continue
        result[jaar] = clean_money(bedrag, "jaren")
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
        if not regeling.open_op(current_date()):
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
            bedrag=clean_money(regel["bedrag"], "begroting")))
    aanvraag.gevraagd = sum(jaren.values(), ZERO)
    if creating:
        save_object(actor, aanvraag, check_permission=check_permission)
    else:
        require(actor, policy.CHANGE, aanvraag, check_permission)
        # The status is checked again in the UPDATE itself: a concurrent indienen wins.
        fields = ["regeling", "organisatie", "initiatiefnemer", "gebied", "titel",
                  "activiteiten", "gevraagd"]
        update_fields(actor, aanvraag, fields, condition=Q(status=S.CONCEPT),
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
    require(actor, policy.ADD, bestand, check_permission)
    mag(aanvraag, "bewerken")
    if soort not in AanvraagBestand.Soort.values:
        raise ValidationError({"soort": _("Onbekende soort bestand.")})
    formaat = uploads.check_document(upload)
    naam = uploads.safe_name(upload.name, formaat)
    upload.seek(0)
    bestand.naam, bestand.formaat, bestand.grootte = naam, formaat, upload.size
    bestand.bestand.save(naam, upload, save=False)
    return save_object(actor, bestand, check_permission=False)


def bijlage_stap(actor, aanvraag) -> str:
    """The step of the state machine a removal of a bijlage by `actor` must pass: a behandelaar
    may remove one until the decision, the applicant only while the aanvraag is a concept."""
    behandelaar = policy.can(actor, policy.ADD, Beschikking(gemeente_id=aanvraag.gemeente_id,
                                                            aanvraag=aanvraag))
    return "bijlage_verwijderen" if behandelaar else "bewerken"


@transaction.atomic
def delete_bijlage(actor, bestand: AanvraagBestand, *, check_permission=True):
    """Remove a bijlage (audited); the stored file goes once the removal is committed."""
    require(actor, policy.DELETE, bestand, check_permission)
    aanvraag = bestand.aanvraag
    vergrendel(aanvraag)  # a concurrent indienen or decision is decided before this
    mag(aanvraag, bijlage_stap(actor, aanvraag) if check_permission else "bijlage_verwijderen")
    if not AanvraagBestand.objects.filter(pk=bestand.pk).exists():
        raise ValidationError(_("Deze bijlage is al verwijderd."))
    opslag, pad = bestand.bestand.storage, bestand.bestand.name
    delete_object(actor, bestand, check_permission=False)
    transaction.on_commit(lambda: opslag.delete(pad))


@transaction.atomic
def delete_aanvraag(actor, aanvraag, *, check_permission=True):
    if aanvraag.status != S.CONCEPT:
        raise ValidationError(_("Alleen een concept kan worden verwijderd."))
    delete_object(actor, aanvraag, check_permission=check_permission)


@transaction.atomic
def indienen(actor, aanvraag, *, today=None, check_permission=True):
    today = today or current_date()
    require(actor, policy.CHANGE, aanvraag, check_permission)
    missing = ontbreekt(aanvraag, today)
    if missing:
        raise ValidationError(missing)
    uiterst = today + datetime.timedelta(weeks=aanvraag.regeling.beslistermijn_weken)
    before = set_status(aanvraag, STAPPEN["indienen"], S.INGEDIEND,
                        _("Deze aanvraag is al ingediend."), ingediend_op=timezone.now(),
                        ingediend_door=actor if getattr(actor, "pk", None) else None,
                        uiterste_beslisdatum=uiterst, aanvulling_gevraagd="")
    record(actor, UPDATE, aanvraag, before, snapshot(aanvraag))
    return aanvraag
