"""Reads for core: tenants the user belongs to, memberships, audit history."""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404

from core import policy
from core.models import AuditEntry, Gemeente, Membership, User


def gemeente_for(user, slug: str) -> Gemeente:
    """The gemeente with this slug if the user is a member of it; otherwise 404."""
    for gemeente in policy.gemeenten(user):
        if gemeente.slug == slug:
            return gemeente
    raise Http404("Onbekende gemeente.")


def get_gemeente(slug: str) -> Gemeente | None:
    """The gemeente with this slug, member or not (public pages); None if there is none."""
    return Gemeente.objects.filter(slug=slug).first()


def memberships_in(gemeente):
    return (Membership.objects.filter(gemeente=gemeente)
            .select_related("user", "gebied", "organisatie")
            .order_by("user__last_name", "user__username", "role"))


def users_in(gemeente):
    return User.objects.filter(memberships__gemeente=gemeente).distinct().order_by(
        "last_name", "first_name", "username")


def history_for(*instances, limit: int = 50):
    """Audit entries of these objects (e.g. a stuurgroep and its rollen), newest first."""
    from django.db.models import Q

    condition = Q(pk__in=[])
    for instance in instances:
        ct = ContentType.objects.get_for_model(type(instance))
        condition |= Q(content_type=ct, object_id=str(instance.pk))
    return AuditEntry.objects.filter(condition).select_related("content_type")[:limit]


def recent_audit(gemeente, limit: int = 100):
    return AuditEntry.objects.filter(gemeente=gemeente).select_related("content_type")[:limit]


def inbox(user, gemeente=None):
    """The user's own messages in this gemeente (None: in every gemeente they are a member
    of), newest first. Nobody else's: not even a beleidsmedewerker's outbox view is here."""
    from core.models import Bericht

    if gemeente is None:
        return Bericht.objects.filter(user=user, gemeente_id__in=policy.gemeente_ids(user))
    return Bericht.objects.filter(user=user, gemeente=gemeente)


def unread_count(user, gemeente=None) -> int:
    return inbox(user, gemeente).filter(read_at__isnull=True).count()


def outbox(gemeente, status: str = ""):
    """Every message of the gemeente (what was sent to whom), newest first."""
    from core.models import Bericht

    qs = Bericht.objects.filter(gemeente=gemeente).select_related("user")
    return qs.filter(status=status) if status else qs


def users_with_role(gemeente, role, *, gebied_ids=None, organisatie_ids=None):
    """The active users holding `role` in this gemeente (within these gebieden or
    organisaties, if given): the recipients of reminders and escalations."""
    qs = Membership.objects.filter(gemeente=gemeente, role=role, user__is_active=True)
    if gebied_ids is not None:
        qs = qs.filter(gebied_id__in=gebied_ids)
    if organisatie_ids is not None:
        qs = qs.filter(organisatie_id__in=organisatie_ids)
    return User.objects.filter(pk__in=qs.values("user_id")).order_by("pk")
