"""Children's personal data is deleted by a scheduled task after the retention period."""

import datetime
import os

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from participation import services, tasks
from participation.models import (
    Aanmelding,
    EmailKiezer,
    Instelling,
    Inzending,
    JuryScore,
    Kandidaat,
    Verkiezing,
)
from tests.participation import helpers
from tests.participation.media import MP4_HEAD, png_bytes

pytestmark = pytest.mark.django_db


def closed_election(gemeente, days_ago, jaar):
    v = helpers.verkiezing(gemeente, "stemmen", jaar=jaar)
    kandidaten = helpers.kandidaten(v)
    losers = [helpers.aanmelding(v, f"Niet gekozen {i}", status=Aanmelding.Status.NIET_GEKOZEN)
              for i in (1, 2)]
    for a in [k.aanmelding for k in kandidaten] + losers:
        a.vlog.save("v.mp4", ContentFile(MP4_HEAD + b"\0" * 100), save=False)
        a.foto.save("f.png", ContentFile(png_bytes()), save=False)
        a.save()
        JuryScore.objects.create(gemeente=gemeente, aanmelding=a, criterium=v.criteria.first(),
                                 jurylid=gemeente.memberships.filter(role="jurylid").first().user,
                                 score=3)
    _r, plain = services.maak_stemcodes(None, v, kanaal="brief", aantal=3, omschrijving="b",
                                        check_permission=False)
    for code in plain:
        services.stem_met_code(v, code, kandidaten[0].pk)
    services.vraag_stemlink_aan(v, f"kiezer{jaar}@example.org", lambda t: t)
    end = timezone.now() - datetime.timedelta(days=days_ago)
    Verkiezing.objects.filter(pk=v.pk).update(stemmen_eind=end,
                                              stemmen_start=end - datetime.timedelta(days=5))
    return v, kandidaten, losers


def paths(aanmeldingen):
    return [f.path for a in aanmeldingen for f in (a.vlog, a.foto) if f]


def test_purge_after_retention(groningen, django_capture_on_commit_callbacks):
    old, kandidaten, losers = closed_election(groningen, 31, 2050)
    recent, r_kandidaten, r_losers = closed_election(groningen, 29, 2051)
    loser_files = paths(losers)
    cand_vlogs = [k.aanmelding.vlog.path for k in kandidaten]
    cand_fotos = [k.aanmelding.foto.path for k in kandidaten]
    recent_files = paths([k.aanmelding for k in r_kandidaten] + r_losers)
    assert all(os.path.exists(p) for p in loser_files + cand_vlogs + recent_files)

    long_ago = timezone.now() - datetime.timedelta(days=80)
    closed_old, _c = services.dien_inzending_in(groningen, soort="idee", onderwerp="A",
                                                tekst="A", email="a@example.org", now=long_ago)
    closed_new, _c = services.dien_inzending_in(groningen, soort="idee", onderwerp="B",
                                                tekst="B", email="b@example.org")
    still_open, _c = services.dien_inzending_in(groningen, soort="idee", onderwerp="C",
                                                tekst="C", email="c@example.org", now=long_ago)
    Inzending.objects.filter(pk=closed_old.pk).update(
        beantwoord_op=long_ago, gesloten_op=timezone.now() - datetime.timedelta(days=31))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_participation_data", stdout=open(os.devnull, "w"))

    # The old election: applications that were not shortlisted are gone, with their files.
    assert not Aanmelding.objects.filter(pk__in=[a.pk for a in losers]).exists()
    assert not JuryScore.objects.filter(aanmelding_id__in=[a.pk for a in losers]).exists()
    assert not any(os.path.exists(p) for p in loser_files)
    # Candidates stay (they serve a term), without vlog and without the parent's data.
    for k in Kandidaat.objects.filter(verkiezing=old).select_related("aanmelding"):
        a = k.aanmelding
        assert not a.vlog and a.ouder_email == "" and a.ouder_naam == "" and a.gewist_op
        assert a.voornaam.startswith("Kandidaat") and a.foto
    assert not any(os.path.exists(p) for p in cand_vlogs)
    assert all(os.path.exists(p) for p in cand_fotos)
    # E-mail voters are gone; the secret ballots stay and still count.
    assert not EmailKiezer.objects.filter(verkiezing=old).exists()
    assert helpers.stemmen(old) == 3
    # The recent election (29 days) is untouched.
    assert Aanmelding.objects.filter(verkiezing=recent).count() == 7
    assert all(os.path.exists(p) for p in recent_files)
    assert EmailKiezer.objects.filter(verkiezing=recent).count() == 1
    assert Aanmelding.objects.filter(verkiezing=recent, ouder_email="ouder@example.org"
                                     ).count() == 7
    # Submitters' addresses: gone after the answer, or 60 days after submitting; a recent open
    # one is kept (tests/participation/test_jeugdstem_bewaren.py has the details).
    emails = dict(Inzending.objects.filter(pk__in=[closed_old.pk, closed_new.pk, still_open.pk])
                  .values_list("onderwerp", "email"))
    assert emails == {"A": "", "B": "b@example.org", "C": ""}

    # Running again changes nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        counts = tasks.purge_participation_data.call()
    assert counts == {"aanmeldingen": 0, "vlogs": 0, "fotos": 0, "emailkiezers": 0,
                      "inzending_emails": 0, "inzending_teksten": 0}


def test_retention_is_configurable_per_gemeente(groningen, django_capture_on_commit_callbacks):
    Instelling.objects.update_or_create(gemeente=groningen,
                                        defaults={"bewaartermijn_dagen": 60})
    v, _k, losers = closed_election(groningen, 31, 2052)
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.wis_persoonsgegevens()
    assert counts["aanmeldingen"] == 0
    assert Aanmelding.objects.filter(pk__in=[a.pk for a in losers]).count() == 2
    later = timezone.now() + datetime.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.wis_persoonsgegevens(now=later)
    assert counts["aanmeldingen"] == 2 and counts["emailkiezers"] == 1


def test_the_task_can_be_enqueued(groningen):
    from django.core.management import call_command as cc
    from django_tasks_db.models import DBTaskResult

    cc("purge_participation_data", "--enqueue", stdout=open(os.devnull, "w"))
    names = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert {"participation.tasks.purge_participation_data",
            "participation.tasks.escalate_overdue"} <= names
