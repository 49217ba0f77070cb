"""Plumbing of the finance services: permission checks, money parsing, the conditional UPDATE
that reserves an amount (`reserve`), the row lock of an aanvraag (`vergrendel`) and the
idempotency key of a money step (`eenmalig` / `klaar`).

Limits hold under concurrency because the database checks them: each reservation is one
conditional UPDATE (`... SET toegekend = toegekend + x WHERE id = ? AND toegekend + x <=
plafond`) whose row count says whether it fitted; that works alike on PostgreSQL and SQLite
(where `select_for_update` does nothing). When a reservation does not fit, the service raises a
ValidationError with the reason, and the whole decision's transaction is rolled back.
"""


from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import policy
from core.audit import record, snapshot
from core.models import AuditEntry
from core.money import parse_money, to_money
from finance.models import (
    Aanvraag,
    AanvraagJaar,
    Beschikking,
    Handeling,
)

S = Aanvraag.Status
CREATE, UPDATE = AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE


def current_date():
    return timezone.localdate()


def require(actor, action, obj, check_permission=True):
    if check_permission:
        policy.require(actor, action, obj)


def require_behandelaar(actor, aanvraag, check_permission=True):
    """Deciding on an aanvraag (assessing, granting, paying, setting) is making a beschikking."""
    require(actor, policy.ADD, Beschikking(gemeente_id=aanvraag.gemeente_id, aanvraag=aanvraag),
            check_permission)


def clean_money(value, field=None):
    try:
        return parse_money(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages} if field else exc.messages) from None


def update_fields(actor, instance, fields, *, condition=None, refused=None):
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


def reserve(model, pk, amount, used, limit, refused):
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


def eenmalig(sleutel, aanvraag, soort):
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


def klaar(sleutel, resultaat):
    if sleutel:
        Handeling.objects.filter(sleutel=sleutel).update(resultaat_id=resultaat.pk)
    return resultaat


def vergrendel(aanvraag) -> dict:
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
