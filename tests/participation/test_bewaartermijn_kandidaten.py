"""Losing candidates' surname, photo and motivation are deleted N days after the result
(default 30, N per gemeente), by a scheduled job. Frozen clock."""

import datetime
import os

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.utils import timezone

from core import scheduler
from participation import services
from participation.models import Aanmelding, Instelling
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
