"""The register imports refuse a file that is no workbook — a workbook without sheets, a zip
that is not a workbook, a broken archive — with core.imports' Dutch message, on the page and
through the command, and change nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from kaart.models import Registerinschrijving
from network.models import Organisatie
from tests.importfiles import NOT_A_WORKBOOK


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(NOT_A_WORKBOOK))
@pytest.mark.parametrize("pagina, command", [("import-scholen", "import_scholen"),
                                             ("import-kinderopvang", "import_kinderopvang")])
def test_no_workbook_is_refused_on_the_page_and_by_the_command(client, groningen, demo_user,
                                                              tmp_path, name, pagina, command):
    make, message = NOT_A_WORKBOOK[name]
    before = Organisatie.objects.count()
    client.force_login(demo_user("groningen", "beleid"))
    url = reverse(f"kaart:{pagina}", kwargs={"gemeente": groningen.slug})
    response = client.post(url, {"bestand": SimpleUploadedFile(
        name, make(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and 'name="token"' not in html
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(CommandError, match="Niets ingelezen:\nRij 1: " + message[:20]):
        call_command(command, "groningen", str(path))
    assert Organisatie.objects.count() == before
    assert not Registerinschrijving.objects.exists()
