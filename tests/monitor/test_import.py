"""Imports: real-format files (CBS symbols, padded codes), every bad-file case, idempotency and
replacement. All or nothing: a rejected file leaves no trace."""

import pytest
from django.core.exceptions import PermissionDenied

from core.models import AuditEntry
from monitor import services
from monitor.models import ImportBatch, Meting, Status
from regions.models import Region

pytestmark = pytest.mark.django_db


def test_cbs_file_with_symbols_and_padded_codes(importeer, armoede):
    result = importeer("cbs_armoede_2022.csv")
    assert result.status == "ingelezen"
    metingen = {m.region.code: m for m in Meting.objects.filter(indicator=armoede)
                .select_related("region")}
    # NL00 is Nederland (stored on the region NL01), BU00141101 has no figure ('.'): 11.
    assert len(metingen) == 11 and "BU00141101" not in metingen
    assert result.batch.rijen == 11
    nl = metingen["NL01"]
    assert (nl.teller, nl.noemer, nl.status, nl.region.soort, nl.region.jaar) == (
        281000, 3390000, Status.WAARGENOMEN, "land", 2022)
    gm = metingen["GM0014"]
    assert (gm.teller, gm.noemer, gm.status) == (4100, 33000, Status.WAARGENOMEN)
    assert gm.waarde == pytest.approx(100 * 4100 / 33000)
    assert gm.region.jaar == 2022 and str(gm.periode) == "2022"
    # CBS wijk/buurt figures are randomly rounded; secret ones keep no numbers.
    assert metingen["BU00141000"].status == Status.AFGEROND
    geheim = metingen["BU00141100"]
    assert (geheim.status, geheim.waarde, geheim.teller, geheim.noemer) == (
        Status.GEHEIM, None, None, None)
    assert set(result.batch.indicatoren.all()) == {armoede}
    assert AuditEntry.objects.filter(object_id=str(result.batch.pk),
                                     content_type__model="importbatch").count() == 1


def test_preview_writes_nothing(importeer):
    result = importeer("cbs_armoede_2022.csv", alleen_voorbeeld=True)
    assert result.status == "voorbeeld" and result.voorbeeld.ok
    assert len(result.voorbeeld.rijen) == 11
    assert result.voorbeeld.nieuwe_land_regios == {2022: -2022}
    assert not Region.objects.filter(soort="land").exists()  # made on import, not in preview
    assert result.voorbeeld.samenvatting()[0]["geheim"] == 1
    assert {r["regio"] for r in result.voorbeeld.eerste_rijen()} >= {"GM0014", "BU00141000"}
    assert not ImportBatch.objects.exists() and not Meting.objects.exists()


def test_same_file_again_is_a_no_op(importeer):
    first = importeer("cbs_armoede_2022.csv")
    audit = AuditEntry.objects.count()
    again = importeer("cbs_armoede_2022.csv")
    assert again.status == "ongewijzigd" and again.batch == first.batch
    assert ImportBatch.objects.count() == 1 and Meting.objects.count() == 11
    assert AuditEntry.objects.count() == audit


def test_corrected_file_replaces_the_batch(importeer, armoede):
    first = importeer("cbs_armoede_2022.csv")
    second = importeer("cbs_armoede_2022_verbeterd.csv", bron="CBS")
    assert second.status == "ingelezen" and second.vervangen == [first.batch]
    first.batch.refresh_from_db()
    assert first.batch.status == ImportBatch.BatchStatus.VERVANGEN
    assert first.batch.vervangen_door == second.batch
    assert Meting.objects.filter(batch=first.batch).count() == 0
    assert Meting.objects.get(indicator=armoede, region__code="BU00141000").teller == 130
    assert Meting.objects.count() == 11


def test_overlap_with_another_source_is_rejected(importeer):
    importeer("cbs_armoede_2022.csv")
    with pytest.raises(services.ImportGeweigerd) as exc:
        importeer("cbs_armoede_2022_verbeterd.csv", bron="andere bron")
    assert "al een cijfer ingelezen uit 'cbs_armoede_2022.csv'" in str(exc.value.problemen[0])
    assert ImportBatch.objects.count() == 1


@pytest.mark.parametrize("name, expected", [
    ("fout_komma.csv", "Rij 1: het bestand is gescheiden met komma's. Gebruik een puntkomma"),
    ("fout_onbekende_regio.csv", "Rij 7, kolom 'WijkenEnBuurten': regiocode 'BU00149999' "
                                 "bestaat niet in de CBS-indeling 2022 van Groningen"),
    ("fout_tekst.csv", "Rij 6, kolom 'KinderenInLaagInkomen_1': 'ongeveer 45' is geen getal."),
    ("fout_dubbel.csv", "Rij 4: indicator 'vve_bereik' voor deze regio en periode staat ook in "
                        "rij 2 (dubbele rij)."),
    ("fout_teller_noemer.csv", "Rij 3, kolom 'teller': de teller (90) is groter dan de noemer "
                               "(80)."),
    ("fout_regio_jaar.csv", "Rij 3, kolom 'regio': voor 2018 is geen CBS-indeling van Groningen "
                            "ingelezen (de eerste is van 2022)."),
])
def test_bad_files_are_rejected_whole(importeer, name, expected):
    with pytest.raises(services.ImportGeweigerd) as exc:
        importeer(name)
    messages = [str(p) for p in exc.value.problemen]
    assert any(m.startswith(expected) for m in messages), messages
    assert not ImportBatch.objects.exists() and not Meting.objects.exists()
    # The preview shows the same problems and writes nothing either.
    preview = importeer(name, alleen_voorbeeld=True).voorbeeld
    assert [str(p) for p in preview.problemen] == messages


def test_region_of_another_indeling_is_never_mapped(importeer, groningen):
    """GM0014 before 2019 is the old city: a 2018 figure goes to the 2018 indeling, and a buurt
    code that only exists from 2019 on is refused for 2018."""
    oud = Region.objects.create(gemeente=groningen, jaar=2018, soort="gemeente", code="GM0014",
                                naam="Groningen (voor de herindeling)")
    Region.objects.create(gemeente=groningen, jaar=2018, soort="wijk", code="WK001410",
                          naam="Noordwest", parent=oud)
    with pytest.raises(services.ImportGeweigerd) as exc:
        importeer("fout_regio_jaar.csv")
    assert str(exc.value.problemen[0]).startswith(
        "Rij 3, kolom 'regio': regiocode 'BU00141000' bestaat niet in de CBS-indeling 2018 van "
        "Groningen (de indeling die geldt voor 2018)")
    ok = b"indicator;regio;periode;teller;noemer\nvve_bereik;GM0014;2018;700;900\n" \
         b"vve_bereik;GM0014;2022;800;1000\n"
    services.importeer(None, groningen, ok, "ok.csv", check_permission=False)
    jaren = dict(Meting.objects.filter(region__code="GM0014").values_list("periode",
                                                                          "region__jaar"))
    assert {p.code: j for p, j in jaren.items()} == {"2018": 2018, "2022": 2022}


def test_template_and_xlsx(importeer, groningen, tmp_path):
    from openpyxl import Workbook

    assert importeer("sjabloon_2022_2024.csv").batch.rijen == 5
    wb = Workbook()
    ws = wb.active
    ws.append(["indicator", "regio", "periode", "teller", "noemer"])
    ws.append(["vve_bereik", "GM0014", 2022, 800, 1000])
    ws.append(["vve_bereik", "WK001410", "2022", "60,0", 80])
    path = tmp_path / "vve.xlsx"
    wb.save(path)
    result = services.importeer(None, groningen, path.read_bytes(), "vve.xlsx",
                                check_permission=False)
    assert result.batch.formaat == "sjabloon" and result.batch.rijen == 2
    assert Meting.objects.get(region__code="WK001410", periode="2022").waarde == 75.0


def test_only_beleid_may_import(importeer, demo_user):
    with pytest.raises(PermissionDenied):
        importeer("cbs_armoede_2022.csv", actor=demo_user("groningen", "coordinator"))
    with pytest.raises(PermissionDenied):
        importeer("cbs_armoede_2022.csv", actor=demo_user("assen", "beleid"))


def test_management_command(groningen, tmp_path, capsys):
    from django.core.management import call_command

    from tests.monitor.conftest import FILES

    call_command("import_metingen", "groningen", str(FILES / "cbs_armoede_2022.csv"),
                 "--bron", "CBS", "--kolom", "KinderenInLaagInkomen_1=armoede_kind:teller",
                 "--kolom", "MinderjarigeKinderen_2=armoede_kind:noemer")
    assert Meting.objects.count() == 11
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="zou geweigerd worden"):  # exit code 1
        call_command("import_metingen", "groningen", str(FILES / "fout_teller_noemer.csv"),
                     "--voorbeeld")
    out = capsys.readouterr().out
    assert "de teller (90) is groter dan de noemer (80)" in out


@pytest.fixture
def stromen(monkeypatch):
    """Hand every checked row to the COPY at once, so that small files go through the
    streaming import (PostgreSQL) as a national file does. Yields the rows handed over."""
    from monitor.importers import lezer

    monkeypatch.setattr(lezer, "STROOM_RIJEN", 1)
    doorgegeven = []
    echt = services._Stroom.__call__

    def spy(self, rijen):
        doorgegeven.extend(rijen)
        return echt(self, rijen)

    monkeypatch.setattr(services._Stroom, "__call__", spy)
    return doorgegeven


def _sjabloon(regels):
    return ("indicator;regio;periode;teller;noemer\n" + "\n".join(regels) + "\n").encode()


def test_problem_mid_stream_rejects_the_whole_file_with_every_problem(groningen, stromen):
    from django.db import connection

    codes = sorted(Region.objects.filter(gemeente=groningen, jaar=2022).values_list(
        "code", flat=True))
    goed = [f"vve_bereik;{code};{jaar};50;100" for jaar in (2022, 2023) for code in codes]
    regels = goed[:10] + ["vve_bereik;GM0014;2024;90;80"] + goed[10:] + [
        "vve_bereik;GM0014;2025;veel;80"]
    audit = AuditEntry.objects.count()
    with pytest.raises(services.ImportGeweigerd) as exc:
        services.importeer(None, groningen, _sjabloon(regels), "vve.csv",
                           check_permission=False)
    assert [str(p) for p in exc.value.problemen] == [
        "Rij 12, kolom 'teller': de teller (90) is groter dan de noemer (80).",
        f"Rij {len(regels) + 1}, kolom 'teller': 'veel' is geen getal."]
    if connection.vendor == "postgresql":  # the rows before the problem went into the COPY
        assert len(stromen) == 10
    assert not Meting.objects.exists() and not ImportBatch.objects.exists()
    assert AuditEntry.objects.count() == audit
    # Corrected, the same rows go in whole.
    regels[10], regels[-1] = "vve_bereik;GM0014;2024;70;80", "vve_bereik;GM0014;2025;60;80"
    result = services.importeer(None, groningen, _sjabloon(regels), "vve.csv",
                                check_permission=False)
    assert result.batch.rijen == Meting.objects.count() == len(regels)
    assert result.afgeleid > 0
    if connection.vendor == "postgresql":
        assert len(stromen) == 10 + len(regels)


def test_streamed_import_is_idempotent_and_replaced_by_a_corrected_file(importeer, armoede,
                                                                        groningen, stromen):
    first = importeer("cbs_armoede_2022.csv")  # 10 buurt/wijk/gemeente figures + Nederland
    assert first.status == "ingelezen" and Meting.objects.count() == 11
    assert importeer("cbs_armoede_2022.csv").status == "ongewijzigd"
    # The corrected file has the same figures: the database refuses them while the old batch
    # is there; the import then replaces that batch as the checks say.
    second = importeer("cbs_armoede_2022_verbeterd.csv")
    assert second.vervangen == [first.batch] and Meting.objects.count() == 11
    assert set(Meting.objects.values_list("batch_id", flat=True)) == {second.batch.pk}
    with pytest.raises(services.ImportGeweigerd) as exc:
        importeer("cbs_armoede_2022.csv", bron="andere bron")
    assert "al een cijfer ingelezen uit 'cbs_armoede_2022_verbeterd.csv'" in str(
        exc.value.problemen[0])
    assert ImportBatch.objects.count() == 2 and Meting.objects.count() == 11


def test_corrected_file_without_overlapping_rows_still_replaces_the_batch(groningen, stromen):
    eerste = services.importeer(None, groningen, _sjabloon(["vve_bereik;GM0014;2022;800;1000"]),
                                "vve.csv", check_permission=False)
    tweede = services.importeer(None, groningen,
                                _sjabloon(["vve_bereik;WK001410;2022;60;80"]), "vve2.csv",
                                check_permission=False)
    assert tweede.vervangen == [eerste.batch]
    assert list(Meting.objects.values_list("region__code", "batch_id")) == [
        ("WK001410", tweede.batch.pk)]
    eerste.batch.refresh_from_db()
    assert eerste.batch.status == ImportBatch.BatchStatus.VERVANGEN


@pytest.mark.parametrize("name", ["zonder-werkbladen.xlsx", "zip.xlsx", "kapot.xlsx"])
def test_no_workbook_is_refused_by_the_service_and_the_command(groningen, tmp_path, name):
    from django.core.management import CommandError, call_command

    from tests.importfiles import NOT_A_WORKBOOK

    make, message = NOT_A_WORKBOOK[name]
    with pytest.raises(services.ImportGeweigerd) as exc:
        services.importeer(None, groningen, make(), name, check_permission=False)
    assert message in str(exc.value.problemen[0])
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(CommandError, match="Niets ingelezen:\nRij 1: " + message[:20]):
        call_command("import_metingen", "groningen", str(path))
    assert not ImportBatch.objects.exists()
