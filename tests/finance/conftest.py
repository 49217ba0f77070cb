"""Helpers for finance tests: a fresh regeling and aanvragen brought to a state through the
services (so every counter and schedule is as in real use)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from finance import services
from finance.models import Aanvraag, Regeling
from network.models import Organisatie

D = Decimal
TODAY = timezone.localdate()
JAAR = TODAY.year


@pytest.fixture
def beleid(demo_user):
    return demo_user("groningen", "beleid")


@pytest.fixture
def partner(demo_user):
    return demo_user("groningen", "partner")


@pytest.fixture
def kids_first(groningen):
    return Organisatie.objects.get(gemeente=groningen, naam="Kids First")


@pytest.fixture
def spt(groningen):
    from regions.models import Gebied

    return Gebied.objects.get(gemeente=groningen, afkorting="SPT")


def url(name, **kwargs):
    from django.urls import reverse

    return reverse(f"finance:{name}", kwargs={"gemeente": "groningen", **kwargs})


def text(response):
    return response.content.decode().replace("\u00a0", " ")


def make_regeling(gemeente, **kwargs):
    fields = dict(
        naam=f"Testregeling {Regeling.objects.count() + 1}", criteria="Voor de test.",
        plafond=D("100000.00"), jaar_van=JAAR, jaar_tot=JAAR + 3,
        aanvragen_van=TODAY - datetime.timedelta(days=30),
        aanvragen_tot=TODAY + datetime.timedelta(days=30),
        voorschot_ritme=Regeling.Ritme.PER_JAAR, voorschot_percentage=80,
        tussentijds_verantwoorden=True)
    concept = kwargs.pop("concept", False)
    fields.update(kwargs)
    regeling = services.save_regeling(None, Regeling(gemeente=gemeente, **fields),
                                      check_permission=False)
    if not concept:
        services.publiceren(None, regeling, check_permission=False)
    return regeling


@pytest.fixture
def regeling(groningen):
    return make_regeling(groningen)


def make_aanvraag(regeling, *, organisatie=None, gebied=None, jaren=None, actor=None,
                  initiatiefnemer=""):
    jaren = jaren or {JAAR: D("20000.00")}
    if organisatie is None and not initiatiefnemer:
        organisatie = Organisatie.objects.get(gemeente=regeling.gemeente, naam="Kids First")
    aanvraag = Aanvraag(gemeente=regeling.gemeente, regeling=regeling, organisatie=organisatie,
                        initiatiefnemer=initiatiefnemer, gebied=gebied, titel="Speelplek",
                        activiteiten="Een speelplek voor jonge kinderen en hun ouders.")
    regels = [{"jaar": j, "soort": "kosten", "omschrijving": "Inzet", "bedrag": b}
              for j, b in jaren.items()]
    doelen = klaverblad_doelen(regeling.gemeente)[:1]
    return services.save_aanvraag(actor, aanvraag, jaren=jaren, regels=regels, doelen=doelen,
                                  check_permission=actor is not None)


def klaverblad_doelen(gemeente):
    from framework.selectors import klaverblad_doelen as current

    return list(current(gemeente).order_by("nummer"))


def in_behandeling(aanvraag):
    services.indienen(None, aanvraag, check_permission=False)
    services.beoordelen(None, aanvraag, volledig=True, check_permission=False,
                        punten=[(p, "voldoet", "") for p in aanvraag.regeling.punten()])
    aanvraag.refresh_from_db()
    return aanvraag


def verleend(aanvraag, bedragen=None, **kwargs):
    in_behandeling(aanvraag)
    bedragen = bedragen or {j.jaar: j.gevraagd for j in aanvraag.jaren.all()}
    services.verlenen(None, aanvraag, bedragen=bedragen, check_permission=False, **kwargs)
    aanvraag.refresh_from_db()
    return aanvraag
