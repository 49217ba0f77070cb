"""Snapshots of model instances and append-only audit entries."""

import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from core.models import AuditEntry
from core.periods import Periode


def _json_value(value):
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, Periode):
        return value.code
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set)):
        return [_json_value(v) for v in value]
    return value


def snapshot(instance) -> dict:
    """The instance's own fields and many-to-many ids, JSON-safe. Secrets are left out."""
    data = {}
    opts = instance._meta
    for f in opts.concrete_fields:
        if f.name in {"password"}:
            continue
        data[f.name] = _json_value(f.value_from_object(instance))
    if instance.pk is not None:
        for f in opts.many_to_many:
            data[f.name] = sorted(getattr(instance, f.name).values_list("pk", flat=True))
    return data


def record(actor, action: str, instance, before: dict | None, after: dict | None):
    """Write one audit entry. Called by services inside their transaction."""
    gemeente_id = instance.pk if instance._meta.label_lower == "core.gemeente" else (
        instance.gemeente_id
    )
    return AuditEntry.objects.create(
        gemeente_id=gemeente_id,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_naam=str(actor) if actor is not None else "systeem",
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        before=before,
        after=after,
    )
