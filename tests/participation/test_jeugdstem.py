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
from participation.models import (
    Adviesronde,
    Instelling,
    Inzending,
    Kinderthema,
    Terugkoppeling,
    Vervolgactie,
)

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
                           "bewaartermijn_kandidaten_dagen": 30,
                           "bewaartermijn_na_termijn_dagen": 30, "minimum_per_kanaal": 10,
                           "email_bewaartermijn_dagen": 60, "anonimiseren_na_maanden": 12})
    assert response.status_code == 302
    assert Instelling.objects.get(gemeente=groningen).antwoordtermijn_dagen == 14
    inzending, _code = services.dien_inzending_in(groningen, soort="vraag", onderwerp="Bus",
                                                  tekst="Waarom rijdt de bus niet vaker?")
    assert inzending.deadline == timezone.localdate() + datetime.timedelta(days=14)


def test_follow_with_the_tracking_code(client, groningen, demo_user):
    code, _page = submit(client)
    inzending = Inzending.objects.get(gemeente=groningen, onderwerp="Skatebaan")
    beleid = demo_user("groningen", "beleid")
    services.beantwoord(beleid, inzending, "We gaan een plek zoeken met kinderen uit Beijum.")
    inzending.refresh_from_db()
    services.save_vervolgactie(beleid, Vervolgactie(
        gemeente=groningen, inzending=inzending, omschrijving="Plek zoeken",
        eigenaar="Team Spelen", status="bezig"))
    services.voeg_terugkoppeling_toe(beleid, Terugkoppeling(
        gemeente=groningen, inzending=inzending, tekst="Jij zei: een skatebaan. Wij "
                                                      "deden: drie plekken bekeken."))

    other = type(client)()  # a fresh browser: follows by code only
    follow = public("publiek-volgen")
    assert "Plek zoeken" not in other.get(follow).content.decode()
    response = other.post(follow, {"code": code.lower()})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "We gaan een plek zoeken" in page and "Plek zoeken" in page
    assert "Team Spelen" in page and "bezig" in page and "drie plekken bekeken" in page
    assert code not in page  # the code is not filled in again


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
        r = third.post(follow, {"code": code}, REMOTE_ADDR="198.51.100.9")
        assert r.status_code == 200 and "Een skatebaan in Beijum!" in r.content.decode()


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
    assert "tien bomen" in page and "Meer bomen" not in page  # the child's words: not approved
    services.keur_goed(beleid, advies, publiek_onderwerp="Bomen",
                       publieke_tekst="Meer bomen en plantenbakken.")
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
    assert "Openbaar idee" not in page  # answered, but nobody approved the public text
    services.keur_goed(beleid, ja, publiek_onderwerp="Openbaar idee",
                       publieke_tekst="Mag iedereen lezen")
    with pytest.raises(ValidationError):  # the child said no
        services.keur_goed(beleid, nee, publiek_onderwerp="x", publieke_tekst="x")
    page = client.get(public("publiek-jeugdstem")).content.decode()
    assert "Openbaar idee" in page and "Geheim idee" not in page


def test_the_form_offers_themes_in_childrens_words_and_gebieden(client, client_for, groningen,
                                                               assen):
    from framework.selectors import klaverblad_doelen

    doel = klaverblad_doelen(groningen).get(nummer=9)  # "... bewust dat ze invloed hebben"
    thema = selectors.kinderthemas(groningen).get(doel=doel)
    page = client.get(public("publiek-insturen")).content.decode()
    assert "Meepraten en meebeslissen" in page and doel.tekst not in page  # not policy words
    assert "Selwerd, Paddepoel en Tuinwijk" in page and "Weet ik niet" in page
    # No error before the child typed anything; after a post, only then, aria-invalid.
    assert "og-field-error" not in page and "aria-invalid" not in page and "Er ging" not in page
    bad = client.post(public("publiek-insturen"), {"soort": "idee"}).content.decode()
    assert 'aria-invalid="true"' in bad and "Schrijf je bericht." in bad

    # The beleidsmedewerker rewrites a theme on the themes page.
    staff = client_for("groningen", "beleid")
    url = reverse("participation:kinderthemas", kwargs={"gemeente": "groningen"})
    form = staff.get(url).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data[f"doel_{doel.pk}"] = "Zeggen wat jij vindt"
    assert staff.post(url, data).status_code == 302
    thema.refresh_from_db()
    assert thema.tekst == "Zeggen wat jij vindt"
    assert "Zeggen wat jij vindt" in client.get(public("publiek-insturen")).content.decode()

    foreign = Kinderthema.objects.create(gemeente=assen, doel=doel, tekst="Van Assen")
    bad = client.post(public("publiek-insturen"), {
        "soort": "idee", "onderwerp": "Raad", "tekst": "Een kinderraad", "thema": foreign.pk})
    assert bad.status_code == 200 and not Inzending.objects.filter(onderwerp="Raad").exists()
    spt = selectors.gebieden(groningen).get(afkorting="SPT")
    _code, _page = submit(client, onderwerp="Kinderraad", thema=thema.pk, gebied=spt.pk)
    inzending = Inzending.objects.get(gemeente=groningen, onderwerp="Kinderraad")
    assert inzending.klaverblad_doelen() == [doel] and inzending.gebied == spt
