"""Reminders before, escalation after: a frozen clock walks day by day across the end of a
quarter, a verantwoording deadline, a beslistermijn and a child's answer deadline; each day
the scheduler hands over what is due and the real worker runs it (and on some days runs every
job a second time, as after a worker restart). Every reminder and escalation goes out once."""

import datetime
import uuid
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType

from core import scheduler
from core.models import Bericht, Membership
from finance.models import Aanvraag, AanvraagJaar, Regeling
from participation.models import Inzending
from plans.models import Activiteit, WijkplanVersie
from tests.worker import run_worker

pytestmark = pytest.mark.django_db
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
START = datetime.date(2032, 3, 8)
END = datetime.date(2032, 4, 8)


@pytest.fixture
def world(groningen):
    partner = Membership.objects.get(user__username="groningen-partner")
    coordinator = Membership.objects.get(user__username="groningen-coordinator")
    voorbeeld = Activiteit.objects.filter(
        gemeente=groningen, versie__status=WijkplanVersie.Status.VASTGESTELD,
        versie__wijkplan__gebied_id=coordinator.gebied_id).first()
    # A vastgestelde version no longer changes (save refuses); bulk_create adds the row
    # as if it had been there when the version was vastgesteld.
    [activiteit] = Activiteit.objects.bulk_create([Activiteit(
        gemeente=groningen, versie_id=voorbeeld.versie_id, pijler_id=voorbeeld.pijler_id,
        naam="Buurtsportcoach op het plein", sleutel=uuid.uuid4(),
        trekker_id=partner.organisatie_id, leeftijd_van=voorbeeld.leeftijd_van,
        leeftijd_tot=voorbeeld.leeftijd_tot, status=Activiteit.Status.LOPEND)])
    regeling = Regeling.objects.filter(gemeente=groningen).first()
    verleend = Aanvraag.objects.create(
        gemeente=groningen, regeling=regeling, organisatie=partner.organisatie,
        titel="Zomerschool", activiteiten="Lessen", status=Aanvraag.Status.VERLEEND,
        gevraagd=Decimal("500.00"))
    AanvraagJaar.objects.create(gemeente=groningen, aanvraag=verleend, jaar=2031,
                                gevraagd=Decimal("500.00"))  # due 31 March 2032
    ingediend = Aanvraag.objects.create(
        gemeente=groningen, regeling=regeling, organisatie=partner.organisatie,
        titel="Speeltuin", activiteiten="Bouwen", status=Aanvraag.Status.INGEDIEND,
        uiterste_beslisdatum=datetime.date(2032, 3, 25), gevraagd=Decimal("100.00"))
    inzending = Inzending.objects.create(
        gemeente=groningen, soort="idee", onderwerp="Een pannaveld", tekst="Graag",
        deadline=datetime.date(2032, 3, 20))
    return {"activiteit": activiteit, "verleend": verleend, "ingediend": ingediend,
            "inzending": inzending, "partner": partner.user, "coordinator": coordinator.user,
            "stuurgroep": Membership.objects.get(user__username="groningen-stuurgroep").user,
            "beleid": Membership.objects.get(user__username="groningen-beleid").user}


def walk(days_with_restart):
    day = START
    while day <= END:
        moment = datetime.datetime.combine(day, datetime.time(8, 0), tzinfo=AMS)
        with time_machine.travel(moment, tick=False):
            scheduler.tick()
            run_worker()
            if day in days_with_restart:  # every job runs again, as after a restart
                assert scheduler.tick() == []  # a restarted scheduler hands nothing over again
                for job in scheduler.jobs():
                    job.task.enqueue()
                run_worker()
        day += datetime.timedelta(days=1)


def sent(kind, user, obj=None, key_part=""):
    qs = Bericht.objects.filter(kind=kind, user=user, key__contains=key_part)
    if obj is not None:
        qs = qs.filter(content_type=ContentType.objects.get_for_model(type(obj)),
                       object_id=str(obj.pk))
    return [b.created.astimezone(AMS).date() for b in qs]


def test_every_reminder_and_escalation_goes_out_once(world):
    walk({datetime.date(2032, 3, 17), datetime.date(2032, 3, 26), datetime.date(2032, 4, 1),
          datetime.date(2032, 4, 2)})
    w = world
    d = datetime.date
    # Quarterly report for 2032-K1 (ends 31 March): reminder 14 days before, escalation after.
    gebied = w["activiteit"].versie.wijkplan.gebied_id
    k1 = f"2032-K1:{gebied}:"
    assert sent("plans.rapportage_herinnering", w["coordinator"], key_part=k1) == [d(2032, 3, 17)]
    assert sent("plans.rapportage_herinnering", w["partner"], key_part=k1) == [d(2032, 3, 17)]
    assert sent("plans.rapportage_escalatie", w["stuurgroep"], key_part=k1) == [d(2032, 4, 1)]
    assert sent("plans.rapportage_escalatie", w["coordinator"], key_part=k1) == [d(2032, 4, 1)]
    assert sent("plans.rapportage_herinnering", w["stuurgroep"], key_part=k1) == []
    body = Bericht.objects.get(kind="plans.rapportage_herinnering", user=w["partner"],
                               key__contains=k1).body
    assert "Buurtsportcoach op het plein" in body
    # Verantwoording due 31 March 2032: the partner is reminded, the beleidsmedewerker escalated.
    v = w["verleend"]
    assert sent("finance.verantwoording_herinnering", w["partner"], v) == [d(2032, 3, 17)]
    assert sent("finance.verantwoording_escalatie", w["beleid"], v) == [d(2032, 4, 1)]
    assert sent("finance.verantwoording_escalatie", w["partner"], v) == []
    # Beslistermijn 25 March 2032.
    a = w["ingediend"]
    assert sent("finance.beslistermijn_herinnering", w["beleid"], a) == [d(2032, 3, 11)]
    assert sent("finance.beslistermijn_escalatie", w["beleid"], a) == [d(2032, 3, 26)]
    # A child's idea, answer due 20 March 2032.
    i = w["inzending"]
    assert sent("participation.antwoord_herinnering", w["beleid"], i) == [d(2032, 3, 17)]
    escalations = Bericht.objects.filter(kind="participation.antwoord_escalatie",
                                         user=w["beleid"], body__contains="Een pannaveld")
    assert [b.created.astimezone(AMS).date() for b in escalations] == [d(2032, 3, 21)]
    i.refresh_from_db()
    assert i.geescaleerd_op.astimezone(AMS).date() == d(2032, 3, 21)
