"""The CBS regions CSV import: all-or-nothing, Dutch messages naming row and column, idempotent."""

import pytest

from core.imports import ImportGeweigerd
from core.models import AuditEntry
from regions.models import Region
from regions.services import importeer

GOOD = (
    "code,naam,jaar\n"
    "GM0014,Groningen,2023\n"
    "WK001410,Noordwest,2023\n"
    "BU00141000,Selwerd,2023\n"
    "BU00141001,Paddepoel-Zuid,2023\n"
)


def messages(exc):
    return [str(p) for p in exc.value.problemen]


@pytest.fixture
def beleid(demo_user):
    return demo_user("groningen", "beleid")


def test_import_creates_tree_and_is_idempotent(groningen, beleid):
    before = Region.objects.filter(gemeente=groningen).count()
    result = importeer(beleid, groningen, GOOD.encode())
    assert (result.aangemaakt, result.bijgewerkt, result.ongewijzigd) == (4, 0, 0)
    buurt = Region.objects.get(gemeente=groningen, code="BU00141000", jaar=2023)
    assert buurt.soort == "buurt" and buurt.parent.code == "WK001410"
    assert buurt.parent.parent.code == "GM0014" and buurt.parent.parent.jaar == 2023
    audit_count = AuditEntry.objects.count()

    again = importeer(beleid, groningen, GOOD.encode())
    assert (again.aangemaakt, again.bijgewerkt, again.ongewijzigd) == (0, 0, 4)
    assert Region.objects.filter(gemeente=groningen).count() == before + 4
    assert AuditEntry.objects.count() == audit_count, "a no-op import writes no audit entries"


def test_semicolon_bom_and_rename(groningen, beleid):
    importeer(beleid, groningen, GOOD.encode())
    renamed = "\ufeffcode;naam;jaar\nBU00141000;Selwerd-Centrum;2023\n"
    result = importeer(beleid, groningen, renamed.encode("utf-8"))
    assert result.bijgewerkt == 1
    assert Region.objects.get(code="BU00141000", jaar=2023).naam == "Selwerd-Centrum"


def test_years_are_separate_indelingen(groningen, beleid):
    importeer(beleid, groningen, GOOD.encode())
    # The 2022 demo region with the same code still exists, unchanged.
    assert Region.objects.filter(gemeente=groningen, code="BU00141000").count() == 2


@pytest.mark.parametrize("content, expected", [
    ("code,name,year\nGM0014,Groningen,2023\n", "Rij 1: de kolommen moeten precies"),
    ("code,naam\nGM0014,Groningen\n", "Rij 1: de kolommen moeten precies"),
    ("code,naam,jaar\nXX0014,Groningen,2023\n", "Rij 2, kolom 'code': 'XX0014' is geen CBS-code"),
    ("code,naam,jaar\nWK0014,Kort,2023\n", "Rij 2, kolom 'code': 'WK0014' is geen CBS-code"),
    ("code,naam,jaar\nGM0106,Assen,2023\n", "Rij 2, kolom 'code': GM0106 hoort niet bij"),
    ("code,naam,jaar\nGM0014,Groningen,twintig\n", "Rij 2, kolom 'jaar': 'twintig' is geen"),
    ("code,naam,jaar\nGM0014,,2023\n", "Rij 2, kolom 'naam': de naam ontbreekt"),
    ("code,naam,jaar\nGM0014,Groningen,2023\nGM0014,Groningen,2023\n",
     "Rij 3, kolom 'code': GM0014 staat voor 2023 al in rij 2"),
    ("code,naam,jaar\nBU00149999,Onbekend,2023\n",
     "Rij 2, kolom 'code': BU00149999 ligt in WK001499, maar WK001499 bestaat niet"),
    ("code,naam,jaar\nGM0014,Groningen,2023,extra\n", "Rij 2: verwacht 3 kolommen"),
    ("", "het bestand is leeg"),
    ("code,naam,jaar\n", "het bestand bevat geen regio's"),
])
def test_bad_files_are_rejected_whole(groningen, beleid, content, expected):
    before = Region.objects.count()
    audit = AuditEntry.objects.count()
    with pytest.raises(ImportGeweigerd) as exc:
        importeer(beleid, groningen, content.encode())
    assert any(expected in m for m in messages(exc)), messages(exc)
    assert Region.objects.count() == before
    assert AuditEntry.objects.count() == audit


def test_one_bad_row_rejects_the_good_rows_too(groningen, beleid):
    content = GOOD + "BU0014ABCD,Fout,2023\n"
    before = Region.objects.count()
    with pytest.raises(ImportGeweigerd) as exc:
        importeer(beleid, groningen, content.encode())
    assert messages(exc) == ["Rij 6, kolom 'code': 'BU0014ABCD' is geen CBS-code (GM + 4 "
                             "cijfers, WK + 6 cijfers of BU + 8 cijfers)."]
    assert Region.objects.count() == before


def test_wrong_encoding_names_the_row(groningen, beleid):
    content = "code,naam,jaar\nGM0014,Groningen,2023\nWK001410,Noordwest \u00e9\u00e9n,2023\n"
    with pytest.raises(ImportGeweigerd) as exc:
        importeer(beleid, groningen, content.encode("cp1252"))
    assert messages(exc)[0].startswith("Rij 3: het bestand is geen UTF-8")


def test_only_beleid_may_import(groningen, demo_user):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        importeer(demo_user("groningen", "coordinator"), groningen, GOOD.encode())
    with pytest.raises(PermissionDenied):
        importeer(demo_user("assen", "beleid"), groningen, GOOD.encode())


def test_import_page_shows_problems_and_imports(client_for, groningen):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("groningen", "beleid")
    url = "/groningen/regios/inlezen/"
    bad = SimpleUploadedFile("regios.csv", b"code,naam,jaar\nGM0014,,2023\n", "text/csv")
    response = client.post(url, {"bestand": bad})
    assert response.status_code == 200
    assert "Rij 2, kolom &#x27;naam&#x27;: de naam ontbreekt." in response.content.decode()

    not_csv = SimpleUploadedFile("regios.csv", b"%PDF-1.7 fake", "text/csv")
    response = client.post(url, {"bestand": not_csv})
    assert "Dit is geen CSV-bestand" in response.content.decode()

    good = SimpleUploadedFile("regios.csv", GOOD.encode(), "text/csv")
    response = client.post(url, {"bestand": good}, follow=True)
    assert "Ingelezen: 4 nieuw, 0 gewijzigd, 0 ongewijzigd." in response.content.decode()


def test_import_page_rejects_large_files(client_for, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.REGIONS_CSV_MAX_BYTES = 100
    client = client_for("groningen", "beleid")
    big = SimpleUploadedFile("regios.csv", GOOD.encode() * 5, "text/csv")
    response = client.post("/groningen/regios/inlezen/", {"bestand": big})
    assert "Het bestand is te groot" in response.content.decode()


def test_management_command(groningen, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "regios.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import_regions", "--gemeente", "GM0014", str(path), stdout=open("/dev/null", "w"))
    assert Region.objects.filter(jaar=2023, gemeente=groningen).count() == 4
    path.write_text("code,naam,jaar\nGM0014,,2023\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Rij 2, kolom 'naam'"):
        call_command("import_regions", "--gemeente", "GM0014", str(path))


WINDOWS_1252 = "code;naam;jaar\nGM0014;Groningen;2023\nWK001410;Noordwest – oud;2023\n".encode(
    "cp1252")


@pytest.mark.parametrize("name, data, expected", [
    ("regios.xlsx", None, "Kies een CSV-bestand (.csv)."),
    ("regios.csv", None, "Dit is geen CSV-bestand maar een ander soort bestand."),
    ("regios.csv", WINDOWS_1252, "Rij 3: het bestand is geen UTF-8."),
])
def test_workbooks_and_windows_1252_are_refused_on_the_page(client_for, name, data, expected):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.importfiles import workbook_without_sheets, zip_without_workbook

    before = Region.objects.count()
    for content in ([data] if data else [workbook_without_sheets(), zip_without_workbook()]):
        response = client_for("groningen", "beleid").post(
            "/groningen/regios/inlezen/", {"bestand": SimpleUploadedFile(name, content)})
        assert response.status_code == 200
        assert expected in response.content.decode().replace("&#x27;", "'")
    assert Region.objects.count() == before


@pytest.mark.parametrize("content, expected", [
    ("workbook_without_sheets", "Rij 1: dit is geen CSV-bestand"),
    ("zip_without_workbook", "Rij 1: dit is geen CSV-bestand"),
    ("windows_1252", "Rij 3: het bestand is geen UTF-8"),
])
def test_the_command_refuses_with_a_dutch_error(groningen, tmp_path, content, expected):
    from django.core.management import CommandError, call_command

    from tests import importfiles

    data = WINDOWS_1252 if content == "windows_1252" else getattr(importfiles, content)()
    path = tmp_path / "regios.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError, match=expected) as exc:
        call_command("import_regions", "--gemeente", "GM0014", str(path))
    assert str(exc.value).startswith("Niets ingelezen:")
