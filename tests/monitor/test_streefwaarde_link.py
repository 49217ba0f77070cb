"""Targets that wijkplan activiteiten work on, from the monitor's side: the activiteit page
shows each target with the monitor's figure and whether it is reached (suppression
respected), the indicator page lists the activiteiten (members only), and monitor never
imports plans (the link lives in plans: plans → monitor)."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from monitor import selectors, services
from monitor.models import MonitorInstelling, Streefwaarde
from plans import services as plans_services
from plans.models import Wijkplan
from regions.models import Gebied
from tests.monitor.helpers import streefwaarde

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data(importeer):
    """armoede_kind 2020-2024 for the gemeente and the buurten of SPT, Lewenborg and De
    Weijert. SPT: 217/1502 = 14,4% in 2023, 207/1492 = 13,9% in 2024; the gemeente 11,9% in
    2024 (3900/32900). Lower is better."""
    assert importeer("pagina_armoede_2020_2024.csv").status == "ingelezen"


@pytest.fixture
def spt_gebied(groningen):
    return Gebied.objects.get(gemeente=groningen, afkorting="SPT")


@pytest.fixture
def activiteit(groningen, spt_gebied, demo_user):
    """Pleintjesaanpak in a concept of the SPT wijkplan (bijgesteld from 2021 for 2022)."""
    plan = Wijkplan.objects.get(gemeente=groningen, gebied=spt_gebied)
    concept = plans_services.bijstellen(demo_user("groningen", "coordinator"),
                                        plan.versies.get(status="vastgesteld"), jaar=2022)
    return concept.activiteiten.get(naam="Pleintjesaanpak")


@pytest.fixture
def doelen(groningen, spt_gebied):
    return {
        # SPT measured 13,9 in 2024 (gehaald) and 14,4 in 2023 (niet gehaald); the gemeente
        # is at 11,9 now: nog niet op koers for 11,0 in 2026, op koers for 12,0 in 2027.
        "spt_2024": streefwaarde(groningen, gebied=spt_gebied, jaar=2024, waarde=14.0),
        "spt_2023": streefwaarde(groningen, gebied=spt_gebied, jaar=2023, waarde=14.0),
        "gemeente_2026": streefwaarde(groningen, jaar=2026, waarde=11.0),
        "gemeente_2027": streefwaarde(groningen, jaar=2027, waarde=12.0),
    }


def koppel(activiteit, streefwaarden, demo_user):
    activiteit.versie.refresh_from_db()
    plans_services.save_activiteit(demo_user("groningen", "coordinator"), activiteit,
                                   revisie=activiteit.versie.revisie,
                                   m2m={"streefwaarden": streefwaarden})


def test_streef_voortgang_judges_each_target_in_one_query(groningen, data, doelen,
                                                          django_assert_num_queries, assen):
    andere = streefwaarde(assen, code="vve_bereik", jaar=2023, waarde=85.0)
    lijst = list(Streefwaarde.objects.filter(pk__in=[s.pk for s in doelen.values()] + [andere.pk])
                 .select_related("indicator", "gebied", "region").order_by("pk"))
    with django_assert_num_queries(1):
        result = selectors.streef_voortgang(None, groningen, lijst)
    per = {r["streefwaarde"].pk: r for r in result}
    assert andere.pk not in per  # another gemeente's target is left out
    assert [(per[s.pk]["status"], per[s.pk]["punt"].periode.code,
             round(per[s.pk]["punt"].waarde, 2)) for s in doelen.values()] == [
        ("gehaald", "2024", 13.87), ("niet_gehaald", "2023", 14.45),
        ("niet_op_koers", "2024", 11.85), ("op_koers", "2024", 11.85)]


def test_activiteit_page_shows_targets_with_figure_and_status(activiteit, data, doelen,
                                                              demo_user, client_for):
    koppel(activiteit, list(doelen.values()), demo_user)
    html = client_for("groningen", "partner").get(activiteit.get_absolute_url()) \
        .content.decode()
    assert "Te behalen resultaten" in html
    indicator = doelen["spt_2024"].indicator
    for s in doelen.values():
        assert f'href="{indicator.get_absolute_url()}#streefwaarde-{s.pk}"' in html
    rows = html.split('<th scope="row"')[1:]
    assert len(rows) == 4
    # Ordered by periode: 2023, 2024 (SPT), 2026, 2027 (gemeente).
    spt_2023, spt_2024, gm_2026, gm_2027 = rows
    assert "Selwerd, Paddepoel en Tuinwijk" in spt_2024 and "14,0%" in spt_2024
    assert "13,9%" in spt_2024 and "mon-streef-gehaald" in spt_2024 and ">gehaald<" in spt_2024
    assert "14,4%" in spt_2023 and ">niet gehaald<" in spt_2023
    assert "hele gemeente" in gm_2026 and "11,9%" in gm_2026 and "(2024)" in gm_2026
    assert ">nog niet op koers<" in gm_2026
    assert ">op koers<" in gm_2027


def test_suppressed_figures_stay_text_on_the_activiteit_page(groningen, activiteit, data,
                                                             doelen, demo_user, client_for):
    koppel(activiteit, [doelen["spt_2024"], doelen["gemeente_2026"]], demo_user)
    instelling = MonitorInstelling.objects.get(gemeente=groningen)
    instelling.minimum_n = 2000  # SPT's 1.492 children are too few now, the gemeente's not
    services.save_instelling(demo_user("groningen", "beleid"), instelling)
    html = client_for("groningen", "raad").get(activiteit.get_absolute_url()).content.decode()
    spt_rij = next(r for r in html.split('<th scope="row"')[1:] if "Paddepoel" in r)
    assert "onderdrukt (privacy, minimum 2000)" in spt_rij
    assert "13,9" not in html and "13.9" not in html
    assert "nog niet te beoordelen" in spt_rij
    assert "11,9%" in html
    assert "Onderdrukt:" in html  # the note that explains it


def test_activiteit_page_without_targets(activiteit, client_for):
    html = client_for("groningen", "coordinator").get(activiteit.get_absolute_url()) \
        .content.decode()
    assert "Deze activiteit is nog niet gekoppeld aan streefwaarden uit de monitor." in html
    assert "Kies ze bij &#x27;Bewerken&#x27;." in html or "Kies ze bij 'Bewerken'." in html


def test_indicator_page_lists_the_activiteiten_for_members_only(groningen, activiteit, data,
                                                                doelen, demo_user, client):
    koppel(activiteit, [doelen["spt_2024"]], demo_user)
    url = reverse("monitor:indicator-detail", kwargs={"gemeente": groningen.slug,
                                                      "pk": doelen["spt_2024"].indicator_id})
    client.force_login(demo_user("groningen", "raad"))
    html = client.get(url).content.decode()
    item = html.split(f'id="streefwaarde-{doelen["spt_2024"].pk}"')[1].split("</li>")[0]
    assert "Hieraan werken (activiteiten van wijkplannen):" in item
    assert f'href="{activiteit.get_absolute_url()}">Pleintjesaanpak</a>' in item
    assert "conceptversie voor 2022" in item
    other = html.split(f'id="streefwaarde-{doelen["spt_2023"].pk}"')[1].split("</li>")[0]
    assert "Hieraan werken" not in other

    # The public monitor shows the targets, not the wijkplan activiteiten.
    instelling = MonitorInstelling.objects.get(gemeente=groningen)
    instelling.publiek = True
    services.save_instelling(demo_user("groningen", "beleid"), instelling)
    client.logout()
    html = client.get(url).content.decode()
    assert f'id="streefwaarde-{doelen["spt_2024"].pk}"' in html
    assert "Pleintjesaanpak" not in html and "Hieraan werken" not in html


def test_monitor_never_imports_plans():
    """The arrow goes plans → monitor (DESIGN.md §2 plus this link): no module of monitor may
    import plans, or the two apps would depend on each other."""
    offenders = []
    for path in (ROOT / "monitor").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "plans"]
    assert offenders == []
