"""Retention jobs that delete in bulk: one statement per distinct retention period, not one per
row. A period is set per gemeente (a settings row with a default for gemeenten that stored
none); `per_period` groups the gemeenten by their period, so a job filters each group with its
own cut-off in one UPDATE or DELETE (participation.services, kaart.services)."""

from django.db.models import Q


def per_period(settings, field: str, default: int, gemeente: str = "gemeente_id"):
    """[(period, Q of the gemeenten that have it)] for the settings queryset's `field`; the
    default period also covers every gemeente without a stored settings row. `gemeente` is the
    lookup of the gemeente in the queryset the Q will filter (e.g. "verkiezing__gemeente_id")."""
    stored = dict(settings.values_list("gemeente_id", field))
    groups: dict[int, list[int]] = {}
    for gemeente_id, period in stored.items():
        groups.setdefault(period, []).append(gemeente_id)
    with_default = groups.pop(default, [])
    result = [(period, Q(**{f"{gemeente}__in": ids})) for period, ids in sorted(groups.items())]
    result.append((default, Q(**{f"{gemeente}__in": with_default})
                   | ~Q(**{f"{gemeente}__in": list(stored)})))
    return result
