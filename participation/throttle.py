"""Throttling of guessable codes by counting FAILED attempts per IP address.

Built on django-ratelimit's counters (the default cache: Redis in production, locmem in
development). Successful attempts are never counted, so a whole class voting from one school
address is not blocked; only someone who keeps typing wrong codes has to wait.
"""

from django.conf import settings
from django.core.cache import caches
from django_ratelimit import ALL
from django_ratelimit.core import _get_ip, _get_window, _make_cache_key, _split_rate, get_usage

GROUP = "participation.codes"


def _rate():
    return getattr(settings, "PARTICIPATION_CODE_FAILURES", "20/10m")


def _usage(request, scope, increment):
    return get_usage(request, group=f"{GROUP}.{scope}", key="ip", rate=_rate(),
                     increment=increment)


def blocked(request, scope: str) -> bool:
    """Has this address used up its failed attempts for `scope` (votes, tracking codes)?

    One cache GET of the very counter `record_failure` increments (django-ratelimit's key for
    group, rate, address and window): asking must be cheap, it happens on every vote.
    get_usage(increment=False) would first try to add the key, a second round trip."""
    if not getattr(settings, "RATELIMIT_ENABLE", True):
        return False
    rate = _rate()
    limit, period = _split_rate(rate)
    ip = _get_ip(request)
    key = _make_cache_key(f"{GROUP}.{scope}", _get_window(ip, period), rate, ip, ALL)
    cache = caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]
    return (cache.get(key) or 0) >= limit


def record_failure(request, scope: str) -> None:
    _usage(request, scope, increment=True)
