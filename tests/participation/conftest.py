import pytest
from django.core.cache import cache

from participation import selectors, throttle


def _forget():
    cache.clear()
    throttle._TOTALS.clear()
    selectors.STEMBUREAU_CACHE.clear()


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    """Rate-limit counters live in the cache (and the totals this process learnt from it);
    each test starts with none. The vote endpoint's per-process election cache is emptied
    too: rolled-back tests reuse (gemeente, year)."""
    _forget()
    yield
    _forget()
