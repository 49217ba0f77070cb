"""Subsidieregelingen (create, change, publish) and the verantwoordingsklassen (tiers).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import policy
from core.audit import record, snapshot
from core.services import save_object
from finance.models import (
    Regeling,
    Verantwoordingsklasse,
)
from finance.services.base import UPDATE, clean_money, require, update_fields
from framework.services import set_doelen


@transaction.atomic
def save_regeling(actor, regeling: Regeling, *, doelen=None, check_permission=True):
    """Create or change a regeling (never its plafond below what was granted); `doelen`: the
    Klaverblad doelen it serves (None: leave them)."""
    regeling.plafond = clean_money(regeling.plafond, "plafond")
    if regeling._state.adding:
        save_object(actor, regeling, check_permission=check_permission)
    else:
        require(actor, policy.CHANGE, regeling, check_permission)
        fields = [f.name for f in Regeling._meta.concrete_fields
                  if f.editable and f.name not in ("id", "gemeente")]
        update_fields(
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
    require(actor, policy.CHANGE, regeling, check_permission)
    before = snapshot(regeling)
    if Regeling.objects.filter(pk=regeling.pk, gepubliceerd_op__isnull=True).update(
            gepubliceerd_op=timezone.now()) != 1:
        raise ValidationError(_("Deze regeling is al gepubliceerd."))
    regeling.refresh_from_db()
    record(actor, UPDATE, regeling, before, snapshot(regeling))
    return regeling
