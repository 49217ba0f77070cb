"""Youth voices: every idea, question or advice gets an answer in time, and the child can
follow what is done with it."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core import notifications
from core.models import AuditEntry, Bericht
from participation import codes, selectors, services
from participation.models import Adviesronde, Instelling, Inzending, Terugkoppeling, Vervolgactie

pytestmark = pytest.mark.django_db


def public(name, **kwargs):
    return reverse(f"participation:{name}", kwargs={"gemeente": "groningen", **kwargs})


def submit(client, **overrides):
    data = {"soort": "idee", "onderwerp": "Skatebaan", "tekst": "Een skatebaan in Beijum!",
            "openbaar": "on"}
    data.update(overrides)
    response = client.post(public("publiek-insturen"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"]).content.decode()
    return re.search(r'id="volgcode">([0-9A-Z-]+)<', page).group(1), page


def test_child_submits_and_gets_a_tracking_code_once(client, groningen):
    code, page = submit(client)
    assert len(codes.normalize(code)) == codes.LENGTH
    inzending = Inzending.objects.get(gemeente=groningen, onderwerp="Skatebaan")
    assert inzending.volgcode_hash == codes.sha256(codes.normalize(code))
    assert code not in str(Inzending.objects.filter(pk=inzending.pk).values().get())
    # Shown once: a second visit does not show it again.
    again = client.get(public("publiek-ingestuurd")).content.decode()
    assert code not in again and "al getoond" in again
    # The deadline: the gemeente's answer period (default 4 weeks).
    assert inzending.deadline == timezone.localdate() + datetime.timedelta(days=28)
    entry = AuditEntry.objects.get(content_type__model="inzending", object_id=str(inzending.pk))
    assert "Beijum" not in str(entry.after)


def test_answer_deadline_follows_the_gemeente_setting(client, groningen, client_for):
    staff = client_for("groningen", "beleid")
    response = staff.post(reverse("participation:instelling", kwargs={"gemeente": "groningen"}),
                          {"antwoordtermijn_dagen": 14, "bewaartermijn_dagen": 30,
                           "bewaartermijn_kandidaten_dagen": 30, "minimum_per_kanaal": 10})
    assert response.status_code == 302
    assert Instelling.objects.get(gemeente=groningen).antwoordtermijn_dagen == 14
    inzending, _code = services.dien_inzending_in(groningen, soort="vraag", onderwerp="Bus",
                                                  tekst="Waarom rijdt de bus niet vaker?")
    assert inzending.deadline == timezone.localdate() + datetime.timedelta(days=14)


def test_follow_with_the_tracking_code(client, groningen, demo_user,
                                       django_capture_on_commit_callbacks):
    code, _page = submit(client, email="kind@example.org")
    inzending = Inzending.objects.get(gemeente=groningen, onderwerp="Skatebaan")
    beleid = demo_user("groningen", "beleid")
    with django_capture_on_commit_callbacks(execute=True):  # mails go after the commit
        services.beantwoord(beleid, inzending, "We gaan een plek zoeken met kinderen uit "
                                               "Beijum.")
        inzending.refresh_from_db()
        services.save_vervolgactie(beleid, Vervolgactie(
            gemeente=groningen, inzending=inzending, omschrijving="Plek zoeken",
            eigenaar="Team Spelen", status="bezig"))
        services.voeg_terugkoppeling_toe(beleid, Terugkoppeling(
            gemeente=groningen, inzending=inzending, tekst="Jij zei: een skatebaan. Wij "
                                                          "deden: drie plekken bekeken."))
    assert "We gaan een plek zoeken" in mail.outbox[0].body
    assert [m.to for m in mail.outbox] == [["kind@example.org"], ["kind@example.org"]]

    other = type(client)()  # a fresh browser: follows by code only
    follow = public("publiek-volgen")
    assert "Plek zoeken" not in other.get(follow).content.decode()
    response = other.post(follow, {"code": code.lower()})
    assert response.status_code == 302
    page = other.get(follow).content.decode()
    assert "We gaan een plek zoeken" in page and "Plek zoeken" in page
    assert "Team Spelen" in page and "bezig" in page and "drie plekken bekeken" in page
    assert "kind@example.org" not in page


def test_wrong_tracking_codes_are_throttled_per_ip(client, groningen, settings):
    settings.PARTICIPATION_CODE_FAILURES = "3/10m"
    code, _page = submit(client)
    follow = public("publiek-volgen")
    other = type(client)()
    for _ in range(3):
        r = other.post(follow, {"code": codes.new_code()})
        assert r.status_code == 200 and "kennen we niet" in r.content.decode()
    assert other.post(follow, {"code": code}).status_code == 429
    # Successful look-ups never count.
    third = type(client)()
    for _ in range(10):
        assert third.post(follow, {"code": code}, REMOTE_ADDR="198.51.100.9"
                          ).status_code == 302


def test_a_submission_of_another_gemeente_is_not_found(client, assen):
    _i, code = services.dien_inzending_in(assen, soort="idee", onderwerp="Park", tekst="Park")
    r = client.post(public("publiek-volgen"), {"code": code})
    assert r.status_code == 200 and "kennen we niet" in r.content.decode()


def test_assigning_answering_and_closing(client_for, groningen, demo_user):
    inzending, _code = services.dien_inzending_in(groningen, soort="vraag", onderwerp="Zwembad",
                                                  tekst="Waarom is het zwembad duur?")
    client = client_for("groningen", "beleid")
    url = reverse("participation:inzending-detail", kwargs={"gemeente": "groningen",
                                                            "pk": inzending.pk})
    beleid = demo_user("groningen", "beleid")
    assert client.post(url, {"actie": "toewijzen", "behandelaar": beleid.pk}).status_code == 302
    # Only a beleidsmedewerker of this gemeente can be the official.
    jury = demo_user("groningen", "jury")
    client.post(url, {"actie": "toewijzen", "behandelaar": jury.pk})
    inzending.refresh_from_db()
    assert inzending.behandelaar == beleid and inzending.status == "in_behandeling"
    # Closing before an answer is refused.
    client.post(url, {"actie": "afsluiten"})
    inzending.refresh_from_db()
    assert inzending.gesloten_op is None
    client.post(url, {"actie": "beantwoorden", "antwoord": "Zwemmen kost geld voor het water."})
    inzending.refresh_from_db()
    assert inzending.status == "beantwoord" and inzending.beantwoord_door == beleid
    actie = Vervolgactie.objects.create(gemeente=groningen, inzending=inzending,
                                        omschrijving="Kortingspas uitleggen", eigenaar="Team")
    client.post(url, {"actie": "afsluiten"})
    inzending.refresh_from_db()
    assert inzending.gesloten_op is None  # an open follow-up action keeps it open
    Vervolgactie.objects.filter(pk=actie.pk).update(status="klaar")
    client.post(url, {"actie": "afsluiten"})
    inzending.refresh_from_db()
    assert inzending.status == "gesloten"
    with pytest.raises(ValidationError):
        services.beantwoord(beleid, inzending, "Nog iets")


def test_overdue_page_and_escalation(client_for, groningen, demo_user):
    beleid = demo_user("groningen", "beleid")
    beleid.email = "beleid@example.org"
    beleid.save()
    long_ago = timezone.now() - datetime.timedelta(days=40)
    laat, _c = services.dien_inzending_in(groningen, soort="idee", onderwerp="Zebrapad",
                                          tekst="Een zebrapad bij school", now=long_ago)
    op_tijd, _c = services.dien_inzending_in(groningen, soort="idee", onderwerp="Bankje",
                                             tekst="Een bankje")
    actie = Vervolgactie.objects.create(
        gemeente=groningen, inzending=op_tijd, omschrijving="Bankje plaatsen", eigenaar="Team",
        streefdatum=timezone.localdate() - datetime.timedelta(days=1))
    client = client_for("groningen", "beleid")
    url = reverse("participation:te-laat", kwargs={"gemeente": "groningen"})
    page = client.get(url)
    assert laat in page.context["inzendingen"] and op_tijd not in page.context["inzendingen"]
    assert actie in page.context["acties"]

    mail.outbox.clear()
    assert client.post(url).status_code == 302
    laat.refresh_from_db()
    assert laat.geescaleerd_op is not None
    # Also the demo's overdue item; every beleidsmedewerker is told through the outbox.
    [bericht] = Bericht.objects.filter(kind="participation.antwoord_escalatie")
    assert bericht.user == beleid and "Zebrapad" in bericht.body
    notifications.deliver(bericht.pk)  # what the worker does after the commit
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["beleid@example.org"]
    assert "Zebrapad" in mail.outbox[0].body
    # Escalated once: the nightly run sends nothing new.
    assert services.escaleer_te_laat() == 0
    assert Bericht.objects.filter(kind="participation.antwoord_escalatie").count() == 1


def test_answering_in_time_is_not_overdue(groningen, demo_user):
    long_ago = timezone.now() - datetime.timedelta(days=40)
    i, _c = services.dien_inzending_in(groningen, soort="idee", onderwerp="X", tekst="X",
                                       now=long_ago)
    assert i in selectors.te_laat_inzendingen(groningen)
    services.beantwoord(demo_user("groningen", "beleid"), i, "Antwoord")
    assert i not in selectors.te_laat_inzendingen(groningen)


def test_advice_round(client, client_for, groningen, demo_user):
    beleid = demo_user("groningen", "beleid")
    staff = client_for("groningen", "beleid")
    response = staff.post(reverse("participation:adviesronde-create",
                                  kwargs={"gemeente": "groningen"}), {
        "titel": "Het schoolplein", "vraag": "Hoe maken we het schoolplein groener?",
        "gesteld_door": "de gemeenteraad", "groep": "groep 7",
        "open_tot": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
        "behandelaar": beleid.pk})
    assert response.status_code == 302
    ronde = Adviesronde.objects.get(gemeente=groningen, titel="Het schoolplein")
    staff.logout()
    url = public("publiek-adviesronde", pk=ronde.pk)
    page = client.get(url).content.decode()
    assert "Hoe maken we het schoolplein groener?" in page
    r = client.post(url, {"onderwerp": "Bomen", "tekst": "Meer bomen en plantenbakken.",
                          "openbaar": "on"})
    assert r.status_code == 302
    advies = ronde.adviezen.get()
    assert advies.soort == "advies" and advies.behandelaar == beleid  # from the round
    assert "Meer bomen" not in client.get(url).content.decode()  # not answered yet
    services.beantwoord(beleid, advies, "We planten in het voorjaar tien bomen.")
    page = client.get(url).content.decode()
    assert "Meer bomen" in page and "tien bomen" in page
    # After the closing date no more advice is taken.
    Adviesronde.objects.filter(pk=ronde.pk).update(
        open_tot=timezone.localdate() - datetime.timedelta(days=1))
    r = client.post(url, {"onderwerp": "Laat", "tekst": "Te laat"})
    assert r.status_code == 200 and "kan niet meer" in r.content.decode()
    assert ronde.adviezen.count() == 1


def test_public_page_shows_only_consented_answers(client, groningen, demo_user):
    beleid = demo_user("groningen", "beleid")
    ja, _c = services.dien_inzending_in(groningen, soort="idee", onderwerp="Openbaar idee",
                                        tekst="Mag iedereen lezen", openbaar=True)
    nee, _c = services.dien_inzending_in(groningen, soort="idee", onderwerp="Geheim idee",
                                         tekst="Liever niet openbaar")
    for i in (ja, nee):
        services.beantwoord(beleid, i, f"Antwoord op {i.onderwerp}")
    page = client.get(public("publiek-jeugdstem")).content.decode()
    assert "Openbaar idee" in page and "Geheim idee" not in page


def test_submission_form_is_rate_limited(client):
    data = {"soort": "idee", "onderwerp": "", "tekst": ""}
    statuses = [client.post(public("publiek-insturen"), data).status_code for _ in range(21)]
    assert statuses[-1] == 429 and set(statuses[:20]) == {200}


def test_a_submission_can_name_the_klaverblad_doel_it_fits(client, groningen, assen):
    from framework.selectors import klaverblad_doelen

    doel = klaverblad_doelen(groningen).get(nummer=9)  # "... bewust dat ze invloed hebben"
    page = client.get(public("publiek-insturen")).content.decode()
    assert doel.tekst in page
    foreign = klaverblad_doelen(assen).first()
    if foreign is not None:
        assert foreign.pk not in [d.pk for d in klaverblad_doelen(groningen)]
        bad = client.post(public("publiek-insturen"), {
            "soort": "idee", "onderwerp": "Raad", "tekst": "Een kinderraad", "doel": foreign.pk})
        assert bad.status_code == 200 and not Inzending.objects.filter(onderwerp="Raad").exists()
    _code, _page = submit(client, onderwerp="Kinderraad", doel=doel.pk)
    inzending = Inzending.objects.get(gemeente=groningen, onderwerp="Kinderraad")
    assert inzending.klaverblad_doelen() == [doel]
