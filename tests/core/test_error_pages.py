"""Error pages with DEBUG off: Dutch, in the site layout, the children's pages in their own
friendly words (A2), the API in JSON."""

import pytest
from django.test import Client
from django.urls import reverse

from core import errors
from opgroeien import urls

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def page(response):
    html = response.content.decode()
    assert '<html lang="nl"' in html and 'class="utrecht-page-header og-header"' in html
    return html


def test_the_handlers_are_ours():
    assert (urls.handler400, urls.handler403, urls.handler404, urls.handler500) == (
        "core.errors.bad_request", "core.errors.permission_denied",
        "core.errors.page_not_found", "core.errors.server_error")


def test_404_page_is_dutch(client):
    response = client.get("/groningen/bestaat-niet/")
    assert response.status_code == 404
    html = page(response)
    assert "Pagina niet gevonden" in html and "Not Found" not in html


def test_403_page_is_dutch(client_for, groningen):
    response = client_for("groningen", "partner").get(
        reverse("finance:export", kwargs={"gemeente": groningen.slug}))
    assert response.status_code == 403
    assert "Geen toegang" in page(response)


def test_400_page_for_a_nul_byte(client):
    response = client.get("/groningen/monitor/", {"gebied": "\x00"})
    assert response.status_code == 400
    assert "De vraag klopt niet" in page(response)


def test_429_page_after_too_many_logins(client):
    statuses = [client.post(reverse("login"), {"username": "x", "password": "y"}).status_code
                for _ in range(11)]
    assert statuses[-1] == 429
    assert "Even wachten" in page(client.post(reverse("login"), {"username": "x"}))


@pytest.mark.urls("tests.core.error_urls")
def test_500_page_is_dutch():
    client = Client(raise_request_exception=False)
    response = client.get("/kapot/")
    assert response.status_code == 500
    html = page(response)
    assert "Er ging iets mis" in html and "Server Error" not in html


def test_children_get_their_own_pages(client, groningen):
    # A path that resolves to nothing under the children's prefix, and one that resolves but
    # finds nothing: both the friendly version in the children's layout.
    for path in ("/groningen/kinderburgemeester/bestaat-niet/",
                 "/groningen/kinderburgemeester/kandidaten/999999/"):
        response = client.get(path)
        assert response.status_code == 404, path
        html = page(response)
        assert "Deze pagina bestaat niet" in html and 'class="og-kids-nav"' in html, path
        assert "Pagina niet gevonden" not in html
    response = client.get("/groningen/jouw-stem/", {"x": "\x00"})
    assert response.status_code == 400
    assert "Oeps, dat ging niet goed" in page(response)


def test_children_500_page(rf, groningen):
    response = errors.server_error(rf.get("/groningen/jouw-stem/"))
    assert response.status_code == 500
    assert "Dat is niet jouw schuld." in response.content.decode()
    response = errors.server_error(rf.get("/groningen/monitor/"))
    assert "Dat ligt niet aan u." in response.content.decode()


def test_api_errors_are_json_and_dutch(client):
    response = client.get("/api/v1/bestaat-niet/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Niet gevonden."}
