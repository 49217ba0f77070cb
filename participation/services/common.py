"""What both parts of participation share in their services: the redacted audit of objects that
hold children's personal data, and the gemeente's settings.

Audit entries of objects that hold children's personal data (Aanmelding, Inzending, Kandidaat)
carry a redacted snapshot: the audit log is append-only and would otherwise keep what the
retention task must delete.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from core.audit import snapshot
from core.models import AuditEntry
from core.services import save_object
from participation.models import Aanmelding, Inzending, Kandidaat

# Fields of personal-data models that may appear in the audit log.
AUDIT_FIELDS = {
    Aanmelding: ["id", "verkiezing", "groep", "school", "status", "toestemming_publiek",
                 "gewist_op"],
    Inzending: ["id", "soort", "adviesronde", "gebied", "thema", "deadline", "behandelaar",
                "beantwoord_op", "gesloten_op", "geescaleerd_op", "openbaar", "goedgekeurd_op",
                "goedgekeurd_door", "verborgen_op", "spam_op", "geanonimiseerd_op"],
    Kandidaat: ["id", "verkiezing", "aanmelding", "nummer", "publiek"],
}


def redacted(instance):
    """A snapshot for the audit log: of personal-data models only the AUDIT_FIELDS."""
    if instance is None:
        return None
    fields = AUDIT_FIELDS.get(type(instance))
    data = snapshot(instance)
    return {k: data[k] for k in fields} if fields else data


def audit(actor, action, instance, before=None, after=None):
    """Like core.audit.record, with a redacted snapshot and object name for personal data."""
    entry = audit_entry(actor, action, instance, before, after)
    entry.save()
    return entry


def audit_entry(actor, action, instance, before=None, after=None):
    """The unsaved entry `audit` writes (for AuditEntry.objects.bulk_create)."""
    model = type(instance)
    name = (f"{model._meta.verbose_name} {instance.pk}" if model in AUDIT_FIELDS
            else str(instance))
    return AuditEntry(
        gemeente_id=instance.gemeente_id,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_naam=str(actor) if actor is not None else _("publiek formulier"),
        action=action, content_type=ContentType.objects.get_for_model(model),
        object_id=str(instance.pk), object_repr=name[:300],
        before=before, after=after)


def save_instelling(actor, instelling):
    return save_object(actor, instelling)
