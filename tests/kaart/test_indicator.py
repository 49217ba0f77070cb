"""The monitor indicator "Aandeel actueel aanbod op de sociale kaart" and the share per
aanbieder: one freshness rule (kaart.versheid) in Python and SQL, the figures per gemeente,
wijk and buurt written into the monitor, idempotent, per gemeente, and who sees the share of
an aanbieder."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.periods import MAAND, Periode
from kaart import indicator, selectors, services, versheid
from kaart.models import Aanbod, KaartInstelling
from monitor.models import ImportBatch, Indicator, Meting, MonitorInstelling, RegioWaarde
from network.models import Organisatie
from regions.models import Region
from tests.kaart.helpers import aanbod, buurt, locatie, organisatie

pytestmark = pytest.mark.django_db

D = datetime.date
# 00:30 local time on 1 March 2026 (the frozen clock of most tests).
MAART = datetime.datetime(2026, 2, 28, 23, 30, tzinfo=datetime.UTC)


def zet(a, *, gecontroleerd=None, aangemaakt=None, controle_voor=None, status=None):
    """Put an aanbod's freshness dates (and status) as a test needs them."""
    velden = {"gecontroleerd_op": gecontroleerd, "controle_voor": controle_voor}
    if aangemaakt:
        velden["aangemaakt_op"] = aangemaakt
    if status:
        velden["status"] = status
    Aanbod.objects.filter(pk=a.pk).update(**velden)
    a.refresh_from_db()
    return a


def alleen_eigen(gemeente):
    """End the demo's aanbod, so the figures hold only what the test makes."""
    Aanbod.objects.filter(gemeente=gemeente).update(status=Aanbod.Status.BEEINDIGD)


def sql_niveaus(gemeente, vandaag=None):
    return dict(selectors.versheid_aanbod(gemeente, vandaag=vandaag)
                .values_list("pk", "niveau"))


def test_sql_tier_is_the_python_tier_day_by_day(groningen):
    """Base dates around the ends of months, without and with review date, with an open
    report: the SQL CASE and versheid.niveau agree on every day."""
    alleen_eigen(groningen)
    instelling = KaartInstelling.voor(groningen)
    rijen = []
    for i, basis in enumerate([D(2024, 8, 28), D(2024, 8, 29), D(2024, 8, 31), D(2024, 9, 1),
                               D(2025, 8, 28), D(2025, 8, 30), D(2025, 8, 31), D(2025, 9, 1),
                               D(2025, 9, 2), D(2025, 12, 31)]):
        a = aanbod(groningen, f"Aanbod {i}")
        gecontroleerd = basis if i % 2 else None
        zet(a, gecontroleerd=gecontroleerd, aangemaakt=basis if not gecontroleerd
            else D(2020, 1, 1), controle_voor=None if i % 3 == 0
            else versheid.plus_maanden(basis, 6))
        rijen.append(a)
    services.meld_fout(rijen[7], tekst="Het adres klopt niet.")
    meldingen = {a.pk: a.meldingen.filter(status="open").count() for a in rijen}
    gezien = set()
    for start in (D(2026, 2, 25), D(2026, 2, 26)):
        for dag in (start + datetime.timedelta(days=n) for n in range(0, 8)):
            sql = sql_niveaus(groningen, dag)
            eigen = Aanbod.objects.filter(pk__in=[a.pk for a in rijen])
            op_kaart = set(eigen.filter(versheid.op_kaart_filter(instelling, dag))
                           .values_list("pk", flat=True))
            actueel = set(eigen.filter(versheid.actueel_filter(instelling, dag))
                          .values_list("pk", flat=True))
            for a in rijen:
                verwacht = versheid.niveau(a, instelling, open_meldingen=meldingen[a.pk],
                                           vandaag=dag)
                assert sql[a.pk] == verwacht, (a.naam, dag)
                gezien.add(verwacht)
                # The filters of the public kaart and of "actueel" follow the same dates.
                op_datum = versheid.niveau(a, instelling, vandaag=dag)
                assert (a.pk in op_kaart) == (op_datum != versheid.VEROUDERD), (a.naam, dag)
                assert (a.pk in actueel) == (op_datum == versheid.ACTUEEL), (a.naam, dag)
    assert gezien == {versheid.ACTUEEL, versheid.CONTROLE_NODIG, versheid.VEROUDERD}


@time_machine.travel(MAART, tick=False)
def test_tiers_at_their_boundaries_and_the_figures_per_region(groningen):
    alleen_eigen(groningen)
    org = organisatie(groningen, "Kids First")
    b1, b2 = buurt(groningen, "BU00141000"), buurt(groningen, "BU00141001")
    loc1 = locatie(groningen, org, naam="Een", buurt_obj=b1, tijden=())
    loc1b = locatie(groningen, org, naam="Een-b", buurt_obj=b1, tijden=())
    loc2 = locatie(groningen, org, naam="Twee", buurt_obj=b2, tijden=())
    assert timezone.localdate() == D(2026, 3, 1)  # the frozen clock, in local time
    # Checked 1 September 2025: the review date (+6 months) is today: controle nodig.
    op_de_dag = zet(aanbod(groningen, "Op de dag", locaties=[loc1, loc1b]),
                    gecontroleerd=D(2025, 9, 1), controle_voor=D(2026, 3, 1))
    # One day later: still actueel.
    dag_later = zet(aanbod(groningen, "Dag later", locaties=[loc1, loc2]),
                    gecontroleerd=D(2025, 9, 2), controle_voor=D(2026, 3, 2))
    # 18 months on the day: verouderd; a day less: controle nodig.
    oud = zet(aanbod(groningen, "Oud", locaties=[loc2]), gecontroleerd=D(2024, 9, 1),
              controle_voor=D(2025, 3, 1))
    bijna_oud = zet(aanbod(groningen, "Bijna oud"), gecontroleerd=D(2024, 9, 2),
                    controle_voor=D(2025, 3, 2))
    # Actueel by its dates, but an open report lowers it to controle nodig.
    gemeld = zet(aanbod(groningen, "Gemeld", locaties=[loc2]), gecontroleerd=D(2026, 2, 1),
                 controle_voor=D(2026, 8, 1))
    services.meld_fout(gemeld, tekst="De tijden kloppen niet.")
    # Tijdelijk gesloten counts; beëindigd does not.
    gesloten = zet(aanbod(groningen, "Gesloten"), gecontroleerd=D(2026, 1, 10),
                   controle_voor=D(2026, 7, 10), status=Aanbod.Status.TIJDELIJK_GESLOTEN)
    zet(aanbod(groningen, "Gestopt", locaties=[loc1]), gecontroleerd=D(2026, 2, 1),
        controle_voor=D(2026, 8, 1), status=Aanbod.Status.BEEINDIGD)

    assert sql_niveaus(groningen) == {
        op_de_dag.pk: "controle_nodig", dag_later.pk: "actueel", oud.pk: "verouderd",
        bijna_oud.pk: "controle_nodig", gemeld.pk: "controle_nodig", gesloten.pk: "actueel"}
    assert selectors.versheid_telling(Aanbod.objects.filter(gemeente=groningen),
                                      KaartInstelling.voor(groningen)) == selectors.Versheid(
        actueel=2, controle_nodig=3, verouderd=1)

    resultaat = indicator.bereken(groningen)
    assert resultaat.status == "ingelezen"
    ind = Indicator.objects.get(gemeente=groningen, code=indicator.CODE)
    assert (ind.periodetype, ind.eenheid, ind.is_ratio) == (MAAND, "percentage", True)
    maart = Meting.objects.filter(indicator=ind, periode=Periode(MAAND, 2026, 3))
    # The demo's month (this month of the real clock) is left alone.
    assert Meting.objects.filter(indicator=ind).exclude(pk__in=maart).exists()
    metingen = {m.region.code: (m.teller, m.noemer, m.waarde)
                for m in maart.select_related("region")}
    assert metingen["GM0014"] == (2, 6, pytest.approx(100 * 2 / 6))
    # An aanbod counts once per buurt, however many of its locaties lie there.
    assert metingen["BU00141000"] == (1, 2, 50.0)
    assert metingen["BU00141001"] == (1, 3, pytest.approx(100 / 3))
    # The wijk of both buurten: each aanbod once.
    assert metingen["WK001410"] == (1, 4, 25.0)
    # A buurt without aanbod: 0 of 0, no waarde.
    assert metingen["BU00141100"] == (0, 0, None)


def test_rerun_on_the_same_day_changes_nothing_and_a_change_replaces(groningen, demo_user):
    ind = Indicator.objects.get(gemeente=groningen, code=indicator.CODE)  # made by the demo
    batches = ImportBatch.objects.filter(gemeente=groningen, indicatoren=ind)
    metingen = list(Meting.objects.filter(indicator=ind).values_list("pk", flat=True))
    assert batches.count() == 1 and metingen

    assert indicator.bereken(groningen).status == "ongewijzigd"
    call_command("bereken_kaartindicator", "groningen", stdout=open("/dev/null", "w"))
    assert batches.count() == 1
    assert list(Meting.objects.filter(indicator=ind).values_list("pk", flat=True)) == metingen

    # The one verouderd aanbod of the demo is checked: the month's figures are replaced.
    verouderd = Aanbod.objects.get(gemeente=groningen, naam="Zomerspelweek")
    services.controleer(demo_user("groningen", "beleid"), verouderd)
    sha = batches.get().sha256
    assert indicator.bereken(groningen).status == "ingelezen"
    # Still one batch for the month (no trail of replaced ones), with the new figures.
    assert batches.count() == 1 and batches.get().sha256 != sha
    gm = Meting.objects.get(indicator=ind, region__code="GM0014")
    assert (gm.teller, gm.noemer) == (10, 11)
    assert Meting.objects.filter(indicator=ind).count() == len(metingen)


def test_scheduled_job_and_command_cover_every_gemeente_with_aanbod(groningen, assen):
    from core.scheduler import jobs

    job = {j.name: j for j in jobs()}["kaart.tasks.bereken_indicator"]
    Indicator.objects.filter(code=indicator.CODE).delete()
    job.task.call()
    assert set(Indicator.objects.filter(code=indicator.CODE).values_list(
        "gemeente__slug", flat=True)) == {"groningen", "assen"}
    uitvoer = []

    class Uit:
        def write(self, tekst):
            uitvoer.append(tekst)

    call_command("bereken_kaartindicator", stdout=Uit())
    assert "groningen: ongewijzigd" in "".join(uitvoer)


def test_one_gemeentes_aanbod_never_in_anothers_figure(groningen, assen):
    ind_g = Indicator.objects.get(gemeente=groningen, code=indicator.CODE)
    ind_a = Indicator.objects.get(gemeente=assen, code=indicator.CODE)
    voor = Meting.objects.get(indicator=ind_g, region__code="GM0014")
    org = Organisatie.objects.get(gemeente=assen, naam="GGD Drenthe, jeugdgezondheidszorg")
    for i in range(12):
        aanbod(assen, f"Assen {i}", org=org)
    assert indicator.bereken(groningen).status == "ongewijzigd"
    assert indicator.bereken(assen).status == "ingelezen"
    na = Meting.objects.get(indicator=ind_g, region__code="GM0014")
    assert (na.teller, na.noemer) == (voor.teller, voor.noemer)
    assen_gm = Meting.objects.get(indicator=ind_a, region__code="GM0106")
    assert assen_gm.noemer == 13 and assen_gm.gemeente_id == assen.pk
    assert not Meting.objects.filter(indicator=ind_a).exclude(
        region__gemeente=assen).exists()
    # The share per aanbieder too.
    namen = [org.naam for org, _v in selectors.versheid_per_organisatie(groningen)]
    assert "GGD Drenthe, jeugdgezondheidszorg" not in namen and "Kids First" in namen


def test_indicator_on_the_monitor_pages_and_in_the_api(groningen, client_for):
    ind = Indicator.objects.get(gemeente=groningen, code=indicator.CODE)
    client = client_for("groningen", "raad")
    lijst = client.get(reverse("monitor:indicator-list", kwargs={"gemeente": "groningen"}))
    assert "Aandeel actueel aanbod op de sociale kaart" in lijst.content.decode()
    page = client.get(ind.get_absolute_url()).content.decode()
    assert "81,8" in page  # 9 of the demo's 11 aanbod are actueel
    periode = Periode.containing(timezone.localdate(), MAAND).code
    reeks = client.get(reverse("reeks-detail", kwargs={"pk": ind.pk})).json()
    assert reeks["punten"][-1]["periode"] == periode
    assert (reeks["punten"][-1]["teller"], reeks["punten"][-1]["noemer"]) == (9, 11)
    # Wijk and buurt figures on fewer than minimum_n aanbod are suppressed, as anywhere.
    rows = client.get(reverse("meting-list"), {"indicator": ind.pk, "regio": "BU00141000"}
                      ).json()["results"]
    assert [(r["status"], r["waarde"]) for r in rows] == [("onderdrukt", None)]
    assert RegioWaarde.objects.get(indicator=ind, regio_code="GM0014").status == "waargenomen"
    # Lower the minimum: the buurt figure shows (the rollup is rebuilt by the setting).
    from monitor.services import save_instelling

    instelling = MonitorInstelling.objects.get(gemeente=groningen)
    instelling.minimum_n = 1
    save_instelling(None, instelling, check_permission=False)
    rows = client.get(reverse("meting-list"), {"indicator": ind.pk, "regio": "BU00141000"}
                      ).json()["results"]
    assert rows[0]["status"] == "waargenomen" and rows[0]["noemer"] > 0


def test_share_per_aanbieder_who_sees_what(groningen, client_for):
    url = reverse("kaart:versheid", kwargs={"gemeente": "groningen"})
    beleid = client_for("groningen", "beleid").get(url)
    assert beleid.status_code == 200
    namen = [org.naam for org, _v in beleid.context["rijen"]]
    assert {"Kids First", "Jeugdwerk SPT", "WIJ-team SPT"} <= set(namen)
    jeugdwerk = dict(beleid.context["rijen"])[organisatie(groningen, "Jeugdwerk SPT")]
    # Jeugdwerk SPT: 4 aanbod in the demo, the Zomerspelweek verouderd.
    assert (jeugdwerk.totaal, jeugdwerk.actueel, jeugdwerk.verouderd) == (4, 3, 1)
    assert "75%" in beleid.content.decode()

    partner = client_for("groningen", "partner").get(url)  # partner of Kids First
    assert [org.naam for org, _v in partner.context["rijen"]] == ["Kids First"]
    assert partner.context["totaal"] is None
    for role in ("coordinator", "stuurgroep", "jury", "raad"):
        assert client_for("groningen", role).get(url).status_code == 403

    # The organisation page: the redacteur and the organisation's own partner.
    kids = organisatie(groningen, "Kids First")
    org_url = kids.get_absolute_url()
    tekst = "Sociale kaart: hoe actueel is het aanbod?"
    assert tekst in client_for("groningen", "beleid").get(org_url).content.decode()
    assert tekst in client_for("groningen", "partner").get(org_url).content.decode()
    assert tekst not in client_for("groningen", "raad").get(org_url).content.decode()
    ander = organisatie(groningen, "Jeugdwerk SPT").get_absolute_url()
    assert tekst not in client_for("groningen", "partner").get(ander).content.decode()
    assert tekst in client_for("groningen", "beleid").get(ander).content.decode()


def test_share_per_aanbieder_in_the_api(groningen, client_for):
    beleid = client_for("groningen", "beleid")
    rows = beleid.get(reverse("aanbieder-list"), {"limit": 100}).json()["results"]
    per_naam = {r["naam"]: r for r in rows}
    assert per_naam["Jeugdwerk SPT"]["versheid"] == {
        "actueel": 3, "controle_nodig": 0, "verouderd": 1, "totaal": 4,
        "aandeel_actueel": 75.0}
    assert {r["gemeente"] for r in rows} == {"GM0014"}
    # The same selector as the page (and as the indicator's rule).
    for org, v in selectors.versheid_per_organisatie(groningen):
        if org.naam in per_naam:
            assert per_naam[org.naam]["versheid"]["aandeel_actueel"] == pytest.approx(
                v.aandeel)
    partner = client_for("groningen", "partner")
    rows = partner.get(reverse("aanbieder-list")).json()["results"]
    assert [r["naam"] for r in rows] == ["Kids First"]
    raad = client_for("groningen", "raad")
    assert raad.get(reverse("aanbieder-list")).json()["results"] == []


def test_demo_has_the_indicator_with_this_months_value(groningen, assen):
    periode = Periode.containing(timezone.localdate(), MAAND)
    for gemeente, code in ((groningen, "GM0014"), (assen, "GM0106")):
        ind = Indicator.objects.get(gemeente=gemeente, code=indicator.CODE)
        assert Meting.objects.filter(indicator=ind, periode=periode, region__code=code,
                                     region__soort=Region.Soort.GEMEENTE).exists()


def test_figures_from_a_file_are_never_overwritten_and_other_gemeenten_go_on(groningen,
                                                                              assen):
    """Someone imported a file with the indicator's code for this month: the computation
    refuses Groningen (the jobs page shows why) and still writes Assen."""
    from django.core.exceptions import ValidationError

    from monitor import services as monitor_services

    ind = Indicator.objects.get(gemeente=groningen, code=indicator.CODE)
    periode = Periode.containing(timezone.localdate(), MAAND)
    Meting.objects.filter(indicator=ind).delete()
    ImportBatch.objects.filter(indicatoren=ind).delete()
    csv = f"indicator;regio;periode;waarde;teller;noemer\n{indicator.CODE};GM0014;" \
          f"{periode.code};;50;100\n".encode()
    monitor_services.importeer(None, groningen, csv, "eigen.csv", check_permission=False)
    with pytest.raises(ValidationError, match="eigen.csv"):
        indicator.bereken(groningen)
    Meting.objects.filter(indicator__gemeente=assen, indicator__code=indicator.CODE).delete()
    ImportBatch.objects.filter(gemeente=assen, formaat="berekend").delete()
    with pytest.raises(RuntimeError, match="groningen"):
        indicator.bereken_alle()
    assert Meting.objects.filter(indicator__gemeente=assen, indicator__code=indicator.CODE,
                                 periode=periode).exists()
    assert Meting.objects.get(indicator=ind, region__code="GM0014").teller == 50
