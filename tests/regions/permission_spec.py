from regions.models import Gebied, Region
from tests.permissions import ALL, BELEID, Page

PAGES = {
    "regions:gebied-list": Page(ALL),
    "regions:gebied-create": Page(BELEID),
    "regions:gebied-detail": Page(ALL, "gebied"),
    "regions:gebied-update": Page(BELEID, "gebied"),
    "regions:gebied-delete": Page(BELEID, "gebied"),
    "regions:region-list": Page(ALL),
    "regions:region-import": Page(BELEID),
    "regions:region-detail": Page(ALL, "region"),
}

API = {
    "region": ("region", None, None),
    "gebied": ("gebied", BELEID, BELEID),
}


def world(gemeente):
    """`gebied` is the gebied of the demo coördinator (SPT in Groningen, Assen-Oost in Assen)."""
    from core.models import Membership

    coordinator = Membership.objects.get(user__username=f"{gemeente.slug}-coordinator")
    return {
        "gebied": Gebied.objects.get(pk=coordinator.gebied_id),
        "region": Region.objects.filter(gemeente=gemeente, soort="buurt").first(),
    }
