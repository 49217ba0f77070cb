"""The comparison page and progress reports (voortgang)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Membership, Role
from core.periods import KWARTAAL, Periode
from network.models import Organisatie
from plans import compare, selectors, services
from plans.models import Activiteit, VoortgangRapportage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_compare_2018_with_2021(v2018, v2021):
    oud = selectors.versie_met_inhoud(v2018.pk)
    nieuw = selectors.versie_met_inhoud(v2021.pk)
    diff = compare.vergelijk(oud, nieuw)
    pijlers = {(v.soort, v.naam, v.hernoemd) for v in diff["pijlers"]}
    assert ("gewijzigd", "Inclusie", True) in pijlers  # renamed, not removed + added
    assert ("toegevoegd", "Talentontwikkeling", False) in pijlers
    assert not any(v.soort == "verwijderd" for v in diff["pijlers"])
    added = {v.naam for v in diff["activiteiten"] if v.soort == "toegevoegd"}
    assert added == {"Integraal naschools aanbod", "Kansrijke Start",
                     "Meer kunst- en cultuuraanbod in de wijk voor kinderen"}
    moved = next(v for v in diff["activiteiten"] if v.naam == "Brugfunctionaris voor elke school")
    assert [(w.veld, w.oud, w.nieuw) for w in moved.wijzigingen] == [
        ("pijler", "Participatie", "Inclusie")]
    rollen = {(v.soort, v.naam) for v in diff["rollen"]}
    assert ("verwijderd", "Aanjager Positief Opgroeien (Gemeente Groningen)") in rollen
    coordinator = next(v for v in diff["rollen"] if v.soort == "gewijzigd")
    assert coordinator.wijzigingen[0].nieuw.endswith("(voortgangsbewaker)")


def test_compare_a_concept_with_its_predecessor(concept, demo_user, v2021):
    coordinator = demo_user("groningen", "coordinator")
    act = concept.activiteiten.get(naam="Politie kids")
    services.delete_activiteit(coordinator, act, revisie=concept.revisie)
    concept.refresh_from_db()
    changed = concept.activiteiten.get(naam="Pleintjesaanpak")
    changed.leeftijd_tot = 156
    services.save_activiteit(coordinator, changed, revisie=concept.revisie)
    diff = compare.vergelijk(selectors.versie_met_inhoud(v2021.pk),
                             selectors.versie_met_inhoud(concept.pk))
    assert [(v.soort, v.naam) for v in diff["activiteiten"]] == [
        ("gewijzigd", "Pleintjesaanpak"), ("verwijderd", "Politie kids")]
    assert diff["activiteiten"][0].wijzigingen[0].veld == "doelgroep"


def test_compare_page(v2021, client_for):
    url = reverse("plans:versie-vergelijk", kwargs={"gemeente": "groningen", "pk": v2021.pk})
    html = client_for("groningen", "raad").get(url).content.decode()
    assert "Hernoemd:</strong> Participatie → Inclusie" in html
    assert "Toegevoegd:</strong> Talentontwikkeling" in html
    assert "Verwijderd:</strong> Aanjager Positief Opgroeien" in html


def rapportage(act, periode="2021-K1", **kwargs):
    fields = {"status": "op_schema", "percentage": 25, **kwargs}
    return VoortgangRapportage(gemeente=act.gemeente, activiteit=act,
                               periode=Periode.parse(periode), **fields)


def test_trekker_partner_and_coordinator_report(v2021, demo_user, groningen):
    vve = v2021.activiteiten.get(naam="Voorschools aanbod en doorgaande lijn VVE")  # Kids First
    partner = demo_user("groningen", "partner")
    r = services.rapporteren(partner, rapportage(vve, bereikte_deelnemers=40))
    assert r.gerapporteerd_door == partner and str(r.periode) == "2021-K1"
    services.rapporteren(demo_user("groningen", "coordinator"), rapportage(vve, "2021-K2"))
    other = v2021.activiteiten.get(naam="Pleintjesaanpak")  # trekker: WIJ-team
    with pytest.raises(PermissionDenied):
        services.rapporteren(partner, rapportage(other))
    # A partner of another organisatie does not report on Kids First's activiteit.
    andere = UserFactory()
    Membership.objects.create(user=andere, gemeente=groningen, role=Role.PARTNER,
                              organisatie=Organisatie.objects.get(naam="Pendinghe"))
    with pytest.raises(PermissionDenied):
        services.rapporteren(andere, rapportage(vve, "2021-K3"))
    with pytest.raises(PermissionDenied):
        services.rapporteren(demo_user("groningen", "stuurgroep"), rapportage(vve, "2021-K3"))


def test_rapportage_rules(v2021, concept, demo_user):
    beleid = demo_user("groningen", "beleid")
    act = v2021.activiteiten.first()
    services.rapporteren(beleid, rapportage(act))
    with pytest.raises(ValidationError, match="al gerapporteerd"):
        services.rapporteren(beleid, rapportage(act))
    with pytest.raises(ValidationError) as exc:
        services.rapporteren(beleid, rapportage(act, "2021-K2", percentage=101))
    assert "percentage" in exc.value.message_dict
    with pytest.raises(ValidationError, match="per kwartaal"):
        services.rapporteren(beleid, rapportage(act, "2021-03"))
    with pytest.raises(ValidationError, match="looptijd"):
        services.rapporteren(beleid, rapportage(act, "2025-K1"))
    with pytest.raises(ValidationError, match="vastgestelde versie"):
        services.rapporteren(beleid, rapportage(concept.activiteiten.first(), "2022-K1"))


def test_voortgang_flags_late_and_missing_reports(spt, v2021, demo_user):
    beleid = demo_user("groningen", "beleid")
    acts = {a.naam: a for a in v2021.activiteiten.all()}
    services.rapporteren(beleid, rapportage(acts["Vreedzame Wijk"], "2023-K3",
                                           status="vertraagd"))
    services.rapporteren(beleid, rapportage(acts["Politie kids"], "2023-K4", status="op_schema"))
    overzicht = selectors.voortgang(beleid, spt, vandaag=datetime.date(2023, 11, 20))
    assert overzicht["huidig"] == Periode(KWARTAAL, 2023, 4)
    assert [p.code for p in overzicht["kolommen"]][-2:] == ["2023-K3", "2023-K4"]
    assert len(overzicht["kolommen"]) == 8
    rijen = {r["activiteit"].naam: r for _, rows in overzicht["pijlers"] for r in rows}
    assert rijen["Vreedzame Wijk"]["te_laat"] == ["vertraagd"]
    assert rijen["Vreedzame Wijk"]["ontbreekt"]  # nothing for 2023-K4 yet
    assert not rijen["Politie kids"]["ontbreekt"] and not rijen["Politie kids"]["te_laat"]
    assert not rijen["Meer kunst- en cultuuraanbod in de wijk voor kinderen"]["ontbreekt"]
    tijdlijn = dict((p.code, r) for p, r in rijen["Vreedzame Wijk"]["tijdlijn"])
    assert tijdlijn["2023-K3"].status == "vertraagd" and tijdlijn["2023-K2"] is None
    assert overzicht["telling"]["te_laat"] == 1


def test_timeline_follows_an_activiteit_across_versions(spt, v2018, v2021, demo_user):
    """A report on the 2018 copy shows on the 2021 row (same sleutel)."""
    beleid = demo_user("groningen", "beleid")
    oud = v2018.activiteiten.get(naam="Vreedzame Wijk")
    # Reports on a vervangen version's activiteit are history; make one as the 2018 plan had.
    VoortgangRapportage.objects.create(gemeente=oud.gemeente, activiteit=oud,
                                       periode=Periode.parse("2020-K4"), status="afgerond",
                                       percentage=100)
    overzicht = selectors.voortgang(beleid, spt, vandaag=datetime.date(2021, 2, 1))
    rij = next(r for _, rows in overzicht["pijlers"] for r in rows
               if r["activiteit"].naam == "Vreedzame Wijk")
    assert dict((p.code, r) for p, r in rij["tijdlijn"])["2020-K4"].percentage == 100


def test_voortgang_queries_do_not_grow_with_activiteiten(spt, v2021, concept, demo_user,
                                                         client_for):
    beleid = demo_user("groningen", "beleid")
    client = client_for("groningen", "stuurgroep")
    url = reverse("plans:wijkplan-voortgang", kwargs={"gemeente": "groningen", "pk": spt.pk})

    def count():
        with CaptureQueriesContext(connection) as ctx:
            selectors.voortgang(beleid, spt, vandaag=datetime.date(2023, 11, 20))
            assert client.get(url).status_code == 200  # the whole page, template included
        return len(ctx.captured_queries)

    count()  # warm-up: the first request fills per-process caches (ContentType ids)
    before = count()
    pijler = concept.pijlers.first()
    for i in range(15):
        concept.refresh_from_db()
        services.save_activiteit(beleid, Activiteit(gemeente=concept.gemeente, versie=concept,
                                                    pijler=pijler, naam=f"Extra {i}"),
                                 revisie=concept.revisie)
    concept.refresh_from_db()
    services.aanbieden(beleid, concept, revisie=concept.revisie)
    services.vaststellen(beleid, concept, revisie=concept.revisie)
    for act in concept.activiteiten.all()[:10]:
        for q in (1, 2, 3):
            services.rapporteren(beleid, rapportage(act, f"2023-K{q}"))
    assert count() == before


def test_voortgang_page_and_report_form(spt, v2021, client_for):
    vve = v2021.activiteiten.get(naam="Voorschools aanbod en doorgaande lijn VVE")
    client = client_for("groningen", "partner")
    url = reverse("plans:rapportage-create", kwargs={"gemeente": "groningen",
                                                     "activiteit_pk": vve.pk})
    response = client.post(url, {"periode": "2023-K2", "status": "vertraagd", "percentage": 30,
                                 "bereikte_deelnemers": 12, "toelichting": "Minder ouders."})
    assert response.status_code == 302, response.content.decode()
    response = client.post(url, {"periode": "2023-K2", "status": "op_schema", "percentage": 30})
    assert "al gerapporteerd" in response.content.decode()
    page = client_for("groningen", "stuurgroep").get(
        reverse("plans:wijkplan-voortgang", kwargs={"gemeente": "groningen", "pk": spt.pk}))
    html = page.content.decode()
    assert "loopt achter" in html and "gemeld als vertraagd" in html
    assert "Voorschools aanbod en doorgaande lijn VVE" in html
