"""Building blocks for the permission matrix (tests/test_permission_matrix.py).

Each app declares its routes in `tests/<app>/permission_spec.py` with:
- PAGES: {url name: Page(allowed roles, world key of the object in the URL, URL kwarg)}
- API: {router basename: (world key or None, roles that may PATCH or None if read-only,
        roles that may DELETE or None[, roles that may view, default ALL])}
- world(gemeente) -> {key: object}: the objects of one gemeente that its routes point at
  (created here when the demo has none).
"""

from collections.abc import Callable
from dataclasses import dataclass

from tests.conftest import DEMO_ROLES

ALL = frozenset(DEMO_ROLES)
BELEID = frozenset({"beleid"})


@dataclass(frozen=True)
class Page:
    allowed: frozenset  # roles of the object's gemeente that get 200 on GET
    obj: str | None = None  # key in the world dict whose pk goes into the URL
    kw: str = "pk"
    # A public page (no login): anyone — anonymous, members of any gemeente — gets 200 for
    # each gemeente's own version; a URL that mixes one gemeente's slug with another's object
    # answers 404 to everyone. `allowed` is not used for public pages.
    public: bool = False
    attr: str = "pk"  # the attribute of the world object that goes into the URL


@dataclass(frozen=True)
class ApiAction:
    """An extra API action, e.g. wijkplanversie-vaststellen (POST on one object) or
    bericht-ongelezen (GET on the list: `obj` None, no id in the URL)."""

    allowed: frozenset  # roles of the object's gemeente that may do it
    obj: str | None  # key in the world dict; None for an action on the list
    payload: Callable = lambda obj: {}  # obj -> request body
    allowed_status: tuple = (200, 201)  # what the allowed roles get (the world may make it 400)
    # What the other roles of the object's gemeente get: refused (403), or 404 where the
    # object is not theirs to see at all (another user's message).
    others_status: tuple = (403,)
    method: str = "post"


PUBLIC = frozenset()
