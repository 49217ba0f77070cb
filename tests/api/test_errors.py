"""The API never answers a client's mistake with a 5xx, and speaks Dutch: NUL bytes, numbers
beyond the database's integers, invalid filter values and unknown ids are 4xx with a Dutch
detail; every message of Django REST framework has a Dutch translation."""

import ast
import gettext
from pathlib import Path

import pytest
import rest_framework
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
BIG = "9" * 30


@pytest.fixture
def api(demo_user):
    client = APIClient()
    client.force_authenticate(demo_user("groningen", "beleid"))
    return client


@pytest.mark.parametrize("url", [
    "/api/v1/gebieden/?gemeente=%00", "/api/v1/metingen/?regio=%00",
    "/api/v1/reeksen/?regio=%00", "/api/v1/aanvragen/?x%00=1",
    "/api/v1/metingen/?periode=abc", f"/api/v1/doelen/?kader={BIG}",
    f"/api/v1/metingen/?indicator={BIG}", f"/api/v1/reeksen/?gebied={BIG}",
])
def test_a_bad_filter_is_a_dutch_4xx(api, url):
    response = api.get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code)
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    assert not any(word in detail for word in ("not", "Invalid", "found", "value")), detail


@pytest.mark.parametrize("param", ["limit", "offset"])
def test_paging_beyond_a_bigint_is_no_server_error(api, param):
    for value in (BIG, str(2**63), "-1", "abc"):
        response = api.get(f"/api/v1/gebieden/?{param}={value}")
        assert response.status_code in (200, 400), (param, value)
    # A year no integer column can hold matches nothing (Django leaves it out of the query).
    assert api.get(f"/api/v1/regios/?jaar={BIG}").json()["count"] == 0
    limited = api.get(f"/api/v1/regios/?limit={BIG}").json()
    assert len(limited["results"]) <= 1000


def test_unknown_and_foreign_ids_are_a_dutch_404(api, assen):
    from regions.models import Gebied

    foreign = Gebied.objects.filter(gemeente=assen).first()
    for url in (f"/api/v1/gebieden/{BIG}/", "/api/v1/gebieden/0/",
                f"/api/v1/gebieden/{foreign.pk}/"):
        response = api.get(url)
        assert response.status_code == 404
        assert response.json() == {"detail": "Niet gevonden."}


def test_drf_messages_are_dutch():
    client = APIClient()
    assert client.get("/api/v1/gebieden/").json() == {
        "detail": "U bent niet ingelogd: er is geen token of sessie meegestuurd."}
    response = client.post("/api/v1/token/", {"username": "x"})
    assert response.json() == {"password": ["Dit veld is verplicht."]}


def drf_msgids() -> set[str]:
    """Every literal DRF passes to a gettext function."""
    ids = set()
    for path in Path(rest_framework.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in {
                    "_", "gettext", "gettext_lazy", "ngettext"}:
                ids.update(a.value for a in node.args
                           if isinstance(a, ast.Constant) and isinstance(a.value, str))
    return ids


def test_every_drf_message_has_dutch():
    with open(ROOT / "locale/drf/nl/LC_MESSAGES/django.mo", "rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog
    same_in_dutch = {"Filters", "Token", "Tokens"}
    missing = sorted(m for m in drf_msgids() if not catalog.get(m) or (
        catalog[m] == m and m not in same_in_dutch))
    assert missing == []
