"""Sections that other apps add to a wijkplan version's PDF (finance adds the begroting).

A registry, like monitor.koppelingen: finance builds on plans, so plans never imports finance;
finance registers its section in its AppConfig.ready() and the PDF lists what is registered.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Bijlage:
    key: str
    order: int
    # render(versie) -> HTML fragment (rendered from a template, so escaped) or "" for nothing.
    render: Callable


_BIJLAGEN: dict[str, Bijlage] = {}


def register(bijlage: Bijlage) -> None:
    _BIJLAGEN[bijlage.key] = bijlage


def voor(versie) -> list[str]:
    """The HTML of every registered section for `versie`, in order, empty ones left out."""
    parts = (b.render(versie) for b in sorted(_BIJLAGEN.values(), key=lambda b: b.order))
    return [p for p in parts if p]
