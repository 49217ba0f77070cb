from core.models import Membership
from network.models import Persoon, Stuurgroep, StuurgroepRol
from tests.permissions import ALL, BELEID, Page

PAGES = {
    "network:organisatie-list": Page(ALL),
    "network:organisatie-create": Page(BELEID),
    "network:organisatie-detail": Page(ALL, "organisatie"),
    "network:organisatie-update": Page(BELEID | {"partner"}, "organisatie"),
    "network:organisatie-delete": Page(BELEID, "organisatie"),
    "network:persoon-list": Page(ALL),
    "network:persoon-create": Page(BELEID | {"partner", "coordinator"}),
    "network:persoon-detail": Page(ALL, "persoon"),
    "network:persoon-update": Page(BELEID | {"partner"}, "persoon"),
    "network:persoon-delete": Page(BELEID | {"partner"}, "persoon"),
    "network:stuurgroep-list": Page(ALL),
    "network:stuurgroep-create": Page(BELEID | {"coordinator"}),
    "network:stuurgroep-detail": Page(ALL, "stuurgroep"),
    "network:stuurgroep-update": Page(BELEID | {"coordinator"}, "stuurgroep"),
    "network:stuurgroep-delete": Page(BELEID, "stuurgroep"),
    "network:stuurgroeprol-create": Page(BELEID | {"coordinator"}, "stuurgroep", "stuurgroep_pk"),
    "network:stuurgroeprol-update": Page(BELEID | {"coordinator"}, "rol"),
    "network:stuurgroeprol-delete": Page(BELEID | {"coordinator"}, "rol"),
}

API = {
    "organisatie": ("organisatie", BELEID | {"partner"}, BELEID),
    "persoon": ("persoon", BELEID | {"partner"}, BELEID | {"partner"}),
    "stuurgroep": ("stuurgroep", BELEID | {"coordinator"}, BELEID),
    "stuurgroeprol": ("rol", BELEID | {"coordinator"}, BELEID | {"coordinator"}),
}


def world(gemeente):
    """The coördinator's gebied gets a stuurgroep with a voorzitter where the demo has none."""
    coordinator = Membership.objects.get(user__username=f"{gemeente.slug}-coordinator")
    partner = Membership.objects.get(user__username=f"{gemeente.slug}-partner")
    stuurgroep, _ = Stuurgroep.objects.get_or_create(
        gemeente=gemeente, gebied_id=coordinator.gebied_id, defaults={"naam": "Stuurgroep"})
    rol = stuurgroep.rollen.first() or StuurgroepRol.objects.create(
        gemeente=gemeente, stuurgroep=stuurgroep, rol="voorzitter", titel="Voorzitter")
    persoon = Persoon.objects.create(gemeente=gemeente, naam="Contact",
                                     organisatie=partner.organisatie)
    return {"stuurgroep": stuurgroep, "rol": rol, "organisatie": partner.organisatie,
            "persoon": persoon}
