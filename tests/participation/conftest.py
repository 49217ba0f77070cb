import pytest
from django.core.cache import cache

from participation import views_public


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    """Rate-limit counters live in the cache; each test starts with none. The vote endpoint's
    per-process election cache is emptied too: rolled-back tests reuse (gemeente, year)."""
    cache.clear()
    views_public._STEMMEN_CACHE.clear()
    yield
    cache.clear()
    views_public._STEMMEN_CACHE.clear()
