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
        raise ValueError(f"{rate!r} is not a rate like '20/10m'")
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


def _incr(key: str, period: int) -> int:
    """Add one to the counter `key` (created for `period` seconds) in one atomic step of the
    shared cache; returns the total over all processes."""
    if cache.add(key, 1, timeout=period):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=period)
        return 1


def record_failure(request, scope: str) -> None:
    """Count one failed attempt (a code that does not exist) of this address."""
    key, _limit, period, window = _key(request, scope)
    _TOTALS.learn(window, key, _incr(key, period))


# Submissions of youth voices ------------------------------------------------------------------
# Accepted submissions are limited per address (IPv6 per /64) and per browser session, in
# fixed windows in the same cache. The numbers and why they fit a school:
# settings.PARTICIPATION_INZENDINGEN_PER_ADRES / _PER_SESSIE and docs/participation-jeugdstem.md.
#
# Count first, then decide: a submission takes its place in both counters with one atomic
# increment each, before anything is written, and is refused when a total it got back is over
# the limit. So the limit is exact under concurrency: of 30 posts at the same moment with 10
# places left, 10 get a total within the limit, whatever the order. A submission that is
# refused, or whose form turns out invalid, gives its places back (an atomic decrement): only
# accepted submissions count, so a child may correct the form as often as needed.
# (django-ratelimit, used elsewhere in the project, cannot give a place back.)

def _sessie(request):
    if not request.session.session_key:
        request.session.save()  # a first visit: give this browser its key to count on
    return request.session.session_key


class Plaatsen:
    """The places one submission took in the counters; `geef_terug` undoes them once."""

    def __init__(self, keys):
        self.keys = keys

    def geef_terug(self):
        for key in self.keys:
            try:
                cache.decr(key)
            except ValueError:  # the window expired: its counter went with it
                pass
        self.keys = []


def reserveer_inzending(request) -> Plaatsen | None:
    """Take one place for this submission in the counters of this address and this browser
    session; None (and nothing taken) when either is full."""
    taken = []
    for rate, who in ((settings.PARTICIPATION_INZENDINGEN_PER_ADRES,
                       f"adres:{_address(request.META.get('REMOTE_ADDR') or '')}"),
                      (settings.PARTICIPATION_INZENDINGEN_PER_SESSIE,
                       f"sessie:{_sessie(request)}")):
        limit, period = _parse(rate)
        key = f"participation.inzenden:{who}:{period}:{int(time.time()) // period}"
        taken.append(key)
        if _incr(key, period) > limit:
            Plaatsen(taken).geef_terug()
            return None
    return Plaatsen(taken)
