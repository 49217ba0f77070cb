"""The monitor's pages: they render for every role, show suppressed values as text (never as a
number) on every page and in every export, mark CBS-rounded figures, show a break in series,
open up only when the gemeente makes its monitor public, and keep gemeenten apart."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEntry
from monitor import services
from monitor.models import ImportBatch, Meting, MonitorInstelling
from regions.models import Gebied, Region
from tests.conftest import DEMO_ROLES
from tests.monitor.conftest import read

pytestmark = pytest.mark.django_db

ONDERDRUKT = "onderdrukt (privacy, minimum 10)"
# De Weijert's two buurten have 4 + 3 children: 2/7 = 28,6% may never be shown. Its buurt
# BU00140605 (1 of 4 = 25,0%) and Lewenborg-Noord (2 of 8 = 25,0%) neither.
VERBODEN = ["28,6", "28.6", "25,0%"]


@pytest.fixture
def data(importeer):
    """armoede_kind for 2020-2024: the gemeente and the buurten of three gebieden."""
    result = importeer("pagina_armoede_2020_2024.csv")
    assert result.status == "ingelezen"
    return result


@pytest.fixture
def urls(groningen, armoede):
    def url(name, **kwargs):
        return reverse(f"monitor:{name}", kwargs={"gemeente": groningen.slug, **kwargs})

    weijert = Gebied.objects.get(gemeente=groningen, naam="De Weijert")
    spt = Gebied.objects.get(gemeente=groningen, naam="Selwerd, Paddepoel en Tuinwijk")
    return {
        "klaverblad": url("klaverblad"),
        "klaverblad_weijert": url("klaverblad") + f"?gebied={weijert.pk}",
        "gebied_weijert": url("gebied", pk=weijert.pk),
        "gebied_spt": url("gebied", pk=spt.pk),
        "indicator": url("indicator-detail", pk=armoede.pk),
        "vergelijking": url("vergelijking", pk=armoede.pk),
        "csv": url("export-csv", pk=armoede.pk),
        "xlsx": url("export-xlsx", pk=armoede.pk),
    }


def text(response):
    return response.content.decode()


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_read_pages_render_for_every_role(role, data, urls, client_for):
    client = client_for("groningen", role)
    for name in ("klaverblad", "klaverblad_weijert", "gebied_weijert", "gebied_spt",
                 "indicator", "vergelijking"):
        response = client.get(urls[name])
        assert response.status_code == 200, (name, role)
        assert "Kinderen in armoede" in text(response)
    assert client.get(urls["csv"]).status_code == 200


def test_suppressed_values_are_text_on_every_page(data, urls, client_for):
    client = client_for("groningen", "raad")
    for name in ("klaverblad_weijert", "gebied_weijert", "indicator", "vergelijking"):
        page = text(client.get(urls[name]))
        assert ONDERDRUKT in page, name
        for number in VERBODEN:
            assert number not in page, (name, number)
        assert "&lt;" not in page, name  # no value's HTML escaped twice


def test_suppressed_values_stay_suppressed_in_the_exports(data, urls, client_for):
    client = client_for("groningen", "raad")
    response = client.get(urls["csv"])
    assert response["Content-Type"].startswith("text/csv")
    rows = [line.split(";") for line in response.content.decode("utf-8-sig").splitlines()]
    header = rows[0]
    waarde, status = header.index("waarde"), header.index("status")
    weijert = [r for r in rows if "De Weijert" in r]
    assert len(weijert) == 5 and all(r[status] == "onderdrukt" and r[waarde] == ""
                                     and r[header.index("teller")] == "" for r in weijert)
    assert any(ONDERDRUKT in r for r in weijert)
    for number in VERBODEN:
        assert number not in response.content.decode("utf-8-sig")
    # The gemeente itself: 3900 / 32900 in 2024.
    gm = next(r for r in rows if r[header.index("code")] == "GM0014" and r[3] == "2024")
    assert gm[waarde] == "11,8541"

    response = client.get(urls["xlsx"])
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    header = list(values[0])
    onderdrukt = [r for r in values[1:] if r[header.index("status")] == "onderdrukt"]
    assert onderdrukt and all(r[header.index("waarde")] is None
                              and r[header.index("noemer")] is None for r in onderdrukt)
    assert {r[header.index("toelichting")] for r in onderdrukt} == {ONDERDRUKT}


def test_comparison_export_holds_one_periode(data, urls, client_for):
    response = client_for("groningen", "beleid").get(urls["csv"], {"periode": "2022"})
    rows = response.content.decode("utf-8-sig").splitlines()[1:]
    assert rows and all(";2022;" in r for r in rows)


def test_indicator_table_holds_the_chart_numbers(data, urls, client_for):
    page = text(client_for("groningen", "coordinator").get(urls["indicator"]))
    assert 'data-mon-grafiek="tabel-verloop"' in page
    assert '<caption class="utrecht-table__caption" id="tabel-verloop">' in page
    assert page.count('scope="col"') >= 6 and 'scope="row"' in page
    # Gemeente 2024: 3900 / 32900 = 11,85%; SPT 2024: 207 / 1492 = 13,87%.
    assert "11,9%" in page and "13,9%" in page
    assert 'data-waarde="11.854103343465045"' in page
    # The chart library is served by the app itself.
    assert "/static/vendor/chartjs/chart.umd.min.js" in page


def test_rounded_cbs_figures_are_marked_and_never_totalled(data, urls, client_for):
    page = text(client_for("groningen", "beleid").get(urls["indicator"]))
    assert "(afgerond)" in page
    assert "tellen niet precies op tot het cijfer van de gemeente" in page
    assert "Totaal" not in page


def test_trend_and_direction_are_words(data, urls, client_for):
    page = text(client_for("groningen", "beleid").get(urls["klaverblad"]))
    # 2023 → 2024 the share fell (12,0% → 11,9%) and lower is better.
    assert "beter (gedaald)" in page
    assert '<span aria-hidden="true" class="mon-pijl" data-pijl="↓"></span>' in page


def test_break_in_series_is_visible(groningen, beleid, data, urls, client_for):
    Region.objects.create(gemeente=groningen, jaar=2018, soort="gemeente", code="GM0014",
                          naam="Groningen (voor de herindeling)")
    services.importeer(beleid, groningen, b"indicator;regio;periode;teller;noemer;indeling_jaar\n"
                       b"armoede_kind;GM0014;2018;4600;30000;2018\n", "oud.csv", bron="oud")
    page = text(client_for("groningen", "beleid").get(urls["indicator"]))
    assert "breuk in de reeks" in page
    assert "vanaf 2020 gemeten op de CBS-indeling van 2022" in page
    assert 'data-breuk="1"' in page


def test_public_monitor_on_and_off(groningen, beleid, data, urls, client, demo_user):
    assert client.get(urls["klaverblad"]).status_code == 302
    client.force_login(demo_user("assen", "beleid"))
    assert client.get(urls["indicator"]).status_code == 404
    client.logout()

    instelling = MonitorInstelling.objects.get(gemeente=groningen)
    instelling.publiek = True
    services.save_instelling(beleid, instelling)
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
    page = text(client.get(urls["indicator"]))
    assert "Openbare monitor van de gemeente Groningen" in page
    assert ONDERDRUKT in page and "28,6" not in page
    assert "Cijfers inlezen" not in page  # read-only: no import link
    # Import and settings stay closed.
    for name in ("import", "batch-list", "instellingen"):
        assert client.get(reverse(f"monitor:{name}", kwargs={"gemeente": "groningen"})
                          ).status_code == 302
    client.force_login(demo_user("assen", "raad"))
    assert client.get(urls["klaverblad"]).status_code == 200
    assert client.post(reverse("monitor:import", kwargs={"gemeente": "groningen"})
                       ).status_code == 404


def test_another_gemeentes_objects_are_404(data, groningen, assen, armoede, client_for):
    client = client_for("assen", "beleid")
    gebied = Gebied.objects.filter(gemeente=groningen).first()
    for name, pk in (("indicator-detail", armoede.pk), ("vergelijking", armoede.pk),
                     ("export-csv", armoede.pk), ("gebied", gebied.pk)):
        assert client.get(reverse(f"monitor:{name}", kwargs={"gemeente": assen.slug, "pk": pk})
                          ).status_code == 404, name
    assert client.get(reverse("monitor:klaverblad", kwargs={"gemeente": assen.slug}),
                      {"gebied": gebied.pk}).status_code == 404


def test_import_page_preview_then_commit(groningen, client_for):
    client = client_for("groningen", "beleid")
    url = reverse("monitor:import", kwargs={"gemeente": groningen.slug})
    before = Meting.objects.filter(gemeente=groningen).count()
    response = client.post(url, {"bestand": _upload("pagina_armoede_2020_2024.csv"),
                                 "bron": "test"})
    page = text(response)
    assert response.status_code == 200
    assert "Dit bestand bevat 50 cijfers die ingelezen worden." in page
    assert Meting.objects.filter(gemeente=groningen).count() == before  # preview only
    assert ONDERDRUKT in page and "33,33" not in page  # BU00140606: 1 of 3, also here
    token = re.search(r'name="token" value="([0-9a-f]+)"', page).group(1)

    response = client.post(url, {"token": token})
    batch = ImportBatch.objects.get(gemeente=groningen, bestandsnaam="pagina_armoede_2020_2024.csv")
    assert response.status_code == 302 and response.url == batch.get_absolute_url()
    assert Meting.objects.filter(gemeente=groningen).count() == before + 50
    # The token is used up.
    response = client.post(url, {"token": token}, follow=True)
    assert "Dit voorbeeld is verlopen" in text(response)
    assert Meting.objects.filter(gemeente=groningen).count() == before + 50


def test_an_import_can_be_deleted_with_its_figures(groningen, data, urls, client_for):
    batch = data.batch
    client = client_for("groningen", "beleid")
    url = reverse("monitor:batch-delete", kwargs={"gemeente": groningen.slug, "pk": batch.pk})
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not Meting.objects.filter(batch_id=batch.pk).exists()
    assert "geen cijfer" in text(client.get(urls["indicator"])) or \
        "nog geen cijfers" in text(client.get(urls["indicator"]))
    assert AuditEntry.objects.filter(object_id=str(batch.pk),
                                     action=AuditEntry.Action.DELETE).exists()


def test_import_page_rejects_a_bad_file_with_row_numbers(groningen, client_for):
    client = client_for("groningen", "beleid")
    url = reverse("monitor:import", kwargs={"gemeente": groningen.slug})
    before = Meting.objects.count()
    page = text(client.post(url, {
        "bestand": _upload("fout_tekst.csv"), "bron": "CBS",
        "kolommen": "KinderenInLaagInkomen_1 = armoede_kind teller\n"
                    "MinderjarigeKinderen_2 = armoede_kind noemer"}))
    assert "Dit bestand wordt niet ingelezen" in page
    assert "&#x27;ongeveer 45&#x27; is geen getal." in page
    assert re.search(r'<th scope="row" class="utrecht-table__header-cell">6</th>', page)
    assert 'name="token"' not in page
    assert Meting.objects.count() == before


def test_import_upload_is_checked_for_type_and_size(groningen, client_for, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("groningen", "beleid")
    url = reverse("monitor:import", kwargs={"gemeente": groningen.slug})
    page = text(client.post(url, {"bestand": SimpleUploadedFile("a.pdf", b"%PDF-1.4 ...")}))
    assert "Kies een CSV-bestand (.csv) of een Excel-bestand (.xlsx)." in page
    page = text(client.post(url, {"bestand": SimpleUploadedFile("a.csv", b"%PDF-1.4 ...")}))
    assert "Dit is geen CSV-bestand maar een ander soort bestand." in page
    page = text(client.post(url, {"bestand": SimpleUploadedFile("a.xlsx", b"indicator;x")}))
    assert "Dit is geen Excel-bestand (.xlsx)." in page
    settings.MONITOR_IMPORT_MAX_BYTES = 100
    page = text(client.post(url, {"bestand": _upload("pagina_armoede_2020_2024.csv")}))
    assert "Het bestand is te groot" in page


def test_settings_page_saves_through_the_service_with_audit(groningen, data, urls,
                                                            client_for):
    client = client_for("groningen", "beleid")
    url = reverse("monitor:instellingen", kwargs={"gemeente": groningen.slug})
    audit_before = AuditEntry.objects.count()
    response = client.post(url, {"minimum_n": "400", "publiek": "on"})
    assert response.status_code == 302
    instelling = MonitorInstelling.objects.get(gemeente=groningen)
    assert instelling.minimum_n == 400 and instelling.publiek
    assert AuditEntry.objects.count() > audit_before
    # The new minimum holds at once: Lewenborg (318 children) is now suppressed too.
    lewenborg = Gebied.objects.get(gemeente=groningen, naam="Lewenborg")
    page = text(client.get(reverse("monitor:gebied", kwargs={"gemeente": groningen.slug,
                                                             "pk": lewenborg.pk})))
    assert "onderdrukt (privacy, minimum 400)" in page
    assert "13,9%" not in page  # Lewenborg 2024: 44 / 316
    assert client_for("groningen", "raad").get(url).status_code == 403


def _upload(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, read(name), content_type="text/csv")


def test_dashboards_read_a_fixed_number_of_queries(groningen, beleid, data, urls, client_for):
    """However many indicators and periodes: the Klaverblad view and the gebied view run the
    same queries (no query per indicator, no deferred field loaded row by row)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from monitor.models import Indicator

    client = client_for("groningen", "raad")

    def tel():
        counts = {}
        for name in ("klaverblad", "klaverblad_weijert", "gebied_spt"):
            client.get(urls[name])  # warm: content types and the like are cached once
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(urls[name]).status_code == 200
            counts[name] = len(ctx.captured_queries)
        return counts

    before = tel()
    doel = Indicator.objects.get(gemeente=groningen, code="armoede_kind").klaverblad_doelen()
    rows = ["indicator;regio;periode;waarde;indeling_jaar"]
    for k in range(5):
        indicator = services.save_indicator(beleid, Indicator(
            gemeente=groningen, code=f"extra{k}", naam=f"Extra {k}", definitie="test",
            eenheid="aantal", richting="lager", niveaus=["gemeente", "buurt"]), doelen=doel)
        rows += [f"{indicator.code};{code};{jaar};{20 + k};2022" for jaar in (2021, 2022)
                 for code in ("GM0014", "NL01", "BU00141000", "BU00141001")]
    services.importeer(beleid, groningen, "\n".join(rows).encode(), "extra.csv", bron="x")
    assert tel() == before


def test_a_zip_named_xlsx_is_refused_on_the_import_page(groningen, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.importfiles import NOT_A_WORKBOOK

    client = client_for("groningen", "beleid")
    url = reverse("monitor:import", kwargs={"gemeente": groningen.slug})
    for name, (make, message) in NOT_A_WORKBOOK.items():
        response = client.post(url, {"bestand": SimpleUploadedFile(name, make())})
        page = text(response).replace("&#x27;", "'")
        assert response.status_code == 200
        assert "Dit bestand wordt niet ingelezen" in page and message in page, name
        assert 'name="token"' not in page
    assert not ImportBatch.objects.filter(gemeente=groningen, bestandsnaam__endswith=".xlsx"
                                          ).exists()
