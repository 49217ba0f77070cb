"""Wijkplan versions: concept → vastgesteld → vervangen, immutability, bijstellen, optimistic
locking, and the demo's SPT history."""

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.urls import reverse

from core.models import Membership, Role
from framework.models import Kader
from network.models import Organisatie
from plans import services
from plans.models import Activiteit, Pijler, VersieNietBewerkbaar, Wijkplan, WijkplanVersie
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_spt_history(spt, v2018, v2021):
    assert spt.periode == "2018-2023"
    assert v2018.status == "vervangen" and v2018.jaar == 2018
    assert [p.naam for p in v2018.pijlers.all()] == ["Veiligheid", "Gezondheid", "Participatie"]
    assert v2021.status == "vastgesteld" and v2021.jaar == 2021
    assert [p.naam for p in v2021.pijlers.all()] == [
        "Talentontwikkeling", "Veiligheid", "Gezondheid", "Inclusie"]
    assert v2021.bijgesteld_van == v2018
    names_2018 = set(v2018.activiteiten.values_list("naam", flat=True))
    assert "Kansrijke Start" not in names_2018 and "Integraal naschools aanbod" not in names_2018
    assert {"Vreedzame Wijk", "Brugfunctionaris voor elke school"} <= names_2018
    assert v2021.activiteiten.count() == v2018.activiteiten.count() + 3
    titels_2018 = [r["titel"] for r in v2018.rollen_snapshot]
    titels_2021 = [r["titel"] for r in v2021.rollen_snapshot]
    assert "Aanjager Positief Opgroeien" in titels_2018
    assert "Aanjager Positief Opgroeien" not in titels_2021
    assert v2021.vastgesteld_als == "voorzitter van de stuurgroep"


def test_vaststellen_by_voorzitter_or_beleidsmedewerker_only(groningen, concept, demo_user,
                                                             v2021):
    for role in ("coordinator", "partner", "raad"):
        with pytest.raises(PermissionDenied):
            services.vaststellen(demo_user("groningen", role), concept,
                                 revisie=concept.revisie)
    # A stuurgroeplid of SPT who does not hold the voorzitter seat.
    lid = UserFactory()
    Membership.objects.create(user=lid, gemeente=groningen, role=Role.STUURGROEPLID,
                              gebied=concept.wijkplan.gebied)
    services.aanbieden(demo_user("groningen", "coordinator"), concept, revisie=concept.revisie)
    with pytest.raises(PermissionDenied):
        services.vaststellen(lid, concept, revisie=concept.revisie)
    with pytest.raises(PermissionDenied):
        services.terugsturen(lid, concept, revisie=concept.revisie, redenen="Nee")
    services.vaststellen(demo_user("groningen", "stuurgroep"), concept, revisie=concept.revisie)
    concept.refresh_from_db()
    v2021.refresh_from_db()
    assert concept.status == "vastgesteld" and v2021.status == "vervangen"
    assert concept.rollen_snapshot and concept.vastgesteld_door.username == "groningen-stuurgroep"


def test_beleidsmedewerker_may_vaststellen(concept, demo_user):
    services.aanbieden(demo_user("groningen", "beleid"), concept, revisie=concept.revisie)
    services.vaststellen(demo_user("groningen", "beleid"), concept, revisie=concept.revisie)
    concept.refresh_from_db()
    assert concept.vastgesteld_als == "beleidsmedewerker"


def test_vastgestelde_version_is_immutable_in_services(v2021, demo_user):
    beleid = demo_user("groningen", "beleid")
    v2021.inleiding = "Overschreven"
    with pytest.raises(VersieNietBewerkbaar):
        services.save_versie(beleid, v2021, revisie=v2021.revisie)
    pijler = v2021.pijlers.first()
    pijler.naam = "Anders"
    with pytest.raises(VersieNietBewerkbaar):
        services.save_pijler(beleid, pijler, revisie=v2021.revisie)
    act = v2021.activiteiten.first()
    act.naam = "Anders"
    with pytest.raises(VersieNietBewerkbaar):
        services.save_activiteit(beleid, act, revisie=v2021.revisie)
    with pytest.raises(VersieNietBewerkbaar):
        services.delete_activiteit(beleid, v2021.activiteiten.first(), revisie=v2021.revisie)
    with pytest.raises(VersieNietBewerkbaar):
        services.delete_concept(beleid, v2021)
    with pytest.raises(ValidationError):
        services.save_activiteit(beleid, Activiteit(gemeente=v2021.gemeente, versie=v2021,
                                                    pijler=pijler, naam="Nieuw"),
                                 revisie=v2021.revisie)
    v2021.refresh_from_db()
    assert v2021.inleiding != "Overschreven"
    assert not v2021.activiteiten.filter(naam__in=["Anders", "Nieuw"]).exists()


def test_vastgestelde_version_is_immutable_in_the_models(v2021, v2018):
    """Admin, API and shell all end in save()/delete()/m2m: the models refuse too."""
    v2021.speerpunten = "x"
    with pytest.raises(VersieNietBewerkbaar):
        v2021.save()
    with pytest.raises(VersieNietBewerkbaar):
        v2018.save()  # vervangen is final as well
    act = v2021.activiteiten.first()
    act.naam = "x"
    with pytest.raises(VersieNietBewerkbaar):
        act.save()
    org = Organisatie.objects.filter(gemeente=v2021.gemeente).first()
    with pytest.raises(VersieNietBewerkbaar), transaction.atomic():
        act.partners.add(org)
    with pytest.raises(VersieNietBewerkbaar), transaction.atomic():
        act.partners.clear()
    with pytest.raises(VersieNietBewerkbaar), transaction.atomic():
        org.partner_in.add(act)  # from the other side
    with pytest.raises(VersieNietBewerkbaar):
        Pijler.objects.filter(versie=v2021).first().delete()
    with pytest.raises(VersieNietBewerkbaar):
        v2021.delete()


def test_admin_shows_a_vastgestelde_version_read_only(v2021, concept, demo_user):
    request = RequestFactory().get("/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    model_admin = admin.site._registry[WijkplanVersie]
    assert not model_admin.has_change_permission(request, v2021)
    assert model_admin.has_change_permission(request, concept)
    assert not admin.site._registry[Activiteit].has_delete_permission(
        request, v2021.activiteiten.first())


def test_bijstellen_copies_with_stable_sleutels_and_doelen(v2021, concept):
    assert concept.status == "concept" and concept.nummer == 3 and concept.jaar == 2022
    assert concept.bijgesteld_van == v2021
    old = {a.sleutel: a for a in v2021.activiteiten.all()}
    new = {a.sleutel: a for a in concept.activiteiten.all()}
    assert old.keys() == new.keys()
    for key, a in new.items():
        assert a.pk != old[key].pk and a.naam == old[key].naam
        assert [d.pk for d in a.klaverblad_doelen()] == [d.pk for d in old[key].klaverblad_doelen()]
        assert set(a.partners.all()) == set(old[key].partners.all())
    assert {p.sleutel for p in concept.pijlers.all()} == {p.sleutel for p in v2021.pijlers.all()}


def test_one_concept_at_a_time(v2021, concept, demo_user):
    with pytest.raises(ValidationError, match="al een conceptversie"):
        services.bijstellen(demo_user("groningen", "coordinator"), v2021)
    # The database holds the rule too, also past the service.
    with pytest.raises(IntegrityError), transaction.atomic():
        WijkplanVersie.objects.create(gemeente=v2021.gemeente, wijkplan=v2021.wijkplan,
                                      nummer=9, jaar=2023)


def test_only_the_vastgestelde_version_can_be_bijgesteld(v2018, demo_user):
    with pytest.raises(ValidationError):
        services.bijstellen(demo_user("groningen", "beleid"), v2018)


def test_optimistic_lock_refuses_the_second_stale_save(concept, demo_user):
    loaded = concept.revisie
    first = WijkplanVersie.objects.get(pk=concept.pk)
    second = WijkplanVersie.objects.get(pk=concept.pk)
    first.inleiding = "Eerste coördinator"
    services.save_versie(demo_user("groningen", "coordinator"), first, revisie=loaded)
    second.inleiding = "Tweede coördinator"
    with pytest.raises(services.VersieGewijzigd) as exc:
        services.save_versie(demo_user("groningen", "beleid"), second, revisie=loaded)
    message = exc.value.messages[0]
    assert "Iemand anders heeft deze versie gewijzigd" in message
    assert concept.get_absolute_url() in message
    concept.refresh_from_db()
    assert concept.inleiding == "Eerste coördinator" and concept.revisie == loaded + 1
    # A stale activiteit edit is refused the same way and writes nothing.
    act = concept.activiteiten.first()
    act.naam = "Verouderd"
    with pytest.raises(services.VersieGewijzigd):
        services.save_activiteit(demo_user("groningen", "coordinator"), act, revisie=loaded)
    assert not concept.activiteiten.filter(naam="Verouderd").exists()


def test_vaststellen_a_stale_aanbieding_is_refused(concept, demo_user):
    """The stuurgroep decides on the version as it saw it: if it was sent back, changed and
    offered again in the meantime, the old decision page is refused."""
    coordinator, voorzitter = demo_user("groningen", "coordinator"), demo_user("groningen",
                                                                               "stuurgroep")
    services.aanbieden(coordinator, concept, revisie=concept.revisie)
    loaded = concept.revisie
    services.terugsturen(voorzitter, concept, revisie=loaded, redenen="Begroting ontbreekt.")
    services.save_versie(coordinator, concept, revisie=concept.revisie)
    services.aanbieden(coordinator, concept, revisie=concept.revisie)
    with pytest.raises(services.VersieGewijzigd):
        services.vaststellen(voorzitter, concept, revisie=loaded)
    concept.refresh_from_db()
    assert concept.status == "aangeboden"
    assert concept.wijkplan.versies.get(status="vastgesteld").jaar == 2021


def test_stale_save_through_the_page_shows_a_link_and_changes_nothing(concept, client_for):
    url = reverse("plans:versie-update", kwargs={"gemeente": "groningen", "pk": concept.pk})
    data = {"jaar": 2022, "titel": concept.titel, "inleiding": "A", "organisatie": "",
            "speerpunten": "", "revisie": concept.revisie}
    coordinator = client_for("groningen", "coordinator")
    assert coordinator.post(url, data).status_code == 302
    data["inleiding"] = "B"
    beleid = client_for("groningen", "beleid")
    response = beleid.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders heeft deze versie gewijzigd" in html
    assert f'href="{concept.get_absolute_url()}"' in html
    concept.refresh_from_db()
    assert concept.inleiding == "A"


def test_pages_refuse_edits_of_a_vastgestelde_version(v2021, client_for):
    client = client_for("groningen", "coordinator")
    url = reverse("plans:versie-update", kwargs={"gemeente": "groningen", "pk": v2021.pk})
    response = client.post(url, {"jaar": 2021, "inleiding": "x", "revisie": v2021.revisie},
                           follow=True)
    assert "is vastgesteld en kan niet meer veranderen" in response.content.decode()
    v2021.refresh_from_db()
    assert v2021.inleiding != "x"


def test_activiteit_age_range_is_validated(concept, demo_user):
    pijler = concept.pijlers.first()
    act = Activiteit(gemeente=concept.gemeente, versie=concept, pijler=pijler, naam="Omgedraaid",
                     leeftijd_van=48, leeftijd_tot=12)
    with pytest.raises(ValidationError) as exc:
        services.save_activiteit(demo_user("groningen", "coordinator"), act,
                                 revisie=concept.revisie)
    assert "omgedraaid" in str(exc.value)
    act.leeftijd_van, act.leeftijd_tot = -10, 400
    with pytest.raises(ValidationError) as exc:
        act.full_clean()
    assert set(exc.value.message_dict) == {"leeftijd_van", "leeftijd_tot"}
    act.leeftijd_van, act.leeftijd_tot = -9, 324
    act.full_clean()
    assert str(act.doelgroep()) == "-9 maanden tot 27 jaar"


def test_coordinator_writes_a_concept_through_the_pages(groningen, client_for):
    """A new wijkplan for another gebied, with a pijler and two activiteiten."""
    client = client_for("groningen", "beleid")
    from regions.models import Gebied

    beijum = Gebied.objects.get(gemeente=groningen, naam="Beijum")
    response = client.post(reverse("plans:wijkplan-create", kwargs={"gemeente": "groningen"}),
                           {"naam": "Wijkplan Beijum", "gebied": beijum.pk, "jaar_van": 2024,
                            "jaar_tot": 2027})
    assert response.status_code == 302
    plan = Wijkplan.objects.get(naam="Wijkplan Beijum")
    versie = plan.versies.get()
    doel = Kader.objects.get(gemeente=groningen, soort="klaverblad").doelen.get(nummer=2)
    response = client.post(reverse("plans:pijler-create", kwargs={
        "gemeente": "groningen", "versie_pk": versie.pk}),
        {"naam": "Gezondheid", "doelen": "Gezond", "volgorde": 1, "revisie": versie.revisie,
         "klaverblad_doelen": [doel.pk]})
    assert response.status_code == 302, response.content.decode()
    pijler = versie.pijlers.get()
    for naam in ("Sportdag", "Kookles"):
        versie.refresh_from_db()
        response = client.post(reverse("plans:activiteit-create", kwargs={
            "gemeente": "groningen", "versie_pk": versie.pk}),
            {"pijler": pijler.pk, "naam": naam, "leeftijd_van": 48, "leeftijd_tot": 144,
             "status": "gepland", "volgorde": 0, "revisie": versie.revisie,
             "klaverblad_doelen": [doel.pk]})
        assert response.status_code == 302, response.content.decode()
    assert [a.naam for a in versie.activiteiten.order_by("naam")] == ["Kookles", "Sportdag"]
    versie.refresh_from_db()
    response = client.post(reverse("plans:versie-aanbieden", kwargs={
        "gemeente": "groningen", "pk": versie.pk}), {"revisie": versie.revisie, "bericht": "x"})
    assert response.status_code == 302
    versie.refresh_from_db()
    response = client.post(reverse("plans:versie-vaststellen", kwargs={
        "gemeente": "groningen", "pk": versie.pk}), {"revisie": versie.revisie})
    assert response.status_code == 302
    versie.refresh_from_db()
    assert versie.status == "vastgesteld"


def test_a_coordinator_of_another_gebied_cannot_touch_the_concept(groningen, concept):
    from regions.models import Gebied

    andere = UserFactory()
    Membership.objects.create(user=andere, gemeente=groningen, role=Role.GEBIEDSCOORDINATOR,
                              gebied=Gebied.objects.get(gemeente=groningen, naam="Beijum"))
    act = concept.activiteiten.first()
    act.naam = "Overgenomen"
    with pytest.raises(PermissionDenied):
        services.save_activiteit(andere, act, revisie=concept.revisie)
    with pytest.raises(PermissionDenied):
        services.vaststellen(andere, concept, revisie=concept.revisie)
    assert not concept.activiteiten.filter(naam="Overgenomen").exists()


def test_delete_pages_refuse_with_a_message_and_delete_a_concept(spt, concept, client_for,
                                                                  demo_user):
    """The delete pages: a pijler with activiteiten is refused (message, back to the versie);
    an empty pijler and then the concept versie itself are deleted."""
    client = client_for("groningen", "coordinator")
    g = {"gemeente": "groningen"}
    vol = concept.pijlers.filter(activiteiten__isnull=False).first()
    response = client.post(reverse("plans:pijler-delete", kwargs={**g, "pk": vol.pk}),
                           {"revisie": concept.revisie}, follow=True)
    assert response.redirect_chain[-1][0] == concept.get_absolute_url()
    assert "heeft nog activiteiten" in response.content.decode()
    assert Pijler.objects.filter(pk=vol.pk).exists()

    leeg = services.save_pijler(demo_user("groningen", "coordinator"),
                                Pijler(gemeente=concept.gemeente, versie=concept, naam="Leeg"),
                                revisie=concept.revisie)
    concept.refresh_from_db()
    response = client.post(reverse("plans:pijler-delete", kwargs={**g, "pk": leeg.pk}),
                           {"revisie": concept.revisie})
    assert response.status_code == 302 and response["Location"] == concept.get_absolute_url()
    assert not Pijler.objects.filter(pk=leeg.pk).exists()

    response = client.post(reverse("plans:versie-delete", kwargs={**g, "pk": concept.pk}),
                           follow=True)
    assert response.redirect_chain[-1][0] == spt.get_absolute_url()
    assert "De conceptversie is verwijderd." in response.content.decode()
    assert not WijkplanVersie.objects.filter(pk=concept.pk).exists()
