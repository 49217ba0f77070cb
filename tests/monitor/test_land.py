"""The national value (Nederland, NL01): imported like any figure on the gemeente's own region of
soort 'land', rolled up and suppressed like the gemeente's figure, shown beside the gemeente on
every page, export and API answer — and never seen by another gemeente."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import AuditEntry
from core.periods import JAAR, Periode
from monitor import selectors, services
from monitor.models import Meting, ReeksWaarde, Status
from regions.forms import GebiedForm
from regions.models import Gebied, Region
from regions.services import save_gebied
from tests.monitor.conftest import read

pytestmark = pytest.mark.django_db

# Nederland 2020-2024 (made up, see files/README.md) on the CBS indeling of 2022, as the
# gemeente's figures in pagina_armoede_2020_2024.csv: 13,0% … 12,0%.
LAND = read("nederland_armoede_2020_2024.csv")


@pytest.fixture
def pagina(importeer):
    assert importeer("pagina_armoede_2020_2024.csv").status == "ingelezen"


@pytest.fixture
def land(groningen, beleid, pagina):
    result = services.importeer(beleid, groningen, LAND, "nederland.csv", bron="CBS")
    assert result.status == "ingelezen" and result.batch.rijen == 5
    return result


@pytest.fixture
def urls(groningen, armoede):
    def url(name, **kwargs):
        return reverse(f"monitor:{name}", kwargs={"gemeente": groningen.slug, **kwargs})

    spt = Gebied.objects.get(gemeente=groningen, afkorting="SPT")
    return {"klaverblad": url("klaverblad"), "gebied": url("gebied", pk=spt.pk),
            "indicator": url("indicator-detail", pk=armoede.pk),
            "vergelijking": url("vergelijking", pk=armoede.pk),
            "csv": url("export-csv", pk=armoede.pk)}


def test_cbs_file_national_row_becomes_the_national_series(importeer, groningen, armoede):
    """The NL00 row of a CBS wijken-en-buurten file: the region Nederland is made (audited) on
    import, the figure is observed (not CBS-rounded) and is read like the gemeente's."""
    importeer("cbs_armoede_2022.csv")
    nl = Region.objects.get(gemeente=groningen, soort=Region.Soort.LAND)
    assert (nl.code, nl.naam, nl.jaar, nl.parent) == ("NL01", "Nederland", 2022, None)
    assert AuditEntry.objects.filter(object_id=str(nl.pk), content_type__model="region",
                                     action=AuditEntry.Action.CREATE).count() == 1
    [punt] = selectors.reeks(None, groningen, armoede, selectors.NEDERLAND)
    assert (punt.teller, punt.noemer, punt.status, punt.breuk) == (281000, 3390000,
                                                                  Status.WAARGENOMEN, False)
    assert punt.waarde == pytest.approx(100 * 281000 / 3390000)
    rij = ReeksWaarde.objects.get(indicator=armoede, regio_code="NL01")
    assert (rij.soort, rij.gebied_id, rij.region_id) == ("land", None, nl.pk)
    # The gemeente's own series is unchanged by it.
    [gm] = selectors.reeks(None, groningen, armoede)
    assert gm.teller == 4100


def test_template_takes_nl01_and_reuses_the_region(groningen, beleid, land, armoede):
    nl = Region.objects.get(gemeente=groningen, soort=Region.Soort.LAND)
    assert Meting.objects.filter(region=nl).count() == 5
    data = b"indicator;regio;periode;waarde\nthuiszitters;NL01;2022;9000\n"
    services.importeer(beleid, groningen, data, "thuiszitters-nl.csv", bron="CBS")
    assert Region.objects.filter(gemeente=groningen, soort=Region.Soort.LAND).count() == 1
    # The same file again changes nothing.
    assert services.importeer(beleid, groningen, LAND, "nederland.csv", bron="CBS"
                              ).status == "ongewijzigd"


def test_a_small_national_figure_is_suppressed_everywhere(groningen, beleid, pagina, armoede,
                                                         urls, client_for):
    data = b"indicator;regio;periode;teller;noemer\narmoede_kind;NL01;2024;3;7\n"
    services.importeer(beleid, groningen, data, "klein.csv", bron="test")
    rij = ReeksWaarde.objects.get(indicator=armoede, regio_code="NL01")
    assert (rij.status, rij.waarde, rij.teller, rij.noemer, rij.n) == (
        Status.ONDERDRUKT, None, None, None, None)
    client = client_for("groningen", "raad")
    for name in ("klaverblad", "gebied", "indicator", "vergelijking", "csv"):
        page = client.get(urls[name]).content.decode("utf-8-sig")
        assert "42,9" not in page and "42.9" not in page, name  # 3 / 7
    punten = client.get(reverse("reeks-detail", kwargs={"pk": armoede.pk}),
                        {"regio": "NL01"}).json()["punten"]
    assert [(p["status"], p["waarde"], p["teller"]) for p in punten] == [
        ("onderdrukt", None, None)]


def test_indicator_page_has_a_nederland_series_in_table_and_chart(land, urls, client_for):
    page = client_for("groningen", "coordinator").get(urls["indicator"]).content.decode()
    assert "per periode: de gemeente, Nederland en de gebieden" in page
    assert re.search(r'<th scope="col" class="utrecht-table__header-cell" '
                     r'data-reeks="Nederland" data-land="1">Nederland</th>', page)
    # 2024: 404000 / 3366000 = 12,0%, for the chart exactly.
    assert f'data-waarde="{100 * 404000 / 3366000!r}"' in page
    assert "Nederland (puntjeslijn)" in page


def test_comparison_klaverblad_and_gebied_view_show_nederland(land, urls, client_for):
    client = client_for("groningen", "raad")
    page = client.get(urls["vergelijking"]).content.decode()
    rij = re.search(r'<tr class="utrecht-table__row mon-land-rij">(.*?)</tr>', page, re.S)
    assert "Nederland" in rij.group(1) and "12,0%" in rij.group(1)
    for name in ("klaverblad", "gebied"):
        page = client.get(urls[name]).content.decode()
        assert ">Nederland</th>" in page, name
        assert 'data-kop="Nederland"><span class="mon-getal">12,0%</span>' in page, name


def test_without_national_figures_there_is_no_nederland_column(pagina, urls, client_for):
    client = client_for("groningen", "raad")
    for name in ("klaverblad", "gebied", "indicator", "vergelijking"):
        page = client.get(urls[name]).content.decode()
        assert ">Nederland</th>" not in page and "data-land" not in page, name


def test_national_value_of_another_periode_says_which(groningen, beleid, pagina, armoede,
                                                      urls, client_for):
    data = b"indicator;regio;periode;teller;noemer\narmoede_kind;NL01;2022;425000;3380000\n"
    services.importeer(beleid, groningen, data, "nl-2022.csv", bron="CBS")
    [item] = [i for d in selectors.laatste_waarden(None, groningen) for i in d["indicatoren"]
              if i["indicator"] == armoede]
    assert item["laatste"].periode == Periode(JAAR, 2024)
    assert item["land"].periode == Periode(JAAR, 2022)
    page = client_for("groningen", "raad").get(urls["klaverblad"]).content.decode()
    assert ('data-kop="Nederland"><span class="mon-getal">12,6%</span> '
            '<span class="og-muted mon-klein">(2022)</span>') in page


def test_export_has_the_national_rows(land, urls, client_for):
    response = client_for("groningen", "raad").get(urls["csv"], {"periode": "2024"})
    rows = [r.split(";") for r in response.content.decode("utf-8-sig").splitlines()]
    header, rows = rows[0], rows[1:]
    soort, code, naam = (header.index(k) for k in ("soort", "code", "naam"))
    assert [r[soort] for r in rows[:2]] == ["gemeente", "land"]  # gemeente, then Nederland
    assert (rows[1][code], rows[1][naam], rows[1][header.index("status")]) == (
        "NL01", "Nederland", "waargenomen")
    assert rows[1][header.index("noemer")] == "3366000"


def test_api_series_and_measurements_of_nederland(land, armoede, client_for):
    client = client_for("groningen", "raad")
    data = client.get(reverse("reeks-detail", kwargs={"pk": armoede.pk}),
                      {"regio": "nl01"}).json()
    assert data["regio"] == "NL01" and data["gebied"] is None
    assert [p["periode"] for p in data["punten"]] == ["2020", "2021", "2022", "2023", "2024"]
    assert data["punten"][-1]["noemer"] == 3366000 and not any(p["breuk"]
                                                                for p in data["punten"])
    rows = client.get(reverse("meting-list"), {"indicator": armoede.pk, "soort": "land"}
                      ).json()["results"]
    assert {(r["regio_code"], r["soort"]) for r in rows} == {("NL01", "land")} and len(rows) == 5


def test_a_new_indeling_is_no_break_for_nederland(groningen, beleid, land, armoede):
    Region.objects.create(gemeente=groningen, jaar=2018, soort="gemeente", code="GM0014",
                          naam="Groningen (voor de herindeling)")
    data = (b"indicator;regio;periode;teller;noemer\n"
            b"armoede_kind;GM0014;2018;4600;30000\narmoede_kind;NL01;2018;450000;3410000\n")
    services.importeer(beleid, groningen, data, "2018.csv", bron="oud")
    assert set(Region.objects.filter(gemeente=groningen, soort="land")
               .values_list("jaar", flat=True)) == {2018, 2022}
    nederland = selectors.reeks(None, groningen, armoede, selectors.NEDERLAND)
    assert [p.indeling_jaar for p in nederland] == [2018, 2022, 2022, 2022, 2022, 2022]
    assert not any(p.breuk for p in nederland)
    gemeente = selectors.reeks(None, groningen, armoede)
    assert [p.breuk for p in gemeente[:2]] == [False, True]  # GM0014 itself did change


def test_nederland_is_never_part_of_a_gebied(groningen, beleid, land):
    nl = Region.objects.get(gemeente=groningen, soort=Region.Soort.LAND)
    form = GebiedForm(gemeente=groningen, user=beleid)
    assert nl not in form.fields["regions"].queryset
    gebied = Gebied(gemeente=groningen, naam="Met Nederland", jaar=2022)
    with pytest.raises(ValidationError):
        save_gebied(beleid, gebied, [nl])


def test_another_gemeente_never_sees_the_national_rows(land, assen, armoede, client_for):
    client = client_for("assen", "beleid")
    assert client.get(reverse("reeks-detail", kwargs={"pk": armoede.pk}),
                      {"regio": "NL01"}).status_code == 404
    assen_armoede = assen.monitor_indicatoren.get(code="armoede_kind")
    data = client.get(reverse("reeks-detail", kwargs={"pk": assen_armoede.pk}),
                      {"regio": "NL01"}).json()
    assert data["punten"] == []
    assert client.get(reverse("meting-list"), {"soort": "land"}).json()["results"] == []
    assert not Region.objects.filter(gemeente=assen, soort="land").exists()
    assert client.get(reverse("region-list"), {"soort": "land"}).json()["results"] == []
    for name in ("klaverblad", "indicator-detail"):
        kwargs = {"gemeente": assen.slug} | ({"pk": assen_armoede.pk} if "detail" in name else {})
        page = client.get(reverse(f"monitor:{name}", kwargs=kwargs)).content.decode()
        assert ">Nederland</th>" not in page, name


def test_a_national_file_never_replaces_the_local_import(groningen, beleid, armoede):
    lokaal = services.importeer(beleid, groningen, read("pagina_armoede_2020_2024.csv"),
                                "pagina.csv", bron="CBS")
    # Same indicator, bron and periodes, but only Nederland: imported beside it.
    landelijk = services.importeer(beleid, groningen, LAND, "nederland.csv", bron="CBS")
    assert landelijk.status == "ingelezen" and landelijk.vervangen == []
    lokaal.batch.refresh_from_db()
    assert lokaal.batch.status == "actief"
    assert selectors.reeks(None, groningen, armoede) and selectors.reeks(
        None, groningen, armoede, selectors.NEDERLAND)
