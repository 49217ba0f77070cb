"""Throttling of guessable codes by counting FAILED attempts per IP address.

Built on django-ratelimit's counters (the default cache: Redis in production, locmem in
development). Successful attempts are never counted, so a whole class voting from one school
address is not blocked; only someone who keeps typing wrong codes has to wait.
"""

from django.conf import settings
from django_ratelimit.core import get_usage

GROUP = "participation.codes"


def _rate():
    return getattr(settings, "PARTICIPATION_CODE_FAILURES", "20/10m")


def _usage(request, scope, increment):
    return get_usage(request, group=f"{GROUP}.{scope}", key="ip", rate=_rate(),
                     increment=increment)


def blocked(request, scope: str) -> bool:
    """Has this address used up its failed attempts for `scope` (votes, tracking codes)?"""
    usage = _usage(request, scope, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


def record_failure(request, scope: str) -> None:
    _usage(request, scope, increment=True)
