from framework.models import Doel, Kader, Thema
from tests.permissions import ALL, BELEID, Page

PAGES = {
    "framework:kader-list": Page(ALL),
    "framework:kader-create": Page(BELEID),
    "framework:kader-detail": Page(ALL, "kader"),
    "framework:kader-update": Page(BELEID, "kader"),
    "framework:kader-delete": Page(BELEID, "kader"),
    "framework:thema-create": Page(BELEID, "kader", "kader_pk"),
    "framework:thema-update": Page(BELEID, "thema"),
    "framework:thema-delete": Page(BELEID, "thema"),
    "framework:doel-create": Page(BELEID, "kader", "kader_pk"),
    "framework:doel-detail": Page(ALL, "doel"),
    "framework:doel-update": Page(BELEID, "doel"),
    "framework:doel-delete": Page(BELEID, "doel"),
    "framework:dekking": Page(ALL),
}

API = {
    "kader": ("kader", BELEID, BELEID),
    "thema": ("thema", BELEID, BELEID),
    "doel": ("doel", BELEID, BELEID),
}


def world(gemeente):
    """The gemeente's leading kader (from the demo), its first doel and a new thema."""
    kader = Kader.objects.filter(gemeente=gemeente, soort=Kader.Soort.KLAVERBLAD).first()
    thema = Thema.objects.create(gemeente=gemeente, kader=kader, naam="Thema")
    return {"kader": kader, "thema": thema,
            "doel": Doel.objects.filter(kader=kader).order_by("nummer").first()}
