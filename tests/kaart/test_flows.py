"""Providers keep the kaart current: change requests, the one-click check link, public reports,
and the freshness tiers on every page."""

import datetime
import time

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from kaart import selectors, services, versheid
from kaart.models import Aanbod, KaartInstelling, Melding, Wijzigingsverzoek
from tests.kaart.helpers import aanbod, organisatie


@pytest.fixture
def eigen(groningen):
    """An aanbod of the demo partner's organisatie (Kids First)."""
    return aanbod(groningen, "Peuterochtend", org=organisatie(groningen, "Kids First"),
                  telefoon="050 123 4567")


@pytest.fixture
def ander(groningen):
    return aanbod(groningen, "Jeugdwerkavond", org=organisatie(groningen, "Jeugdwerk SPT"))


@pytest.mark.django_db
def test_partner_proposes_redacteur_approves_with_diff(client_for, demo_user, eigen):
    client = client_for("groningen", "partner")
    url = reverse("kaart:aanbod-wijzigen", kwargs={"gemeente": "groningen", "pk": eigen.pk})
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "id"}
    data.update({f"{p}_{u}": form.fields[f"{p}_{u}"].initial for p in ("van", "tot")
                 for u in ("jaren", "maanden")})
    data.update(naam="Peuterochtend met voorlezen", telefoon="050 765 4321")
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    eigen.refresh_from_db()
    # Phone went live at once (default setting); the name waits for the redacteur.
    assert eigen.telefoon == "050 765 4321" and eigen.naam == "Peuterochtend"
    verzoek = Wijzigingsverzoek.objects.get(aanbod=eigen)
    assert verzoek.voorstel == {"naam": "Peuterochtend met voorlezen"}
    page = client.get(verzoek.get_absolute_url()).content.decode()
    assert "<del>Peuterochtend</del>" in page and "<ins>Peuterochtend met voorlezen</ins>" in page

    with pytest.raises(PermissionDenied):
        services.keur_wijziging_goed(demo_user("groningen", "partner"), verzoek)
    beleid = client_for("groningen", "beleid")
    beleid.post(verzoek.get_absolute_url(), {"goedkeuren": "1"})
    eigen.refresh_from_db()
    assert eigen.naam == "Peuterochtend met voorlezen"
    assert selectors.zoek(Aanbod.objects.filter(pk=eigen.pk), eigen.gemeente,
                          selectors.Zoekvraag(tekst="voorlezen")).exists()
    with pytest.raises(ValidationError):
        services.keur_wijziging_goed(demo_user("groningen", "beleid"), verzoek)


@pytest.mark.django_db
def test_phone_waits_when_the_gemeente_says_so(groningen, demo_user, eigen):
    KaartInstelling.objects.create(gemeente=groningen, telefoon_direct=False)
    verzoek = services.dien_wijziging_in(demo_user("groningen", "partner"), eigen,
                                         {"telefoon": "06 1234 5678"})
    eigen.refresh_from_db()
    assert eigen.telefoon == "050 123 4567" and verzoek.voorstel == {"telefoon": "06 1234 5678"}
    services.stuur_wijziging_terug(demo_user("groningen", "beleid"), verzoek, "Nummer onbekend")
    verzoek.refresh_from_db()
    assert verzoek.status == "teruggestuurd" and verzoek.reden == "Nummer onbekend"
    with pytest.raises(ValidationError):
        services.stuur_wijziging_terug(demo_user("groningen", "beleid"), verzoek, "")


@pytest.mark.django_db
def test_partner_proposes_only_for_own_organisatie(demo_user, ander, client_for):
    with pytest.raises(PermissionDenied):
        services.dien_wijziging_in(demo_user("groningen", "partner"), ander, {"naam": "X"})
    client = client_for("groningen", "partner")
    url = reverse("kaart:aanbod-wijzigen", kwargs={"gemeente": "groningen", "pk": ander.pk})
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_invalid_proposal_changes_nothing(demo_user, eigen):
    with pytest.raises(ValidationError):
        services.dien_wijziging_in(demo_user("groningen", "partner"), eigen,
                                   {"telefoon": "050 000", "leeftijd_van": 100,
                                    "leeftijd_tot": 10})
    eigen.refresh_from_db()
    assert eigen.telefoon == "050 123 4567"
    assert not Wijzigingsverzoek.objects.filter(aanbod=eigen).exists()


@pytest.mark.django_db
def test_check_link_does_one_thing_once(client, groningen, eigen, ander):
    token = services.controlelink_token(eigen, services.KLOPT)
    url = reverse("kaart:publiek-klopt-nog", kwargs={"gemeente": "groningen", "token": token})
    assert client.get(url).status_code == 200
    assert Aanbod.objects.get(pk=eigen.pk).gecontroleerd_op is None  # GET changes nothing
    assert client.post(url).status_code == 200
    eigen.refresh_from_db()
    ander.refresh_from_db()
    assert eigen.gecontroleerd_op == timezone.localdate()
    assert ander.gecontroleerd_op is None
    assert eigen.controle_voor == versheid.plus_maanden(timezone.localdate(), 6)
    # Used: the same link now refuses, also for the other purpose's page.
    assert client.post(url).status_code == 404
    wrong_purpose = reverse("kaart:publiek-wijzigen",
                            kwargs={"gemeente": "groningen", "token": token})
    assert client.get(wrong_purpose).status_code == 404
    assert client.get(reverse("kaart:publiek-klopt-nog", kwargs={
        "gemeente": "groningen", "token": token[:-2] + "xx"})).status_code == 404


@pytest.mark.django_db
def test_check_link_expires(client, groningen, eigen, monkeypatch):
    data = signing.loads(services.controlelink_token(eigen, services.KLOPT),
                         salt=services.LINK_SALT)
    # The same payload signed 31 days ago (the link lives 30 days).
    monkeypatch.setattr(time, "time", lambda real=time.time: real() - 31 * 86400)
    token = signing.dumps(data, salt=services.LINK_SALT, compress=True)
    monkeypatch.undo()
    url = reverse("kaart:publiek-klopt-nog", kwargs={"gemeente": "groningen", "token": token})
    response = client.get(url)
    assert response.status_code == 404 and "verlopen" in response.content.decode()


@pytest.mark.django_db
def test_wijzigen_link_makes_a_request_without_login(client, groningen, eigen):
    token = services.controlelink_token(eigen, services.WIJZIGEN)
    url = reverse("kaart:publiek-wijzigen", kwargs={"gemeente": "groningen", "token": token})
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "id"}
    data.update({f"{p}_{u}": form.fields[f"{p}_{u}"].initial for p in ("van", "tot")
                 for u in ("jaren", "maanden")})
    data["korte_beschrijving"] = "Spelen en voorlezen voor peuters."
    assert client.post(url, data).status_code == 200
    verzoek = Wijzigingsverzoek.objects.get(aanbod=eigen)
    assert verzoek.ingediend_door is None
    assert verzoek.voorstel == {"korte_beschrijving": "Spelen en voorlezen voor peuters."}


@pytest.mark.django_db
def test_report_lowers_tier_and_is_answered(client, client_for, groningen, eigen):
    instelling = KaartInstelling.voor(groningen)
    assert versheid.niveau(eigen, instelling) == versheid.ACTUEEL
    url = reverse("kaart:publiek-melden", kwargs={"gemeente": "groningen", "pk": eigen.pk})
    response = client.post(url, {"tekst": "Op woensdag is het dicht.", "email": "a@example.org"})
    assert response.status_code == 302
    melding = Melding.objects.get(aanbod=eigen)
    assert melding.antwoord_voor == services.werkdagen_later(timezone.localdate(), 10)
    a = selectors.met_details(Aanbod.objects.filter(pk=eigen.pk)).get()
    assert versheid.niveau(a, instelling, open_meldingen=a.n_open_meldingen) == \
        versheid.CONTROLE_NODIG
    partner = client_for("groningen", "partner")
    partner.post(melding.get_absolute_url(), {"antwoord": "Klopt, aangepast."})
    melding.refresh_from_db()
    assert melding.status == "beantwoord" and melding.email == ""


@pytest.mark.django_db
def test_report_form_is_rate_limited(client, eigen):
    url = reverse("kaart:publiek-melden", kwargs={"gemeente": "groningen", "pk": eigen.pk})
    statuses = [client.post(url, {"tekst": "Dit klopt niet meer."}).status_code
                for _ in range(12)]
    assert statuses[:10] == [302] * 10 and statuses[-1] == 429


def test_workdays_skip_weekends():
    friday = datetime.date(2026, 12, 4)
    assert services.werkdagen_later(friday, 1) == datetime.date(2026, 12, 7)
    assert services.werkdagen_later(friday, 10) == datetime.date(2026, 12, 18)


@pytest.mark.django_db
def test_stale_aanbod_leaves_public_kaart_but_not_professionals(client, client_for, groningen):
    oud = timezone.localdate() - datetime.timedelta(days=19 * 31)
    stale = aanbod(groningen, "Oude knutselclub", aangemaakt_op=oud,
                   controle_voor=versheid.plus_maanden(oud, 6))
    midden = aanbod(groningen, "Halfoude knutselclub",
                    aangemaakt_op=timezone.localdate() - datetime.timedelta(days=200))
    public = client.get(reverse("kaart:publiek-zoeken", kwargs={"gemeente": "groningen"}),
                        {"q": "knutselclub"}).content.decode()
    assert "Halfoude knutselclub" in public and "Oude knutselclub" not in public
    assert "Controle nodig" in public
    assert client.get(stale.get_public_url()).status_code == 404
    staff = client_for("groningen", "raad").get(
        reverse("kaart:aanbod-list", kwargs={"gemeente": "groningen"}),
        {"q": "knutselclub"}).content.decode()
    assert "Oude knutselclub" in staff and "Verouderd" in staff
    # The professional cards link to the aanbod's staff page, the public ones to its public page.
    assert f'href="{stale.get_absolute_url()}"' in staff
    assert f'href="{midden.get_public_url()}"' in public


@pytest.mark.django_db
def test_explicit_check_only_through_service(client_for, groningen, eigen):
    services.save_aanbod(None, eigen, check_permission=False)
    eigen.refresh_from_db()
    assert eigen.gecontroleerd_op is None  # a change is no check
    client = client_for("groningen", "partner")
    url = reverse("kaart:aanbod-controleren", kwargs={"gemeente": "groningen", "pk": eigen.pk})
    client.post(url)
    eigen.refresh_from_db()
    assert eigen.gecontroleerd_op == timezone.localdate()
