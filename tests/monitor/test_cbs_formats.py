"""CBS files as they come (issue 14): the StatLine CSV with labels or symbols, the Kerncijfers
wijken en buurten with their Codering, a page of the OData feed, Windows-1252, negative
scores; through the service, the import page and the command."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.imports import ImportGeweigerd
from monitor import services
from monitor.models import ImportBatch, Indicator, Meting, Status
from tests.monitor.conftest import ARMOEDE_KOLOMMEN, FILES, read

pytestmark = pytest.mark.django_db

LABELS = {"Kinderen in huishoudens met laag inkomen": ("armoede_kind", "teller"),
          "Minderjarige kinderen": ("armoede_kind", "noemer")}
SES = {"SES-WOA/Totaalscore/Gemiddelde score (Getal)": ("ses_woa", "waarde")}
SES_BESTANDEN = ["cbs_ses_woa_labels.csv", "cbs_ses_woa_labels_omgekeerd.csv"]


@pytest.fixture
def ses_woa(groningen, beleid):
    """SES-WOA: a score centred on 0, so often negative (eenheid score: no bounds)."""
    return services.save_indicator(beleid, Indicator(
        gemeente=groningen, code="ses_woa", naam="SES-WOA totaalscore", definitie="CBS",
        eenheid="score", richting="hoger", niveaus=["gemeente", "wijk", "buurt"]))


def lees(groningen, naam, **kwargs):
    return services.importeer(None, groningen, read(naam), naam, check_permission=False,
                              **kwargs)


def waarden(indicator):
    return {(m.region.code, m.periode.code): m for m in
            Meting.objects.filter(indicator=indicator).select_related("region")}


def test_kerncijfers_with_codering_and_a_given_periode(groningen, armoede):
    preview = lees(groningen, "cbs_kerncijfers_2022_codering.csv", kolommen=LABELS,
                   periode="2022", alleen_voorbeeld=True).voorbeeld
    assert preview.ok, [str(p) for p in preview.problemen]
    assert (preview.regio_kolom, preview.periode_kolom, preview.codering) == (
        "Codering", "", "UTF-8 met BOM")
    result = lees(groningen, "cbs_kerncijfers_2022_codering.csv", kolommen=LABELS,
                  periode="2022")
    metingen = waarden(armoede)
    # '.' and '?' are no figure; 'x' is secret; '-' is nil (CBS: "nihil").
    assert set(metingen) == {(c, "2022") for c in (
        "NL01", "GM0014", "WK001410", "BU00141000", "BU00141001", "BU00141100")}
    assert metingen[("BU00141001", "2022")].status == Status.GEHEIM
    assert (metingen[("BU00141100", "2022")].teller, metingen[("BU00141100", "2022")].waarde) \
        == (0, 0)
    assert metingen[("GM0014", "2022")].noemer == 33000
    assert result.batch.formaat == "cbs"


def test_a_table_without_perioden_needs_the_periode(groningen, armoede):
    with pytest.raises(ImportGeweigerd) as exc:
        lees(groningen, "cbs_kerncijfers_2022_codering.csv", kolommen=LABELS)
    assert "het bestand heeft geen kolom 'Perioden'" in str(exc.value)


@pytest.mark.parametrize("naam", SES_BESTANDEN)
def test_labelled_export_with_names_and_codes_in_either_order(groningen, ses_woa, naam):
    preview = lees(groningen, naam, kolommen=SES, alleen_voorbeeld=True).voorbeeld
    assert preview.ok, [str(p) for p in preview.problemen]
    assert preview.regio_kolom == "Regiocode (gemeente, wijk, buurt) (code)"
    assert preview.periode_kolom == "Perioden"
    assert "Wijken en buurten" in preview.genegeerde_kolommen
    lees(groningen, naam, kolommen=SES, bron="CBS")
    metingen = waarden(ses_woa)
    assert {k: m.waarde for k, m in metingen.items()} == {
        ("GM0014", "2022"): pytest.approx(-0.084), ("WK001410", "2022"): pytest.approx(0.123),
        ("BU00141000", "2022"): pytest.approx(-0.412), ("GM0014", "2023"): pytest.approx(-0.091)}


def test_names_only_is_refused_saying_so(groningen, ses_woa):
    with pytest.raises(ImportGeweigerd) as exc:
        lees(groningen, "cbs_ses_woa_alleen_namen.csv", kolommen=SES)
    melding = str(exc.value.problemen[0])
    assert "in dit bestand staan geen CBS-regiocodes" in melding
    assert "kolom 'Wijken en buurten' heeft bijvoorbeeld 'Groningen'" in melding
    assert not Meting.objects.filter(indicator=ses_woa).exists()


def test_negative_values_only_where_the_indicator_allows_them(groningen, ses_woa, armoede,
                                                              beleid):
    data = b"indicator;regio;periode;waarde\nses_woa;GM0014;2022;-1,5\n"
    services.importeer(None, groningen, data, "ses.csv", check_permission=False)
    assert Meting.objects.get(indicator=ses_woa).waarde == -1.5
    # A percentage stays within 0-100; a score with a range set keeps to it.
    services.save_indicator(beleid, Indicator(
        gemeente=groningen, code="pct", naam="Percentage", definitie="x", eenheid="percentage"))
    with pytest.raises(ImportGeweigerd) as exc:
        services.importeer(None, groningen, b"indicator;regio;periode;waarde\n"
                           b"pct;GM0014;2022;-0,1\npct;WK001410;2022;100,5\n", "p.csv",
                           check_permission=False)
    assert [str(p) for p in exc.value.problemen] == [
        "Rij 2, kolom 'waarde': -0.1 ligt buiten het bereik van indicator 'pct' (van 0 tot en "
        "met 100).",
        "Rij 3, kolom 'waarde': 100.5 ligt buiten het bereik van indicator 'pct' (van 0 tot en "
        "met 100)."]
    ses_woa.ondergrens, ses_woa.bovengrens = -1, 1
    services.save_indicator(beleid, ses_woa)
    with pytest.raises(ImportGeweigerd, match="ligt buiten het bereik van indicator 'ses_woa' "
                                              r"\(van -1 tot en met 1\)"):
        services.importeer(None, groningen, data.replace(b"2022", b"2023"), "ses2.csv",
                           check_permission=False)


def test_the_indicator_defines_its_range(groningen, beleid):
    from django.core.exceptions import ValidationError

    verschil = Indicator(gemeente=groningen, code="verschil", naam="Verandering", definitie="x",
                         eenheid="aantal", ondergrens=-500)
    assert verschil.bereik == (-500, None) and verschil.in_bereik(-20)
    assert Indicator(eenheid="aantal").bereik == (0, None)
    assert Indicator(eenheid="score").bereik == (None, None)
    for onder, boven, veld in ((-1, None, "ondergrens"), (None, 120, "bovengrens"),
                               (50, 10, "bovengrens")):
        with pytest.raises(ValidationError) as exc:
            services.save_indicator(beleid, Indicator(
                gemeente=groningen, code=f"p{veld}", naam="P", definitie="x",
                eenheid="percentage", ondergrens=onder, bovengrens=boven))
        assert veld in exc.value.message_dict


def test_odata_json_page(groningen, armoede):
    preview = lees(groningen, "cbs_armoede_2022_odata.json", kolommen=ARMOEDE_KOLOMMEN,
                   alleen_voorbeeld=True).voorbeeld
    assert preview.ok, [str(p) for p in preview.problemen]
    assert preview.regio_kolom in ("WijkenEnBuurten", "Codering_3")
    assert any("één pagina van de CBS-feed" in o for o in preview.opmerkingen)
    result = lees(groningen, "cbs_armoede_2022_odata.json", kolommen=ARMOEDE_KOLOMMEN)
    assert result.batch.formaat == "cbs_json"
    metingen = waarden(armoede)
    assert set(metingen) == {(c, "2022") for c in ("NL01", "GM0014", "WK001410", "BU00141000",
                                                   "BU00141002")}
    assert metingen[("BU00141002", "2022")].waarde == pytest.approx(15.0)


def test_not_a_feed_page_is_refused(groningen):
    for data in (b'{"value": 3}', b"[1, 2]", b"{kapot"):
        with pytest.raises(ImportGeweigerd):
            services.importeer(None, groningen, data, "x.json", check_permission=False)


def test_windows_1252_through_service_page_and_command(groningen, armoede, client_for):
    naam = "cbs_armoede_2022_windows1252.csv"
    preview = lees(groningen, naam, kolommen=ARMOEDE_KOLOMMEN, alleen_voorbeeld=True).voorbeeld
    assert preview.ok and preview.codering == "Windows-1252" and len(preview.rijen) == 11

    client = client_for("groningen", "beleid")
    url = reverse("monitor:import", kwargs={"gemeente": groningen.slug})
    page = client.post(url, {"bestand": SimpleUploadedFile(naam, read(naam)), "bron": "CBS",
                             "kolommen": "KinderenInLaagInkomen_1 = armoede_kind teller\n"
                                         "MinderjarigeKinderen_2 = armoede_kind noemer"}
                       ).content.decode()
    assert "Windows-1252" in page and "WijkenEnBuurten" in page
    assert 'name="token"' in page

    call_command("import_metingen", "groningen", str(FILES / naam), "--bron", "CBS",
                 "--kolom", "KinderenInLaagInkomen_1=armoede_kind:teller",
                 "--kolom", "MinderjarigeKinderen_2=armoede_kind:noemer",
                 stdout=open("/dev/null", "w"))
    assert Meting.objects.filter(indicator=armoede).count() == 11


def test_command_refuses_with_a_dutch_error_not_a_traceback(groningen, ses_woa):
    with pytest.raises(CommandError) as exc:
        call_command("import_metingen", "groningen",
                     str(FILES / "cbs_ses_woa_alleen_namen.csv"), "--kolom",
                     "SES-WOA/Totaalscore/Gemiddelde score (Getal)=ses_woa:waarde")
    assert str(exc.value).startswith("Niets ingelezen:\nRij 1: in dit bestand staan geen "
                                     "CBS-regiocodes")
    with pytest.raises(CommandError, match="Rij 6, kolom 'KinderenInLaagInkomen_1': "
                                           "'ongeveer 45' is geen getal"):
        call_command("import_metingen", "groningen", str(FILES / "fout_tekst.csv"),
                     "--kolom", "KinderenInLaagInkomen_1=armoede_kind:teller",
                     "--kolom", "MinderjarigeKinderen_2=armoede_kind:noemer")
    with pytest.raises(CommandError, match="Kerncijfers"):
        call_command("import_metingen", "groningen",
                     str(FILES / "cbs_kerncijfers_2022_codering.csv"))
    call_command("import_metingen", "groningen", str(FILES / "cbs_kerncijfers_2022_codering.csv"),
                 "--periode", "2022", "--kolom",
                 "Kinderen in huishoudens met laag inkomen=armoede_kind:teller", "--kolom",
                 "Minderjarige kinderen=armoede_kind:noemer", stdout=open("/dev/null", "w"))
    assert ImportBatch.objects.filter(bestandsnaam="cbs_kerncijfers_2022_codering.csv").exists()


def _post(client, url, naam, **data):
    return client.post(url, {"bestand": SimpleUploadedFile(naam, read(naam)), **data})


def test_import_page_for_labelled_files_says_which_column(groningen, ses_woa, client_for):
    client = client_for("groningen", "beleid")
    url = reverse("monitor:import", kwargs={"gemeente": groningen.slug})
    kolommen = "SES-WOA/Totaalscore/Gemiddelde score (Getal) = ses_woa waarde"
    for naam in SES_BESTANDEN:
        page = _post(client, url, naam, kolommen=kolommen).content.decode()
        assert "Regiocodes uit kolom" in page
        assert "Regiocode (gemeente, wijk, buurt) (code)" in page
        assert "Dit bestand bevat 4 cijfers die ingelezen worden." in page
    page = _post(client, url, "cbs_ses_woa_alleen_namen.csv", kolommen=kolommen
                 ).content.decode().replace("&#x27;", "'")
    assert "Dit bestand wordt niet ingelezen" in page
    assert "in dit bestand staan geen CBS-regiocodes" in page
    page = _post(client, url, "cbs_kerncijfers_2022_codering.csv", periode="2022",
                 kolommen="Kinderen in huishoudens met laag inkomen = armoede_kind teller\n"
                          "Minderjarige kinderen = armoede_kind noemer").content.decode()
    assert "Codering" in page and 'name="token"' in page


def test_identical_reimport_preview_says_only_that_nothing_changes(groningen, client_for,
                                                                   importeer):
    importeer("pagina_armoede_2020_2024.csv")
    client = client_for("groningen", "beleid")
    url = reverse("monitor:import", kwargs={"gemeente": groningen.slug})
    page = _post(client, url, "pagina_armoede_2020_2024.csv").content.decode()
    assert "Dit bestand is al ingelezen. Nog eens inlezen verandert niets." in page
    assert "ingelezen worden" not in page and "niet ingelezen" not in page
    assert 'name="token"' not in page


def test_refused_rows_are_sorted_and_a_conflict_names_region_and_periode(groningen, importeer):
    importeer("cbs_armoede_2022.csv")
    regels = ["indicator;regio;periode;teller;noemer",
              "armoede_kind;BU00141000;2022;10;100",  # conflict with the CBS file
              "vve_bereik;GM0014;2022;9;8", "vve_bereik;GM0014;2022;1;8"]
    with pytest.raises(ImportGeweigerd) as exc:
        services.importeer(None, groningen, "\n".join(regels).encode(), "x.csv",
                           check_permission=False)
    assert [p.rij for p in exc.value.problemen] == sorted(p.rij for p in exc.value.problemen)
    preview = services.importeer(None, groningen, "\n".join(regels[:2]).encode(), "y.csv",
                                 check_permission=False, alleen_voorbeeld=True).voorbeeld
    assert re.search(r"regio Selwerd \(BU00141000\) en 2022 is al een cijfer ingelezen",
                     str(preview.problemen[0])), str(preview.problemen[0])


def test_template_download_has_the_indicators_and_an_example_row(groningen, client_for):
    import csv
    import io

    from openpyxl import load_workbook

    client = client_for("groningen", "beleid")
    url = reverse("monitor:import-sjabloon", kwargs={"gemeente": groningen.slug})
    codes = set(Indicator.objects.filter(gemeente=groningen).values_list("code", flat=True))
    rows = list(csv.reader(io.StringIO(client.get(url, {"formaat": "csv"}).content.decode(
        "utf-8-sig")), delimiter=";"))
    assert rows[0] == ["indicator", "regio", "periode", "waarde", "teller", "noemer", "status"]
    assert {r[0] for r in rows[1:]} == codes and all(r[1] == "GM0014" for r in rows[1:])
    wb = load_workbook(io.BytesIO(client.get(url, {"formaat": "xlsx"}).content))
    assert [c.value for c in wb["Cijfers"][1]] == rows[0]
    assert {r[0].value for r in wb["Indicatoren"].iter_rows(min_row=2)} == codes
    assert client_for("groningen", "raad").get(url).status_code == 403
    # The template filled in as it comes is a valid import (its example rows).
    result = services.importeer(None, groningen, "\n".join(";".join(r) for r in rows).encode(),
                                "sjabloon.csv", check_permission=False, alleen_voorbeeld=True)
    assert result.voorbeeld.ok, [str(p) for p in result.voorbeeld.problemen]
