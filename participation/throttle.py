"""Throttling of guessable codes (voting codes, tracking codes) by counting FAILED attempts per
address in the default cache (Redis in production, locmem in development and tests).

Successful attempts are never counted, so a whole class voting from one school address is not
blocked; only someone who keeps typing wrong codes has to wait. The limit is
`PARTICIPATION_CODE_FAILURES`, "<failures>/<period>" (e.g. "20/10m"); the period is a fixed
window: the counter of a window expires with it. IPv6 addresses count per /64 (one household
or device gets a whole /64). The address is REMOTE_ADDR: behind a proxy, the server must set it
to the client's address.
"""

import functools
import ipaddress
import re
import time

from django.conf import settings
from django.core.cache import cache

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@functools.lru_cache(maxsize=8)
def _parse(rate: str) -> tuple[int, int]:
    """"20/10m" -> (20, 600)."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*", rate)
    if not match:
        raise ValueError(f"PARTICIPATION_CODE_FAILURES: {rate!r} is not like '20/10m'")
    count, amount, unit = match.groups()
    return int(count), int(amount or 1) * _UNITS[unit]


@functools.lru_cache(maxsize=1024)
def _address(remote_addr: str) -> str:
    if ":" not in remote_addr:
        return remote_addr
    try:
        return str(ipaddress.IPv6Network(f"{remote_addr}/64", strict=False).network_address)
    except ValueError:
        return remote_addr


def _key(request, scope: str) -> tuple[str, int, int]:
    """(cache key, limit, period) of the current window of this address and scope."""
    limit, period = _parse(settings.PARTICIPATION_CODE_FAILURES)
    address = _address(request.META.get("REMOTE_ADDR") or "")
    return f"participation.fouten:{scope}:{address}:{int(time.time()) // period}", limit, period


def blocked(request, scope: str) -> bool:
    """Has this address used up its failed attempts for `scope` ("stemmen", "volgen", ...) in
    the current window? One cache GET: it runs on every vote."""
    key, limit, _period = _key(request, scope)
    return (cache.get(key) or 0) >= limit


def record_failure(request, scope: str) -> None:
    """Count one failed attempt (a code that does not exist) of this address."""
    key, _limit, period = _key(request, scope)
    if not cache.add(key, 1, timeout=period):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=period)
