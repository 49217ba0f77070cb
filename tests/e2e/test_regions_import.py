"""A beleidsmedewerker imports CBS regions through the upload page, in a real browser: a valid
file is imported, a malformed one is refused as a whole with a Dutch, row-level message."""

from urllib.parse import urlparse

import pytest

from core.models import AuditEntry
from regions.models import Region
from tests.e2e.helpers import assert_accessible, login, screenshot

pytestmark = pytest.mark.e2e

# Real CBS codes of Groningen (demo/data/regions/cbs_regions_groningen_2022.csv), as a new year.
VALID = """code,naam,jaar
GM0014,Groningen,2023
WK001410,Noordwest,2023
BU00141000,Selwerd,2023
"""
# Row 4 has a code that is no CBS code; row 3 on its own is fine but must not be imported.
MALFORMED = """code,naam,jaar
GM0014,Groningen,2023
WK001411,Noordoost,2023
BU0014100X,Paddepoel-Zuid,2023
"""


def upload(page, path):
    page.goto("/groningen/regios/inlezen/")
    page.get_by_label("CSV-bestand met CBS-regio's").set_input_files(str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="Inlezen").click()


def regions_2023():
    return set(Region.objects.filter(gemeente__slug="groningen", jaar=2023)
               .values_list("code", "naam", "parent__code"))


def test_import_regions_csv_through_the_upload_page(page, tmp_path):
    assert regions_2023() == set()
    login(page, "groningen-beleid")
    page.goto("/groningen/regios/inlezen/")
    assert_accessible(page, "the regions upload page")

    valid = tmp_path / "groningen-2023.csv"
    valid.write_text(VALID, encoding="utf-8")
    upload(page, valid)

    assert urlparse(page.url).path == "/groningen/regios/"
    status = page.get_by_role("status")
    assert "Ingelezen: 3 nieuw, 0 gewijzigd, 0 ongewijzigd." in status.inner_text()
    imported = {("GM0014", "Groningen", None), ("WK001410", "Noordwest", "GM0014"),
                ("BU00141000", "Selwerd", "WK001410")}
    assert regions_2023() == imported
    assert_accessible(page, "the regions list after an import")
    screenshot(page, "regions-imported")

    # A malformed file: refused as a whole, with the row and the reason, in Dutch.
    audit_before = AuditEntry.objects.count()
    malformed = tmp_path / "fout.csv"
    malformed.write_text(MALFORMED, encoding="utf-8")
    upload(page, malformed)

    assert urlparse(page.url).path == "/groningen/regios/inlezen/"
    alert = page.get_by_role("alert")
    assert "Niets ingelezen. Verbeter het bestand:" in alert.inner_text()
    assert ("Rij 4, kolom 'code': 'BU0014100X' is geen CBS-code (GM + 4 cijfers, "
            "WK + 6 cijfers of BU + 8 cijfers).") in alert.inner_text()
    assert page.get_by_role("status").count() == 0  # no success message
    assert regions_2023() == imported  # WK001411 of row 3 was not imported either
    assert AuditEntry.objects.count() == audit_before
    assert_accessible(page, "the regions upload page with import errors")
    screenshot(page, "regions-import-refused")
