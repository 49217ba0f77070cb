"""Progress reports: the quarter is one of the plan's quarters, the current quarter stays
within the plan's years, and quarters without a report are flagged."""

import datetime

import pytest
from django.urls import reverse

from core.periods import KWARTAAL, Periode
from plans import selectors, services
from plans.models import VoortgangRapportage, Wijkplan


def test_the_current_quarter_stays_within_the_plan():
    plan = Wijkplan(jaar_van=2024, jaar_tot=2025)
    assert selectors.huidig_kwartaal(plan, datetime.date(2023, 5, 1)) == Periode(KWARTAAL, 2024, 1)
    assert selectors.huidig_kwartaal(plan, datetime.date(2024, 5, 1)) == Periode(KWARTAAL, 2024, 2)
    assert selectors.huidig_kwartaal(plan, datetime.date(2027, 1, 1)) == Periode(KWARTAAL, 2025, 4)
    assert [p.code for p in selectors.plan_kwartalen(plan)][::3] == [
        "2024-K1", "2024-K4", "2025-K3"]


@pytest.mark.django_db
def test_the_quarter_is_a_choice_and_free_text_is_a_form_error(v2021, client_for):
    vve = v2021.activiteiten.get(naam="Voorschools aanbod en doorgaande lijn VVE")
    client = client_for("groningen", "partner")
    url = reverse("plans:rapportage-create", kwargs={"gemeente": "groningen",
                                                     "activiteit_pk": vve.pk})
    page = client.get(url)
    form = page.context["form"]
    codes = [code for code, _label in form.fields["periode"].choices]
    # SPT's plan runs 2018-2023 and has ended: every quarter, newest first, and the last one
    # chosen.
    assert codes[0] == "2023-K4" and codes[-1] == "2018-K1" and len(codes) == 24
    assert form.initial["periode"] == "2023-K4"
    assert '<option value="2023-K4" selected>4e kwartaal 2023</option>' in page.content.decode()
    data = {"status": "op_schema", "percentage": 30}
    for wrong in ("Q2 2022", "2024-K1", "2021-03"):
        response = client.post(url, {**data, "periode": wrong})
        assert response.status_code == 200, wrong
        assert "Controleer wat u invulde" in response.content.decode()
    assert not VoortgangRapportage.objects.filter(activiteit=vve).exists()
    assert client.post(url, {**data, "periode": "2022-K2"}).status_code == 302
    assert VoortgangRapportage.objects.get(activiteit=vve).periode == Periode(KWARTAAL, 2022, 2)


@pytest.mark.django_db
def test_quarters_without_a_report_are_flagged(spt, v2021, demo_user):
    beleid = demo_user("groningen", "beleid")
    acts = {a.naam: a for a in v2021.activiteiten.all()}
    trouw = acts["Vreedzame Wijk"]
    for code in ("2022-K1", "2022-K2", "2022-K3", "2022-K4", "2023-K1", "2023-K2", "2023-K3"):
        services.rapporteren(beleid, VoortgangRapportage(
            gemeente=trouw.gemeente, activiteit=trouw, periode=Periode.parse(code),
            status="op_schema", percentage=50))
    services.rapporteren(beleid, VoortgangRapportage(
        gemeente=trouw.gemeente, activiteit=acts["Politie kids"],
        periode=Periode.parse("2023-K1"), status="op_schema", percentage=50))
    overzicht = selectors.voortgang(beleid, spt, vandaag=datetime.date(2023, 11, 20))
    rijen = {r["activiteit"].naam: r for _, rows in overzicht["pijlers"] for r in rows}
    assert rijen["Vreedzame Wijk"]["gemist"] == []
    gemist = [p.code for p in rijen["Politie kids"]["gemist"]]
    assert "2023-K1" not in gemist and {"2023-K2", "2023-K3", "2022-K4"} <= set(gemist)
    assert "2023-K4" not in gemist  # the current quarter's report may still come
    assert overzicht["telling"]["gemist"] >= 1
    # After the plan: the shown quarter is its last one, and that one is missed too.
    later = selectors.voortgang(beleid, spt, vandaag=datetime.date(2026, 5, 1))
    assert later["huidig"] == Periode(KWARTAAL, 2023, 4) and later["afgelopen"]
    rijen = {r["activiteit"].naam: r for _, rows in later["pijlers"] for r in rows}
    assert "2023-K4" in [p.code for p in rijen["Politie kids"]["gemist"]]
    assert not rijen["Politie kids"]["ontbreekt"]
