"""The modules shown on a gemeente's home page. Each app registers its entry in ready()."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from core import policy


@dataclass(frozen=True)
class Module:
    title: str
    description: str
    url_name: str
    model_label: str  # the model whose VIEW rule decides whether the link is shown
    order: int = 100
    # summary(user, gemeente) -> [(label, url)]: a few objects to show on the home page.
    summary: Callable | None = None


_MODULES: list[Module] = []


def register(module: Module) -> None:
    if module not in _MODULES:
        _MODULES.append(module)


def modules_for(user, gemeente):
    from django.apps import apps

    shown = []
    for module in sorted(_MODULES, key=lambda m: m.order):
        model = apps.get_model(module.model_label)
        if policy.roles(user, gemeente) & policy.viewer_roles(model):
            shown.append({
                "title": module.title, "description": module.description,
                "url": reverse(module.url_name, kwargs={"gemeente": gemeente.slug}),
                "items": module.summary(user, gemeente) if module.summary else [],
            })
    return shown
