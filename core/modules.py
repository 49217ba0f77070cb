"""The modules of a gemeente: the cards of its home page and the top navigation. Each app
registers its entry in ready(); a user sees the modules whose model their role may view."""

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
    nav_title: str = ""  # a shorter name for the top navigation (default: title)


_MODULES: list[Module] = []


def register(module: Module) -> None:
    if module not in _MODULES:
        _MODULES.append(module)


def _visible(user, gemeente):
    from django.apps import apps

    roles = policy.roles(user, gemeente)
    return [m for m in sorted(_MODULES, key=lambda m: m.order)
            if roles & policy.viewer_roles(apps.get_model(m.model_label))]


def nav_for(user, gemeente, namespace: str = "", path: str = ""):
    """[{title, url, current}] for the top navigation: every module the user's role may use.
    `current` marks at most one: the module of the page's URL namespace (the app); when an
    app has several modules, the one whose list URL the path starts with."""
    items = [{"title": m.nav_title or m.title, "namespace": m.url_name.split(":")[0],
              "url": reverse(m.url_name, kwargs={"gemeente": gemeente.slug}), "current": False}
             for m in _visible(user, gemeente)]
    same_app = [i for i in items if i["namespace"] == namespace]
    by_path = [i for i in same_app if path.startswith(i["url"])]
    if by_path or len(same_app) == 1:
        max(by_path or same_app, key=lambda i: len(i["url"]))["current"] = True
    return items


def modules_for(user, gemeente):
    return [{"title": module.title, "description": module.description,
             "url": reverse(module.url_name, kwargs={"gemeente": gemeente.slug}),
             "items": module.summary(user, gemeente) if module.summary else []}
            for module in _visible(user, gemeente)]
