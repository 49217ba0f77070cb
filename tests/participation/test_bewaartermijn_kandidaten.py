"""Losing candidates' surname, photo and motivation are deleted N days after the result
(default 30, N per gemeente), by a scheduled job. Frozen clock."""

import datetime
import os

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.utils import timezone

from core import scheduler
from participation import services, tasks
from participation.models import Aanmelding, Criterium, Instelling, JuryScore
from tests.participation import helpers
from tests.participation.media import png_bytes

pytestmark = pytest.mark.django_db


def at(day, hour=4):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def result(groningen, demo_user):
    v = helpers.verkiezing(groningen, "stemmen")
    ks = helpers.kandidaten(v)
    for k in ks:
        k.aanmelding.foto.save("f.png", ContentFile(png_bytes()))
    _r, plain = services.maak_stemcodes(None, v, kanaal="brief", aantal=3, omschrijving="b",
                                        check_permission=False)
    for code, k in zip(plain, [ks[0], ks[0], ks[1]], strict=True):
        services.stem_met_code(v, code, k.pk)
    with time_machine.travel(v.stemmen_eind + datetime.timedelta(minutes=1), tick=False):
        uitslag = services.stel_uitslag_vast(demo_user("groningen", "beleid"), v)
    return v, ks, uitslag


def wiped(v):
    """How many candidates of this election lost their surname (the demo's elections are in
    the same database, so the service's own count includes theirs)."""
    return Aanmelding.objects.filter(kandidaat__verkiezing=v, achternaam="").count()


def test_losers_are_wiped_after_the_retention(result, django_capture_on_commit_callbacks):
    v, ks, uitslag = result
    assert {uitslag.kinderburgemeester, uitslag.loco} == {ks[0], ks[1]}
    fotos = {k.pk: k.aanmelding.foto.path for k in ks}
    start = max(timezone.localtime(uitslag.vastgesteld_op).date(), v.uitslag_datum)
    with time_machine.travel(at(start + datetime.timedelta(days=29)), tick=False):
        services.wis_verliezende_kandidaten()
        assert wiped(v) == 0
    with time_machine.travel(at(start + datetime.timedelta(days=30)), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.wis_verliezende_kandidaten() >= 3
        assert wiped(v) == 3
        assert services.wis_verliezende_kandidaten() == 0  # nothing twice
    for k in ks:
        a = Aanmelding.objects.get(pk=k.aanmelding_id)
        if k in (ks[0], ks[1]):  # kinderburgemeester and loco keep theirs (their year)
            assert a.achternaam == "Jansma" and a.motivatie and a.foto
            assert os.path.exists(fotos[k.pk])
        else:
            assert (a.achternaam, a.motivatie, a.foto.name) == ("", "", "")
            assert a.gewist_op is not None and not os.path.exists(fotos[k.pk])
            assert a.voornaam == k.aanmelding.voornaam  # the published first name stays


def test_the_period_is_per_gemeente(result):
    v, _ks, uitslag = result
    Instelling.objects.update_or_create(gemeente=v.gemeente,
                                        defaults={"bewaartermijn_kandidaten_dagen": 7})
    start = max(timezone.localtime(uitslag.vastgesteld_op).date(), v.uitslag_datum)
    with time_machine.travel(at(start + datetime.timedelta(days=6)), tick=False):
        services.wis_verliezende_kandidaten()
        assert wiped(v) == 0
    with time_machine.travel(at(start + datetime.timedelta(days=7)), tick=False):
        services.wis_verliezende_kandidaten()
        assert wiped(v) == 3


def test_it_is_a_scheduled_job():
    jobs = {job.name: job for job in scheduler.jobs()}
    assert jobs["participation.tasks.wis_kandidaatgegevens"].schedule == "30 3 * * *"


def scores_op(result, jury):
    v, ks, _uitslag = result
    criterium = (Criterium.objects.filter(verkiezing=v).first()
                 or Criterium.objects.create(gemeente=v.gemeente, verkiezing=v, naam="Ideeën"))
    for k in ks:
        JuryScore.objects.create(gemeente=v.gemeente, aanmelding=k.aanmelding,
                                 criterium=criterium, jurylid=jury, score=4)


def test_kinderburgemeester_and_loco_are_wiped_n_days_after_their_year(
        result, demo_user, client, django_capture_on_commit_callbacks):
    v, ks, uitslag = result
    scores_op(result, demo_user("groningen", "jury"))
    gekozen = [uitslag.kinderburgemeester, uitslag.loco]
    fotos = {k.pk: k.aanmelding.foto.path for k in ks}
    # The term: from the installation in September until the day before the next one.
    assert v.termijn_eind == v.installatie_datum.replace(year=v.jaar + 1) - datetime.timedelta(1)
    with time_machine.travel(at(v.termijn_eind + datetime.timedelta(days=29)), tick=False):
        assert v.fase() == "afgelopen"
        services.wis_gegevens_na_termijn()
    for k in gekozen:
        a = Aanmelding.objects.get(pk=k.aanmelding_id)
        assert (a.achternaam, a.ouder_email, a.gewist_op) == ("Jansma", "ouder@example.org",
                                                              None)
    with time_machine.travel(at(v.termijn_eind + datetime.timedelta(days=30)), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.wis_gegevens_kinderburgemeester.call() >= 2
        assert services.wis_gegevens_na_termijn() == 0  # nothing twice
    for k in gekozen:
        a = Aanmelding.objects.get(pk=k.aanmelding_id)
        assert (a.achternaam, a.motivatie, a.foto.name, a.ouder_naam, a.ouder_email) == (
            "", "", "", "", "")
        assert a.gewist_op is not None and not os.path.exists(fotos[k.pk])
        assert not JuryScore.objects.filter(aanmelding=a).exists()
        # The public record: first name and school, on the published result.
        assert a.voornaam == k.aanmelding.voornaam and a.school_id is not None
    # The losers are the other job's (wis_verliezende_kandidaten); this one left them alone.
    assert Aanmelding.objects.filter(kandidaat__verkiezing=v, achternaam="Jansma").count() == 3
    page = client.get(v.get_public_url())
    assert page.status_code == 200
    assert uitslag.kinderburgemeester.aanmelding.voornaam in page.content.decode()
    assert "Jansma" not in page.content.decode()


def test_the_period_after_the_term_is_per_gemeente(result):
    v, _ks, uitslag = result
    Instelling.objects.update_or_create(gemeente=v.gemeente,
                                        defaults={"bewaartermijn_na_termijn_dagen": 7})
    kb = uitslag.kinderburgemeester.aanmelding
    with time_machine.travel(at(v.termijn_eind + datetime.timedelta(days=6)), tick=False):
        services.wis_gegevens_na_termijn()
    assert Aanmelding.objects.get(pk=kb.pk).achternaam == "Jansma"
    with time_machine.travel(at(v.termijn_eind + datetime.timedelta(days=7)), tick=False):
        services.wis_gegevens_na_termijn()
    assert Aanmelding.objects.get(pk=kb.pk).achternaam == ""


def test_losers_lose_their_jury_scores_too(result, demo_user):
    v, ks, uitslag = result
    scores_op(result, demo_user("groningen", "jury"))
    start = max(timezone.localtime(uitslag.vastgesteld_op).date(), v.uitslag_datum)
    with time_machine.travel(at(start + datetime.timedelta(days=30)), tick=False):
        services.wis_verliezende_kandidaten()
    assert JuryScore.objects.filter(aanmelding__kandidaat__verkiezing=v).count() == 2
    assert not JuryScore.objects.filter(
        aanmelding__kandidaat__in=[k for k in ks if k not in (uitslag.kinderburgemeester,
                                                              uitslag.loco)]).exists()


def test_the_term_job_is_scheduled():
    jobs = {j.name: j for j in scheduler.jobs()}
    job = jobs["participation.tasks.wis_gegevens_kinderburgemeester"]
    assert job.schedule == "35 3 * * *" and job.task is tasks.wis_gegevens_kinderburgemeester
