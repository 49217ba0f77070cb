"""Applying: the child-friendly form, checked uploads, consent, and private files."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEntry
from participation.models import Aanmelding
from participation.uploads import sniff_video
from tests.participation import helpers
from tests.participation.media import (
    HEIC_HEAD,
    MOV_HEAD,
    MP4_HEAD,
    WEBM_HEAD,
    jpeg_with_gps,
    png_bytes,
    video,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_for_applications(groningen):
    return helpers.verkiezing(groningen, "aanmelding")


def url(v):
    return reverse("participation:publiek-aanmelden", kwargs={"gemeente": v.gemeente.slug,
                                                              "jaar": v.jaar})


def form_data(v, **overrides):
    data = {
        "voornaam": "Sanne", "achternaam": "de Vries", "groep": "7",
        "school": helpers.school(v.gemeente).pk, "motivatie": "Ik wil meer speeltuinen.",
        "ouder_naam": "M. de Vries", "ouder_email": "ouder@example.org",
        "ouder_toestemming": "on", "toestemming_publiek": "on",
        "vlog": SimpleUploadedFile("mijn vlog.mp4", video(), content_type="video/mp4"),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def media_files():
    root = Path(settings.MEDIA_ROOT) / "participation"
    return set(root.iterdir()) if root.exists() else set()


@pytest.mark.parametrize("head,ext", [(MP4_HEAD, ".mp4"), (MOV_HEAD, ".mov"),
                                      (WEBM_HEAD, ".webm")])
def test_apply_with_a_real_video(open_for_applications, client, head, ext):
    v = open_for_applications
    before = media_files()
    response = client.post(url(v), form_data(v, vlog=SimpleUploadedFile(
        "Sanne.mp4", video(head), content_type="video/mp4")))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"].endswith("/aanmelden/klaar/")
    a = Aanmelding.objects.get(verkiezing=v)
    assert (a.groep, a.school.naam, a.ouder_toestemming) == (7, "Basisschool De Test", True)
    # Stored under MEDIA_ROOT with a random name and the extension its content showed.
    (new,) = media_files() - before
    assert new.suffix == ext and "Sanne" not in new.name and len(new.stem) == 32
    assert a.vlog.name == f"participation/{new.name}"
    assert new.read_bytes().startswith(head)
    # The audit log keeps no names of the child or the parent.
    entry = AuditEntry.objects.filter(object_id=str(a.pk),
                                      content_type__model="aanmelding").get()
    text = f"{entry.object_repr} {entry.after}"
    assert "Sanne" not in text and "Vries" not in text and "example.org" not in text


def test_photo_is_checked_and_its_location_data_dropped(open_for_applications, client):
    from PIL import Image

    v = open_for_applications
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get(0x8825)
    response = client.post(url(v), form_data(v, foto=SimpleUploadedFile(
        "IMG_0001.jpg", raw, content_type="image/jpeg")))
    assert response.status_code == 302
    a = Aanmelding.objects.get(verkiezing=v)
    with a.foto.open("rb") as fh, Image.open(fh) as img:
        assert img.format == "JPEG"
        exif = img.getexif()
        assert not exif.get(0x8825) and not exif.get(0x010F)


@pytest.mark.parametrize("content,name,melding", [
    (b"%PDF-1.7\n" + b"x" * 2000, "vlog.mp4", "Dit bestand is geen filmpje"),
    (video(HEIC_HEAD), "vlog.mov", "Dit bestand is geen filmpje"),
    (png_bytes(), "vlog.webm", "Dit bestand is geen filmpje"),
    (b"Hallo, dit is tekst.", "vlog.mp4", "Dit bestand is geen filmpje"),
    (b"", "vlog.mp4", "leeg"),
])
def test_a_vlog_that_is_not_a_video_is_refused(open_for_applications, client, content, name,
                                               melding):
    v = open_for_applications
    before = media_files()
    response = client.post(url(v), form_data(v, vlog=SimpleUploadedFile(
        name, content, content_type="video/mp4")))
    assert response.status_code == 200
    assert melding in response.content.decode()
    assert not Aanmelding.objects.filter(verkiezing=v).exists()
    assert media_files() == before


def test_an_oversized_vlog_is_refused(open_for_applications, client, settings):
    settings.PARTICIPATION_VLOG_MAX_BYTES = 10_000
    v = open_for_applications
    before = media_files()
    response = client.post(url(v), form_data(v, vlog=SimpleUploadedFile(
        "vlog.mp4", video(size=10_001), content_type="video/mp4")))
    body = response.content.decode()
    assert response.status_code == 200 and "Je vlog is te groot" in body and "9,8" in body
    assert not Aanmelding.objects.filter(verkiezing=v).exists()
    assert media_files() == before
    ok = client.post(url(v), form_data(v, vlog=SimpleUploadedFile(
        "vlog.mp4", video(size=10_000), content_type="video/mp4")))
    assert ok.status_code == 302


def test_a_request_far_over_the_limit_is_refused_before_reading(open_for_applications, client,
                                                                 settings):
    settings.PARTICIPATION_VLOG_MAX_BYTES = 1000
    v = open_for_applications
    response = client.post(url(v), form_data(v), CONTENT_LENGTH=str(30 * 1024 * 1024))
    assert response.status_code == 413
    assert "te groot" in response.content.decode()
    assert not Aanmelding.objects.filter(verkiezing=v).exists()


@pytest.mark.parametrize("groep", ["5", "8", "3"])
def test_only_groep_6_and_7_may_apply(open_for_applications, client, groep):
    v = open_for_applications
    response = client.post(url(v), form_data(v, groep=groep))
    assert response.status_code == 200
    assert "Je kunt alleen meedoen als je in groep 6 of groep 7 zit" in response.content.decode()
    assert not Aanmelding.objects.filter(verkiezing=v).exists()


def test_groep_6_may_apply(open_for_applications, client):
    v = open_for_applications
    assert client.post(url(v), form_data(v, groep="6")).status_code == 302


def test_parent_consent_is_required(open_for_applications, client):
    v = open_for_applications
    response = client.post(url(v), form_data(v, ouder_toestemming=None))
    assert response.status_code == 200
    assert "moet het goed vinden" in response.content.decode()
    assert not Aanmelding.objects.filter(verkiezing=v).exists()


def test_school_must_be_a_basisschool_of_this_gemeente(open_for_applications, client, assen):
    v = open_for_applications
    other = helpers.school(assen, "School in Assen")
    response = client.post(url(v), form_data(v, school=other.pk))
    assert response.status_code == 200
    assert not Aanmelding.objects.filter(verkiezing=v).exists()
    page = client.get(url(v)).content.decode()
    assert "School in Assen" not in page and "Basisschool De Test" in page
    assert "Kids First" not in page  # a kinderopvang is no school


def test_applying_outside_the_period_changes_nothing(groningen, client):
    v = helpers.verkiezing(groningen, "jury")
    response = client.post(url(v), form_data(v))
    assert response.status_code == 200
    assert "Aanmelden kan nu niet" in response.content.decode()
    assert not Aanmelding.objects.filter(verkiezing=v).exists()


def test_the_public_form_is_rate_limited(open_for_applications, client):
    v = open_for_applications
    statuses = [client.post(url(v), form_data(v, groep="5")).status_code for _ in range(21)]
    assert statuses[:20] == [200] * 20 and statuses[20] == 429


def test_uploads_are_served_only_through_permission_checks(open_for_applications, client,
                                                           client_for):
    v = open_for_applications
    client.post(url(v), form_data(v, foto=SimpleUploadedFile("f.png", png_bytes(),
                                                             content_type="image/png")))
    a = Aanmelding.objects.get(verkiezing=v)
    # Nothing under MEDIA_URL is routed: the files are not public.
    assert client.get(f"/{settings.MEDIA_URL}{a.vlog.name}").status_code == 404
    vlog = reverse("participation:aanmelding-vlog", kwargs={"gemeente": "groningen",
                                                            "pk": a.pk})
    assert client.get(vlog).status_code == 302  # anonymous: to the login page
    for role, expected in [("partner", 403), ("raad", 403), ("jury", 200), ("beleid", 200)]:
        response = client_for("groningen", role).get(vlog)
        assert response.status_code == expected, role
    response = client_for("groningen", "jury").get(vlog)
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(MP4_HEAD)
    assert client_for("assen", "jury").get(vlog).status_code == 404


def test_sniffing_is_by_content_not_by_name():
    assert sniff_video(MP4_HEAD) == ".mp4"
    assert sniff_video(MOV_HEAD) == ".mov"
    assert sniff_video(WEBM_HEAD) == ".webm"
    assert sniff_video(HEIC_HEAD) is None
    assert sniff_video(b"\x1a\x45\xdf\xa3\x9f\x42\x82\x84abcd") is None  # other EBML
    assert sniff_video(b"") is None


def test_the_form_lists_the_gemeentes_schools_plus_another_school(open_for_applications,
                                                                   client):
    v = open_for_applications
    helpers.school(v.gemeente)
    page = client.get(url(v)).content.decode()
    assert "Basisschool De Test" in page and "Andere school" in page
    # Only the groups that may apply; nothing red before the child typed.
    groepen = re.findall(r'<option value="(\d+)">groep', page)
    assert groepen == ["6", "7"]
    assert "og-field-error" not in page and "aria-invalid" not in page
    # "Andere school" needs its name ...
    r = client.post(url(v), form_data(v, school="anders"))
    assert r.status_code == 200 and "Schrijf op hoe je school heet." in r.content.decode()
    # ... and then the application is in, with that name on it.
    r = client.post(url(v), form_data(v, school="anders", andere_school="De Zonnewijzer"))
    assert r.status_code == 302, r.content.decode()[:2000]
    a = Aanmelding.objects.get(verkiezing=v)
    assert a.school is None and a.school_naam == "De Zonnewijzer"
