"""The election's lifecycle (phases, dates, term), the jury, the shortlist, candidate pages."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from participation import selectors, services
from participation.models import Aanmelding, Fase, JuryScore, Kandidaat, Verkiezing
from tests.participation import helpers
from tests.participation.media import MP4_HEAD, png_bytes

pytestmark = pytest.mark.django_db


def form_values(jaar=2031, **overrides):
    values = {
        "jaar": jaar, "toelichting": "Word kinderburgemeester!",
        "aanmelding_start": f"{jaar}-03-02", "aanmelding_eind": f"{jaar}-03-27",
        "jury_eind": f"{jaar}-04-17", "stemmen_start": f"{jaar}-05-18T08:00",
        "stemmen_eind": f"{jaar}-05-29T17:00", "uitslag_datum": f"{jaar}-06-01",
        "installatie_datum": f"{jaar}-09-24", "installatie_vergadering": "Raadsvergadering",
        "kanaal_codes": "on",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def test_beleidsmedewerker_creates_and_edits_an_election(client_for, groningen):
    client = client_for("groningen", "beleid")
    response = client.post(reverse("participation:verkiezing-create",
                                   kwargs={"gemeente": "groningen"}), form_values())
    assert response.status_code == 302
    v = Verkiezing.objects.get(gemeente=groningen, jaar=2031)
    assert v.stemmen_start == timezone.make_aware(datetime.datetime(2031, 5, 18, 8))
    assert v.termijn_start == datetime.date(2031, 9, 24)
    assert v.termijn_eind == datetime.date(2032, 9, 23)  # one year
    assert len(v.pepper) == 64
    edit = reverse("participation:verkiezing-update", kwargs={"gemeente": "groningen",
                                                              "pk": v.pk})
    assert client.post(edit, form_values(kanaal_email="on")).status_code == 302
    v.refresh_from_db()
    assert v.kanaal_email
    entries = AuditEntry.objects.filter(object_id=str(v.pk), content_type__model="verkiezing")
    assert {e.action for e in entries} == {"create", "update"}


@pytest.mark.parametrize("overrides,field,melding", [
    ({"installatie_datum": "2031-10-01"}, "installatie_datum", "in september"),
    ({"aanmelding_eind": "2031-02-01"}, "aanmelding_eind", "stopt na de start"),
    ({"stemmen_eind": "2031-05-18T07:00"}, "stemmen_eind", "stopt na de start"),
    ({"stemmen_start": "2031-04-01T08:00"}, "stemmen_start", "na de keuze van de jury"),
    ({"kanaal_codes": None}, "kanaal_codes", "minstens één manier"),
    ({"installatie_datum": "2032-09-22"}, "installatie_datum", "jaar van de verkiezing"),
])
def test_dates_must_make_sense(client_for, groningen, overrides, field, melding):
    client = client_for("groningen", "beleid")
    response = client.post(reverse("participation:verkiezing-create",
                                   kwargs={"gemeente": "groningen"}),
                           form_values(**overrides))
    assert response.status_code == 200
    assert melding in str(response.context["form"].errors[field])
    assert not Verkiezing.objects.filter(gemeente=groningen, jaar=2031).exists()


def test_one_election_per_year(groningen):
    helpers.verkiezing(groningen, "aanmelding", jaar=2040)
    with pytest.raises(ValidationError):
        helpers.verkiezing(groningen, "jury", jaar=2040)


def test_phases_follow_the_dates(groningen):
    v = helpers.verkiezing(groningen, "stemmen")
    moments = {
        Fase.VOORBEREIDING: v.aanmelding_start - datetime.timedelta(days=1),
        Fase.AANMELDING: v.aanmelding_eind,
        Fase.JURY: v.jury_eind,
        Fase.CAMPAGNE: v.jury_eind + datetime.timedelta(days=1),
        Fase.UITSLAG: v.uitslag_datum,
        Fase.TERMIJN: v.installatie_datum,
        Fase.AFGELOPEN: v.termijn_eind + datetime.timedelta(days=1),
    }
    for fase, day in moments.items():
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        if fase == Fase.CAMPAGNE:
            moment = min(moment, v.stemmen_start - datetime.timedelta(minutes=1))
        assert v.fase(moment) == fase, fase
    assert v.fase(v.stemmen_start) == Fase.STEMMEN
    assert v.fase(v.stemmen_eind - datetime.timedelta(seconds=1)) == Fase.STEMMEN
    assert v.fase(v.stemmen_eind) == Fase.UITSLAG


def test_demo_election_is_sensible_today(groningen):
    """The demo is dated relative to the day it was loaded: voting is open now, and the
    previous kinderburgemeester is in office."""
    now = timezone.now()
    current = selectors.huidige_verkiezing(groningen)
    assert current.fase(now) == Fase.STEMMEN
    assert current.installatie_datum.month == 9 and current.kandidaten.count() == 5
    previous = Verkiezing.objects.filter(gemeente=groningen).exclude(pk=current.pk).get()
    assert previous.fase(now) == Fase.TERMIJN and previous.uitslag is not None


# Jury ------------------------------------------------------------------------------------------

@pytest.fixture
def jury_phase(groningen):
    v = helpers.verkiezing(groningen, "jury")
    apps = [helpers.aanmelding(v, f"Kind {i}") for i in range(1, 8)]
    return v, apps


def test_juror_scores_on_the_published_criteria(jury_phase, client_for, demo_user):
    v, apps = jury_phase
    c1, c2 = v.criteria.all()
    client = client_for("groningen", "jury")
    url = reverse("participation:aanmelding-detail", kwargs={"gemeente": "groningen",
                                                             "pk": apps[0].pk})
    page = client.get(url).content.decode()
    assert "Motivatie" in page and "Ideeën" in page
    response = client.post(url, {f"c{c1.pk}": "4", f"c{c2.pk}": "5"})
    assert response.status_code == 302
    jury = demo_user("groningen", "jury")
    assert dict(JuryScore.objects.filter(aanmelding=apps[0], jurylid=jury).values_list(
        "criterium__naam", "score")) == {"Motivatie": 4, "Ideeën": 5}
    # Changing a score updates it; a score outside 1-5 is refused.
    client.post(url, {f"c{c1.pk}": "2", f"c{c2.pk}": "5"})
    assert JuryScore.objects.get(aanmelding=apps[0], criterium=c1).score == 2
    bad = client.post(url, {f"c{c1.pk}": "6", f"c{c2.pk}": "5"})
    assert bad.status_code == 200 and JuryScore.objects.get(criterium=c1,
                                                             aanmelding=apps[0]).score == 2


def test_only_jurors_score(jury_phase, client_for, demo_user):
    v, apps = jury_phase
    c1 = v.criteria.first()
    url = reverse("participation:aanmelding-detail", kwargs={"gemeente": "groningen",
                                                             "pk": apps[0].pk})
    assert client_for("groningen", "beleid").post(url, {f"c{c1.pk}": "3"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.geef_scores(demo_user("groningen", "beleid"), apps[0], {c1: 3})
    assert not JuryScore.objects.filter(aanmelding=apps[0]).exists()


def test_ranking_and_the_shortlist_of_exactly_five(jury_phase, client_for, demo_user):
    v, apps = jury_phase
    jury = demo_user("groningen", "jury")
    for i, a in enumerate(apps):  # Kind 1 best ... Kind 7 worst
        services.geef_scores(jury, a, {c: max(1, 5 - i // 2) for c in v.criteria.all()})
    ranking = selectors.ranking(v)
    assert [a.voornaam for a in ranking][:2] == ["Kind 1", "Kind 2"]
    assert ranking[0].gemiddelde == 5 and ranking[-1].gemiddelde == 2

    client = client_for("groningen", "beleid")
    url = reverse("participation:shortlist", kwargs={"gemeente": "groningen", "pk": v.pk})
    form = client.get(url).context["form"]
    assert set(form.initial["aanmeldingen"]) == {a.pk for a in apps[:5]}  # the jury's top 5
    four = client.post(url, {"aanmeldingen": [a.pk for a in apps[:4]]})
    assert four.status_code == 200 and "precies 5" in four.content.decode()
    six = client.post(url, {"aanmeldingen": [a.pk for a in apps[:6]]})
    assert six.status_code == 200 and not Kandidaat.objects.filter(verkiezing=v).exists()

    chosen = [apps[0], apps[1], apps[2], apps[3], apps[6]]  # the beleidsmedewerker may differ
    assert client.post(url, {"aanmeldingen": [a.pk for a in chosen]}).status_code == 302
    kandidaten = list(selectors.kandidaten(v))
    assert [k.nummer for k in kandidaten] == [1, 2, 3, 4, 5]
    assert {k.aanmelding_id for k in kandidaten} == {a.pk for a in chosen}
    statuses = dict(Aanmelding.objects.filter(verkiezing=v).values_list("voornaam", "status"))
    assert statuses["Kind 5"] == statuses["Kind 6"] == Aanmelding.Status.NIET_GEKOZEN
    assert statuses["Kind 7"] == Aanmelding.Status.KANDIDAAT
    with pytest.raises(ValidationError):  # once only
        services.bevestig_kandidaten(demo_user("groningen", "beleid"), v, chosen)
    with pytest.raises(ValidationError):  # scores are fixed now
        services.geef_scores(jury, apps[4], {v.criteria.first(): 5})


def test_no_shortlist_once_voting_started(groningen, demo_user):
    v = helpers.verkiezing(groningen, "stemmen")
    apps = [helpers.aanmelding(v, f"Kind {i}") for i in range(5)]
    with pytest.raises(ValidationError):
        services.bevestig_kandidaten(demo_user("groningen", "beleid"), v, apps)


def test_juror_sees_only_own_scores(jury_phase, client_for, demo_user, groningen):
    from core.models import Membership, User

    v, apps = jury_phase
    other = User.objects.create_user("tweede-jurylid", password="x" * 20)
    Membership.objects.create(user=other, gemeente=groningen, role="jurylid")
    services.geef_scores(other, apps[0], {c: 1 for c in v.criteria.all()})
    url = reverse("participation:aanmelding-detail", kwargs={"gemeente": "groningen",
                                                             "pk": apps[0].pk})
    juror_page = client_for("groningen", "jury").get(url)
    assert list(juror_page.context["scores"]) == []
    beleid_page = client_for("groningen", "beleid").get(url)
    assert len(beleid_page.context["scores"]) == 2


# Candidate pages -------------------------------------------------------------------------------

def test_candidate_pages_are_public_only_with_consent(groningen, client):
    v = helpers.verkiezing(groningen, "stemmen")
    k1, *_rest = helpers.kandidaten(v)
    a = k1.aanmelding
    a.foto.save("f.png", ContentFile(png_bytes()), save=False)
    a.vlog.save("v.mp4", ContentFile(MP4_HEAD + b"\0" * 100), save=False)
    a.save()
    page = reverse("participation:publiek-kandidaat", kwargs={"gemeente": "groningen",
                                                              "pk": k1.pk})
    vlog = reverse("participation:publiek-kandidaat-vlog", kwargs={"gemeente": "groningen",
                                                                   "pk": k1.pk})
    body = client.get(page).content.decode()
    assert client.get(page).status_code == 200 and "Kandidaat 1" in body and "Jansma" not in body
    assert client.get(vlog).status_code == 200
    # Without consent: no page and no media, but the first name stays on the ballot.
    Kandidaat.objects.filter(pk=k1.pk).update(publiek=False)
    assert client.get(page).status_code == 404
    assert client.get(vlog).status_code == 404
    ballot = client.get(reverse("participation:publiek-stemmen", kwargs={
        "gemeente": "groningen", "jaar": v.jaar})).content.decode()
    assert "Kandidaat 1" in ballot
    # Consent withdrawn on the application also closes the page, whatever the flag says.
    Kandidaat.objects.filter(pk=k1.pk).update(publiek=True)
    Aanmelding.objects.filter(pk=a.pk).update(toestemming_publiek=False)
    assert client.get(page).status_code == 404


def test_candidate_cannot_be_made_public_without_consent(groningen):
    v = helpers.verkiezing(groningen, "jury")
    a = helpers.aanmelding(v, publiek=False)
    k = Kandidaat(gemeente=groningen, verkiezing=v, aanmelding=a, nummer=1, publiek=True)
    with pytest.raises(ValidationError):
        k.full_clean()
