"""Import of activiteiten from XLSX/CSV and export as PDF and XLSX, with real files."""

import csv
import io
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from core import exports
from core.imports import ImportGeweigerd
from plans import selectors, transfer

pytestmark = pytest.mark.django_db

HEADER = [k for k, _ in transfer.KOLOMMEN]


def row(**values):
    base = {"pijler": "Gezondheid", "naam": "Zwemles", "beschrijving": "Elke week",
            "trekker": "JGZ Groningen", "partners": "WIJ-team SPT; Kids First",
            "locaties": "Pendinghe", "leeftijd_van": "48", "leeftijd_tot": "144",
            "start": "2022-09-01", "eind": "2023-06-30", "beoogde_resultaten": "Diploma A",
            "status": "gepland", "klaverblad_doelen": "2;1"}
    base.update(values)
    return [base[k] for k in HEADER]


def xlsx(rows, header=HEADER):
    wb = Workbook()
    ws = wb.active
    ws.title = "Activiteiten"
    ws.append(header)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows, header=HEADER, delimiter=";"):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def importeer(user, versie, naam, data):
    versie.refresh_from_db()
    return transfer.importeer(user, versie, naam, data, revisie=versie.revisie)


def test_xlsx_import_is_complete_and_idempotent(concept, demo_user):
    coordinator = demo_user("groningen", "coordinator")
    before = concept.activiteiten.count()
    data = xlsx([row(), row(naam="Gezonde traktatie", trekker="", partners="",
                            leeftijd_van="-9", leeftijd_tot="48", klaverblad_doelen="")])
    result = importeer(coordinator, concept, "activiteiten.xlsx", data)
    assert (result.aangemaakt, result.bijgewerkt, result.ongewijzigd) == (2, 0, 0)
    zwemles = concept.activiteiten.get(naam="Zwemles")
    assert zwemles.pijler.naam == "Gezondheid" and zwemles.trekker.naam == "JGZ Groningen"
    assert {o.naam for o in zwemles.partners.all()} == {"WIJ-team SPT", "Kids First"}
    assert [d.nummer for d in zwemles.klaverblad_doelen()] == [1, 2]
    assert (zwemles.leeftijd_van, zwemles.leeftijd_tot) == (48, 144)
    assert str(zwemles.start) == "2022-09-01"
    assert concept.activiteiten.count() == before + 2

    revisie = concept.__class__.objects.get(pk=concept.pk).revisie
    again = importeer(coordinator, concept, "activiteiten.xlsx", data)
    assert (again.aangemaakt, again.bijgewerkt, again.ongewijzigd) == (0, 0, 2)
    assert concept.activiteiten.count() == before + 2
    # Nothing changed, so editors who loaded the concept are not refused afterwards.
    assert concept.__class__.objects.get(pk=concept.pk).revisie == revisie

    changed = importeer(coordinator, concept, "activiteiten.xlsx",
                        xlsx([row(beoogde_resultaten="Diploma B")]))
    assert (changed.aangemaakt, changed.bijgewerkt) == (0, 1)
    assert concept.activiteiten.get(naam="Zwemles").beoogde_resultaten == "Diploma B"


def test_csv_import_with_semicolons_and_bom(concept, demo_user):
    data = b"\xef\xbb\xbf" + csv_bytes([row(naam="Voorleesuur", pijler="inclusie")])
    result = importeer(demo_user("groningen", "beleid"), concept, "lijst.csv", data)
    assert result.aangemaakt == 1
    assert concept.activiteiten.get(naam="Voorleesuur").pijler.naam == "Inclusie"


@pytest.mark.parametrize("data_fn, naam, expected", [
    (lambda: xlsx([row()], header=HEADER[:-2]), "a.xlsx",
     "Rij 1: deze kolommen ontbreken: status, klaverblad_doelen"),
    (lambda: xlsx([row(pijler="Participatie")]), "a.xlsx",
     "Rij 2, kolom 'pijler': 'Participatie' is geen pijler van deze versie"),
    (lambda: xlsx([row(trekker="Onbekende Stichting")]), "a.xlsx",
     "Rij 2, kolom 'trekker': organisatie 'Onbekende Stichting' is onbekend in Opgroeien"),
    (lambda: xlsx([row(trekker="GGD Drenthe, jeugdgezondheidszorg")]), "a.xlsx",
     "organisatie 'GGD Drenthe, jeugdgezondheidszorg' is onbekend"),  # an Assen organisatie
    (lambda: xlsx([row(partners="Kids First; Nergens BV")]), "a.xlsx",
     "Rij 2, kolom 'partners': organisatie 'Nergens BV' is onbekend"),
    (lambda: xlsx([row(leeftijd_van="144", leeftijd_tot="48")]), "a.xlsx",
     "Rij 2, kolom 'leeftijd_tot': de leeftijd 'tot' (48) is lager dan 'van' (144)"),
    (lambda: xlsx([row(leeftijd_tot="400")]), "a.xlsx",
     "Rij 2, kolom 'leeftijd_tot': 400 valt buiten -9 tot en met 324 maanden"),
    (lambda: csv_bytes([row(start="1-9-2022")]), "a.csv",
     "Rij 2, kolom 'start': '1-9-2022' is geen datum"),
    (lambda: csv_bytes([row(status="bezig")]), "a.csv", "Rij 2, kolom 'status'"),
    (lambda: csv_bytes([row(klaverblad_doelen="11")]), "a.csv",
     "'11' is geen nummer van een Klaverblad-doel"),
    (lambda: b"%PDF-1.7 this is not a spreadsheet", "a.xlsx", "dit is geen Excel-bestand"),
    (lambda: xlsx([row()]), "a.csv", "dit is geen CSV-bestand"),
    (lambda: xlsx([row()]), "a.pdf", "kies een Excel-bestand (.xlsx) of een CSV-bestand"),
    (lambda: b"PK\x03\x04kapot", "a.xlsx", "het Excel-bestand kan niet gelezen worden"),
    (lambda: "pijler;naam\nGezondheid;Café".encode("latin-1"), "a.csv", "geen UTF-8"),
])
def test_bad_files_are_rejected_whole(concept, demo_user, data_fn, naam, expected):
    before = set(concept.activiteiten.values_list("naam", flat=True))
    with pytest.raises(ImportGeweigerd) as exc:
        importeer(demo_user("groningen", "coordinator"), concept, naam, data_fn())
    assert any(expected in str(p) for p in exc.value.problemen), [str(p) for p in
                                                                   exc.value.problemen]
    assert set(concept.activiteiten.values_list("naam", flat=True)) == before


def test_one_bad_row_rejects_the_good_rows_too(concept, demo_user):
    data = xlsx([row(naam="Goed 1"), row(naam="Fout", pijler="Onbekend"), row(naam="Goed 2"),
                 row(naam="Goed 1")])
    with pytest.raises(ImportGeweigerd) as exc:
        importeer(demo_user("groningen", "coordinator"), concept, "a.xlsx", data)
    rows = sorted((p.rij, p.kolom) for p in exc.value.problemen)
    assert rows == [(3, "pijler"), (5, "naam")]  # also the duplicate in row 5
    assert not concept.activiteiten.filter(naam__startswith="Goed").exists()


def test_import_into_a_vastgestelde_version_is_refused(v2021, demo_user):
    from plans.models import VersieNietBewerkbaar

    with pytest.raises(VersieNietBewerkbaar):
        importeer(demo_user("groningen", "beleid"), v2021, "a.xlsx", xlsx([row()]))


def test_import_page_shows_row_errors_and_template_downloads(concept, client_for):
    client = client_for("groningen", "coordinator")
    url = reverse("plans:versie-import", kwargs={"gemeente": "groningen", "pk": concept.pk})
    page = client.get(url).content.decode()
    assert "Download het sjabloon" in page and "leeftijd_van" in page
    bestand = SimpleUploadedFile("fout.xlsx", xlsx([row(leeftijd_van="60", leeftijd_tot="12")]))
    response = client.post(url, {"bestand": bestand, "revisie": concept.revisie})
    html = response.content.decode()
    assert "Niets ingelezen" in html and "Rij 2, kolom &#x27;leeftijd_tot&#x27;" in html
    bestand = SimpleUploadedFile("goed.xlsx", xlsx([row()]))
    response = client.post(url, {"bestand": bestand, "revisie": concept.revisie})
    assert response.status_code == 302
    assert concept.activiteiten.filter(naam="Zwemles").exists()

    sjabloon = client.get(reverse("plans:import-sjabloon", kwargs={"gemeente": "groningen"}))
    wb = load_workbook(io.BytesIO(sjabloon.content))
    assert [c.value for c in wb["Activiteiten"][1]] == HEADER
    assert wb["Uitleg"]["A1"].value.startswith("Sjabloon")
    as_csv = client.get(reverse("plans:import-sjabloon", kwargs={"gemeente": "groningen"}),
                        {"formaat": "csv"})
    assert as_csv.content.decode("utf-8-sig").strip() == ",".join(HEADER)


def test_xlsx_export_round_trips_into_the_import(v2021, concept, demo_user, client_for):
    response = client_for("groningen", "raad").get(
        reverse("plans:versie-xlsx", kwargs={"gemeente": "groningen", "pk": v2021.pk}))
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    wb = load_workbook(io.BytesIO(response.content))
    rows = list(wb["Activiteiten"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert len(rows) - 1 == v2021.activiteiten.count()
    assert any(r[1] == "Kansrijke Start" and r[6] == -9 and r[7] == 24 for r in rows[1:])
    # The concept is a copy of 2021: importing 2021's export changes nothing.
    result = importeer(demo_user("groningen", "coordinator"), concept, "export.xlsx",
                       response.content)
    assert (result.aangemaakt, result.bijgewerkt) == (0, 0)
    assert result.ongewijzigd == concept.activiteiten.count()


def test_pdf_export(v2021, client_for):
    response = client_for("groningen", "raad").get(
        reverse("plans:versie-pdf", kwargs={"gemeente": "groningen", "pk": v2021.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in ("Bijgesteld Wijkplan Positief Opgroeien SPT", "Talentontwikkeling",
                     "Inclusie", "Kansrijke Start", "Voorzitter stuurgroep"):
        assert expected in text, expected
    assert "Aanjager" not in text
    if os.environ.get("PDF_OUT"):  # to look at it: pdftoppm -png $PDF_OUT page
        Path(os.environ["PDF_OUT"]).write_bytes(response.content)
    flat = " ".join(text.split())
    # The title once with its year, the Klaverblad doelen by name, who vaststelde it when,
    # and the begroting (registered by finance through plans.bijlagen).
    assert "2021 2021" not in flat
    assert "Alle kinderen hebben een kansrijke start vanaf de geboorte" in flat
    assert "Vastgesteld op 15 december 2020 door" in flat
    assert "als voorzitter van de stuurgroep" in flat
    assert "Begroting" in flat and "Uit het gebiedsbudget" in flat and "€" in flat


def test_pdf_of_a_concept_uses_the_current_roles(concept, v2021):
    from network.models import StuurgroepRol

    stuurgroep = concept.wijkplan.gebied.stuurgroep
    StuurgroepRol.objects.create(gemeente=concept.gemeente, stuurgroep=stuurgroep, rol="lid",
                                 titel="Ouderpanel")

    def text(versie):
        pdf = transfer.versie_pdf(selectors.versie_met_inhoud(versie.pk))
        return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)

    assert "Ouderpanel" in text(concept)
    assert "Ouderpanel" not in text(v2021)  # a vastgestelde version keeps its snapshot



@pytest.mark.parametrize("naam, maak, expected", [
    ("leeg.xlsx", "workbook_without_sheets", "de Excel-werkmap heeft geen werkbladen"),
    ("zip.xlsx", "zip_without_workbook", "dit zip-bestand is geen Excel-werkmap (.xlsx)"),
    ("kapot.xlsx", "broken_zip", "het Excel-bestand kan niet gelezen worden"),
    ("ansi.csv", "windows_1252", "Rij 2: het bestand is geen UTF-8"),
])
def test_no_workbook_and_windows_1252_are_refused_on_the_page(concept, client_for, naam,
                                                              maak, expected):
    from tests import importfiles

    data = csv_bytes([row(beschrijving="Voorlezen in het café")]).decode().encode("cp1252") \
        if maak == "windows_1252" else getattr(importfiles, maak)()
    client = client_for("groningen", "coordinator")
    url = reverse("plans:versie-import", kwargs={"gemeente": "groningen", "pk": concept.pk})
    before = concept.activiteiten.count()
    response = client.post(url, {"bestand": SimpleUploadedFile(naam, data),
                                 "revisie": concept.revisie})
    html = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200 and "Niets ingelezen" in html
    assert expected in html
    assert concept.activiteiten.count() == before
