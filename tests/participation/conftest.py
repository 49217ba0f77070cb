import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command

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


@pytest.fixture(scope="module")
def restore_demo(django_db_setup, django_db_blocker):
    """Transactional tests (threads with their own connections) empty the database afterwards;
    put the demo back for the tests that come after the module."""
    yield
    with django_db_blocker.unblock():
        ContentType.objects.clear_cache()
        call_command("load_demo", stdout=open("/dev/null", "w"))
