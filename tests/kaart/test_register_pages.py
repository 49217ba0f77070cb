"""The register import pages: upload → preview → confirm, for DUO schools and LRK
kinderopvang; only the redacteur; a refused file or an unconfirmed preview changes nothing;
a token works once and only for its user and register."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kaart.models import Registerinschrijving
from network.models import Organisatie
from tests.kaart.test_registers import DUO_NIEUW, DUO_OUD, LRK

OUD_1252 = DUO_OUD.replace("De Vlinder", "De Vlinder – Één").encode("cp1252")


def _url(gemeente, name):
    return reverse(f"kaart:{name}", kwargs={"gemeente": gemeente.slug})


def _upload(client, url, data, name="bestand.csv"):
    return client.post(url, {"bestand": SimpleUploadedFile(name, data, "text/csv")})


def _token(response):
    match = re.search(r'name="token" value="([0-9a-f]+)"', response.content.decode())
    return match and match.group(1)


@pytest.mark.django_db
def test_duo_upload_preview_confirm(client, groningen, demo_user):
    client.force_login(demo_user("groningen", "beleid"))
    url = _url(groningen, "import-scholen")
    assert client.get(url).status_code == 200
    before = Organisatie.objects.count()
    response = _upload(client, url, OUD_1252)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Voorbeeld van bestand.csv" in html and "Windows-1252" in html
    assert "OBS De Vlinder" in html and "CBS Het Fundament" in html and "OBS Elders" not in html
    token = _token(response)
    assert token
    assert Organisatie.objects.count() == before  # the preview changes nothing

    # Another user, or the other register, cannot use the token.
    other = demo_user("groningen", "beleid").__class__.objects.create(username="beleid-2")
    from core.models import Membership

    Membership.objects.create(user=other, gemeente=groningen, role="beleidsmedewerker")
    client2 = client.__class__()
    client2.force_login(other)
    client2.post(url, {"token": token})
    client.post(_url(groningen, "import-kinderopvang"), {"token": token})
    assert Organisatie.objects.count() == before

    response = client.post(url, {"token": token}, follow=True)
    assert "2 nieuw, 0 bijgewerkt, 0 gesloten, 0 ongewijzigd" in response.content.decode()
    assert Organisatie.objects.count() == before + 2
    # The token worked once.
    client.post(url, {"token": token})
    assert Organisatie.objects.count() == before + 2

    # The same file again: nothing to confirm. A newer file: one updated, one closed.
    response = _upload(client, url, OUD_1252)
    assert _token(response) is None and "verandert niets" in response.content.decode()
    response = _upload(client, url, DUO_NIEUW.encode("utf-8"), "nieuw.csv")
    html = response.content.decode()
    assert "wordt gesloten" in html
    client.post(url, {"token": _token(response)})
    assert Registerinschrijving.objects.get(gemeente=groningen, code="01AB01").gesloten


@pytest.mark.django_db
def test_bad_file_shows_dutch_rows_and_columns_and_changes_nothing(client, groningen,
                                                                   demo_user):
    client.force_login(demo_user("groningen", "beleid"))
    url = _url(groningen, "import-scholen")
    before = Organisatie.objects.count()
    bad = DUO_OUD.replace("OBS De Vlinder", "").encode("cp1252")
    html = _upload(client, url, bad).content.decode()
    assert "Rij 2, kolom" in html and "VESTIGINGSNAAM" in html and "de naam ontbreekt" in html
    assert "Er is niets veranderd" in html and _token_in(html) is False
    # A file without a single row of this gemeente would close every school: refused.
    assen_only = DUO_OUD.split("\r\n")[0] + "\r\n" + DUO_OUD.split("\r\n")[3] + "\r\n"
    html = _upload(client, url, assen_only.encode("cp1252")).content.decode()
    assert "geen enkele rij van gemeente Groningen" in html
    # Not a CSV at all.
    html = _upload(client, url, b"\x89PNG\r\n\x1a\n" + b"0" * 100, "foto.csv").content.decode()
    assert "og-field-error" in html
    assert Organisatie.objects.count() == before


def _token_in(html):
    return 'name="token"' in html


@pytest.mark.django_db
def test_lrk_upload_preview_confirm(client, groningen, demo_user):
    client.force_login(demo_user("groningen", "beleid"))
    url = _url(groningen, "import-kinderopvang")
    response = _upload(client, url, LRK.encode(), "lrk.csv")
    html = response.content.decode()
    assert "Kinderdagverblijf Zonnetje" in html and "Gastouder Assen" not in html
    client.post(url, {"token": _token(response)})
    assert Registerinschrijving.objects.filter(gemeente=groningen, register="lrk").count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["partner", "coordinator", "raad"])
def test_only_the_redacteur_imports(client, groningen, demo_user, role):
    client.force_login(demo_user("groningen", role))
    url = _url(groningen, "import-scholen")
    assert client.get(url).status_code == 403
    before = Organisatie.objects.count()
    assert _upload(client, url, DUO_OUD.encode("cp1252")).status_code == 403
    assert Organisatie.objects.count() == before
