"""Who works on a target: other apps tell the monitor's pages without monitor importing them.

monitor imports no app that links to its targets (plans links wijkplan activiteiten to
Streefwaarden: plans → monitor, DESIGN.md §2). Such an app registers a source here in its
AppConfig.ready(), the way framework.coverage works for the Klaverblad matrix. The indicator
page lists, per target, what each source returns — for members of the gemeente only, never on
the public monitor.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Verwijzing:
    """One object that works on a target, as a monitor page shows it."""

    tekst: str
    url: str
    toelichting: str = ""


@dataclass(frozen=True)
class StreefwaardeBron:
    key: str
    label: str  # Dutch plural, e.g. "activiteiten"
    # verwijzingen(user, gemeente, streefwaarde_ids) -> {streefwaarde_id: [Verwijzing]};
    # ONE query, whatever the number of targets.
    verwijzingen: Callable


_BRONNEN: dict[str, StreefwaardeBron] = {}


def register(bron: StreefwaardeBron) -> None:
    _BRONNEN[bron.key] = bron


def bronnen() -> list[StreefwaardeBron]:
    return list(_BRONNEN.values())


def verwijzingen(user, gemeente, streefwaarde_ids) -> dict[int, list[tuple[str, list]]]:
    """{streefwaarde_id: [(label, [Verwijzing])]} over every registered source, only the
    targets something works on."""
    result: dict[int, list] = {}
    ids = list(streefwaarde_ids)
    if not ids:
        return result
    for bron in bronnen():
        for sid, lijst in bron.verwijzingen(user, gemeente, ids).items():
            if lijst:
                result.setdefault(sid, []).append((bron.label, lijst))
    return result
