"""End-to-end tests: Debian's Chromium (Playwright, sync API) against pytest-django's live_server.

Browser
    Chromium is the system one at /usr/bin/chromium; Playwright never downloads a browser here.
    axe-core comes from node_modules (npm devDependency) and is injected into the page.

Database
    live_server needs `transactional_db`: the server thread has its own connection and must see
    committed data. A transactional test ends with a flush of every table, which would also wipe
    the Groningen/Assen demo that tests/conftest.py loads once per session for all other tests.
    So, the Django way (TransactionTestCase.serialized_rollback):
    - `demo_snapshot` (session) serializes the demo database once, into
      `connection._test_serialized_contents`, where Django's serialized rollback looks for it;
    - every e2e test requests `django_db_serialized_rollback`, so Django reloads that snapshot
      before the test (the demo is there even after an earlier flush) and flushes after it;
    - `pytest_runtest_teardown` below reloads the snapshot after that flush when the next test is
      not an e2e test, so tests that rely on the session demo find it, in any order.
    Reloading the snapshot takes a fraction of `load_demo` (no password hashing), on SQLite and
    PostgreSQL alike.

Playwright and Django in one thread
    Playwright's sync API keeps an asyncio event loop running in the main thread from start to
    stop. While it runs, Django (1) refuses ORM calls from that thread (SynchronousOnlyOperation),
    though they are plain synchronous calls that never run inside the loop, hence
    DJANGO_ALLOW_ASYNC_UNSAFE=true while the browser runs, and (2) hands out other connection
    objects than before the loop started (`connections` is an asgiref Local: thread-local
    without a running loop, context-local with one). So the browser lives for one test only:
    it starts after the database fixtures are set up and stops (closing the connections the test
    body opened) before they are torn down. pytest-django's snapshot reload and flush, the live
    server and the other tests all keep the usual connections, and the variable never leaks
    into the rest of the session (or into subprocesses a later test starts). A Chromium start
    costs about a second per test.

Helpers for the tests themselves (login, axe, screenshots) are in tests/e2e/helpers.py.
"""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from core.models import Gemeente
from tests.e2e.helpers import CHROMIUM, CHROMIUM_ARGS, DESKTOP

_SNAPSHOT = pytest.StashKey[tuple]()


@pytest.fixture(scope="session")
def demo_snapshot(request, django_db_setup, django_db_blocker):
    """The demo database, serialized once; Django's serialized rollback reloads it."""
    with django_db_blocker.unblock():
        if not Gemeente.objects.filter(cbs_code="GM0014").exists():
            # An earlier transactional test (outside tests/e2e) flushed the session demo.
            call_command("load_demo", stdout=io.StringIO())
        contents = connection.creation.serialize_db_to_string()
    connection._test_serialized_contents = contents
    request.config.stash[_SNAPSHOT] = (django_db_blocker, contents)
    return contents


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After an e2e test's flush, put the demo back for a following non-e2e test."""
    result = yield
    if (nextitem is not None and _SNAPSHOT in item.config.stash
            and "django_db_serialized_rollback" in getattr(item, "fixturenames", ())
            and "django_db_serialized_rollback" not in getattr(nextitem, "fixturenames", ())):
        blocker, contents = item.config.stash[_SNAPSHOT]
        with blocker.unblock():
            connection.creation.deserialize_db_from_string(contents)
    return result


@pytest.fixture
def e2e_db(demo_snapshot, django_db_serialized_rollback, live_server):
    """Live server over a database that holds the demo; rate-limit counters reset."""
    from django.conf import settings

    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        # The login form is rate limited per IP (10/min); every e2e login comes from 127.0.0.1.
        cache.clear()
    assert Gemeente.objects.filter(cbs_code="GM0014").exists()
    return live_server


@pytest.fixture
def browser(e2e_db):
    """Chromium for this test (after the database fixtures, see above)."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()
                connections.close_all()  # those the test body opened while the loop ran


@pytest.fixture
def new_page(browser, e2e_db):
    """new_page(viewport=DESKTOP) → a page in a fresh browser context (no cookies)."""
    contexts = []

    def make(viewport=DESKTOP):
        context = browser.new_context(viewport=viewport, locale="nl-NL",
                                      base_url=e2e_db.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()
