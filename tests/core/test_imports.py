"""The file-import toolkit on its own: encodings, delimiters, XLSX refusals, header matching,
form problems, the upload field and the preview/confirm staging."""

import io
import time

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core import imports
from core.imports import ImportGeweigerd
from tests.importfiles import NOT_A_WORKBOOK


def refusal(fn, *args, **kwargs) -> list[str]:
    with pytest.raises(ImportGeweigerd) as exc:
        result = fn(*args, **kwargs)
        if isinstance(result, imports.Table):
            list(result.rows)
    return [str(p) for p in exc.value.problemen]


def test_encodings_are_detected_and_named():
    assert imports.read_text("naam;é\n".encode()) == ("naam;é\n", imports.UTF8)
    assert imports.read_text("\ufeffnaam;é\n".encode()) == ("naam;é\n", imports.UTF8_BOM)
    cp = "code;naam\nGM0014;Súdwest-Fryslân – “oud”\n".encode("cp1252")
    assert imports.read_text(cp, windows_1252=True) == (
        "code;naam\nGM0014;Súdwest-Fryslân – “oud”\n", imports.WINDOWS_1252)
    assert refusal(imports.read_text, cp) == [
        "Rij 2: het bestand is geen UTF-8. Sla het op als 'CSV UTF-8' en probeer het opnieuw."]
    assert "UTF-16" in refusal(imports.read_text, "a;b".encode("utf-16"))[0]
    # 0x81 exists in no Windows-1252 text.
    assert "geen UTF-8 en ook geen Windows-1252" in refusal(
        imports.read_text, b"a;b\n\x81\n", windows_1252=True)[0]


@pytest.mark.parametrize("line, allowed, expected", [
    ("code;naam;jaar", imports.DELIMITERS, ";"),
    ("code,naam,jaar", imports.DELIMITERS, ","),
    ("code\tnaam\tjaar", imports.DELIMITERS, "\t"),
    ('"Wijken, buurten";"Perioden";"Aantal"', imports.DELIMITERS, ";"),  # commas in quotes
    ("code;naam,jaar", imports.DELIMITERS, ";"),  # a tie goes to ;
    ("code", (";",), ";"),
])
def test_delimiter_policy(line, allowed, expected):
    assert imports.detect_delimiter(line, allowed) == expected


def test_a_delimiter_that_is_not_allowed_is_named():
    assert refusal(imports.detect_delimiter, "a\tb\tc", (";",)) == [
        "Rij 1: het bestand is gescheiden met tabs. Gebruik een puntkomma (;) als "
        "scheidingsteken."]


def test_read_table_csv_with_limits():
    data = b"code;naam\nGM0014;Groningen\nGM0106;Assen\n"
    table = imports.read_table("r.csv", data, max_rows=2)
    assert (table.format, table.header, table.encoding, table.delimiter) == (
        "csv", ["code", "naam"], imports.UTF8, ";")
    assert list(table.rows) == [(2, ["GM0014", "Groningen"]), (3, ["GM0106", "Assen"])]
    assert refusal(imports.read_table, "r.csv", data, max_rows=1) == [
        "Rij 1: het bestand heeft meer dan 1 rijen."]
    assert refusal(imports.read_table, "r.csv", data, max_bytes=10)[0].startswith(
        "Rij 1: het bestand is te groot (hoogstens 10")
    assert refusal(imports.read_table, "r.csv", b"  \n") == ["Rij 1: het bestand is leeg."]


def test_read_table_xlsx():
    wb = Workbook()
    wb.active.title = "Uitleg"
    ws = wb.create_sheet("Activiteiten")
    ws.append(["naam", "aantal", "datum", None])
    ws.append(["Zwemles", 12.0, __import__("datetime").date(2022, 9, 1)])
    out = io.BytesIO()
    wb.save(out)
    table = imports.read_table("a.xlsx", out.getvalue(), sheet="Activiteiten")
    assert table.header == ["naam", "aantal", "datum"]
    assert list(table.rows) == [(2, ["Zwemles", "12", "2022-09-01"])]
    # Without `sheet`, the first one: here empty.
    assert refusal(imports.read_table, "a.xlsx", out.getvalue()) == [
        "Rij 1: het bestand is leeg."]


@pytest.mark.parametrize("name", sorted(NOT_A_WORKBOOK))
def test_files_that_are_no_workbook_are_refused_in_dutch(name):
    make, message = NOT_A_WORKBOOK[name]
    problems = refusal(imports.read_table, name, make())
    assert len(problems) == 1 and message in problems[0], problems


@pytest.mark.parametrize("name, data, message", [
    ("a.xlsx", b"code;naam\n", "dit is geen Excel-bestand (.xlsx)."),
    ("a.csv", b"%PDF-1.7", "dit is geen CSV-bestand maar een ander soort bestand."),
    ("a.csv", b"PK\x03\x04", "dit is geen CSV-bestand maar een ander soort bestand."),
    ("a.pdf", b"%PDF-1.7", "kies een CSV-bestand (.csv) of een Excel-bestand (.xlsx)."),
])
def test_content_must_match_the_name(name, data, message):
    assert refusal(imports.read_table, name, data) == [f"Rij 1: {message}"]


def test_header_matching_ignores_case_spacing_and_accents():
    header = [" Regiocode ", "Wijken  en buurten", "PERIODEN", "Coördinaat"]
    assert imports.match_header(header, {
        "code": ["regiocode", "codering"], "periode": ["perioden"], "x": ["coordinaat"],
        "naam": ["wijken en buurten"]}) == {"code": 0, "periode": 2, "x": 3, "naam": 1}
    assert refusal(imports.match_header, header, {"jaar": []}, required=["jaar"]) == [
        "Rij 1: deze kolommen ontbreken: jaar."]


def test_problems_have_a_ceiling_and_are_sorted():
    problemen = imports.Problemen(maximum=2)
    for rij in (9, 3, 5, 7):
        problemen.melden(rij, "x", "fout")
    assert [p.rij for p in problemen] == [9, 3, 5]  # the third says there are more
    assert "nog meer fouten" in problemen[2].melding
    with pytest.raises(ImportGeweigerd) as exc:
        problemen.weiger_als_nodig()
    assert [p.rij for p in exc.value.problemen] == [3, 5, 9]


class RowForm(forms.Form):
    naam = forms.CharField(max_length=5, error_messages={"required": "de naam ontbreekt."})

    def clean(self):
        raise forms.ValidationError("de rij klopt niet.")


def test_melden_form_names_row_and_column():
    form = RowForm({"naam": ""})
    assert not form.is_valid()
    problemen = imports.Problemen()
    problemen.melden_form(form, 4, {"naam": "Naam"})
    assert [str(p) for p in problemen] == [
        "Rij 4, kolom 'Naam': de naam ontbreekt.", "Rij 4: de rij klopt niet."]


class UploadForm(forms.Form):
    bestand = imports.UploadField(formats=("csv",), max_bytes=lambda: 20)


@pytest.mark.parametrize("name, data, error", [
    ("a.csv", b"code;naam\n", None),
    ("a.csv", b"x" * 21, "Het bestand is te groot (hoogstens 20"),
    ("a.xlsx", b"PK\x03\x04", "Kies een CSV-bestand (.csv)."),
    ("a.csv", b"\xd0\xcf\x11\xe0", "Dit is geen CSV-bestand maar een ander soort bestand."),
])
def test_upload_field(name, data, error):
    form = UploadForm({}, {"bestand": SimpleUploadedFile(name, data)})
    if error is None:
        assert form.is_valid()
    else:
        assert not form.is_valid() and form.errors["bestand"][0].startswith(error)


@pytest.mark.django_db
def test_staging_is_bound_to_user_gemeente_and_kind_and_used_once(groningen, assen,
                                                                   demo_user, settings):
    user, other = demo_user("groningen", "beleid"), demo_user("groningen", "raad")
    token = imports.stage(b"a;b\n", kind="test", gemeente=groningen, user=user, name="a.csv",
                          extra={"bron": "CBS"})
    assert token.isalnum() and all(c in "0123456789abcdef" for c in token)
    assert imports.get_staged(token, kind="test", gemeente=groningen, user=other) is None
    assert imports.get_staged(token, kind="test", gemeente=assen, user=user) is None
    assert imports.get_staged(token, kind="ander", gemeente=groningen, user=user) is None
    forged = token[:-1] + ("1" if token[-1] == "0" else "0")
    assert imports.get_staged(forged, kind="test", gemeente=groningen, user=user) is None
    staged = imports.get_staged(token, kind="test", gemeente=groningen, user=user)
    assert (staged.data, staged.name, staged.extra) == (b"a;b\n", "a.csv", {"bron": "CBS"})
    imports.delete_staged(token)
    assert imports.get_staged(token, kind="test", gemeente=groningen, user=user) is None


@pytest.mark.django_db
def test_staged_files_expire(groningen, demo_user, settings):
    user = demo_user("groningen", "beleid")
    settings.IMPORT_STAGING_MAX_AGE = -1
    token = imports.stage(b"x", kind="test", gemeente=groningen, user=user, name="a.csv")
    assert imports.get_staged(token, kind="test", gemeente=groningen, user=user) is None
    settings.IMPORT_STAGING_MAX_AGE = 3600
    other = imports.stage(b"y", kind="test", gemeente=groningen, user=user, name="b.csv")
    time.sleep(0.01)
    assert imports.get_staged(other, kind="test", gemeente=groningen, user=user) is not None
    settings.IMPORT_STAGING_MAX_AGE = -1
    assert imports.delete_expired_staged() >= 2  # data and description (and leftovers)
    settings.IMPORT_STAGING_MAX_AGE = 3600
    assert imports.get_staged(other, kind="test", gemeente=groningen, user=user) is None
