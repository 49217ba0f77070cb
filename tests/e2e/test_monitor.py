"""A beleidsmedewerker imports a file of figures through the monitor's import page (preview,
then confirm) and a file with the national figures (Nederland, NL01), opens the Klaverblad view
and the indicator page, and finds the imported numbers — the gemeente's, the gebieden's and
Nederland's — in the chart's table; every page is axe-core clean on a desktop and on a
phone."""

from pathlib import Path

import pytest

from monitor.models import Meting
from tests.e2e.helpers import PHONE, assert_accessible, login, screenshot

pytestmark = pytest.mark.e2e

FILES = Path(__file__).resolve().parents[1] / "monitor" / "files"
FILE = FILES / "pagina_armoede_2020_2024.csv"
NEDERLAND = FILES / "nederland_armoede_2020_2024.csv"


def test_import_then_read_the_monitor(new_page, browser, e2e_db):
    page = new_page()
    login(page, "groningen-beleid")
    page.goto("/groningen/monitor/imports/nieuw/")
    assert_accessible(page, "the monitor import page")

    page.get_by_label("Bestand met cijfers").set_input_files(str(FILE))
    page.get_by_label("Bron").fill("JGZ")
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    page.get_by_role("heading", name="Voorbeeld van pagina_armoede_2020_2024.csv").wait_for()
    assert "Dit bestand bevat 50 cijfers die ingelezen worden." in page.inner_text("main")
    assert not Meting.objects.filter(indicator__code="armoede_kind").exists()  # preview only
    assert_accessible(page, "the import preview")
    screenshot(page, "monitor-import-preview")

    with page.expect_navigation():
        page.get_by_role("button", name="Ja, lees dit bestand in").click()
    assert "Ingelezen: 50 cijfers uit pagina_armoede_2020_2024.csv." in \
        page.get_by_role("status").inner_text()
    assert Meting.objects.filter(indicator__code="armoede_kind").count() == 50

    # The national figures: the preview says the region Nederland will be made.
    page.goto("/groningen/monitor/imports/nieuw/")
    page.get_by_label("Bestand met cijfers").set_input_files(str(NEDERLAND))
    page.get_by_label("Bron").fill("CBS")
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    page.get_by_role("heading", name=f"Voorbeeld van {NEDERLAND.name}").wait_for()
    assert "cijfers van heel Nederland (NL01)" in page.inner_text("main")
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, lees dit bestand in").click()
    assert "Ingelezen: 5 cijfers" in page.get_by_role("status").inner_text()

    # The Klaverblad view: doel 7 shows the latest gemeente value, its trend in words.
    page.goto("/groningen/monitor/")
    doel7 = page.get_by_role("table", name="Cijfers bij doel 7")
    row = doel7.get_by_role("row", name="Kinderen in armoede")
    assert "11,9%" in row.inner_text() and "beter (gedaald)" in row.inner_text()
    headers = doel7.get_by_role("columnheader").all_inner_texts()
    cells = dict(zip(headers[1:], row.get_by_role("cell").all_inner_texts(), strict=True))
    assert cells["Nederland"] == "12,0%"  # 404000 / 3366000, the same periode (2024)
    assert_accessible(page, "the Klaverblad view")
    screenshot(page, "monitor-klaverblad")

    # The gebied view: the gebied beside the gemeente and Nederland.
    page.goto("/groningen/monitor/gebieden/")
    page.get_by_role("link", name="Selwerd, Paddepoel en Tuinwijk").click()
    gebied = page.get_by_role("table", name="Laatste cijfers: Selwerd, Paddepoel en Tuinwijk, "
                                             "de gemeente Groningen en Nederland")
    headers = gebied.get_by_role("columnheader").all_inner_texts()
    row = gebied.get_by_role("row", name="Kinderen in armoede")
    cells = dict(zip(headers[1:], row.get_by_role("cell").all_inner_texts(), strict=True))
    assert cells["Gemeente"] == "11,9% (2024)" and cells["Nederland"] == "12,0%"
    assert cells["Selwerd, Paddepoel en Tuinwijk"].startswith("13,9%")
    assert_accessible(page, "the gebied view")
    screenshot(page, "monitor-gebied")

    page.get_by_role("link", name="Kinderen in armoede").first.click()
    page.get_by_role("heading", name="Kinderen in armoede", level=1).wait_for()
    assert "/indicatoren/" in page.url
    table_name = ("Kinderen in armoede per periode: de gemeente, Nederland en de gebieden "
                  "(percentage)")
    table = page.get_by_role("table", name=table_name)
    r2024 = table.get_by_role("row", name="2024")
    cells = r2024.get_by_role("cell").all_inner_texts()
    headers = table.get_by_role("columnheader").all_inner_texts()
    by_column = dict(zip(headers[1:], cells, strict=True))
    assert by_column["Gemeente"] == "11,9%"  # 3900 / 32900
    assert by_column["Nederland"] == "12,0%"  # 404000 / 3366000
    assert table.get_by_role("row", name="2020").get_by_role("cell").nth(1).inner_text() \
        == "13,0%"  # Nederland 2020: 442000 / 3400000
    assert by_column["Selwerd, Paddepoel en Tuinwijk"].startswith("13,9%")  # 207 / 1492
    assert by_column["De Weijert"] == "onderdrukt (privacy, minimum 10)"
    # One chart per gebied with figures, against the gemeente and Nederland, drawn from the
    # same table (the page works without them: the table is there). De Weijert has only
    # suppressed values.
    page.get_by_role("img", name="Selwerd, Paddepoel en Tuinwijk tegen de gemeente").wait_for()
    charts = page.locator(".mon-grafiek canvas")
    tegen = "tegen de gemeente (stippellijn) en Nederland (puntjeslijn)"
    assert sorted(charts.evaluate_all("cs => cs.map(c => c.getAttribute('aria-label'))")) == [
        f"Lewenborg {tegen}. De cijfers staan in de tabel hieronder.",
        f"Selwerd, Paddepoel en Tuinwijk {tegen}. De cijfers staan in de tabel hieronder."]
    # Each chart draws three lines: the gebied, the gemeente (dashed), Nederland (dotted).
    assert charts.evaluate_all("cs => cs.map(c => Chart.getChart(c).data.datasets.map("
                               "d => d.label))") == [
        [naam, "Gemeente", "Nederland"] for naam in ("Lewenborg",
                                                     "Selwerd, Paddepoel en Tuinwijk")]
    assert_accessible(page, "the indicator page")
    screenshot(page, "monitor-indicator")

    # Without JavaScript the page still holds every number: the table is the truth.
    no_js = browser.new_context(java_script_enabled=False, base_url=e2e_db.url, locale="nl-NL")
    try:
        plain = no_js.new_page()
        login(plain, "groningen-beleid")
        plain.goto(page.url)
        assert plain.locator(".mon-grafiek").is_hidden()
        assert plain.get_by_role("table", name=table_name).get_by_role(
            "row", name="2024").get_by_role("cell").all_inner_texts() == cells
    finally:
        no_js.close()

    phone = new_page(PHONE)
    login(phone, "groningen-beleid")
    for url, name in (("/groningen/monitor/", "klaverblad"),
                      (page.url, "indicator")):
        phone.goto(url)
        assert_accessible(phone, f"the {name} page on a phone")
        screenshot(phone, f"monitor-{name}-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
