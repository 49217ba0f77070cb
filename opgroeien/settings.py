"""Settings for Opgroeien, read from the environment.

Defaults are safe for `make run` (SQLite under var/, DEBUG on). Production sets DEBUG=0,
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; then every `check --deploy` setting is on.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY moet gezet zijn als DEBUG uit staat.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "django_ratelimit",  # registers its cache checks for check --deploy
    "core",
    "regions",
    "network",
    "framework",
    "plans",
    "participation",
    "finance",
    "monitor",
    "toets",
    "kaart",
    "api",
    "demo",
]

# No LocaleMiddleware: the site has one language (LANGUAGES), which Django uses for every
# request without it; the middleware only cost CPU on every request (docs/participation-voting.md).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",  # answers 429 via RATELIMIT_VIEW
]

ROOT_URLCONF = "opgroeien.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.tenant",
            ],
        },
    },
]

WSGI_APPLICATION = "opgroeien.wsgi.application"
ASGI_APPLICATION = "opgroeien.asgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'opgroeien.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and a background worker share the file.
    # IMMEDIATE: a transaction takes the write lock when it begins, so concurrent writers wait
    # (busy timeout) instead of failing when a read snapshot turns stale (finance's limits).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;",
         "transaction_mode": "IMMEDIATE"}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No statement is prepared automatically (Django's default, for connection poolers), but
    # one that asks for it is: the vote statement (participation.stembus), which
    # PostgreSQL would otherwise parse and plan again for every vote (twice its CPU per vote).
    # psycopg prepares nothing at all while the threshold is None, hence "never by count".
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 2**31 - 1)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 default, opted into now
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
# locale/drf: Dutch for Django REST framework's own messages (its catalogue is incomplete);
# written by hand, compiled by compilemessages like the project's own locale/nl.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "drf"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# Only the npm packages' dist folders are served, under static/vendor/.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/utrecht", BASE_DIR / "node_modules/@utrecht/component-library-css/dist"),
    ("vendor/tokens",
     BASE_DIR / "node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist"),
    ("vendor/htmx", BASE_DIR / "node_modules/htmx.org/dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules/chart.js/dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "media/"

# Uploads: keep request bodies bounded; per-feature limits are checked in forms.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
REGIONS_CSV_MAX_BYTES = 5 * 1024 * 1024
# Kinderburgemeester: a vlog may be this large (default 200 MB); photos are scaled down.
PARTICIPATION_VLOG_MAX_BYTES = int(os.environ.get("PARTICIPATION_VLOG_MAX_MB", "200")) * 2**20
PARTICIPATION_FOTO_MAX_BYTES = 10 * 1024 * 1024
# Unknown voting or tracking codes per IP address before its next unknown code gets "wait"
# (participation.throttle). Only unknown codes count and only they are refused: a valid code
# always works. 2500 an hour: a school of 500 pupils behind one address would need 5 typos
# each within one hour to reach it (docs/participation-voting.md, "Guessing a code").
PARTICIPATION_CODE_FAILURES = os.environ.get("PARTICIPATION_CODE_FAILURES", "2500/1h")
# Accepted ideas, questions and advice ("Jouw stem") per address and per browser session, in a
# fixed window, exact also under concurrency (participation.throttle.reserveer_inzending). Per
# address 150 an hour: five classes of 30 behind one school address can each send one in the
# same hour; per browser 10 an hour: a group of 30 taking turns at three shared computers
# (docs/participation-jeugdstem.md, "Rate limits").
PARTICIPATION_INZENDINGEN_PER_ADRES = os.environ.get("PARTICIPATION_INZENDINGEN_PER_ADRES",
                                                     "150/h")
PARTICIPATION_INZENDINGEN_PER_SESSIE = os.environ.get("PARTICIPATION_INZENDINGEN_PER_SESSIE",
                                                      "10/h")

# E-mail (the outbox, core/notifications.py, is sent by the task worker). SMTP as soon as
# EMAIL_HOST is set (README, "E-mail"); without it the worker prints each message in the
# `make run` terminal (console backend) in development. Tests use locmem, or a real SMTP server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG and not EMAIL_HOST
    else "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Opgroeien <noreply@localhost>")
# The address of the site, for links in e-mails sent by the worker (it has no request).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Verantwoording uploads (PDF only); a larger request is refused before it is read.
FINANCE_UPLOAD_MAX_BYTES = int(os.environ.get("FINANCE_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # django-redis: the Redis backend django-ratelimit supports (atomic increments).
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# django-ratelimit refuses a per-process cache in production (check --deploy fails without
# REDIS_URL); locmem is fine for the single process of `make run` and the tests.
SILENCED_SYSTEM_CHECKS = [] if not DEBUG else ["django_ratelimit.E003", "django_ratelimit.W001"]
# The monitor's covering indexes (INCLUDE columns) are a PostgreSQL feature; on SQLite (make run,
# tests) they are plain indexes, which is fine.
SILENCED_SYSTEM_CHECKS += ["models.W040"]
RATELIMIT_VIEW = "core.errors.ratelimited"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous API client gets 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.drf.PolicyPermission"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "core.drf.Pagination",
    # Dutch 404s, and a 400 (not a 500) for a filter value the database cannot hold.
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "PAGE_SIZE": 100,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Opgroeien API",
    "DESCRIPTION": "REST API van Opgroeien. Alle gegevens zijn beperkt tot de gemeente(n) "
    "van de ingelogde gebruiker.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"MonitorStatusEnum": "monitor.models.Status"},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "core.api.document_error_responses"],
}

# Security: strict in production, relaxed only where DEBUG needs plain http.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
