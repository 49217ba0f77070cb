"""Write use-cases for frameworks: kaders, thema's and doelen (through core.services) and the one
generic tagging service `set_doelen` that every other app uses."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import policy
from core.audit import record
from core.models import AuditEntry
from core.services import save_object
from framework.models import Doel, DoelKoppeling, Kader, Thema


def save_kader(actor, kader: Kader, *, check_permission=True) -> Kader:
    return save_object(actor, kader, check_permission=check_permission)


def save_thema(actor, thema: Thema, *, check_permission=True) -> Thema:
    return save_object(actor, thema, check_permission=check_permission)


@transaction.atomic
def save_doel(actor, doel: Doel, *, klaverblad_doelen=None, check_permission=True) -> Doel:
    """Create or update a doel; for a doel of another kader `klaverblad_doelen` is its
    mapping onto the Klaverblad."""
    doel = save_object(actor, doel, check_permission=check_permission)
    if klaverblad_doelen is not None:
        set_doelen(actor, doel, klaverblad_doelen, check_permission=check_permission)
    return doel


def _doel_ids(obj) -> list[int]:
    ct = ContentType.objects.get_for_model(type(obj))
    return sorted(DoelKoppeling.objects.filter(content_type=ct, object_id=obj.pk)
                  .values_list("doel_id", flat=True))


@transaction.atomic
def set_doelen(actor, obj, doelen, *, check_permission=True, audit=True) -> list[Doel]:
    """Tag `obj` (any Doelgericht model instance) with exactly these Klaverblad doelen.

    Tagging is a change of the object itself, so the actor needs CHANGE on `obj`; a frozen
    object (see Doelgericht.doelen_bewerkbaar) refuses. One audit entry on `obj` records the
    doel ids before and after.
    """
    if obj.pk is None:
        raise ValueError("Sla het object eerst op.")
    if check_permission:
        policy.require(actor, policy.CHANGE, obj)
    check = getattr(obj, "doelen_bewerkbaar", None)
    if check:
        ok, reason = check()
        if not ok:
            raise ValidationError(reason)
    doelen = list(doelen)
    for doel in doelen:
        if doel.gemeente_id != obj.gemeente_id:
            raise ValidationError(_("Dit doel hoort bij een andere gemeente."))
        if not doel.kader.is_klaverblad:
            raise ValidationError(_("Koppel alleen aan doelen van het Klaverblad."))
    ct = ContentType.objects.get_for_model(type(obj))
    before = _doel_ids(obj)
    wanted = {d.pk for d in doelen}
    for koppeling in DoelKoppeling.objects.filter(content_type=ct, object_id=obj.pk).exclude(
            doel_id__in=wanted):
        koppeling.delete()
    for doel_id in sorted(wanted - set(before)):
        koppeling = DoelKoppeling(gemeente_id=obj.gemeente_id, doel_id=doel_id, content_type=ct,
                                  object_id=obj.pk)
        koppeling.full_clean()
        koppeling.save()
    after = sorted(wanted)
    if audit and before != after:
        record(actor, AuditEntry.Action.UPDATE, obj, {"klaverblad_doelen": before},
               {"klaverblad_doelen": after})
    if hasattr(obj, "_prefetched_objects_cache"):
        obj._prefetched_objects_cache.pop("doel_koppelingen", None)
    return doelen


@transaction.atomic
def copy_doelen(source, target) -> None:
    """Give `target` the same doelen as `source` (used when a plan version is copied).
    No audit entry of its own: the copy is audited by the caller."""
    ct_source = ContentType.objects.get_for_model(type(source))
    ct_target = ContentType.objects.get_for_model(type(target))
    DoelKoppeling.objects.bulk_create([
        DoelKoppeling(gemeente_id=target.gemeente_id, doel_id=doel_id, content_type=ct_target,
                      object_id=target.pk)
        for doel_id in DoelKoppeling.objects.filter(content_type=ct_source, object_id=source.pk)
        .values_list("doel_id", flat=True)
    ])
