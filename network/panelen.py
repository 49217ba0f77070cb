"""Sections that other apps add to the organisation page, without network importing them.

network sits below the apps that know more about an organisatie (the sociale kaart knows how
current its aanbod is: kaart → network, DESIGN.md §2). Such an app registers a Paneel here in
its AppConfig.ready(), the way monitor.koppelingen works for targets. The page renders each
paneel's template with what its `context(user, organisatie)` returns; None leaves the paneel
out (this user may not see it, or there is nothing to show).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Paneel:
    key: str
    template: str
    # context(user, organisatie) -> dict | None; decides itself who may see it.
    context: Callable


_PANELEN: dict[str, Paneel] = {}


def register(paneel: Paneel) -> None:
    _PANELEN[paneel.key] = paneel


def voor(user, organisatie) -> list[tuple[str, dict]]:
    """[(template, context)] of every paneel this user sees on this organisatie's page."""
    result = []
    for paneel in _PANELEN.values():
        ctx = paneel.context(user, organisatie)
        if ctx is not None:
            result.append((paneel.template, ctx))
    return result
