import datetime
from types import SimpleNamespace

from kaart import ladder, services
from kaart.models import (
    Ladderactiviteit,
    Melding,
    Schoolvakantie,
    Uitzondering,
    Wijzigingsverzoek,
)
from network.models import Organisatie
from tests.kaart.helpers import aanbod, locatie, organisatie_van
from tests.permissions import ALL, BELEID, PUBLIC, Page

PROVIDER = BELEID | {"partner"}


def public(obj=None, kw="pk", attr="pk"):
    return Page(PUBLIC, obj, kw, public=True, attr=attr)


PAGES = {
    "kaart:publiek-zoeken": public(),
    "kaart:publiek-aanbod": public("aanbod"),
    "kaart:publiek-melden": public("aanbod"),
    "kaart:publiek-klopt-nog": public("klopt", "token", "token"),
    "kaart:publiek-wijzigen": public("wijzigen", "token", "token"),
    "hsds:root": public(),
    "hsds:services": public(),
    "hsds:service": public("aanbod", "id", "uuid"),
    "hsds:organizations": public(),
    "hsds:organization": public("aanbieder", "id", "uuid"),
    "hsds:export": public(),
    "kaart:publiek-verwijsroutes": public(),
    "kaart:publiek-ladder": public("school"),
    "kaart:publiek-ladder-ical": public("school"),
    "kaart:publiek-ladder-pdf": public("school"),
    "kaart:ladder": Page(ALL, "school"),
    "kaart:ladder-gaten": Page(ALL),
    "kaart:aanbod-list": Page(ALL),
    "kaart:aanbod-create": Page(BELEID),
    "kaart:aanbod-detail": Page(ALL, "aanbod"),
    "kaart:aanbod-update": Page(BELEID, "aanbod"),
    "kaart:aanbod-wijzigen": Page(PROVIDER, "aanbod"),
    "kaart:aanbod-controleren": Page(PROVIDER, "aanbod"),
    "kaart:versheid": Page(PROVIDER),
    "kaart:wijziging-list": Page(PROVIDER),
    "kaart:wijziging-detail": Page(PROVIDER, "wijziging"),
    "kaart:melding-list": Page(PROVIDER),
    "kaart:melding-detail": Page(PROVIDER, "melding"),
    "kaart:import-scholen": Page(BELEID),
    "kaart:import-kinderopvang": Page(BELEID),
    "kaart:locatie-create": Page(BELEID),
    "kaart:locatie-detail": Page(ALL, "locatie"),
    "kaart:locatie-update": Page(BELEID, "locatie"),
    # Opening hours: the redacteur, and the partner of the locatie's organisatie (the demo
    # lets opening hours go live at once).
    "kaart:locatie-openingstijden": Page(PROVIDER, "locatie"),
    "kaart:uitzondering-create": Page(PROVIDER, "locatie", "locatie_pk"),
    "kaart:uitzondering-update": Page(PROVIDER, "uitzondering"),
    "kaart:uitzondering-delete": Page(PROVIDER, "uitzondering"),
    # The ladder: the redacteur, and a partner for their own organisation's activities.
    "kaart:ladderactiviteit-create": Page(PROVIDER, "school", "school_pk"),
    "kaart:ladderactiviteit-update": Page(PROVIDER, "ladderactiviteit"),
    "kaart:ladderactiviteit-delete": Page(PROVIDER, "ladderactiviteit"),
    "kaart:schoolvakantie-list": Page(ALL),
    "kaart:schoolvakantie-create": Page(BELEID),
    "kaart:schoolvakantie-update": Page(BELEID, "schoolvakantie"),
    "kaart:schoolvakantie-delete": Page(BELEID, "schoolvakantie"),
}

# The share of current aanbod per aanbieder: the redacteur and the aanbieder's own partner.
API = {"aanbod": ("aanbod", None, None), "aanbieder": ("aanbieder", None, None, PROVIDER)}


def world(gemeente):
    """An aanbod of the demo partner's organisatie at a locatie (with a closed day), with a
    change request, a public report and the two check links; a school with an activity of
    the partner's organisatie, and a school holiday."""
    org = organisatie_van(gemeente)
    loc = locatie(gemeente, org, postcode="9999ZZ", naam=f"Locatie {gemeente.naam}")
    a = aanbod(gemeente, f"Matrix-aanbod {gemeente.naam}", org=org, locaties=[loc])
    wijziging = Wijzigingsverzoek.objects.create(
        gemeente=gemeente, aanbod=a, voorstel={"naam": "Nieuw"}, huidig={"naam": a.naam})
    melding = services.meld_fout(a, tekst="Het telefoonnummer klopt niet meer.")
    assert isinstance(melding, Melding)
    school = Organisatie.objects.get_or_create(
        gemeente=gemeente, naam=f"Matrixschool {gemeente.naam}",
        defaults={"type": Organisatie.Type.BASISSCHOOL})[0]
    uitzondering = Uitzondering.objects.create(
        gemeente=gemeente, locatie=loc, datum=datetime.date(2030, 4, 27), reden="Koningsdag")
    jaar = ladder.huidig_schooljaar()
    activiteit = Ladderactiviteit.objects.create(
        gemeente=gemeente, school=school, schooljaar=jaar, aanbieder=org, naam="Matrixclub",
        weekdag=2, begin=datetime.time(15), eind=datetime.time(16))
    vakantie = Schoolvakantie.objects.create(
        gemeente=gemeente, regio="noord", schooljaar=jaar, naam="Matrixvakantie",
        van=jaar.start + datetime.timedelta(days=70), tot=jaar.start + datetime.timedelta(days=78))
    return {
        "uitzondering": uitzondering, "ladderactiviteit": activiteit, "schoolvakantie": vakantie,
        "school": school, "aanbod": a, "aanbieder": a.organisatie.aanbieder, "locatie": loc,
        "wijziging": wijziging, "melding": melding,
        "klopt": SimpleNamespace(token=services.controlelink_token(a, services.KLOPT)),
        "wijzigen": SimpleNamespace(token=services.controlelink_token(a, services.WIJZIGEN)),
    }
