"""Candidates: the shortlist only after applying closed, an honest answer to a late applicant,
the parent or guardian told by e-mail (receipt, chosen, not chosen: in the outbox and sent),
and candidate photos (with consent) on the ballot. Frozen clock where dates matter."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import Bericht
from participation import services
from participation.models import Aanmelding, Kandidaat
from tests.participation import helpers
from tests.participation.media import png_bytes, video
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


def at(day, hour=12):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_the_shortlist_waits_until_applying_has_closed(groningen, demo_user):
    v = helpers.verkiezing(groningen, "aanmelding")
    apps = [helpers.aanmelding(v, f"Kind {i}") for i in range(6)]
    beleid = demo_user("groningen", "beleid")
    with time_machine.travel(at(v.aanmelding_eind, 23), tick=False):  # the last evening
        with pytest.raises(ValidationError, match="Aanmelden kan nog tot en met"):
            services.bevestig_kandidaten(beleid, v, apps[:5])
    assert not Kandidaat.objects.filter(verkiezing=v).exists()
    with time_machine.travel(at(v.aanmelding_eind + datetime.timedelta(days=1), 9), tick=False):
        services.bevestig_kandidaten(beleid, v, apps[:5])
    assert Kandidaat.objects.filter(verkiezing=v).count() == 5


def test_a_late_applicant_is_told_plainly_that_nothing_was_sent(groningen, client):
    v = helpers.verkiezing(groningen, "aanmelding")
    url = reverse("participation:publiek-aanmelden", kwargs={"gemeente": "groningen",
                                                             "jaar": v.jaar})
    data = {"voornaam": "Sanne", "achternaam": "de Vries", "groep": "7",
            "school": helpers.school(groningen).pk, "motivatie": "Ik wil meedenken.",
            "ouder_naam": "M. de Vries", "ouder_email": "ouder@example.org",
            "ouder_toestemming": "on",
            "vlog": SimpleUploadedFile("vlog.mp4", video(), content_type="video/mp4")}
    # The form was opened in time; it is sent the morning after the last day.
    with time_machine.travel(at(v.aanmelding_eind + datetime.timedelta(days=1), 8), tick=False):
        page = client.post(url, data).content.decode()
    assert "je bent te laat" in page and "niet verstuurd" in page
    assert "jury kijkt" not in page and "De jury ziet hem dus niet" in page
    assert not Aanmelding.objects.filter(verkiezing=v).exists()


def test_the_parent_gets_a_receipt(groningen, django_capture_on_commit_callbacks):
    v = helpers.verkiezing(groningen, "aanmelding")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        a = services.dien_aanmelding_in(
            v, voornaam="Sanne", achternaam="de Vries", groep=7, school=helpers.school(groningen),
            motivatie="Ik wil meedenken.", ouder_naam="M. de Vries",
            ouder_email="ouder@example.org", ouder_toestemming=True, toestemming_publiek=False,
            vlog=SimpleUploadedFile("vlog.mp4", video(), content_type="video/mp4"))
    bericht = Bericht.objects.get(kind="participation.aanmelding_ontvangen", object_id=a.pk)
    assert bericht.email == "ouder@example.org" and bericht.user is None
    assert "Sanne heeft zich aangemeld" in bericht.body
    run_worker()
    [sent] = mail.outbox
    assert sent.to == ["ouder@example.org"] and "Sanne heeft zich aangemeld" in sent.body
    assert sent.subject == "Aanmelding kinderburgemeester ontvangen"


def test_every_parent_hears_chosen_or_not(groningen, demo_user,
                                          django_capture_on_commit_callbacks):
    v = helpers.verkiezing(groningen, "jury")
    apps = [helpers.aanmelding(v, f"Kind {i}", ouder_email=f"ouder{i}@example.org")
            for i in range(7)]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.bevestig_kandidaten(demo_user("groningen", "beleid"), v, apps[:5])
    berichten = Bericht.objects.filter(kind__startswith="participation.", gemeente=groningen)
    gekozen = {b.email for b in berichten.filter(kind="participation.kandidaat_gekozen")}
    niet = {b.email for b in berichten.filter(kind="participation.niet_gekozen")}
    assert gekozen == {f"ouder{i}@example.org" for i in range(5)}
    assert niet == {"ouder5@example.org", "ouder6@example.org"}
    run_worker()
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == gekozen | niet
    assert "Kind 0 is gekozen" in by_address["ouder0@example.org"].body
    assert "niet gekozen" in by_address["ouder6@example.org"].body
    assert "30 dagen na de verkiezing" in by_address["ouder6@example.org"].body


def test_candidate_photos_with_consent_are_on_the_ballot(groningen, client):
    v = helpers.verkiezing(groningen, "stemmen")
    ks = helpers.kandidaten(v)
    for k in ks[:2]:  # two with a photo: one with consent for a public page, one without
        k.aanmelding.foto.save("foto.png", SimpleUploadedFile("f.png", png_bytes()))
    ks[1].publiek = False
    ks[1].save()
    page = client.get(reverse("participation:publiek-stemmen", kwargs={
        "gemeente": "groningen", "jaar": v.jaar})).content.decode()
    foto = reverse("participation:publiek-kandidaat-foto", kwargs={"gemeente": "groningen",
                                                                   "pk": ks[0].pk})
    geen = reverse("participation:publiek-kandidaat-foto", kwargs={"gemeente": "groningen",
                                                                   "pk": ks[1].pk})
    assert f'src="{foto}"' in page and 'alt="Foto van Kandidaat 1"' in page
    assert geen not in page
    assert client.get(foto).status_code == 200 and client.get(geen).status_code == 404
