from types import SimpleNamespace

from kaart import services
from kaart.models import Melding, Wijzigingsverzoek
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
}

# The share of current aanbod per aanbieder: the redacteur and the aanbieder's own partner.
API = {"aanbod": ("aanbod", None, None), "aanbieder": ("aanbieder", None, None, PROVIDER)}


def world(gemeente):
    """An aanbod of the demo partner's organisatie at a locatie, with a change request, a
    public report and the two check links."""
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
    return {
        "school": school, "aanbod": a, "aanbieder": a.organisatie.aanbieder, "locatie": loc,
        "wijziging": wijziging, "melding": melding,
        "klopt": SimpleNamespace(token=services.controlelink_token(a, services.KLOPT)),
        "wijzigen": SimpleNamespace(token=services.controlelink_token(a, services.WIJZIGEN)),
    }
