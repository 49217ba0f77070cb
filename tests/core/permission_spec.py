from core.models import Bericht, Membership
from tests.permissions import ALL, BELEID, ApiAction, Page

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

API = {
    "gemeente": (None, None, None),
    # A message is its recipient's alone (here the raad's): read-only, no other role sees it.
    "bericht": ("bericht", None, None, frozenset({"raad"})),
}

API_ACTIONS = {
    "bericht-gelezen": ApiAction(frozenset({"raad"}), "bericht", others_status=(404,)),
    # On the list: each user counts and marks their own messages.
    "bericht-ongelezen": ApiAction(ALL, None, method="get", allowed_status=(200,)),
    "bericht-alles-gelezen": ApiAction(ALL, None, allowed_status=(200,)),
}


def world(gemeente):
    raad = Membership.objects.get(user__username=f"{gemeente.slug}-raad")
    bericht, _ = Bericht.objects.get_or_create(
        key=f"permission-matrix-{gemeente.slug}", defaults={
            "gemeente": gemeente, "user": raad.user, "kind": "test.matrix",
            "subject": "Voor de raad", "body": "Alleen voor de raad.",
            "status": Bericht.Status.ALLEEN_SITE})
    return {"membership": raad, "user": raad.user, "bericht": bericht}
