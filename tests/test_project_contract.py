"""The project's contract with whoever deploys it: production settings pass `check --deploy`,
the migrations match the models, and the committed OpenAPI schema matches the API."""

import io
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "docs" / "openapi.yaml"
# As in the Makefile: the schema is generated as for PostgreSQL; nothing connects to this URL.
SCHEMA_DATABASE_URL = "postgres://schema@127.0.0.1:1/schema_only"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process (settings are read from the environment at import)."""
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, **env}, timeout=120)


def production_env(**extra: str) -> dict[str, str]:
    return {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "example.org", **extra}


def test_production_settings_pass_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING",
                    **production_env(REDIS_URL="redis://127.0.0.1:6379/0"))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues (0 silenced)" in output, output


def test_production_without_redis_is_refused():
    """Rate limits need a shared cache: a per-process cache in production is an error."""
    result = manage("check", "--deploy", "--fail-level", "WARNING",
                    **production_env(REDIS_URL=""))
    assert result.returncode != 0
    assert "django_ratelimit.E003" in result.stdout + result.stderr


def test_production_without_secret_key_does_not_start():
    result = manage("check", **production_env(SECRET_KEY=""))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_no_missing_migrations():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:
        pytest.fail(f"Models and migrations differ (run makemigrations, exit {exc.code}):\n"
                    f"{out.getvalue()}")


def test_committed_openapi_schema_matches_the_api(tmp_path):
    generated = tmp_path / "openapi.yaml"
    result = manage("spectacular", "--file", str(generated), "--validate", "--fail-on-warn",
                    DATABASE_URL=SCHEMA_DATABASE_URL)
    assert result.returncode == 0, result.stdout + result.stderr
    assert SCHEMA.is_file(), f"{SCHEMA.relative_to(ROOT)} is missing: run `make schema`."
    assert generated.read_text() == SCHEMA.read_text(), (
        f"{SCHEMA.relative_to(ROOT)} differs from the API: run `make schema` and commit it.")
