"""Shared fixtures. The test database holds the Groningen/Assen demo (loaded once per run);
each test runs in a transaction that is rolled back, so tests may change it freely."""

import pytest
from django.core.management import call_command

from core.models import Gemeente, User

DEMO_ROLES = ["beleid", "coordinator", "stuurgroep", "partner", "jury", "raad"]


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Uploads made by tests (and the demo) go to a temporary folder, never to var/media."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix,
                                 tmp_path_factory):
    """On SQLite the test database is a file (in a temporary folder), not shared-cache memory:
    tests that use several connections at once (threads, a live server) need SQLite's normal
    file locking, where a writer waits for the busy timeout instead of failing at once."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, _media_root):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open("/dev/null", "w"))


@pytest.fixture
def groningen(db):
    return Gemeente.objects.get(cbs_code="GM0014")


@pytest.fixture
def assen(db):
    return Gemeente.objects.get(cbs_code="GM0106")


@pytest.fixture
def demo_user(db):
    """demo_user("groningen", "beleid") → the demo account of that gemeente and role."""

    def get(gemeente_slug: str, role: str) -> User:
        return User.objects.get(username=f"{gemeente_slug}-{role}")

    return get


@pytest.fixture
def client_for(client, demo_user):
    """client_for("groningen", "beleid") → a test client logged in as that demo account."""

    def login(gemeente_slug: str, role: str):
        client.force_login(demo_user(gemeente_slug, role))
        return client

    return login


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: every test starts with none. ContentType ids are
    cached per process; a transactional test's flush recreates them with new ids."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache

    ContentType.objects.clear_cache()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 (tests/smtp.py); Django's e-mail goes to it."""
    from tests.smtp import SmtpServer

    server = SmtpServer()
    server.controller.start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    yield server
    server.controller.stop()
