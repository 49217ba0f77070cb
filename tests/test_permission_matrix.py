"""The permission matrix: every URL pattern and every API route, for every demo role of both
gemeenten, and anonymous. A new route without an entry in its app's
`tests/<app>/permission_spec.py` makes this test fail (see tests/permissions.py).

Expectations for a Groningen object:
- anonymous: pages redirect to the login page; the API answers 401;
- a member of Assen: 404 (also when using the Assen slug with a Groningen id);
- a member of Groningen: 200 when the role is in the route's `allowed` set, else 403;
- public pages (Page(public=True), for children and residents): 200 for everyone on each
  gemeente's own version, 404 for everyone when the slug and the object's gemeente differ;
- API routes with a `viewers` set: other roles do not see the object (not listed, 404).
"""

import importlib
import pkgutil

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from core.models import Gemeente
from tests.conftest import DEMO_ROLES


def _spec_modules():
    for info in pkgutil.iter_modules(tests.__path__):
        if info.ispkg:
            try:
                yield importlib.import_module(f"tests.{info.name}.permission_spec")
            except ModuleNotFoundError:
                continue


SPECS = list(_spec_modules())
PAGES = {name: page for spec in SPECS for name, page in spec.PAGES.items()}
API = {name: rule for spec in SPECS for name, rule in spec.API.items()}
# Extra API actions (`@action` routes): {route name: ApiAction} in a spec's API_ACTIONS.
API_ACTIONS = {name: rule for spec in SPECS
               for name, rule in getattr(spec, "API_ACTIONS", {}).items()}

# Routes outside the tenant tree, with what an anonymous visitor gets.
GLOBAL_ROUTES = {"home": 302, "login": 200, "logout": 405, "api-schema": 200, "api-docs": 200,
                 "api-token": 405, "api-root": 401}


def world(slug):
    gemeente = Gemeente.objects.get(slug=slug)
    objects = {}
    for spec in SPECS:
        objects.update(spec.world(gemeente))
    return objects


def all_route_names():
    names = set()

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern).startswith("beheer/"):
                    continue  # Django admin: staff only, guarded by Django itself
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns, "")
    return names


def router_basenames():
    from api.urls import router

    return {basename for _, _, basename in router.registry}


def test_every_route_has_a_rule():
    api_routes = {f"{b}-{suffix}" for b in router_basenames() for suffix in ("list", "detail")}
    missing = (all_route_names() - set(PAGES) - set(GLOBAL_ROUTES) - api_routes
               - set(API_ACTIONS))
    assert not missing, f"Routes without a permission rule: {sorted(missing)}"
    assert router_basenames() == set(API)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_matrix(name, client, demo_user):
    spec = PAGES[name]
    objects = {"groningen": world("groningen"), "assen": world("assen")}

    def url(slug, obj_side):
        kwargs = {"gemeente": slug}
        if spec.obj:
            kwargs[spec.kw] = getattr(objects[obj_side][spec.obj], spec.attr)
        return reverse(name, kwargs=kwargs)

    target = url("groningen", "groningen")
    if spec.public:
        _check_public_page(name, spec, client, demo_user, url)
        return
    assert client.get(target).status_code == 302, "anonymous must be sent to the login page"
    for role in DEMO_ROLES:
        client.force_login(demo_user("groningen", role))
        expected = 200 if role in spec.allowed else 403
        assert client.get(target).status_code == expected, (name, "groningen", role)

        client.force_login(demo_user("assen", role))
        assert client.get(target).status_code == 404, (name, "assen", role)
        assert client.post(target, {}).status_code == 404, (name, "assen POST", role)
        if spec.obj:
            # With the Assen slug and a Groningen id: 404 for whoever may use this page in
            # Assen; others are refused for the page itself (403), which says nothing of the id.
            crossed = url("assen", "groningen")
            status = client.get(crossed).status_code
            assert status == 404 if role in spec.allowed else status in (403, 404), (
                name, role, status)
            # Pages without a form answer 405 to POST before looking at the id.
            assert client.post(crossed).status_code in (403, 404, 405), (name, role)


def _check_public_page(name, spec, client, demo_user, url):
    own = [url("groningen", "groningen"), url("assen", "assen")]
    crossed = url("assen", "groningen") if spec.obj else None
    visitors = [None] + [demo_user(slug, role) for slug in ("groningen", "assen")
                         for role in DEMO_ROLES]
    for user in visitors:
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        for target in own:
            assert client.get(target).status_code == 200, (name, target, user)
        if crossed:
            assert client.get(crossed).status_code == 404, (name, "crossed", user)
            assert client.post(crossed, {}).status_code in (404, 405, 429), (name, user)
    client.logout()
    # An empty POST from anyone is answered without an error (form errors, 405 or 429).
    assert client.post(own[0], {}).status_code < 500, name


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(GLOBAL_ROUTES))
def test_global_routes_anonymous(name, client):
    assert client.get(reverse(name)).status_code == GLOBAL_ROUTES[name]


@pytest.mark.django_db
@pytest.mark.parametrize("basename", sorted(API))
def test_api_matrix(basename, client, demo_user):
    key, writers, deleters, *rest = API[basename]
    # An optional fourth element: the roles that see the object through the API at all (the
    # others get a list without it and 404 on its detail); default: every role.
    viewers = rest[0] if rest else frozenset(DEMO_ROLES)
    g_world, a_world = world("groningen"), world("assen")
    list_url = reverse(f"{basename}-list")
    assert client.get(list_url).status_code == 401
    if key is None:
        return
    g_obj = g_world[key]
    detail = reverse(f"{basename}-detail", kwargs={"pk": g_obj.pk})
    for role in DEMO_ROLES:
        client.force_login(demo_user("groningen", role))
        response = client.get(list_url, {"limit": 1000})
        assert response.status_code == 200
        listed = g_obj.pk in {row["id"] for row in response.json()["results"]}
        assert listed == (role in viewers), (basename, role, "list")
        assert client.get(detail).status_code == (200 if role in viewers else 404)
        patch = client.patch(detail, {}, content_type="application/json")
        expected = (405 if writers is None else 200 if role in writers
                    else 403 if role in viewers else 404)
        assert patch.status_code == expected, (basename, role, "PATCH")

        client.force_login(demo_user("assen", role))
        response = client.get(list_url, {"limit": 1000})
        ids = {row["id"] for row in response.json()["results"]}
        assert g_obj.pk not in ids and (a_world[key].pk in ids) == (role in viewers)
        assert client.get(detail).status_code == 404, (basename, role)
        refused = (405,) if writers is None else (404,)  # read-only routes refuse the method
        assert client.patch(detail, {}, content_type="application/json").status_code in refused
        assert client.delete(detail).status_code in refused, (basename, role, "DELETE")

    for role in DEMO_ROLES:
        client.force_login(demo_user("groningen", role))
        with transaction.atomic():  # each DELETE is undone, so every role meets the object
            status = client.delete(detail).status_code
            transaction.set_rollback(True)
        expected = (405,) if deleters is None else (204, 400) if role in deleters else (403,)
        if role not in viewers:
            expected = (404, 405)
        assert status in expected, (basename, role, "DELETE", status)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(API_ACTIONS))
def test_api_action_matrix(name, client, demo_user):
    """An extra API action: 401 anonymous, 404 for another gemeente's member (on an object),
    the spec's `others_status` (403) for a role without the right, and the spec's expected
    answer for the roles that have it."""
    spec = API_ACTIONS[name]
    g_world = world("groningen")
    world("assen")
    obj = g_world[spec.obj] if spec.obj else None
    url = reverse(name, kwargs={"pk": obj.pk}) if obj is not None else reverse(name)

    def call():
        with transaction.atomic():  # undone, so every role meets the same object
            if spec.method == "get":
                status = client.get(url).status_code
            else:
                status = client.post(url, spec.payload(obj), content_type="application/json"
                                     ).status_code
            transaction.set_rollback(True)
        return status

    assert call() == 401
    for role in DEMO_ROLES:
        client.force_login(demo_user("assen", role))
        if obj is not None:
            assert call() == 404, (name, "assen", role)
        client.force_login(demo_user("groningen", role))
        status = call()
        expected = spec.allowed_status if role in spec.allowed else spec.others_status
        assert status in expected, (name, role, status)
