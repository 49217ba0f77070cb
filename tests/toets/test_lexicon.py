"""The lexicon as data: a beleidsmedewerker edits the terms of one doel (a new, audited version
each time), re-runs chosen documents and sees per doel what changed — statuses and evidence
between the old and the new lexicon version; many pages go to the real worker."""

import json
import uuid

import pytest
from django.urls import reverse

from core.models import AuditEntry
from framework import selectors as framework_selectors
from tests.toets.test_pages import NOTA
from tests.worker import run_worker
from toets import services
from toets.models import Beleidsdocument, Hertoetsronde, Lexicon, Toetsing


def doel_url(gemeente, nummer):
    doel = framework_selectors.klaverblad_doelen(gemeente).get(nummer=nummer)
    return reverse("toets:lexicon-doel", kwargs={"gemeente": gemeente.slug, "pk": doel.pk})


def formset_post(lexicon, nummer, extra: list[dict], weg: set[str] = frozenset(),
                 toelichting="fiets telt voor doel 9"):
    """The per-doel form as the browser posts it: every existing row, plus new rows."""
    termen = lexicon.inhoud["doelen"][str(nummer)]["termen"]
    rijen = [{"term": t["term"], "gewicht": t.get("gewicht", 1),
              "uitgezonderd": ", ".join(t.get("uitgezonderd", [])),
              "samenstelling": t.get("samenstelling", True), "DELETE": t["term"] in weg}
             for t in termen] + extra
    data = {"term-TOTAL_FORMS": len(rijen), "term-INITIAL_FORMS": len(termen),
            "term-MIN_NUM_FORMS": 0, "term-MAX_NUM_FORMS": 1000,
            "toelichting": toelichting, "basis": lexicon.versie}
    for i, r in enumerate(rijen):
        data[f"term-{i}-term"] = r["term"]
        data[f"term-{i}-gewicht"] = r["gewicht"]
        data[f"term-{i}-uitgezonderd"] = r.get("uitgezonderd", "")
        if r.get("samenstelling", True):
            data[f"term-{i}-samenstelling"] = "on"
        if r.get("DELETE"):
            data[f"term-{i}-DELETE"] = "on"
    return data


@pytest.mark.django_db
def test_edit_terms_of_one_doel_then_rerun_and_see_what_changed(client_for, groningen,
                                                                  demo_user):
    beleid = demo_user("groningen", "beleid")
    nota = services.toets_document(beleid, groningen, titel="Nota", jaar=2026,
                                   beleidsterrein="inkomen", eigenaar="Team",
                                   data=NOTA.encode())
    oud = nota.laatste_toetsing
    assert oud.oordelen.get(doel__nummer=9).machine_status == "ontbreekt"
    client = client_for("groningen", "beleid")
    v1 = services.actief_lexicon(groningen)
    page = client.get(doel_url(groningen, 9)).content.decode()
    assert "Woorden voor doel 9" in page and "inspraak" in page

    eerste = v1.inhoud["doelen"]["9"]["termen"][0]["term"]
    data = formset_post(v1, 9, [{"term": "Fiets", "gewicht": 3,
                                 "uitgezonderd": "fietsenstalling, Fietspad"}], weg={eerste})
    response = client.post(doel_url(groningen, 9), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("toets:hertoetsen", kwargs={"gemeente": "groningen"})
    v2 = services.actief_lexicon(groningen)
    assert v2.versie == v1.versie + 1 and v2.gemaakt_door == beleid
    termen = v2.inhoud["doelen"]["9"]["termen"]
    assert {"term": "fiets", "gewicht": 3, "uitgezonderd": ["fietsenstalling", "fietspad"]} \
        in termen and eerste not in {t["term"] for t in termen}
    assert v2.inhoud["doelen"]["7"] == v1.inhoud["doelen"]["7"]  # other doelen untouched
    assert AuditEntry.objects.filter(object_id=str(v2.pk), action="create").exists()
    # The same form posted again (double click) makes no third version ...
    assert client.post(doel_url(groningen, 9), data).status_code == 302
    assert services.actief_lexicon(groningen).versie == v2.versie
    # ... but a different change made from the old version is refused: someone saved since.
    anders = client.post(doel_url(groningen, 9), formset_post(v1, 9, [
        {"term": "skateboard", "gewicht": 2}]))
    assert "Iemand heeft het lexicon intussen veranderd" in anders.content.decode()
    assert services.actief_lexicon(groningen).versie == v2.versie

    # Re-run the nota with version 2: doel 9 goes from ontbreekt to beperkt (the word is named,
    # the commitment is not about it), with the passage as new evidence.
    sleutel = str(uuid.uuid4())
    url = reverse("toets:hertoetsen", kwargs={"gemeente": "groningen"})
    assert "Nota" in client.get(url).content.decode()
    response = client.post(url, {"documenten": [nota.pk], "sleutel": sleutel})
    assert response.status_code == 302
    assert client.post(url, {"documenten": [nota.pk], "sleutel": sleutel})["Location"] \
        == response["Location"]  # posted twice: one round, one new run
    ronde = Hertoetsronde.objects.get(sleutel=sleutel)
    assert Toetsing.objects.filter(document=nota).count() == 2
    nieuw = Beleidsdocument.objects.get(pk=nota.pk).laatste_toetsing
    assert nieuw.lexicon == v2 and nieuw.opdracht.ronde == ronde
    assert oud.oordelen.get(doel__nummer=9).machine_status == "ontbreekt"  # history kept
    page = client.get(response["Location"]).content.decode()
    assert f"Lexicon versie {v1.versie} vergeleken met versie {v2.versie}" in page
    doel9 = page[page.index("9. "):]
    assert "ontbreekt" in doel9 and "beperkt" in doel9 and "Erbij" in doel9
    assert "<mark>fiets</mark>" in doel9
    assert "groeien op in armoede" not in page  # doel 7 did not change: left out
    # Nothing chosen: a Dutch message.
    assert "Kies minstens één document." in client.post(url, {"sleutel": str(uuid.uuid4())}) \
        .content.decode()


@pytest.mark.django_db
def test_a_rerun_of_many_pages_goes_to_the_worker(client_for, groningen, demo_user,
                                                  django_capture_on_commit_callbacks):
    from tests.toets.test_achtergrond import lange_nota

    beleid = demo_user("groningen", "beleid")
    nota = services.toets_document(beleid, groningen, titel="Lange nota", jaar=2026,
                                   beleidsterrein="inkomen", eigenaar="Team",
                                   data=lange_nota(), achtergrond=False)
    v1 = services.actief_lexicon(groningen)
    inhoud = json.loads(json.dumps(v1.inhoud))
    inhoud["doelen"]["9"]["termen"].append({"term": "fiets", "gewicht": 3})
    v2 = services.save_lexicon(beleid, groningen, inhoud, "fiets", basis=v1.versie)
    client = client_for("groningen", "beleid")
    url = reverse("toets:hertoetsen", kwargs={"gemeente": "groningen"})
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url, {"documenten": [nota.pk], "sleutel": str(uuid.uuid4())})
    assert len(callbacks) == 1
    page = client.get(response["Location"]).content.decode()
    assert "De toets wacht op zijn beurt." in page and 'role="status"' in page
    run_worker()
    page = client.get(response["Location"]).content.decode()
    assert 'role="status"' not in page and "Erbij" in page
    assert nota.laatste_toetsing.lexicon == v2


@pytest.mark.django_db
def test_the_whole_lexicon_as_json(client_for, groningen):
    client = client_for("groningen", "beleid")
    url = reverse("toets:lexicon", kwargs={"gemeente": "groningen"})
    v1 = services.actief_lexicon(groningen)
    page = client.get(url).content.decode()
    assert "Woorden per doel" in page and "Bewerken" in page
    inhoud = json.loads(json.dumps(v1.inhoud))
    inhoud["drempels"]["aangetoond"] = 4
    response = client.post(url, {"inhoud": json.dumps(inhoud), "toelichting": "strenger",
                                 "basis": v1.versie})
    assert response.status_code == 302
    assert services.actief_lexicon(groningen).inhoud["drempels"]["aangetoond"] == 4
    bad = client.post(url, {"inhoud": "{niet json", "toelichting": "x"})
    assert "geen geldige JSON" in bad.content.decode()
    same = client.post(url, {"inhoud": json.dumps(inhoud), "toelichting": "x",
                             "basis": v1.versie + 1})
    assert "Er is niets veranderd" in same.content.decode()
    assert Lexicon.objects.filter(gemeente=groningen).count() == 2
    # A partner has no lexicon pages.
    assert client_for("groningen", "partner").get(url).status_code == 403
