"""The one permission policy of Opgroeien.

Views, API, services and templates ask `can(user, action, obj)`; nobody re-implements a rule.

A rule says, per model, which roles may view and which may write (add/change/delete), and at what
scope: the whole gemeente, only the member's gebied, or only the member's organisatie. A model
takes part by having a `gemeente_id` and, for scoped rules, by answering `policy_gebied_ids()` and
`policy_organisatie_ids()` (sets of ids the object belongs to).

A row of a gemeente the user is no member of is invisible: selectors filter it out, so it answers
404 — never 403 with a hint.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied

from core.models import Gemeente, Membership, Role

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"

# Scopes of a grant.
GEMEENTE, GEBIED, ORGANISATIE = "gemeente", "gebied", "organisatie"

ALL_ROLES = frozenset(Role.values)


@dataclass(frozen=True)
class Rule:
    """Who may view and who may write objects of one model, and at what scope."""

    view: frozenset = ALL_ROLES
    # {role: scope} when viewing is scoped too (a partner sees only their own); None: `view`.
    view_scope: dict | None = None
    # {role: scope} for add/change/delete.
    write: dict = field(default_factory=dict)
    add: dict | None = None  # None: same as write.
    delete: dict | None = None  # None: same as write.

    def grants(self, action):
        if action == VIEW:
            if self.view_scope is not None:
                return self.view_scope
            return {role: GEMEENTE for role in self.view}
        if action == ADD and self.add is not None:
            return self.add
        if action == DELETE and self.delete is not None:
            return self.delete
        return self.write


BELEID_ONLY = {Role.BELEIDSMEDEWERKER: GEMEENTE}

RULES: dict[str, Rule] = {
    "core.gemeente": Rule(write={}),
    "core.membership": Rule(view=frozenset({Role.BELEIDSMEDEWERKER}), write=BELEID_ONLY),
    "core.auditentry": Rule(write={}),
    # The gemeente's outbox; a user's own messages (the inbox) are theirs alone (selectors).
    "core.bericht": Rule(view=frozenset({Role.BELEIDSMEDEWERKER}), write={}),
    "core.berichtvoorkeur": Rule(view=frozenset(), write={}),
    # The periodic jobs of the site (core/scheduler.py): not a row of one gemeente; the page
    # shows their state, never data.
    "core.geplandetaak": Rule(view=frozenset({Role.BELEIDSMEDEWERKER}), write={}),
    # The trace of each import run (core.imports.vastgelegd), written by the importers only.
    "core.importpoging": Rule(view=frozenset({Role.BELEIDSMEDEWERKER}), write={}),
    "regions.region": Rule(write=BELEID_ONLY),
    "regions.gebied": Rule(write=BELEID_ONLY),
    "network.organisatie": Rule(
        write={Role.BELEIDSMEDEWERKER: GEMEENTE, Role.PARTNER: ORGANISATIE},
        add=BELEID_ONLY,
        delete=BELEID_ONLY,
    ),
    "network.persoon": Rule(
        write={Role.BELEIDSMEDEWERKER: GEMEENTE, Role.PARTNER: ORGANISATIE,
               Role.GEBIEDSCOORDINATOR: GEBIED},
    ),
    "network.stuurgroep": Rule(
        write={Role.BELEIDSMEDEWERKER: GEMEENTE, Role.GEBIEDSCOORDINATOR: GEBIED},
        delete=BELEID_ONLY,
    ),
    "network.stuurgroeprol": Rule(
        write={Role.BELEIDSMEDEWERKER: GEMEENTE, Role.GEBIEDSCOORDINATOR: GEBIED},
    ),
}


def register(model_label: str, rule: Rule) -> None:
    """Apps that come later add their rules here (in their AppConfig.ready)."""
    RULES[model_label.lower()] = rule


def viewer_roles(model) -> set[str]:
    """The roles that may view some objects of `model` (at any scope)."""
    return set(rule_for(model).grants(VIEW))


def rule_for(model) -> Rule:
    label = model._meta.label_lower
    try:
        return RULES[label]
    except KeyError:
        raise LookupError(f"No policy rule for {label}: add one to core.policy.RULES") from None


def memberships(user) -> list[Membership]:
    """The user's memberships, fetched once per request (cached on the user object)."""
    if not user or not user.is_authenticated:
        return []
    cached = getattr(user, "_opgroeien_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("gemeente"))
        user._opgroeien_memberships = cached
    return cached


def gemeenten(user) -> list[Gemeente]:
    seen = {}
    for m in memberships(user):
        seen.setdefault(m.gemeente_id, m.gemeente)
    return sorted(seen.values(), key=lambda g: g.naam)


def gemeente_ids(user) -> set[int]:
    return {m.gemeente_id for m in memberships(user)}


def roles(user, gemeente) -> set[str]:
    gid = getattr(gemeente, "pk", gemeente)
    return {m.role for m in memberships(user) if m.gemeente_id == gid}


def is_member(user, gemeente) -> bool:
    gid = getattr(gemeente, "pk", gemeente)
    return gid in gemeente_ids(user)


def _scope_ids(obj, method):
    fn = getattr(obj, method, None)
    return set(fn()) if fn else set()


def can(user, action: str, obj) -> bool:
    """May `user` do `action` on `obj`? For ADD pass an unsaved instance with its scope set."""
    rule = rule_for(type(obj))
    gemeente_id = obj.pk if type(obj) is Gemeente else obj.gemeente_id
    grants = rule.grants(action)
    for m in memberships(user):
        if m.gemeente_id != gemeente_id or m.role not in grants:
            continue
        scope = grants[m.role]
        if scope == GEMEENTE:
            return True
        if scope == GEBIED and m.gebied_id in _scope_ids(obj, "policy_gebied_ids"):
            return True
        if scope == ORGANISATIE and m.organisatie_id in _scope_ids(obj, "policy_organisatie_ids"):
            return True
    return False


def can_any(user, action: str, model, gemeente) -> bool:
    """Might `user` do `action` on some object of `model` in `gemeente` (to show a button)?"""
    grants = rule_for(model).grants(action)
    return any(grants.get(role) for role in roles(user, gemeente))


def organisatie_ids(user, action: str, model, gemeente) -> set[int] | None:
    """For which organisaties may `user` do `action` on objects of `model` in `gemeente`?
    None: for any (a gemeente-wide grant, e.g. a beleidsmedewerker); otherwise the ids of the
    user's own organisaties under an organisatie-scoped grant (a partner applies only for its
    own organisatie), possibly empty. For choice lists; `can` decides each object."""
    grants = rule_for(model).grants(action)
    gid = getattr(gemeente, "pk", gemeente)
    ids = set()
    for m in memberships(user):
        if m.gemeente_id != gid or m.role not in grants:
            continue
        if grants[m.role] == GEMEENTE:
            return None
        if grants[m.role] == ORGANISATIE and m.organisatie_id:
            ids.add(m.organisatie_id)
    return ids


def require(user, action: str, obj) -> None:
    """Raise PermissionDenied unless allowed. Objects of foreign gemeenten never reach here:
    selectors already answered 404 for them."""
    if not can(user, action, obj):
        raise PermissionDenied("U mag dit niet doen.")
