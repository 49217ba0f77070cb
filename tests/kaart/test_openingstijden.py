"""Opening hours of a locatie on staff pages: the weekly hours (all or nothing) and days with
other hours; the redacteur always, a partner of the organisatie only while the gemeente lets
opening hours go live at once (KaartInstelling.openingstijden_direct)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import AuditEntry
from kaart import selectors, services
from kaart.models import Aanbod, KaartInstelling, Openingstijd, Uitzondering
from tests.kaart.helpers import aanbod, locatie, organisatie

T = datetime.time


@pytest.fixture
def eigen(groningen):
    """A locatie of the demo partner's organisatie (Kids First), Monday and Wednesday."""
    return locatie(groningen, organisatie(groningen, "Kids First"), naam="Peuterhuis")


@pytest.fixture
def ander(groningen):
    return locatie(groningen, organisatie(groningen, "Jeugdwerk SPT"), naam="Jeugdhonk")


def _url(name, **kwargs):
    return reverse(f"kaart:{name}", kwargs={"gemeente": "groningen", **kwargs})


def _tijden(loc):
    return [(o.weekdag, o.open, o.sluit) for o in Openingstijd.objects.filter(locatie=loc)]


def _week(**dagen):
    """Form data: _week(d1=("09:00", "12:00", "13:00", "17:00")) and every other day empty."""
    data = {f"d{d}_{v}": "" for d in range(1, 8) for v in ("open", "sluit", "open2", "sluit2")}
    for key, tijden in dagen.items():
        for veld, waarde in zip(("open", "sluit", "open2", "sluit2"), tijden, strict=False):
            data[f"{key}_{veld}"] = waarde
    return data


# Services -----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_permission_follows_the_setting(groningen, demo_user, eigen, ander):
    partner, beleid = demo_user("groningen", "partner"), demo_user("groningen", "beleid")
    assert services.mag_openingstijden_wijzigen(beleid, ander)
    assert services.mag_openingstijden_wijzigen(partner, eigen)
    assert not services.mag_openingstijden_wijzigen(partner, ander)
    assert not services.mag_openingstijden_wijzigen(demo_user("groningen", "coordinator"), eigen)
    assert not services.mag_openingstijden_wijzigen(demo_user("assen", "beleid"), eigen)
    instelling = KaartInstelling.voor(groningen)
    instelling.openingstijden_direct = False
    instelling.save()
    assert not services.mag_openingstijden_wijzigen(partner, eigen)
    assert services.mag_openingstijden_wijzigen(beleid, eigen)
    with pytest.raises(PermissionDenied):
        services.zet_openingstijden(partner, eigen, [(2, T(9), T(12))])
    with pytest.raises(PermissionDenied):
        services.save_uitzondering(partner, Uitzondering(
            gemeente=groningen, locatie=eigen, datum=datetime.date(2030, 1, 2)))
    assert _tijden(eigen) == [(1, T(9), T(17)), (3, T(9), T(12))]


@pytest.mark.django_db
def test_overlapping_hours_change_nothing(demo_user, eigen):
    beleid = demo_user("groningen", "beleid")
    with pytest.raises(ValidationError) as exc:
        services.zet_openingstijden(beleid, eigen, [(2, T(9), T(12)), (2, T(11), T(15)),
                                                    (4, T(9), T(12))])
    assert exc.value.messages == ["De tijden op dinsdag overlappen."]
    with pytest.raises(ValidationError):
        services.zet_openingstijden(beleid, eigen, [(2, T(12), T(9))])
    assert _tijden(eigen) == [(1, T(9), T(17)), (3, T(9), T(12))]


@pytest.mark.django_db
def test_new_hours_touch_the_aanbod_and_are_audited(demo_user, eigen):
    a = aanbod(eigen.gemeente, "Peuterspel", org=eigen.organisatie, locaties=[eigen])
    Aanbod.objects.filter(pk=a.pk).update(gewijzigd_op=datetime.datetime(2020, 1, 1,
                                                                        tzinfo=datetime.UTC))
    services.zet_openingstijden(demo_user("groningen", "partner"), eigen,
                                [(6, T(10), T(12)), (2, T(13), T(17)), (2, T(9), T(12))])
    assert _tijden(eigen) == [(2, T(9), T(12)), (2, T(13), T(17)), (6, T(10), T(12))]
    a.refresh_from_db()
    assert a.gewijzigd_op.year > 2020  # HSDS last_modified moves with the locatie
    entry = AuditEntry.objects.filter(object_id=str(eigen.pk)).order_by("-pk").first()
    assert "zaterdag 10:00–12:00" in str(entry.after)


@pytest.mark.django_db
def test_exception_closes_a_day_and_one_per_date(groningen, demo_user, eigen):
    partner = demo_user("groningen", "partner")
    maandag = datetime.date(2030, 4, 29)  # a Monday, open 9-17 as a rule
    moment = datetime.datetime.combine(maandag, T(10))
    assert eigen.open_op(moment)
    u = services.save_uitzondering(partner, Uitzondering(
        gemeente=groningen, locatie=eigen, datum=maandag, gesloten=True, open=T(9),
        sluit=T(12), reden="Studiedag"))
    assert (u.open, u.sluit) == (None, None)  # closed all day: no times kept
    eigen = selectors.locaties(partner, groningen).get(pk=eigen.pk)
    assert not eigen.open_op(moment)
    with pytest.raises(ValidationError) as exc:
        services.save_uitzondering(partner, Uitzondering(
            gemeente=groningen, locatie=eigen, datum=maandag, gesloten=True))
    assert "al een afwijkende openingstijd" in exc.value.messages[0]
    with pytest.raises(ValidationError):  # open, but without times
        services.save_uitzondering(partner, Uitzondering(
            gemeente=groningen, locatie=eigen, datum=maandag + datetime.timedelta(days=1),
            gesloten=False))
    assert Uitzondering.objects.filter(locatie=eigen).count() == 1
    services.delete_uitzondering(partner, u)
    assert not Uitzondering.objects.filter(locatie=eigen).exists()


# Pages --------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_partner_sets_the_week_on_the_page(client_for, eigen):
    client = client_for("groningen", "partner")
    url = _url("locatie-openingstijden", pk=eigen.pk)
    html = client.get(url).content.decode()
    assert "<legend>Maandag</legend>" in html
    assert 'id="id_d1_open" value="09:00"' in html or 'value="09:00"' in html
    response = client.post(url, _week(d2=("08:30", "12:00", "13:00", "17:00"),
                                      d6=("10:00", "12:00")))
    assert response.status_code == 302
    assert _tijden(eigen) == [(2, T(8, 30), T(12)), (2, T(13), T(17)), (6, T(10), T(12))]


@pytest.mark.django_db
def test_bad_input_gives_dutch_errors_and_changes_nothing(client_for, eigen):
    client = client_for("groningen", "beleid")
    url = _url("locatie-openingstijden", pk=eigen.pk)
    cases = [
        (_week(d2=("09:00", "")), "Dinsdag: open tot: Vul ook in tot hoe laat."),
        (_week(d2=("", "12:00")), "Dinsdag: open vanaf: Vul ook in vanaf hoe laat."),
        (_week(d5=("17:00", "09:00")), "De sluitingstijd moet na de openingstijd liggen."),
        (_week(d3=("09:00", "12:00", "11:00", "15:00")), "De tijden op woensdag overlappen."),
        (_week(d1=("9 uur", "12:00")), "Voer een geldige tijd in."),
    ]
    for data, melding in cases:
        response = client.post(url, data)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Controleer wat u invulde" in html and melding in html, melding
        assert _tijden(eigen) == [(1, T(9), T(17)), (3, T(9), T(12))]


@pytest.mark.django_db
def test_partner_of_another_organisatie_and_switched_off_setting(client_for, groningen, eigen,
                                                                  ander):
    client = client_for("groningen", "partner")
    assert client.get(_url("locatie-openingstijden", pk=ander.pk)).status_code == 403
    assert client.post(_url("locatie-openingstijden", pk=ander.pk),
                       _week(d1=("09:00", "10:00"))).status_code == 403
    assert client.post(_url("uitzondering-create", locatie_pk=ander.pk),
                       {"datum": "2030-05-05", "gesloten": "on"}).status_code == 403
    detail = client.get(_url("locatie-detail", pk=ander.pk)).content.decode()
    assert "Openingstijden wijzigen" not in detail
    KaartInstelling.objects.create(gemeente=groningen, openingstijden_direct=False)
    # Days with other hours are not part of a change request: only the redacteur now.
    assert client.get(_url("uitzondering-create", locatie_pk=eigen.pk)).status_code == 403
    assert _tijden(ander) == [(1, T(9), T(17)), (3, T(9), T(12))]
    assert not Uitzondering.objects.exists()


@pytest.mark.django_db
def test_without_direct_hours_a_partner_proposes_and_the_redacteur_decides(
        client_for, demo_user, groningen, eigen):
    from core.models import Bericht
    from kaart.models import Wijzigingsverzoek

    KaartInstelling.objects.create(gemeente=groningen, openingstijden_direct=False)
    client = client_for("groningen", "partner")
    url = _url("locatie-openingstijden", pk=eigen.pk)
    page = client.get(url).content.decode()
    assert "gaat eerst naar de redacteur" in page and "Voorstel versturen" in page
    assert "Afwijkende dag toevoegen" not in page
    # Bad input: Dutch errors, no request.
    html = client.post(url, _week(d2=("09:00", "12:00", "11:00", "13:00"))).content.decode()
    assert "De tijden op dinsdag overlappen." in html
    nothing = client.post(url, _week(d1=("09:00", "17:00"), d3=("09:00", "12:00")))
    assert "U heeft niets gewijzigd." in nothing.content.decode()
    assert not Wijzigingsverzoek.objects.exists()
    response = client.post(url, _week(d1=("09:00", "17:00"), d3=("09:00", "12:00"),
                                      d6=("10:00", "12:00")))
    verzoek = Wijzigingsverzoek.objects.get(locatie=eigen)
    assert response["Location"] == verzoek.get_absolute_url()
    assert verzoek.aanbod is None and str(verzoek) == "Openingstijden van Peuterhuis"
    assert _tijden(eigen) == [(1, T(9), T(17)), (3, T(9), T(12))]  # waits for the redacteur
    assert Bericht.objects.filter(kind="kaart.wijziging", user__username="groningen-beleid",
                                  subject__contains="Peuterhuis").exists()
    lijst = client.get(_url("wijziging-list")).content.decode()
    assert "Peuterhuis" in lijst
    # The redacteur sees the diff and approves: the hours go live.
    beleid = client_for("groningen", "beleid")
    page = beleid.get(verzoek.get_absolute_url()).content.decode()
    assert ("<th scope=\"row\">Openingstijden op zaterdag</th><td><del>gesloten</del></td>"
            "<td><ins>10:00–12:00</ins></td>") in page
    assert "op maandag" not in page  # unchanged days are left out
    beleid.post(verzoek.get_absolute_url(), {"goedkeuren": "1"})
    verzoek.refresh_from_db()
    assert verzoek.status == Wijzigingsverzoek.Status.GOEDGEKEURD
    assert _tijden(eigen) == [(1, T(9), T(17)), (3, T(9), T(12)), (6, T(10), T(12))]
    # A second proposal is returned with a reason: nothing changes.
    client = client_for("groningen", "partner")
    client.post(url, _week(d1=("08:00", "17:00")))
    tweede = Wijzigingsverzoek.objects.filter(locatie=eigen).latest("pk")
    with pytest.raises(PermissionDenied):
        services.keur_wijziging_goed(demo_user("groningen", "partner"), tweede)
    services.stuur_wijziging_terug(demo_user("groningen", "beleid"), tweede, "Klopt niet.")
    assert _tijden(eigen) == [(1, T(9), T(17)), (3, T(9), T(12)), (6, T(10), T(12))]
    # Another organisation's partner may not even propose.
    with pytest.raises(PermissionDenied):
        services.wijzig_openingstijden(demo_user("assen", "partner"), eigen, [])


@pytest.mark.django_db
def test_exception_pages(client_for, eigen):
    client = client_for("groningen", "partner")
    create = _url("uitzondering-create", locatie_pk=eigen.pk)
    response = client.post(create, {"datum": "2030-04-27", "gesloten": "on",
                                    "reden": "Koningsdag"})
    assert response.status_code == 302
    u = Uitzondering.objects.get(locatie=eigen)
    assert response["Location"] == _url("locatie-openingstijden", pk=eigen.pk)
    page = client.get(response["Location"]).content.decode()
    assert "Koningsdag" in page and "zaterdag 27 april 2030" in page
    # Same date again, and open without times: Dutch errors, nothing added.
    again = client.post(create, {"datum": "2030-04-27", "gesloten": "on"}).content.decode()
    assert "Voor deze datum is al een afwijkende openingstijd" in again
    geen_tijd = client.post(create, {"datum": "2030-04-28", "reden": "x"}).content.decode()
    assert "Vul de openingstijden van deze dag in" in geen_tijd
    assert Uitzondering.objects.filter(locatie=eigen).count() == 1
    # Other hours on that day instead of closed.
    response = client.post(_url("uitzondering-update", pk=u.pk), {
        "datum": "2030-04-27", "open": "10:00", "sluit": "14:00", "reden": "Koningsdag"})
    assert response.status_code == 302
    u.refresh_from_db()
    assert (u.gesloten, u.open, u.sluit) == (False, T(10), T(14))
    assert client.post(_url("uitzondering-delete", pk=u.pk)).status_code == 302
    assert not Uitzondering.objects.filter(locatie=eigen).exists()


@pytest.mark.django_db
def test_reachable_from_the_aanbod_and_locatie_pages(client_for, eigen, ander):
    a = aanbod(eigen.gemeente, "Peuterspel", org=eigen.organisatie, locaties=[eigen, ander])
    partner = client_for("groningen", "partner").get(_url("aanbod-detail", pk=a.pk))
    html = partner.content.decode()
    assert _url("locatie-openingstijden", pk=eigen.pk) in html
    assert _url("locatie-openingstijden", pk=ander.pk) not in html
    beleid = client_for("groningen", "beleid").get(_url("aanbod-detail", pk=a.pk))
    assert _url("locatie-openingstijden", pk=ander.pk) in beleid.content.decode()
    coordinator = client_for("groningen", "coordinator").get(_url("locatie-detail", pk=eigen.pk))
    assert _url("locatie-openingstijden", pk=eigen.pk) not in coordinator.content.decode()


@pytest.mark.django_db
def test_csrf_is_required(demo_user, eigen):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(demo_user("groningen", "beleid"))
    response = client.post(_url("locatie-openingstijden", pk=eigen.pk),
                           _week(d1=("09:00", "10:00")))
    assert response.status_code == 403
    assert _tijden(eigen) == [(1, T(9), T(17)), (3, T(9), T(12))]
