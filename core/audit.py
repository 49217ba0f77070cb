"""Snapshots of model instances and append-only audit entries."""

import datetime
import decimal
import re
import uuid
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import AuditEntry
from core.money import MoneyField, format_euro
from core.periods import Periode, PeriodeField


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


def snapshot(instance, m2m: dict | None = None) -> dict:
    """The instance's own fields and many-to-many ids, JSON-safe. Secrets are left out.
    `m2m` ({field name: ids}) gives the many-to-many ids when the caller already read them
    (bulk writes), instead of one query per field and instance."""
    data = {}
    opts = instance._meta
    for f in opts.concrete_fields:
        if f.name in {"password"}:
            continue
        data[f.name] = _json_value(f.value_from_object(instance))
    if instance.pk is not None:
        for f in opts.many_to_many:
            data[f.name] = sorted(m2m[f.name] if m2m is not None else
                                  getattr(instance, f.name).values_list("pk", flat=True))
    return data


def _entry(actor, action: str, instance, before: dict | None, after: dict | None):
    gemeente_id = instance.pk if instance._meta.label_lower == "core.gemeente" else (
        instance.gemeente_id
    )
    return AuditEntry(
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


def record(actor, action: str, instance, before: dict | None, after: dict | None):
    """Write one audit entry. Called by services inside their transaction."""
    entry = _entry(actor, action, instance, before, after)
    entry.save()
    return entry


def record_many(actor, changes) -> list:
    """`record` for many objects at once, in a few INSERTs (bulk imports). `changes`:
    (action, instance, before, after) tuples of saved instances."""
    return AuditEntry.objects.bulk_create(
        [_entry(actor, *change) for change in changes], batch_size=500)


# Reading the log: each change as a Dutch line ------------------------------------------------

# Plumbing that changes with every edit and says nothing to a reader.
VERBORGEN = {"id", "revisie", "gemeente", "sleutel", "password", "last_login", "volgorde"}
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BEDRAG = re.compile(r"^-?\d+\.\d{2}$")


@dataclass(frozen=True)
class Regel:
    """One change in words: "Toegekend bedrag: € 7.250,00 → € 10.000,00"."""

    label: str
    oud: str
    nieuw: str

    def __str__(self):
        return f"{self.label}: {self.oud} → {self.nieuw}"


def _label(model, key):
    try:
        field = model._meta.get_field(key) if model else None
    except FieldDoesNotExist:
        field = None
    name = field.verbose_name if field is not None and hasattr(field, "verbose_name") else \
        key.replace("_", " ")
    return field, capfirst(str(name))


def _scalar(value) -> str:
    """A stored value without a field to explain it (custom snapshots): dates, amounts and
    lists in Dutch, never a Python dump."""
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if isinstance(value, bool):
        return str(_("ja") if value else _("nee"))
    if isinstance(value, str):
        if _ISO_DATETIME.match(value):
            moment = datetime.datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return date_format(moment, "j F Y H:i")
        if _ISO_DATE.match(value):
            return date_format(datetime.date.fromisoformat(value), "j F Y")
        if _BEDRAG.match(value):
            return format_euro(decimal.Decimal(value))
        return value if len(value) <= 300 else value[:297] + "…"
    if isinstance(value, dict):
        return "; ".join(f"{capfirst(str(k).replace('_', ' '))}: {_scalar(v)}"
                         for k, v in value.items())
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, dict) for v in value):
            return ngettext("%(n)s regel", "%(n)s regels", len(value)) % {"n": len(value)}
        return ", ".join(_scalar(v) for v in value)
    if isinstance(value, float):
        return formats.number_format(value, use_l10n=True)
    return str(value)


def _namen(model, pks) -> dict:
    return {str(o.pk): str(o) for o in model._default_manager.filter(pk__in=pks)}


def _waarde(model, field, value) -> str:
    if value is None or value == "":
        return "–"
    formatter = getattr(model, "history_formatters", {}).get(field.name) if model else None
    if formatter:
        return str(formatter(value))
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return str(_("ja") if value else _("nee"))
    if isinstance(field, models.ForeignKey):
        return _namen(field.related_model, [value]).get(str(value), str(_("(verwijderd)")))
    if isinstance(field, MoneyField):
        return format_euro(decimal.Decimal(str(value)))
    if isinstance(field, models.DecimalField):
        return formats.number_format(decimal.Decimal(str(value)), field.decimal_places,
                                     use_l10n=True)
    if isinstance(field, PeriodeField):
        return Periode.parse(value).label
    if isinstance(field, models.JSONField):
        return _scalar(value)
    return _scalar(value)


def regels(entry) -> list[Regel]:
    """The changes of an audit entry (update) as Dutch lines with field labels: dates, money,
    choices, related objects and periods as people read them."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    result = []
    for key, old, new in entry.changes():
        if key in VERBORGEN:
            continue
        field, label = _label(model, key)
        if field is not None and getattr(field, "auto_now", False):
            continue
        if field is not None and field.many_to_many:
            names = _namen(field.related_model, set(old or []) | set(new or []))

            def lijst(ids, names=names):
                return ", ".join(sorted(names.get(str(pk), "?") for pk in ids or [])) or "–"

            result.append(Regel(label, lijst(old), lijst(new)))
            continue
        if field is None or not hasattr(field, "flatchoices"):
            result.append(Regel(label, _scalar(old), _scalar(new)))
        else:
            result.append(Regel(label, _waarde(model, field, old), _waarde(model, field, new)))
    return result
