"""Preview, then confirm: a checked file waits in Django's default storage behind a signed token
bound to the user, the gemeente and the kind of import, which expires (STAGING_MAX_AGE)."""

import json
import re
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.crypto import constant_time_compare, salted_hmac

STAGING_DIR = "imports"
STAGING_MAX_AGE = 2 * 60 * 60  # seconds a staged file waits for its confirmation
_TOKEN = re.compile(r"^([0-9a-f]{32})([0-9a-f]{8})([0-9a-f]{40})$")


@dataclass
class Staged:
    token: str
    data: bytes
    name: str
    extra: dict


def _signature(ident, expires, kind, gemeente, user) -> str:
    value = f"{ident}|{expires}|{kind}|{getattr(gemeente, 'pk', gemeente)}|" \
            f"{getattr(user, 'pk', user)}"
    return salted_hmac("core.imports.stage", value).hexdigest()


def _paths(ident):
    return f"{STAGING_DIR}/{ident}.bin", f"{STAGING_DIR}/{ident}.json"


def max_age() -> int:
    return getattr(settings, "IMPORT_STAGING_MAX_AGE", STAGING_MAX_AGE)


def stage(data: bytes, *, kind: str, gemeente, user, name: str, extra: dict | None = None) -> str:
    """Keep a checked file until its confirmation; returns the token for the page (hex only).
    `kind` names the import ('monitor.metingen'); `extra` (JSON) travels with the file."""
    ident = uuid.uuid4().hex
    expires = f"{int(time.time()) + max_age():08x}"
    data_path, meta_path = _paths(ident)
    default_storage.save(data_path, ContentFile(data))
    default_storage.save(meta_path, ContentFile(json.dumps(
        {"name": name, "extra": extra or {}}).encode()))
    return ident + expires + _signature(ident, expires, kind, gemeente, user)


def get_staged(token: str, *, kind: str, gemeente, user) -> Staged | None:
    """The staged file of this token, or None when the token is not valid for this user,
    gemeente and kind, has expired, or was used already."""
    match = _TOKEN.match(token or "")
    if match is None:
        return None
    ident, expires, signature = match.groups()
    if not constant_time_compare(signature, _signature(ident, expires, kind, gemeente, user)):
        return None
    data_path, meta_path = _paths(ident)
    if int(expires, 16) < time.time():
        delete_staged(token)
        return None
    try:
        with default_storage.open(meta_path, "rb") as f:
            meta = json.loads(f.read())
        with default_storage.open(data_path, "rb") as f:
            data = f.read()
    except (FileNotFoundError, OSError, ValueError):
        return None
    return Staged(token, data, meta["name"], meta["extra"])


def delete_staged(token: str):
    """Forget a staged file (after its import, or when it is refused)."""
    match = _TOKEN.match(token or "")
    if match is not None:
        for path in _paths(match.group(1)):
            default_storage.delete(path)


def delete_expired_staged() -> int:
    """Delete staged files older than the maximum age (a periodic job); returns how many."""
    try:
        _dirs, files = default_storage.listdir(STAGING_DIR)
    except (FileNotFoundError, NotImplementedError):
        return 0
    cutoff = time.time() - max_age()
    n = 0
    for name in files:
        path = f"{STAGING_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path).timestamp() < cutoff:
                default_storage.delete(path)
                n += 1
        except (FileNotFoundError, NotImplementedError):
            continue
    return n
