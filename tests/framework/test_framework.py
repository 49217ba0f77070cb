import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEntry
from framework import selectors, services
from framework.models import Doel, DoelKoppeling, Kader
from plans import services as plan_services
from plans.models import Activiteit, Wijkplan, WijkplanVersie
from tests.factories import GebiedFactory

pytestmark = pytest.mark.django_db


def klaverblad(gemeente):
    return Kader.objects.get(gemeente=gemeente, soort=Kader.Soort.KLAVERBLAD)


def test_demo_klaverblad_of_groningen(groningen):
    kader = selectors.huidig_klaverblad(groningen, datetime.date(2024, 6, 1))
    assert kader.naam == "Klaverblad Positief Opgroeien"
    assert (kader.leeftijd_van, kader.leeftijd_tot) == (-9, 324)
    assert kader.kern == "Kind, jongere, gezin centraal"
    assert "talenten te ontwikkelen" in kader.missie
    doelen = list(kader.doelen.order_by("nummer"))
    assert [d.nummer for d in doelen] == list(range(1, 11))
    assert doelen[0].tekst.startswith("Alle jeugdigen groeien op in een veilige thuissituatie")
    assert doelen[6].tekst == "Geen kinderen en jongeren groeien op in armoede"
    assert kader.geldig_van == datetime.date(2022, 1, 1)


def test_assen_acties_are_mapped_onto_its_leading_kader(assen):
    acties = Kader.objects.get(gemeente=assen, soort=Kader.Soort.ANDER)
    actie = acties.doelen.get(nummer=3)
    assert actie.tekst == "Kwetsbare jeugd voorop"
    assert [d.tekst for d in actie.klaverblad_doelen()] == [
        "Ook kinderen met opvallend gedrag doen mee"]


def test_two_klaverbladen_may_not_overlap(groningen):
    new = Kader(gemeente=groningen, naam="Nieuw", geldig_van=datetime.date(2030, 1, 1))
    with pytest.raises(ValidationError) as exc:
        new.full_clean()
    assert "In deze periode geldt al een Klaverblad" in str(exc.value)
    new.geldig_van = datetime.date(2033, 1, 1)
    new.full_clean()  # after the current one ends: fine
    other = Kader(gemeente=groningen, naam="Ander kader", soort=Kader.Soort.ANDER,
                  geldig_van=datetime.date(2030, 1, 1))
    other.full_clean()  # other frameworks may overlap


def test_set_doelen_tags_audits_and_checks(groningen, assen, demo_user):
    kader = klaverblad(groningen)
    d2, d3 = kader.doelen.get(nummer=2), kader.doelen.get(nummer=3)
    acties = Kader.objects.create(gemeente=groningen, naam="Landelijk programma",
                                  soort=Kader.Soort.ANDER, geldig_van=datetime.date(2022, 1, 1))
    beleid = demo_user("groningen", "beleid")
    doel = services.save_doel(beleid, Doel(gemeente=groningen, kader=acties, nummer=1,
                                           tekst="Gezond opgroeien"),
                              klaverblad_doelen=[d2, d3])
    assert [d.nummer for d in doel.klaverblad_doelen()] == [2, 3]
    entry = AuditEntry.objects.filter(object_id=str(doel.pk), action="update").first()
    assert entry.after == {"klaverblad_doelen": sorted([d2.pk, d3.pk])}

    services.set_doelen(beleid, doel, [d3])
    assert [d.nummer for d in doel.klaverblad_doelen()] == [3]
    with pytest.raises(PermissionDenied):
        services.set_doelen(demo_user("groningen", "raad"), doel, [d2])
    with pytest.raises(ValidationError, match="andere gemeente"):
        services.set_doelen(beleid, doel, [klaverblad(assen).doelen.first()])
    with pytest.raises(ValidationError, match="alleen aan doelen van het Klaverblad"):
        services.set_doelen(beleid, doel, [doel])
    # A Klaverblad doel is not mapped onto itself.
    with pytest.raises(ValidationError):
        services.set_doelen(beleid, d2, [d3])


def test_tags_of_a_vastgestelde_activiteit_are_frozen_everywhere(groningen, demo_user):
    act = Activiteit.objects.filter(gemeente=groningen, versie__status="vastgesteld").first()
    doel = klaverblad(groningen).doelen.get(nummer=6)
    with pytest.raises(ValidationError, match="vastgesteld"):
        services.set_doelen(demo_user("groningen", "beleid"), act, [doel])
    koppeling = DoelKoppeling(gemeente=groningen, doel=doel, object_id=act.pk,
                              content_type=ContentType.objects.get_for_model(Activiteit))
    with pytest.raises(ValidationError):
        koppeling.save()  # the model refuses too (admin, shell)
    existing = DoelKoppeling.objects.filter(object_id=act.pk,
                                            content_type=koppeling.content_type).first()
    with pytest.raises(ValidationError):
        existing.delete()


def test_doel_page_lists_what_works_on_it(groningen, client_for):
    doel = klaverblad(groningen).doelen.get(nummer=3)
    html = client_for("groningen", "raad").get(doel.get_absolute_url()).content.decode()
    assert "Kansrijke Start" in html and "Voorschools aanbod" in html
    zes = klaverblad(groningen).doelen.get(nummer=6)
    html = client_for("groningen", "raad").get(zes.get_absolute_url()).content.decode()
    # Doel 6 is measured (monitor indicators) but nothing works on it: still a witte vlek.
    assert "Witte vlek" in html
    assert "Hoe we dit doel meten" in html and "Thuiszitters" in html


def test_dekking_matrix_counts_current_activiteiten_and_shows_witte_vlekken(groningen):
    kader = klaverblad(groningen)
    matrix = selectors.dekking(None, groningen, kader)
    spt = next(i for i, g in enumerate(matrix["gebieden"]) if g.afkorting == "SPT")
    rij = {r["doel"].nummer: r for r in matrix["rijen"]}
    # Doel 1 (veilig): Vreedzame Wijk, Pleintjesaanpak, Politie kids, Kansrijke Start; only
    # the vastgestelde (2021) version counts, not the vervangen 2018 copies.
    assert rij[1]["cellen"][spt]["n"] == 4
    assert rij[3]["cellen"][spt]["n"] == 2
    assert [d.nummer for d in matrix["witte_vlekken"]] == [6]
    assert rij[6]["witte_vlek"] and not rij[1]["witte_vlek"]


def test_dekking_page_text_and_links(groningen, client_for):
    response = client_for("groningen", "raad").get(
        reverse("framework:dekking", kwargs={"gemeente": "groningen"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 witte vlek" in html and "witte vlek</span>" in html  # in text, not colour only
    doel = klaverblad(groningen).doelen.get(nummer=3)
    spt = Wijkplan.objects.get(gemeente=groningen).gebied
    link = f"?doel={doel.pk}&amp;gebied={spt.pk}"
    assert link in html
    listing = client_for("groningen", "raad").get(
        reverse("plans:activiteit-list", kwargs={"gemeente": "groningen"}),
        {"doel": doel.pk, "gebied": spt.pk}).content.decode()
    assert "Kansrijke Start" in listing and "Vreedzame Wijk" not in listing


def test_dekking_queries_do_not_grow_with_activiteiten_or_gebieden(groningen, demo_user,
                                                                   client_for):
    kader = klaverblad(groningen)
    client = client_for("groningen", "raad")
    url = reverse("framework:dekking", kwargs={"gemeente": "groningen"})

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200  # the whole page, template included
        return len(ctx.captured_queries)

    count()  # warm-up: the first request fills per-process caches (ContentType ids)
    before = count()
    beleid = demo_user("groningen", "beleid")
    for i in range(3):
        gebied = GebiedFactory(gemeente=groningen, naam=f"Extra {i}")
        versie = plan_services.create_wijkplan(beleid, Wijkplan(
            gemeente=groningen, gebied=gebied, naam=f"Plan {i}", jaar_van=2024, jaar_tot=2026))
        pijler = plan_services.save_pijler(beleid, versie.pijlers.model(
            gemeente=groningen, versie=versie, naam="Pijler"), revisie=versie.revisie)
        for j in range(4):
            versie.refresh_from_db()
            plan_services.save_activiteit(beleid, Activiteit(
                gemeente=groningen, versie=versie, pijler=pijler, naam=f"A{j}"),
                revisie=versie.revisie, doelen=[kader.doelen.get(nummer=6)])
        versie.refresh_from_db()
        plan_services.aanbieden(beleid, versie, revisie=versie.revisie)
        plan_services.vaststellen(beleid, versie, revisie=versie.revisie)
    assert count() == before
    matrix = selectors.dekking(None, groningen, kader)
    assert not matrix["witte_vlekken"]
    assert WijkplanVersie.objects.filter(gemeente=groningen, status="vastgesteld").count() == 4


def test_beleidsmedewerker_edits_klaverblad_through_the_page(groningen, client_for):
    kader = klaverblad(groningen)
    url = reverse("framework:kader-update", kwargs={"gemeente": "groningen", "pk": kader.pk})
    client = client_for("groningen", "beleid")
    data = {"soort": "klaverblad", "naam": kader.naam, "missie": kader.missie,
            "visie": "Nieuwe visie.", "kern": kader.kern, "leeftijd_van": -9,
            "leeftijd_tot": 324, "geldig_van": "2022-01-01", "geldig_tot": "2032-12-31",
            "bron": kader.bron}
    assert client.post(url, data).status_code == 302
    kader.refresh_from_db()
    assert kader.visie == "Nieuwe visie."
    data["leeftijd_tot"] = -10
    response = client.post(url, data)
    assert response.status_code == 200 and "leeftijd" in response.content.decode().lower()
    # A thema is optional and editable.
    thema_url = reverse("framework:thema-create", kwargs={"gemeente": "groningen",
                                                          "kader_pk": kader.pk})
    assert client.post(thema_url, {"naam": "Veilig", "volgorde": 1}).status_code == 302
    doel = kader.doelen.get(nummer=1)
    doel_url = reverse("framework:doel-update", kwargs={"gemeente": "groningen", "pk": doel.pk})
    thema = kader.themas.get()
    assert client.post(doel_url, {"nummer": 1, "tekst": doel.tekst, "thema": thema.pk}
                       ).status_code == 302
    assert Doel.objects.get(pk=doel.pk).thema == thema
    assert client_for("groningen", "coordinator").get(url).status_code == 403


def test_mapping_an_other_framework_through_the_page(assen, client_for):
    acties = Kader.objects.get(gemeente=assen, soort=Kader.Soort.ANDER)
    hoofd = klaverblad(assen)
    url = reverse("framework:doel-create", kwargs={"gemeente": "assen", "kader_pk": acties.pk})
    client = client_for("assen", "beleid")
    form = client.get(url).content.decode()
    assert "Vertaald naar Klaverblad-doelen" in form
    d5 = hoofd.doelen.get(nummer=5)
    response = client.post(url, {"nummer": 5, "tekst": "Nieuwe actie",
                                 "klaverblad_doelen": [d5.pk]})
    assert response.status_code == 302
    assert [d.pk for d in acties.doelen.get(nummer=5).klaverblad_doelen()] == [d5.pk]


def test_api_doelen_and_mapping(assen, client_for):
    client = client_for("assen", "beleid")
    acties = Kader.objects.get(gemeente=assen, soort=Kader.Soort.ANDER)
    actie = acties.doelen.get(nummer=4)
    doel6 = klaverblad(assen).doelen.get(nummer=6)
    response = client.get(f"/api/v1/doelen/?kader={acties.pk}")
    assert response.status_code == 200
    assert {r["nummer"] for r in response.json()["results"]} == {1, 2, 3, 4}
    response = client.patch(f"/api/v1/doelen/{actie.pk}/", {"klaverblad_doelen": [doel6.pk]},
                            content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["klaverblad_doelen"] == [doel6.pk]
    raad = client_for("assen", "raad")
    assert raad.patch(f"/api/v1/doelen/{actie.pk}/", {"klaverblad_doelen": []},
                      content_type="application/json").status_code == 403
