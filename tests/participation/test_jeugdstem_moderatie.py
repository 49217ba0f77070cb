"""Children's voices kept safe (issue 13): nothing a child wrote is public before staff approved
the public text; likely personal data is flagged; hide, spam and delete; the tracking page on a
shared computer; limits on submissions; e-mails to the child through the outbox."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core import attention
from core.models import AuditEntry, Bericht
from participation import codes, selectors, services
from participation.models import Inzending, Vervolgactie
from participation.persoonsgegevens import signaleer
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

SANNE = "Ik ben Sanne uit groep 7, mijn nummer is 06-12345678. Een skatebaan bij het park!"


def public(name, **kwargs):
    return reverse(f"participation:{name}", kwargs={"gemeente": "groningen", **kwargs})


def staff_url(name, inzending):
    return reverse(f"participation:{name}", kwargs={"gemeente": "groningen", "pk": inzending.pk})


def submit(client, **overrides):
    data = {"soort": "idee", "onderwerp": "Skatebaan", "tekst": SANNE, "openbaar": "on"}
    data.update(overrides)
    return client.post(public("publiek-insturen"), data)


def code_from(client, response):
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"]).content.decode()
    return re.search(r'id="volgcode">([0-9A-Z-]+)<', page).group(1)


# Personal data -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "soort", "found"), [
    ("mijn nummer is 06-12345678", "telefoon", "06-12345678"),
    ("bel 06 12 34 56 78", "telefoon", "06 12 34 56 78"),
    ("app me op +31 6 1234 5678", "telefoon", "+31 6 1234 5678"),
    ("+31612345678", "telefoon", "+31612345678"),
    ("ons huis: 050-3671234", "telefoon", "050-3671234"),
    ("(050) 367 12 34", "telefoon", "(050) 367 12 34"),
    ("mail naar sanne.devries@example.org", "email", "sanne.devries@example.org"),
    ("ik woon op 9741 AB 12", "postcode", "9741 AB 12"),
    ("postcode 9741ab 3", "postcode", "9741ab 3"),
    ("ik woon Hoofdstraat 12a", "adres", "Hoofdstraat 12a"),
    ("Groetjes van Sanne uit groep 7", "naam", "Sanne uit groep 7"),
    ("Daan van de Hoofdstraat wil een skatebaan", "naam", "Daan van de Hoofdstraat"),
    ("Tim zit in groep 6 en wil voetballen", "naam", "Tim zit in groep 6"),
    ("Hallo, ik heet Noor", "naam", "ik heet Noor"),
])
def test_likely_personal_data_is_flagged(text, soort, found):
    [signaal] = signaleer(text)
    assert (signaal.soort, signaal.tekst) == (soort, found)


@pytest.mark.parametrize("text", [
    "Wij uit groep 7 willen een zebrapad.",
    "In 2024 en 2025 was de speeltuin dicht.",
    "Een skatebaan met 10 rampen in Beijum.",
    "Er moeten 500 bomen bij, en 12 bankjes.",
    "De Hoofdstraat is te druk.",
])
def test_ordinary_sentences_are_not_flagged(text):
    assert signaleer(text) == []


# Moderation ----------------------------------------------------------------------------------

def test_nothing_is_public_before_staff_approved_an_edited_text(client, client_for, groningen,
                                                                demo_user):
    code = code_from(client, submit(client))
    inzending = Inzending.objects.get(gemeente=groningen, onderwerp="Skatebaan")
    staff = client_for("groningen", "beleid")
    url = staff_url("inzending-detail", inzending)
    beleid = demo_user("groningen", "beleid")
    services.beantwoord(beleid, inzending, "Goed idee! We kijken naar een plek.")
    home = public("publiek-jeugdstem")
    assert "Skatebaan" not in client.get(home).content.decode()  # answered, not approved

    # The staff page flags the name with the class and the phone number, in the original.
    page = staff.get(url).content.decode()
    assert "Misschien persoonsgegevens" in page
    assert "<mark>Ik ben Sanne uit groep 7</mark>" in page and "<mark>06-12345678</mark>" in page
    assert "Nog niet goedgekeurd" in page

    # Approving the child's words as they are is refused while they still hold the number.
    r = staff.post(url, {"actie": "goedkeuren", "publiek_onderwerp": "Skatebaan",
                         "publieke_tekst": SANNE})
    assert r.status_code == 200 and "misschien nog persoonsgegevens" in r.content.decode()
    inzending.refresh_from_db()
    assert inzending.goedgekeurd_op is None
    # The edited text is approved.
    r = staff.post(url, {"actie": "goedkeuren", "publiek_onderwerp": "Een skatebaan",
                         "publieke_tekst": "Een skatebaan bij het park!"})
    assert r.status_code == 302
    inzending.refresh_from_db()
    assert inzending.goedgekeurd_door == beleid and inzending.tekst == SANNE  # kept for staff
    entry = AuditEntry.objects.filter(content_type__model="inzending",
                                      object_id=str(inzending.pk)).latest("pk")
    assert entry.after["goedgekeurd_op"] and "Sanne" not in str(entry.before) + str(entry.after)

    body = client.get(home).content.decode()
    assert "Een skatebaan bij het park!" in body
    assert "Sanne" not in body and "06-12345678" not in body and "groep 7" not in body
    # The child still sees her own words with the code.
    own = type(client)().post(public("publiek-volgen"), {"code": code}).content.decode()
    assert "Sanne uit groep 7" in own

    # A note that is no personal data can be approved once the moderator confirms it.
    r = staff.post(url, {"actie": "goedkeuren", "publiek_onderwerp": "Een skatebaan",
                         "publieke_tekst": "Een skatebaan voor groep 7 van alle scholen, "
                                           "zegt Sanne uit groep 7.",
                         "ondanks_signalen": "on"})
    assert r.status_code == 302

    # Hidden: off the public page; shown again: back.
    assert staff.post(url, {"actie": "verbergen"}).status_code == 302
    assert "Een skatebaan" not in client.get(home).content.decode()
    assert staff.post(url, {"actie": "tonen"}).status_code == 302
    assert "Een skatebaan" in client.get(home).content.decode()


def test_a_message_the_child_did_not_want_public_cannot_be_approved(client_for, groningen):
    inzending, _c = services.dien_inzending_in(groningen, soort="vraag", onderwerp="Geheim",
                                               tekst="Niet openbaar")
    staff = client_for("groningen", "beleid")
    r = staff.post(staff_url("inzending-detail", inzending),
                   {"actie": "goedkeuren", "publiek_onderwerp": "x", "publieke_tekst": "x"})
    assert "wil niet dat dit bericht openbaar" in r.content.decode()
    inzending.refresh_from_db()
    assert inzending.goedgekeurd_op is None


def test_spam_is_closed_without_answer_and_out_of_every_overdue_list(client_for, groningen,
                                                                      demo_user):
    long_ago = timezone.now() - datetime.timedelta(days=40)
    spam, _c = services.dien_inzending_in(groningen, soort="idee", onderwerp="KOOP NU",
                                          tekst="goedkope horloges", email="bot@example.org",
                                          openbaar=True, now=long_ago)
    assert spam in selectors.te_laat_inzendingen(groningen)
    staff = client_for("groningen", "beleid")
    assert staff.post(staff_url("inzending-detail", spam), {"actie": "spam"}).status_code == 302
    spam.refresh_from_db()
    assert spam.status == "spam" and spam.gesloten_op and not spam.beantwoord_op
    assert spam.email == "" and not spam.te_laat()
    assert spam not in selectors.te_laat_inzendingen(groningen)
    # The queued tracking-code e-mail is not sent, and the address left the outbox too.
    bericht = Bericht.objects.get(kind="participation.inzending_volgcode", object_id=spam.pk)
    assert bericht.status == "mislukt" and bericht.email == "" and "horloges" not in bericht.body
    # Not on the beleidsmedewerker's or the raad's list of things to do, not escalated.
    for role in ("beleid", "raad"):
        items = attention.items_for(demo_user("groningen", role), groningen)
        assert not any("KOOP NU" in str(i.title) for i in items)
    services.escaleer_te_laat(groningen)
    spam.refresh_from_db()
    assert spam.geescaleerd_op is None
    page = staff.get(reverse("participation:inzending-list", kwargs={"gemeente": "groningen"})
                     + "?filter=te-laat").content.decode()
    assert "KOOP NU" not in page
    with pytest.raises(ValidationError):
        services.beantwoord(demo_user("groningen", "beleid"), spam, "x")


def test_an_answered_public_message_waits_for_moderation_on_the_home_page(client_for, groningen,
                                                                          demo_user):
    inzending, _c = services.dien_inzending_in(groningen, soort="idee", onderwerp="Pannaveld",
                                               tekst="Een pannaveld bij school.", openbaar=True)
    beleid = demo_user("groningen", "beleid")

    def titles(role):
        return [str(i.title) for i in attention.items_for(demo_user("groningen", role),
                                                          groningen)]

    # Open: it waits to be answered (moderation is on the same page), not twice.
    assert "Oppakken en beantwoorden: Pannaveld" in titles("beleid")
    assert not any("nakijken: Pannaveld" in t for t in titles("beleid"))
    services.beantwoord(beleid, inzending, "Goed idee.")
    assert "Openbare tekst nakijken: Pannaveld" in titles("beleid")
    assert not any("Pannaveld" in t for t in titles("raad") + titles("partner"))
    home = client_for("groningen", "beleid").get(
        reverse("core:gemeente", kwargs={"gemeente": "groningen"})).content.decode()
    assert "Openbare tekst nakijken: Pannaveld" in home
    services.keur_goed(beleid, inzending, publiek_onderwerp="Pannaveld",
                       publieke_tekst="Een pannaveld bij school.")
    assert not any("Pannaveld" in t for t in titles("beleid"))


def test_delete_removes_the_original_with_everything_of_it(client_for, groningen, demo_user):
    inzending, _c = services.dien_inzending_in(groningen, soort="idee", onderwerp="Weg",
                                               tekst=SANNE, email="kind@example.org",
                                               openbaar=True)
    Vervolgactie.objects.create(gemeente=groningen, inzending=inzending, omschrijving="x",
                                eigenaar="y")
    url = staff_url("inzending-delete", inzending)
    jury = client_for("groningen", "jury")
    assert jury.post(url).status_code in (403, 404)
    assert client_for("assen", "beleid").post(
        reverse("participation:inzending-delete",
                kwargs={"gemeente": "assen", "pk": inzending.pk})).status_code == 404
    staff = client_for("groningen", "beleid")
    assert "verwijderen" in staff.get(url).content.decode()
    assert staff.post(url).status_code == 302
    assert not Inzending.objects.filter(pk=inzending.pk).exists()
    assert not Vervolgactie.objects.filter(inzending_id=inzending.pk).exists()
    assert not Bericht.objects.filter(object_id=str(inzending.pk),
                                      kind__startswith="participation.inzending_").exists()
    entry = AuditEntry.objects.get(content_type__model="inzending", object_id=str(inzending.pk),
                                   action=AuditEntry.Action.DELETE)
    assert entry.actor == demo_user("groningen", "beleid") and "Sanne" not in str(entry.before)


# Shared computers ----------------------------------------------------------------------------

def test_the_tracking_page_forgets_the_message(client, groningen, demo_user):
    code = code_from(client, submit(client, tekst="Een skatebaan bij het park."))
    follow = public("publiek-volgen")
    shown = client.post(follow, {"code": code})
    assert "Een skatebaan bij het park." in shown.content.decode()
    assert "Vergeet dit bericht op deze computer" in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    # The next child at this computer: the page shows nothing of it ...
    page = client.get(follow).content.decode()
    assert "skatebaan" not in page.lower()
    # ... not even after a wrong code: only the error.
    wrong = client.post(follow, {"code": codes.new_code()}).content.decode()
    assert "kennen we niet" in wrong and "skatebaan" not in wrong.lower()
    assert not any("volg" in k and k != "participation.nieuwe_volgcode"
                   for k in client.session.keys())
    # "Vergeet dit bericht": the browser is asked to drop what it cached of this site.
    forget = client.post(follow, {"actie": "vergeet"})
    assert forget.status_code == 302 and forget["Clear-Site-Data"] == '"cache"'
    after = client.get(forget["Location"]).content.decode()
    assert "skatebaan" not in after.lower() and "weg van deze computer" in after


# Rate limits ---------------------------------------------------------------------------------

def test_submissions_are_limited_per_session_and_per_address(client, groningen, settings):
    settings.PARTICIPATION_INZENDINGEN_PER_SESSIE = "3/h"
    settings.PARTICIPATION_INZENDINGEN_PER_ADRES = "5/h"
    # Mistakes do not count: a child may correct the form as often as needed.
    for _ in range(6):
        assert submit(client, tekst="").status_code == 200
    for i in range(3):
        assert submit(client, onderwerp=f"Idee {i}").status_code == 302
    refused = submit(client, onderwerp="Idee 4")
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "Even wachten" in text and "juf of meester" in text
    assert not Inzending.objects.filter(onderwerp="Idee 4").exists()
    # Another browser at the same school address: two more, then the address is full.
    other = type(client)()
    assert [submit(other, onderwerp=f"Ander {i}").status_code for i in range(3)] == [302, 302,
                                                                                       429]
    # Another address is not affected.
    elsewhere = type(client)(REMOTE_ADDR="198.51.100.20")
    assert submit(elsewhere, onderwerp="Elders").status_code == 302


def test_a_class_behind_one_address_can_submit_with_the_default_limits(client, groningen):
    """30 children of one class at 30 computers behind one school address, each once."""
    for i in range(30):
        child = type(client)()
        assert submit(child, onderwerp=f"Kind {i}", tekst="Een idee.").status_code == 302


# E-mails -------------------------------------------------------------------------------------

def test_the_child_gets_the_tracking_code_and_the_answer_by_e_mail(
        client, groningen, demo_user, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        code = code_from(client, submit(client, tekst="Een skatebaan.",
                                        email="kind@example.org"))
    inzending = Inzending.objects.get(gemeente=groningen, onderwerp="Skatebaan")
    bericht = Bericht.objects.get(kind="participation.inzending_volgcode",
                                  object_id=inzending.pk)
    assert bericht.email == "kind@example.org" and bericht.user is None
    assert code in bericht.body
    run_worker()
    [sent] = mail.outbox
    assert sent.to == ["kind@example.org"] and code in sent.body
    assert sent.subject == "Je volgcode: zo volg je je bericht"
    assert "Dit is je volgcode" in sent.body and "/groningen/jouw-stem/volgen/" in sent.body

    beleid = demo_user("groningen", "beleid")
    with django_capture_on_commit_callbacks(execute=True):
        services.beantwoord(beleid, inzending, "Goed idee! We zoeken een plek.")
    run_worker()
    assert len(mail.outbox) == 2
    answer = mail.outbox[1]
    assert answer.subject == "Je hebt antwoord op je bericht"
    assert "Goed idee! We zoeken een plek." in answer.body and code not in answer.body
    # A correction of the answer does not mail again.
    inzending.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.beantwoord(beleid, inzending, "Goed idee! We zoeken samen een plek.")
    run_worker()
    assert len(mail.outbox) == 2
    assert Bericht.objects.filter(kind="participation.inzending_antwoord").count() == 1


def test_no_e_mail_without_an_address(client, groningen):
    code_from(client, submit(client, tekst="Een skatebaan."))
    assert not Bericht.objects.filter(kind__startswith="participation.inzending_").exists()
