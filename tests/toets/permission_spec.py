import uuid

from core.models import Membership, User
from framework import selectors as framework_selectors
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
    "toets:lexicon-doel": Page(BELEID, "toets_doel"),
    "toets:hertoetsen": Page(BELEID),
    "toets:hertoetsronde": Page(BELEID, "hertoetsronde"),
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
    ronde = services.start_hertoetsronde(beleid, gemeente, [document],
                                         services.actief_lexicon(gemeente), uuid.uuid4())
    return {"document": document, "oordeel": document.laatste_toetsing.oordelen.first(),
            "toets_doel": framework_selectors.klaverblad_doelen(gemeente).first(),
            "hertoetsronde": ronde}
