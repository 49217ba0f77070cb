from core.models import Membership
from tests.permissions import ALL, BELEID, Page

PAGES = {
    "core:gemeente": Page(ALL),
    "core:user-list": Page(BELEID),
    "core:user-create": Page(BELEID),
    "core:user-detail": Page(BELEID, "user"),
    "core:membership-create": Page(BELEID, "user", "user_pk"),
    "core:membership-delete": Page(BELEID, "membership"),
    "core:audit-log": Page(BELEID),
    "core:job-list": Page(BELEID),
    "core:inbox": Page(ALL),
    "core:bericht-voorkeuren": Page(ALL),
    "core:outbox": Page(BELEID),
}

API = {"gemeente": (None, None, None)}


def world(gemeente):
    raad = Membership.objects.get(user__username=f"{gemeente.slug}-raad")
    return {"membership": raad, "user": raad.user}
