"""Programmabudget and gebiedsbudgetten: allocating the programme over the gebieden.
"""


from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from core import policy
from core.money import ZERO, format_euro
from core.services import delete_object, save_object
from finance.models import (
    Gebiedsbudget,
    Programmabudget,
)
from finance.services.base import clean_money, require, reserve, update_fields


@transaction.atomic
def save_programmabudget(actor, budget: Programmabudget, *, check_permission=True):
    if budget._state.adding:
        return save_object(actor, budget, check_permission=check_permission)
    require(actor, policy.CHANGE, budget, check_permission)
    budget.bedrag = clean_money(budget.bedrag, "bedrag")
    return update_fields(
        actor, budget, ["jaar", "naam", "bedrag", "toelichting"],
        condition=Q(toegewezen__lte=budget.bedrag),
        refused=_("Er is al meer over de gebieden verdeeld dan dit budget. Verlaag eerst de "
                  "gebiedsbudgetten."))


@transaction.atomic
def save_gebiedsbudget(actor, gb: Gebiedsbudget, *, check_permission=True):
    """Allocate (or change) a gebied's part of the programmabudget; the sum of the parts never
    exceeds the programme, and a part never drops below what was granted from it."""
    gb.bedrag = clean_money(gb.bedrag, "bedrag")
    pb = gb.programmabudget
    if gb._state.adding:
        require(actor, policy.ADD, gb, check_permission)
        gb.full_clean()
        old = ZERO
    else:
        require(actor, policy.CHANGE, gb, check_permission)
        old = Gebiedsbudget.objects.values_list("bedrag", flat=True).get(pk=gb.pk)
    delta = gb.bedrag - old
    reserve(Programmabudget, pb.pk, delta, "toegewezen", "bedrag", lambda vrij: _(
        "Dit past niet in het programmabudget %(jaar)s: er is nog %(vrij)s te verdelen.") % {
        "jaar": pb.jaar, "vrij": format_euro(vrij)})
    if gb._state.adding:
        try:
            with transaction.atomic():
                return save_object(actor, gb, check_permission=False)
        except IntegrityError:
            raise ValidationError(_("Dit gebied heeft in dit jaar al een budget.")) from None
    return update_fields(
        actor, gb, ["bedrag"], condition=Q(bedrag=old, toegekend__lte=gb.bedrag),
        refused=_("Uit dit gebiedsbudget is al meer toegekend dan %(bedrag)s.") % {
            "bedrag": format_euro(gb.bedrag)})


@transaction.atomic
def delete_gebiedsbudget(actor, gb: Gebiedsbudget, *, check_permission=True):
    require(actor, policy.DELETE, gb, check_permission)
    # Lock the row on the condition that nothing was granted from it, then release what it
    # held as stored (not as the page showed it).
    if Gebiedsbudget.objects.filter(pk=gb.pk, toegekend=0).update(bedrag=F("bedrag")) != 1:
        raise ValidationError(_("Uit dit gebiedsbudget is al subsidie toegekend; het kan niet "
                                "worden verwijderd."))
    bedrag = Gebiedsbudget.objects.values_list("bedrag", flat=True).get(pk=gb.pk)
    reserve(Programmabudget, gb.programmabudget_id, -bedrag, "toegewezen", "bedrag",
            _("Het programmabudget klopt niet meer; probeer het opnieuw."))
    delete_object(actor, gb, check_permission=False)
