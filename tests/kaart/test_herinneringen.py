"""Reminders before the review date (with working one-click links) and escalation to the
redacteur, through the outbox, once each."""

import datetime
import re

import pytest
from django.utils import timezone

from core.models import Bericht
from kaart import services, versheid
from kaart.models import Aanbod
from tests.kaart.helpers import aanbod, organisatie


@pytest.mark.django_db
def test_reminder_has_working_links_and_is_sent_once(client, groningen, demo_user):
    vandaag = timezone.localdate()
    a = aanbod(groningen, "Peuterochtend", org=organisatie(groningen, "Kids First"))
    Aanbod.objects.filter(pk=a.pk).update(controle_voor=vandaag + datetime.timedelta(days=10))
    later = aanbod(groningen, "Later", org=organisatie(groningen, "Kids First"))
    assert services.herinner_aanbieders(vandaag) >= 1
    assert services.herinner_aanbieders(vandaag) == 0
    berichten = Bericht.objects.filter(kind="kaart.controle", object_id=str(a.pk))
    assert [b.user for b in berichten] == [demo_user("groningen", "partner")]
    assert not Bericht.objects.filter(kind="kaart.controle", object_id=str(later.pk)).exists()
    links = re.findall(r"https?://\S+/sociale-kaart/controle/\S+/(?:klopt-nog|wijzigen)/",
                       berichten[0].body)
    assert len(links) == 2
    path = "/" + links[0].split("://", 1)[1].split("/", 1)[1]
    assert client.post(path).status_code == 200
    a.refresh_from_db()
    assert a.gecontroleerd_op == vandaag and a.herinnerd_op is None
    assert a.controle_voor == versheid.plus_maanden(vandaag, 6)


@pytest.mark.django_db
def test_escalation_reaches_redacteur_once(groningen, demo_user):
    vandaag = timezone.localdate()
    a = aanbod(groningen, "Vergeten aanbod")
    Aanbod.objects.filter(pk=a.pk).update(controle_voor=vandaag - datetime.timedelta(days=1))
    melding = services.meld_fout(a, tekst="Het adres klopt niet.")
    services.escaleer(melding.antwoord_voor + datetime.timedelta(days=1))
    services.escaleer(melding.antwoord_voor + datetime.timedelta(days=2))
    beleid = demo_user("groningen", "beleid")
    assert Bericht.objects.filter(kind="kaart.escalatie", user=beleid,
                                  object_id=str(a.pk)).count() == 1
    assert Bericht.objects.filter(kind="kaart.escalatie", user=beleid,
                                  object_id=str(melding.pk)).count() == 1
    # The report itself reached the provider and the redacteur at once.
    assert Bericht.objects.filter(kind="kaart.melding", object_id=str(melding.pk)).count() == 2
