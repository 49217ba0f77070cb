"""Sources for the Klaverblad coverage matrix (doelen × gebieden).

framework may not import the apps that tag objects with doelen (plans, finance, kaart, ...), so
those apps register a source here in their AppConfig.ready(). A source counts its tagged objects
per (doel, gebied) and knows the page that lists them.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CoverageSource:
    key: str
    label: str  # Dutch plural, e.g. "activiteiten"
    # counts(user, gemeente, doel_ids) -> {(doel_id, gebied_id): n}; ONE query, whatever the size.
    counts: Callable
    # url(gemeente, doel_id, gebied_id) -> the page listing the counted objects.
    url: Callable
    # False: shown beside the plans (e.g. the sociale kaart's aanbod) but not counted as policy
    # working on the doel, so it neither fills a witte vlek nor adds to the cell's total.
    beleid: bool = True


_SOURCES: dict[str, CoverageSource] = {}


def register(source: CoverageSource) -> None:
    _SOURCES[source.key] = source


def sources() -> list[CoverageSource]:
    return list(_SOURCES.values())


@dataclass(frozen=True)
class NeedSource:
    """Where children need more: registered by the monitor (framework may not import it).
    counts(user, gemeente, doel_ids) -> {(doel_id, gebied_id): number of indicators of that doel
    whose gebied target is not met or not on course}; url(gemeente, doel_id, gebied_id)."""

    key: str
    label: str
    counts: Callable
    url: Callable


_NEED: dict[str, NeedSource] = {}


def register_need(source: NeedSource) -> None:
    _NEED[source.key] = source


def need_sources() -> list[NeedSource]:
    return list(_NEED.values())
