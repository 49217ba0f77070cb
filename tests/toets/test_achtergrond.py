"""Long documents are tested by the real worker (django-tasks' db_worker): the upload answers
at once, the document page shows the progress and reloads itself when done, a failure is told
in Dutch, and neither a double-posted upload nor a task that runs twice makes two Toetsingen."""

import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.worker import run_worker
from toets import analyse, services
from toets.models import Beleidsdocument, Lexicon, Toetsing, Toetsopdracht

HOOFDSTUK = """## Hoofdstuk {n}: wat gaan we doen?

Wij geven elk kind in een minimagezin een Kindpakket met schoolspullen en een fiets; we trekken
er 1,2 miljoen euro per jaar voor uit. Zo groeit geen kind in Groningen op in armoede.

In 2022 had 13 procent van de kinderen in groep 7 overgewicht, vergeleken met 12 procent
landelijk. Dat cijfer volgen we in de monitor.

De wijkteams zijn er voor alle inwoners. Zij werken samen met huisartsen en de
woningcorporaties aan schone en veilige straten.
"""


def lange_nota() -> bytes:
    """A nota well over the background threshold (about 70 pages of prose)."""
    tekst = "# Nota kinderarmoede (lang)\n\n" + "\n".join(
        HOOFDSTUK.format(n=n) for n in range(1, 200))
    assert len(tekst) > services.ACHTERGROND_VANAF_TEKENS
    return tekst.encode()


def upload(client, data: bytes, sleutel=None):
    velden = {"titel": "Lange nota", "beleidsterrein": "inkomen", "jaar": 2026,
              "eigenaar": "Team armoede", "bestand": SimpleUploadedFile("nota.md", data)}
    if sleutel:
        velden["sleutel"] = str(sleutel)
    return client.post(reverse("toets:document-create", kwargs={"gemeente": "groningen"}),
                       velden)


@pytest.mark.django_db
def test_a_long_document_runs_in_the_worker_with_progress(client_for, groningen,
                                                          django_capture_on_commit_callbacks):
    client = client_for("groningen", "beleid")
    sleutel = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(client, lange_nota(), sleutel)
        assert response.status_code == 302
        # The same form posted twice (a double click) stores one document and one opdracht.
        assert upload(client, lange_nota(), sleutel)["Location"] == response["Location"]
    assert len(callbacks) == 1  # one task enqueued
    document = Beleidsdocument.objects.get(sleutel=sleutel)
    opdracht = Toetsopdracht.objects.get(document=document)
    assert opdracht.stand == "wacht" and opdracht.achtergrond and opdracht.totaal > 500
    assert not Toetsing.objects.filter(document=document).exists()

    page = client.get(response["Location"]).content.decode()
    assert "De toets wacht op zijn beurt." in page and 'role="status"' in page
    assert 'aria-live="polite"' in page and "Vernieuwen" in page and "hx-trigger" in page
    # htmx polls the page while the run is open: the page itself, not a reload.
    poll = client.get(response["Location"], headers={"HX-Request": "true"})
    assert poll.status_code == 200 and "HX-Refresh" not in poll
    # Half-way (as the worker writes it), the page says how far it is.
    Toetsopdracht.objects.filter(pk=opdracht.pk).update(stand="bezig", gedaan=300)
    page = client.get(response["Location"]).content.decode()
    assert f"300 van {opdracht.totaal} passages getoetst" in page
    assert "De toets loopt op de achtergrond." in page

    run_worker()
    opdracht.refresh_from_db()
    assert (opdracht.stand, opdracht.gedaan) == ("klaar", opdracht.totaal)
    toetsing = Toetsing.objects.get(document=document)
    assert toetsing.opdracht == opdracht
    assert toetsing.oordelen.get(doel__nummer=7).machine_status == "aangetoond"
    # Done: the polling request is told to reload, and the page shows the judgement.
    assert client.get(response["Location"], headers={"HX-Request": "true"})["HX-Refresh"] \
        == "true"
    page = client.get(response["Location"]).content.decode()
    assert "Per doel van het Klaverblad" in page and 'role="status"' not in page

    # The same task enqueued again (a retry, a second worker) makes no second Toetsing.
    services.enqueue(opdracht.pk)
    run_worker()
    assert Toetsing.objects.filter(document=document).count() == 1


@pytest.mark.django_db
def test_a_failed_run_is_told_in_dutch_and_can_be_retried(client_for, groningen,
                                                          django_capture_on_commit_callbacks):
    # A lexicon version without its signals (saved around the service, which would refuse it).
    actief = services.actief_lexicon(groningen)
    Lexicon.objects.create(gemeente=groningen, versie=actief.versie + 1,
                           inhoud={"doelen": actief.inhoud["doelen"]}, toelichting="kapot")
    client = client_for("groningen", "beleid")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, lange_nota())
    run_worker()
    document = Beleidsdocument.objects.get(titel="Lange nota")
    opdracht = document.opdrachten.get()
    assert opdracht.stand == "mislukt" and "KeyError" in opdracht.melding
    page = client.get(response["Location"]).content.decode()
    assert "De toets van dit document is mislukt." in page and "Opnieuw toetsen" in page
    assert not Toetsing.objects.filter(document=document).exists()
    # Retrying (posted twice) asks for one new run.
    client.post(response["Location"])
    client.post(response["Location"])
    assert document.opdrachten.filter(stand="wacht").count() == 1
    # A partner may not retry a document of the gemeente.
    partner = client_for("groningen", "partner")
    assert partner.post(response["Location"]).status_code == 404


@pytest.mark.django_db
def test_a_run_that_lost_its_worker_can_be_started_again(client_for, groningen, demo_user,
                                                         django_capture_on_commit_callbacks):
    document = services.toets_document(demo_user("groningen", "beleid"), groningen,
                                       titel="Lange nota", jaar=2026, beleidsterrein="inkomen",
                                       eigenaar="Team", data=lange_nota())
    opdracht = document.opdrachten.get()
    client = client_for("groningen", "beleid")
    # Running, not stuck: no button, and posting changes nothing.
    Toetsopdracht.objects.filter(pk=opdracht.pk).update(stand="bezig", gedaan=40)
    assert "Opnieuw starten" not in client.get(document.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(document.get_absolute_url())
    assert callbacks == []
    # Its worker was stopped half-way, twenty minutes ago.
    Toetsopdracht.objects.filter(pk=opdracht.pk).update(
        gemaakt_op=timezone.now() - datetime.timedelta(minutes=20))
    assert "Opnieuw starten" in client.get(document.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(document.get_absolute_url())
    assert len(callbacks) == 1
    run_worker()
    assert document.opdrachten.get().stand == "klaar"
    assert Toetsing.objects.filter(document=document).count() == 1


def test_progress_is_reported_per_passage():
    from toets.tekst import Passage

    passages = [Passage(i + 1, 1, "", "Wij zetten in op zwemles voor alle kinderen.")
                for i in range(7)]
    gezien = []
    lexicon = analyse.compileer(services.json.loads(services.STANDAARD.read_text()))
    analyse.analyseer(passages, lexicon, voortgang=lambda g, t: gezien.append((g, t)))
    assert gezien == [(i, 7) for i in range(1, 8)]
