from core.models import Membership, User
from tests.permissions import BELEID, Page
from toets import services
from toets.models import Beleidsterrein

EIGEN = BELEID | {"partner"}

PAGES = {
    "toets:document-list": Page(EIGEN),
    "toets:document-create": Page(EIGEN),
    "toets:matrix": Page(EIGEN),
    "toets:matrix-xlsx": Page(EIGEN),
    "toets:lexicon": Page(BELEID),
    "toets:document": Page(EIGEN, "document"),
    "toets:document-tekst": Page(EIGEN, "document"),
    "toets:rapport": Page(EIGEN, "document"),
    "toets:oordeel": Page(BELEID, "oordeel"),
}

# The partner's own plan: the beleidsmedewerker and that partner see it, nobody else.
API = {"toetsdocument": ("document", None, None, EIGEN)}


def world(gemeente):
    beleid = User.objects.get(username=f"{gemeente.slug}-beleid")
    partner = Membership.objects.get(user__username=f"{gemeente.slug}-partner")
    document = services.toets_document(
        beleid, gemeente, titel="Plan van de partner", beleidsterrein=Beleidsterrein.JEUGD,
        jaar=2026, eigenaar="Partner", organisatie=partner.organisatie,
        data=b"# Ons plan\n\nWij zetten in op zwemles voor alle kinderen.")
    return {"document": document, "oordeel": document.laatste_toetsing.oordelen.first()}
