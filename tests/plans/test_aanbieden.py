"""Submit and decide: concept → aangeboden (by the coördinator, with a message) →
vastgesteld, or teruggestuurd with reasons to concept. One state machine
(plans.services.weigering) answers for the services, the pages and the API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import AuditEntry, Bericht
from plans import selectors, services
from plans.models import VersieNietBewerkbaar

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(demo_user):
    return demo_user("groningen", "coordinator")


@pytest.fixture
def voorzitter(demo_user):
    return demo_user("groningen", "stuurgroep")


def test_a_concept_is_not_vastgesteld_directly(concept, voorzitter, demo_user):
    for user in (voorzitter, demo_user("groningen", "beleid")):
        with pytest.raises(ValidationError, match="Alleen een aangeboden versie"):
            services.vaststellen(user, concept, revisie=concept.revisie)
        with pytest.raises(ValidationError, match="Alleen een aangeboden versie"):
            services.terugsturen(user, concept, revisie=concept.revisie, redenen="x")
    concept.refresh_from_db()
    assert concept.status == "concept"


def test_who_may_take_which_step(concept, coordinator, voorzitter, demo_user):
    partner, raad = demo_user("groningen", "partner"), demo_user("groningen", "raad")
    for user in (partner, raad, voorzitter):
        with pytest.raises(PermissionDenied):
            services.aanbieden(user, concept, revisie=concept.revisie)
    assert services.mag(coordinator, concept, services.AANBIEDEN)
    services.aanbieden(coordinator, concept, revisie=concept.revisie, bericht="  Klaar.  ")
    assert concept.status == "aangeboden" and concept.aanbieding == "Klaar."
    assert concept.aangeboden_door == coordinator and concept.aangeboden_op
    for user in (coordinator, partner, raad):
        for stap in (services.TERUGSTUREN, services.VASTSTELLEN):
            assert isinstance(services.weigering(user, concept, stap), PermissionDenied)
    assert services.mag(voorzitter, concept, services.VASTSTELLEN)
    # Offering twice is refused with the reason.
    refusal = services.weigering(coordinator, concept, services.AANBIEDEN)
    assert isinstance(refusal, ValidationError) and "aangeboden" in refusal.messages[0]


def test_an_aangeboden_version_does_not_change(concept, coordinator, demo_user):
    services.aanbieden(coordinator, concept, revisie=concept.revisie)
    concept.inleiding = "Nog snel iets"
    with pytest.raises(VersieNietBewerkbaar, match="aangeboden aan de stuurgroep"):
        services.save_versie(coordinator, concept, revisie=concept.revisie)
    act = concept.activiteiten.first()
    act.naam = "Anders"
    with pytest.raises(VersieNietBewerkbaar):
        services.save_activiteit(coordinator, act, revisie=concept.revisie)
    with pytest.raises(VersieNietBewerkbaar):
        act.save()  # the model refuses too
    with pytest.raises(ValidationError, match="al een conceptversie"):
        services.bijstellen(demo_user("groningen", "beleid"), concept.bijgesteld_van)


def test_terugsturen_needs_reasons_and_makes_a_concept_again(concept, coordinator, voorzitter,
                                                             demo_user):
    services.aanbieden(coordinator, concept, revisie=concept.revisie)
    with pytest.raises(ValidationError) as exc:
        services.terugsturen(voorzitter, concept, revisie=concept.revisie, redenen="  ")
    assert "redenen" in exc.value.message_dict
    gemeente = concept.gemeente
    assert list(selectors.te_vaststellen(voorzitter, gemeente)) == [concept]
    assert list(selectors.te_vaststellen(demo_user("groningen", "beleid"), gemeente)) == [concept]
    assert not selectors.te_vaststellen(coordinator, gemeente).exists()
    services.terugsturen(voorzitter, concept, revisie=concept.revisie,
                         redenen="De begroting ontbreekt.")
    assert list(selectors.teruggestuurd(coordinator, gemeente)) == [concept]
    assert not selectors.te_vaststellen(voorzitter, gemeente).exists()
    assert concept.status == "concept" and concept.terugstuurreden == "De begroting ontbreekt."
    assert concept.teruggestuurd_door == voorzitter
    concept.inleiding = "Met begroting"
    services.save_versie(coordinator, concept, revisie=concept.revisie)
    concept.refresh_from_db()
    services.aanbieden(coordinator, concept, revisie=concept.revisie)
    services.vaststellen(voorzitter, concept, revisie=concept.revisie)
    assert concept.status == "vastgesteld" and concept.vastgesteld_door == voorzitter
    entries = AuditEntry.objects.filter(content_type__model="wijkplanversie",
                                        object_id=str(concept.pk)).order_by("pk")
    statuses = [((e.before or {}).get("status"), (e.after or {}).get("status"))
                for e in entries]
    steps = [(van, naar) for van, naar in statuses if van != naar]
    # Each step told the people concerned through the outbox, never the one who took it.
    berichten = list(Bericht.objects.filter(object_id=str(concept.pk)).order_by("pk"))
    sent = [(b.kind, b.user.username) for b in berichten]
    assert sent == [
        ("plans.versie_aangeboden", "groningen-stuurgroep"),
        ("plans.versie_teruggestuurd", "groningen-coordinator"),
        ("plans.versie_aangeboden", "groningen-stuurgroep"),
        ("plans.versie_vastgesteld", "groningen-coordinator")]
    assert "De begroting ontbreekt." in berichten[1].body
    # What waits for whom (the attention list): nothing any more.
    assert not selectors.te_vaststellen(voorzitter, concept.gemeente).exists()
    assert not selectors.teruggestuurd(coordinator, concept.gemeente).exists()
    assert berichten[0].url == concept.get_absolute_url()
    assert steps == [(None, "concept"), ("concept", "aangeboden"), ("aangeboden", "concept"),
                     ("concept", "aangeboden"), ("aangeboden", "vastgesteld")]


def test_a_version_without_pijlers_is_not_offered(groningen, demo_user):
    from plans.models import Wijkplan
    from regions.models import Gebied

    beleid = demo_user("groningen", "beleid")
    versie = services.create_wijkplan(beleid, Wijkplan(
        gemeente=groningen, gebied=Gebied.objects.get(gemeente=groningen, naam="Beijum"),
        naam="Leeg", jaar_van=2025, jaar_tot=2026))
    with pytest.raises(ValidationError, match="zonder pijlers"):
        services.aanbieden(beleid, versie, revisie=versie.revisie)


def test_the_pages_offer_send_back_and_vaststellen(concept, client_for):
    g = {"gemeente": "groningen", "pk": concept.pk}
    client = client_for("groningen", "coordinator")
    detail = client.get(concept.get_absolute_url()).content.decode()
    assert "Aanbieden aan de stuurgroep" in detail and "Vaststellen" not in detail
    response = client.post(reverse("plans:versie-aanbieden", kwargs=g),
                           {"revisie": concept.revisie, "bericht": "Wilt u dit vaststellen?"})
    assert response.status_code == 302
    assert client.get(reverse("plans:versie-aanbieden", kwargs=g)).status_code == 403
    client = client_for("groningen", "stuurgroep")
    detail = client.get(concept.get_absolute_url()).content.decode()
    assert "Wilt u dit vaststellen?" in detail and "Terugsturen" in detail
    concept.refresh_from_db()
    response = client.post(reverse("plans:versie-terugsturen", kwargs=g),
                           {"revisie": concept.revisie, "redenen": ""})
    assert response.status_code == 200 and "Controleer wat u invulde" in response.content.decode()
    response = client.post(reverse("plans:versie-terugsturen", kwargs=g),
                           {"revisie": concept.revisie, "redenen": "Pijler Inclusie is leeg."})
    assert response.status_code == 302
    client = client_for("groningen", "coordinator")
    detail = client.get(concept.get_absolute_url()).content.decode()
    assert "Pijler Inclusie is leeg." in detail and "Teruggestuurd op" in detail


def test_the_attention_list_follows_the_steps(concept, coordinator, voorzitter, demo_user):
    """The home page's list: the voorzitter sees an aangeboden version to vaststellen (a
    stuurgroeplid who may not vaststellen does not), the coördinator a concept sent back until
    it is offered again, the raad what was vastgesteld."""
    from core import attention
    from core.models import Membership, Role, User

    gemeente = concept.gemeente
    lid = User.objects.create(username="groningen-stuurgroeplid-2")
    Membership.objects.create(user=lid, gemeente=gemeente, role=Role.STUURGROEPLID,
                              gebied=concept.wijkplan.gebied)
    vaststellen = f"Vaststellen: {concept.wijkplan.naam}, versie {concept.nummer} ({concept.jaar})"
    terug = f"Teruggestuurd door de stuurgroep: {concept.wijkplan.naam}, versie {concept.nummer}"

    def titles(user):
        return [i.title for i in attention.items_for(user, gemeente)]

    assert vaststellen not in titles(voorzitter)  # a concept does not wait for the stuurgroep
    services.aanbieden(coordinator, concept, revisie=concept.revisie)
    [item] = [i for i in attention.items_for(voorzitter, gemeente) if i.title == vaststellen]
    assert item.url == concept.get_absolute_url()
    assert vaststellen not in titles(lid) and vaststellen not in titles(coordinator)

    services.terugsturen(voorzitter, concept, revisie=concept.revisie, redenen="Nog niet.")
    assert terug in titles(coordinator) and vaststellen not in titles(voorzitter)
    services.aanbieden(coordinator, concept, revisie=concept.revisie)
    assert terug not in titles(coordinator) and vaststellen in titles(voorzitter)
    services.vaststellen(voorzitter, concept, revisie=concept.revisie)
    assert vaststellen not in titles(voorzitter)
    assert any(t.startswith(f"Vastgesteld: {concept.wijkplan.naam}, versie {concept.nummer}")
               for t in titles(demo_user("groningen", "raad")))
