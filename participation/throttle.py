"""Throttling of guessable codes (voting codes, tracking codes) by counting FAILED attempts per
address in the default cache (Redis in production, locmem in development and tests).

Successful attempts are never counted, so a whole class voting from one school address is not
blocked; only someone who keeps typing wrong codes has to wait. The limit is
`PARTICIPATION_CODE_FAILURES`, "<failures>/<period>" (e.g. "20/10m"); the period is a fixed
window: the counter of a window expires with it. IPv6 addresses count per /64 (one household
or device gets a whole /64). The address is REMOTE_ADDR: behind a proxy, the server must set it
to the client's address.

Asking costs no cache round trip, because it happens on every vote: a failure is counted with
one atomic increment in the shared cache, which answers with the address's total over all
processes, and the process remembers that total for the rest of the window. An address is
blocked once a total it got back reached the limit. A process that has not yet seen a failure
of that address learns the total at its next failure from it, so an address that reached the
limit gets at most one more attempt per server process (per thread, if they arrive at the same
moment) before every process blocks it.

Why not django-ratelimit, which the rest of the project uses (e-mail links, logins, forms): its
decorator counts every request it sees (reading the counter on each), which is right for
"at most 10 e-mails per hour" but wrong here twice over: successes must never count, and the
vote is the hot path, where a cache round trip per request cost 17 % of the server's time
(docs/participation-voting.md). The two answer different questions; both use the same cache.
"""

import functools
import ipaddress
import re
import threading
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


class _Totals:
    """The failure totals this process got back from the cache, of the current window only."""

    def __init__(self):
        self._lock = threading.Lock()
        self.clear()

    def clear(self):
        self._window, self._totals = None, {}

    def get(self, window, key) -> int:
        return self._totals.get(key, 0) if window == self._window else 0

    def learn(self, window, key, total):
        with self._lock:
            if window != self._window:
                self._window, self._totals = window, {}
            self._totals[key] = max(total, self._totals.get(key, 0))


_TOTALS = _Totals()


def _key(request, scope: str) -> tuple[str, int, int, int]:
    """(cache key, limit, period, window) of this address and scope, now."""
    limit, period = _parse(settings.PARTICIPATION_CODE_FAILURES)
    window = int(time.time()) // period
    address = _address(request.META.get("REMOTE_ADDR") or "")
    return f"participation.fouten:{scope}:{period}:{address}:{window}", limit, period, window


def blocked(request, scope: str) -> bool:
    """Has this address used up its failed attempts for `scope` ("stemmen", "volgen", ...) in
    the current window?"""
    key, limit, _period, window = _key(request, scope)
    return _TOTALS.get(window, key) >= limit


def record_failure(request, scope: str) -> None:
    """Count one failed attempt (a code that does not exist) of this address."""
    key, _limit, period, window = _key(request, scope)
    if cache.add(key, 1, timeout=period):
        total = 1
    else:
        try:
            total = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=period)
            total = 1
    _TOTALS.learn(window, key, total)


# Submissions of youth voices ------------------------------------------------------------------
# Counted with django-ratelimit (fixed windows in the same cache), accepted submissions only,
# both per address (IPv6 per /64, RATELIMIT_IPV6_MASK) and per browser session. The numbers
# and why they fit a school: settings.PARTICIPATION_INZENDINGEN_PER_ADRES / _PER_SESSIE and
# docs/participation-jeugdstem.md.

def _sessie(group, request):
    if not request.session.session_key:
        request.session.save()  # a first visit: give this browser its key to count on
    return request.session.session_key


def _inzendingen_usage(request, increment):
    from django_ratelimit.core import get_usage

    limits = ((settings.PARTICIPATION_INZENDINGEN_PER_ADRES, "ip"),
              (settings.PARTICIPATION_INZENDINGEN_PER_SESSIE, _sessie))
    return [get_usage(request, group=f"participation.inzenden.{i}", key=key, rate=rate,
                      increment=increment)
            for i, (rate, key) in enumerate(limits)]


def te_veel_inzendingen(request) -> bool:
    """Has this address or this browser session used up its accepted submissions? (A refused
    or invalid attempt is never counted.)"""
    return any(u is not None and u["count"] >= u["limit"]
               for u in _inzendingen_usage(request, increment=False))


def tel_inzending(request) -> None:
    """Count one accepted submission for this address and this browser session. Checked
    before and counted after: ten posts at the same moment may together pass the limit by a
    few, which a limit sized for a school can take."""
    _inzendingen_usage(request, increment=True)
