"""Keeping the activiteitenladder on staff pages: the redacteur adds, changes and removes any
activity; a partner only those of their own organisation (Kids First in the demo); the
holiday calendar is the redacteur's. The iCal feed and the PDF follow what was saved."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from core import policy
from kaart import ladder
from kaart.models import Aanbod, Ladderactiviteit, Schoolvakantie
from network.models import Organisatie

JAAR = ladder.huidig_schooljaar()


@pytest.fixture
def tuinwijk(groningen):
    return Organisatie.objects.get(gemeente=groningen, naam="OBS De Tuinwijk (demo)")


@pytest.fixture
def pendinghe(groningen):
    return Organisatie.objects.get(gemeente=groningen, naam="Pendinghe")


def _url(name, **kwargs):
    return reverse(f"kaart:{name}", kwargs={"gemeente": "groningen", **kwargs})


def _data(aanbieder, **extra):
    data = {"naam": "Schaakclub", "aanbieder": aanbieder.pk, "aanbod": "", "locatie": "Aula",
            "weekdag": "5", "begin": "15:00", "eind": "16:00", "groep_van": "5",
            "groep_tot": "8", "plaatsen": "12", "bezet": "3", "prijs": "20.00", "korting": "50"}
    data.update(extra)
    return data


@pytest.mark.django_db
def test_partner_may_only_keep_their_own_activities(demo_user, groningen, tuinwijk):
    partner = demo_user("groningen", "partner")  # Kids First
    eigen = Ladderactiviteit.objects.get(school=tuinwijk, naam="Peuter- en kleuterspel")
    ander = Ladderactiviteit.objects.get(school=tuinwijk, naam="Theaterles")
    assert policy.can(partner, policy.CHANGE, eigen) and policy.can(partner, policy.DELETE, eigen)
    assert not policy.can(partner, policy.CHANGE, ander)
    assert not policy.can(partner, policy.DELETE, ander)
    assert policy.can(demo_user("groningen", "beleid"), policy.DELETE, ander)
    assert not policy.can(demo_user("groningen", "coordinator"), policy.CHANGE, eigen)


@pytest.mark.django_db
def test_redacteur_adds_an_activity_it_shows_in_grid_ical_and_pdf(client_for, groningen,
                                                                  pendinghe):
    client = client_for("groningen", "beleid")
    jeugdwerk = Organisatie.objects.get(gemeente=groningen, naam="Jeugdwerk SPT")
    url = _url("ladderactiviteit-create", school_pk=pendinghe.pk) + f"?jaar={JAAR.code}"
    form = client.get(url).content.decode()
    assert "<legend>Wanneer</legend>" in form and 'type="time"' in form
    weekdag = form[form.index('name="weekdag"'):]
    weekdag = weekdag[:weekdag.index("</select>")]
    assert "vrijdag" in weekdag and "zaterdag" not in weekdag  # an after-school ladder
    huiswerk = Aanbod.objects.get(gemeente=groningen, naam="Huiswerkbegeleiding")
    response = client.post(url, _data(jeugdwerk, aanbod=huiswerk.pk))
    assert response.status_code == 302
    nieuw = Ladderactiviteit.objects.get(school=pendinghe, naam="Schaakclub")
    assert nieuw.aanbod == huiswerk
    assert (nieuw.schooljaar, nieuw.weekdag, nieuw.vrij, str(nieuw.prijs_met_korting)) == (
        JAAR, 5, 9, "10.00")
    assert response["Location"] == nieuw.get_absolute_url()
    grid = client.get(response["Location"]).content.decode()
    assert "Schaakclub" in grid and "9 van 12" in grid
    feed = client.get(reverse("kaart:publiek-ladder-ical", kwargs={
        "gemeente": "groningen", "pk": pendinghe.pk}) + f"?jaar={JAAR.code}")
    summaries = [str(e["summary"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")]
    assert "Schaakclub (Jeugdwerk SPT)" in summaries
    pdf = client.get(reverse("kaart:publiek-ladder-pdf", kwargs={
        "gemeente": "groningen", "pk": pendinghe.pk}) + f"?jaar={JAAR.code}")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    # The gaps page: Friday now has groups 5-8 at Pendinghe.
    rows = {r["school"].pk: r for r in ladder.gaten(groningen, JAAR)}
    vrijdag = next(d for d in rows[pendinghe.pk]["dagen"] if d["dag"] == 5)
    assert vrijdag["groepen_zonder"] == [1, 2, 3, 4]


@pytest.mark.django_db
def test_bad_input_gives_dutch_errors_and_saves_nothing(client_for, groningen, pendinghe):
    client = client_for("groningen", "beleid")
    jeugdwerk = Organisatie.objects.get(gemeente=groningen, naam="Jeugdwerk SPT")
    url = _url("ladderactiviteit-create", school_pk=pendinghe.pk) + f"?jaar={JAAR.code}"
    cases = [
        ({"eind": "14:00"}, "De activiteit moet eindigen na het begin."),
        ({"groep_van": "6", "groep_tot": "3"}, "&#x27;Tot en met groep&#x27; moet na"),
        ({"bezet": "13"}, "Er zijn meer plaatsen bezet dan er zijn."),
        ({"groep_tot": "9"}, "hoogstens 8"),
        ({"korting": "120"}, "hoogstens 100"),
        ({"weekdag": "6"}, "Selecteer een geldige keuze"),
        ({"aanbod": Aanbod.objects.get(gemeente=groningen, naam="Opvoedspreekuur").pk},
         "Kies een aanbod van deze aanbieder"),
    ]
    voor = Ladderactiviteit.objects.count()
    for extra, melding in cases:
        response = client.post(url, _data(jeugdwerk, **extra))
        assert response.status_code == 200, extra
        html = response.content.decode()
        assert "Controleer wat u invulde" in html and melding in html, (extra, melding)
    assert Ladderactiviteit.objects.count() == voor


@pytest.mark.django_db
def test_partner_adds_changes_and_removes_only_their_own(client_for, groningen, tuinwijk):
    client = client_for("groningen", "partner")
    kids_first = Organisatie.objects.get(gemeente=groningen, naam="Kids First")
    jeugdwerk = Organisatie.objects.get(gemeente=groningen, naam="Jeugdwerk SPT")
    url = _url("ladderactiviteit-create", school_pk=tuinwijk.pk) + f"?jaar={JAAR.code}"
    form = client.get(url).content.decode()
    assert f'<option value="{kids_first.pk}"' in form
    assert f'<option value="{jeugdwerk.pk}"' not in form
    # Another organisation as provider: refused as a form error, nothing saved.
    html = client.post(url, _data(jeugdwerk)).content.decode()
    assert "Selecteer een geldige keuze" in html
    assert not Ladderactiviteit.objects.filter(naam="Schaakclub").exists()
    assert client.post(url, _data(kids_first)).status_code == 302
    eigen = Ladderactiviteit.objects.get(naam="Schaakclub")
    # The partner's page shows edit links for their own rows only.
    grid = client.get(eigen.get_absolute_url()).content.decode()
    assert _url("ladderactiviteit-update", pk=eigen.pk) in grid
    theater = Ladderactiviteit.objects.get(school=tuinwijk, naam="Theaterles")
    assert _url("ladderactiviteit-update", pk=theater.pk) not in grid
    assert client.get(_url("ladderactiviteit-update", pk=theater.pk)).status_code == 403
    assert client.post(_url("ladderactiviteit-delete", pk=theater.pk)).status_code == 403
    # Moving their own activity to another provider is refused too.
    html = client.post(_url("ladderactiviteit-update", pk=eigen.pk),
                       _data(jeugdwerk, bezet="5")).content.decode()
    assert "Selecteer een geldige keuze" in html
    eigen.refresh_from_db()
    assert (eigen.aanbieder_id, eigen.bezet) == (kids_first.pk, 3)
    assert client.post(_url("ladderactiviteit-update", pk=eigen.pk),
                       _data(kids_first, bezet="11")).status_code == 302
    eigen.refresh_from_db()
    assert eigen.vrij == 1
    assert client.post(_url("ladderactiviteit-delete", pk=eigen.pk)).status_code == 302
    assert not Ladderactiviteit.objects.filter(pk=eigen.pk).exists()
    assert Ladderactiviteit.objects.filter(pk=theater.pk).exists()


@pytest.mark.django_db
def test_school_of_another_gemeente_or_not_a_school_is_404(client_for, groningen, assen):
    client = client_for("groningen", "beleid")
    assen_org = Organisatie.objects.filter(gemeente=assen).first()
    jgz = Organisatie.objects.get(gemeente=groningen, naam="JGZ Groningen")
    for org in (assen_org, jgz):
        assert client.get(_url("ladderactiviteit-create", school_pk=org.pk)).status_code == 404


@pytest.mark.django_db
def test_redacteur_edits_the_holiday_calendar_and_the_feed_follows(client_for, groningen,
                                                                  pendinghe):
    client = client_for("groningen", "beleid")
    lijst = client.get(_url("schoolvakantie-list") + f"?jaar={JAAR.code}").content.decode()
    assert "Regio Noord" in lijst and "de regio van deze gemeente" in lijst
    assert "Herfstvakantie" in lijst
    herfst = Schoolvakantie.objects.get(gemeente=groningen, schooljaar=JAAR,
                                        naam="Herfstvakantie")
    knutsel = Ladderactiviteit.objects.get(school=pendinghe, naam="Knutselclub")  # Wednesday
    woensdag = herfst.van + datetime.timedelta(days=(3 - herfst.van.isoweekday()) % 7)
    assert woensdag not in ladder.data_van(knutsel, ladder.vrije_dagen(groningen, JAAR))
    # The gemeente's schools take the autumn break a week later.
    later = {"naam": "Herfstvakantie", "regio": "noord",
             "van": (herfst.van + datetime.timedelta(days=7)).isoformat(),
             "tot": (herfst.tot + datetime.timedelta(days=7)).isoformat()}
    assert client.post(_url("schoolvakantie-update", pk=herfst.pk), later).status_code == 302
    vrij = ladder.vrije_dagen(groningen, JAAR)
    assert woensdag not in vrij and woensdag in ladder.data_van(knutsel, vrij)
    assert woensdag + datetime.timedelta(days=7) not in ladder.data_van(knutsel, vrij)
    # Bad dates: Dutch errors, nothing changes.
    for data, melding in (({**later, "tot": herfst.van.isoformat()},
                           "De laatste dag ligt voor de eerste."),
                          ({**later, "van": (JAAR.end + datetime.timedelta(days=3)).isoformat(),
                            "tot": (JAAR.end + datetime.timedelta(days=5)).isoformat()},
                           "ligt niet in schooljaar")):
        html = client.post(_url("schoolvakantie-update", pk=herfst.pk), data).content.decode()
        assert "Controleer wat u invulde" in html and melding in html
    herfst.refresh_from_db()
    assert herfst.van.isoformat() == later["van"]
    # A new holiday of another region does not touch this gemeente's ladder.
    response = client.post(_url("schoolvakantie-create") + f"?jaar={JAAR.code}", {
        "naam": "Studieweek", "regio": "zuid", "van": woensdag.isoformat(),
        "tot": woensdag.isoformat()})
    assert response.status_code == 302
    assert Schoolvakantie.objects.get(naam="Studieweek").schooljaar == JAAR
    assert woensdag not in ladder.vrije_dagen(groningen, JAAR)
    assert client.post(_url("schoolvakantie-delete", pk=herfst.pk)).status_code == 302
    assert not Schoolvakantie.objects.filter(pk=herfst.pk).exists()


@pytest.mark.django_db
def test_only_the_redacteur_edits_holidays(client_for, groningen):
    herfst = Schoolvakantie.objects.filter(gemeente=groningen).first()
    client = client_for("groningen", "partner")
    assert client.get(_url("schoolvakantie-list")).status_code == 200
    assert client.post(_url("schoolvakantie-update", pk=herfst.pk),
                       {"naam": "Weg", "regio": "noord", "van": "2030-01-01",
                        "tot": "2030-01-02"}).status_code == 403
    assert client.post(_url("schoolvakantie-delete", pk=herfst.pk)).status_code == 403
    assert Schoolvakantie.objects.filter(pk=herfst.pk, naam=herfst.naam).exists()


@pytest.mark.django_db
def test_csrf_is_required(demo_user, groningen, pendinghe):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(demo_user("groningen", "beleid"))
    jeugdwerk = Organisatie.objects.get(gemeente=groningen, naam="Jeugdwerk SPT")
    url = _url("ladderactiviteit-create", school_pk=pendinghe.pk) + f"?jaar={JAAR.code}"
    assert client.post(url, _data(jeugdwerk)).status_code == 403
    herfst = Schoolvakantie.objects.filter(gemeente=groningen).first()
    assert client.post(_url("schoolvakantie-delete", pk=herfst.pk)).status_code == 403
    assert not Ladderactiviteit.objects.filter(naam="Schaakclub").exists()
    assert Schoolvakantie.objects.filter(pk=herfst.pk).exists()
