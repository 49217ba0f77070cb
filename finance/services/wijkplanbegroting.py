"""The begroting of a wijkplanversie: its lines, changed only while the version is a concept.
"""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import policy
from core.audit import record
from core.services import delete_object, save_object
from finance.models import (
    WijkplanBegrotingsregel,
)
from finance.services.base import UPDATE, clean_money, require


def _lock_versie(versie_id, revisie):
    """The wijkplanversie's optimistic lock (plans.services): a begroting line is part of the
    version, so it changes only in a concept, as the editor saw it, and a vaststelling in the
    meantime refuses it (and the other way round)."""
    from plans.services import lock_concept

    return lock_concept(versie_id, revisie)


@transaction.atomic
def save_wijkplanregel(actor, regel: WijkplanBegrotingsregel, *, revisie,
                       check_permission=True) -> WijkplanBegrotingsregel:
    regel.bedrag = clean_money(regel.bedrag, "bedrag")
    require(actor, policy.ADD if regel._state.adding else policy.CHANGE, regel,
            check_permission)
    if regel.bron == WijkplanBegrotingsregel.Bron.GEBIEDSBUDGET:
        regel.financier = ""
    _lock_versie(regel.versie_id, revisie)
    return save_object(actor, regel, check_permission=False)


@transaction.atomic
def delete_wijkplanregel(actor, regel: WijkplanBegrotingsregel, *, revisie,
                         check_permission=True):
    require(actor, policy.DELETE, regel, check_permission)
    _lock_versie(regel.versie_id, revisie)
    delete_object(actor, regel, check_permission=False)


@transaction.atomic
def begroting_overnemen(actor, versie, *, revisie, check_permission=True) -> int:
    """Copy the begroting of the version this concept revises (bijgesteld_van): activiteiten
    are matched by their sleutel (kept by plans' bijstellen). Only into an empty begroting."""
    probe = WijkplanBegrotingsregel(gemeente_id=versie.gemeente_id, versie=versie)
    require(actor, policy.ADD, probe, check_permission)
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
