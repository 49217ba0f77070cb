"""The compiled HSDS 3.0 schemas (../shared/standards/hsds-3.0/schema/compiled beside the
checkout, or HSDS_SCHEMA_DIR) as validators with the format checker on (uuid, date-time, uri,
email)."""

import json
import os
from functools import cache
from pathlib import Path

from django.conf import settings
from jsonschema import Draft202012Validator, FormatChecker


def schema_dir() -> Path:
    candidates = [os.environ.get("HSDS_SCHEMA_DIR", "")] + [
        str(base / "shared" / "standards" / "hsds-3.0" / "schema" / "compiled")
        for base in (Path(settings.BASE_DIR).parent, Path(settings.BASE_DIR).parent.parent)]
    for candidate in candidates:
        if candidate and Path(candidate, "service.json").exists():
            return Path(candidate)
    raise FileNotFoundError("HSDS 3.0 compiled schemas not found; set HSDS_SCHEMA_DIR")


@cache
def validator(name: str) -> Draft202012Validator:
    schema = json.loads((schema_dir() / f"{name}.json").read_text())
    return Draft202012Validator(schema, format_checker=FormatChecker())


def check(name: str, data) -> None:
    errors = sorted(validator(name).iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def check_page(name: str, page: dict) -> None:
    for key in ("total_items", "total_pages", "page_number", "size"):
        assert isinstance(page[key], int)
    for key in ("first_page", "last_page", "empty"):
        assert isinstance(page[key], bool)
    assert page["size"] == len(page["contents"])
    for item in page["contents"]:
        check(name, item)
