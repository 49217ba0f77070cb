"""Generic write use-cases: every create, update and delete of domain data goes through these
(directly or via an app's own service), inside one transaction, permission-checked and audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from core import policy
from core.audit import record, snapshot
from core.models import AuditEntry, Membership


@transaction.atomic
def save_object(actor, instance, *, m2m: dict | None = None, check_permission: bool = True):
    """Create or update `instance` (and set its many-to-many fields from `m2m`)."""
    creating = instance._state.adding
    if check_permission:
        policy.require(actor, policy.ADD if creating else policy.CHANGE, instance)
    before = None
    if not creating:
        stored = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
        if check_permission:
            # Scope changes (e.g. moving an object to another gebied) must be allowed on both
            # the old and the new state.
            policy.require(actor, policy.CHANGE, stored)
        before = snapshot(stored)
    instance.full_clean()
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    after = snapshot(instance)
    if before != after:
        record(actor, AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
               instance, before, after)
    return instance


@transaction.atomic
def delete_object(actor, instance, *, check_permission: bool = True):
    if check_permission:
        policy.require(actor, policy.DELETE, instance)
    before = snapshot(instance)
    record(actor, AuditEntry.Action.DELETE, instance, before, None)
    pk = instance.pk
    try:
        instance.delete()
    except ProtectedError as exc:
        used_by = sorted({str(o._meta.verbose_name) for o in exc.protected_objects})
        raise ValidationError(
            _("%(obj)s kan niet verwijderd worden: er hangt nog iets aan vast (%(used)s)."),
            params={"obj": instance, "used": ", ".join(used_by)},
        ) from None
    instance.pk = pk


@transaction.atomic
def create_user(actor, *, gemeente, role, password, username, first_name="", last_name="",
                email="", gebied=None, organisatie=None):
    """A beleidsmedewerker creates an account with its first membership in their gemeente."""
    from core.models import User

    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError("Deze gebruikersnaam bestaat al. Kies een andere.")
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_password(password)
    policy.require(actor, policy.ADD, Membership(gemeente=gemeente))
    user.save()
    membership = Membership(user=user, gemeente=gemeente, role=role, gebied=gebied,
                            organisatie=organisatie)
    membership.full_clean()
    membership.save()
    record(actor, AuditEntry.Action.CREATE, membership, None, snapshot(membership))
    return user


def markeer_gelezen(user, gemeente=None, ids=None) -> int:
    """Mark the user's own messages in `gemeente` (None: in all their gemeenten) as read, all
    unread ones when `ids` is None. Returns how many. Only the recipient can: another user's
    ids simply match nothing. Marking twice changes nothing (the read time stays the first)."""
    from django.utils import timezone

    from core.selectors import inbox

    qs = inbox(user, gemeente).filter(read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


@transaction.atomic
def save_bericht_voorkeuren(user, wijzen: dict) -> None:
    """{kind: wijze}: how the user wants e-mail per kind. Their own setting, not a record of
    the gemeente, so it is not in the (per-gemeente) audit log."""
    from core.models import BerichtVoorkeur

    for kind, wijze in wijzen.items():
        BerichtVoorkeur.objects.update_or_create(user=user, kind=kind,
                                                 defaults={"wijze": wijze})
