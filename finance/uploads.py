"""Checks for uploaded documents: only real PDFs (magic bytes and a parse with pypdf) within
the size limit `FINANCE_UPLOAD_MAX_BYTES` (settings; default 20 MB)."""

import io
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "FINANCE_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def too_large_message() -> str:
    return _("Het bestand is te groot: hoogstens %(mb)s MB.") % {
        "mb": max(1, max_bytes() // (1024 * 1024))}


def check_pdf(upload) -> None:
    """Raise a Dutch ValidationError unless `upload` is a PDF of at most max_bytes()."""
    from pypdf import PdfReader

    name = getattr(upload, "name", "") or ""
    if upload.size > max_bytes():
        raise ValidationError(too_large_message(), code="too_large")
    if upload.size == 0:
        raise ValidationError(_("Het bestand %(naam)s is leeg.") % {"naam": name}, code="empty")
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError(_("Het bestand %(naam)s is geen PDF. Stuur een PDF-bestand.") % {
            "naam": name}, code="not_pdf")
    try:
        reader = PdfReader(io.BytesIO(upload.read()), strict=False)
        pages = len(reader.pages)
    except Exception:  # any failure to parse means: not a usable PDF
        pages = 0
    finally:
        upload.seek(0)
    if pages < 1:
        raise ValidationError(_("Het bestand %(naam)s lijkt op een PDF, maar is beschadigd of "
                                "onleesbaar.") % {"naam": name}, code="broken_pdf")


def safe_name(name: str) -> str:
    """A plain file name for storage: letters, digits, dash, dot, underscore; ends in .pdf."""
    base = unicodedata.normalize("NFKD", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    base = base.encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._") or "document"
    if not base.lower().endswith(".pdf"):
        base += ".pdf"
    return base[-100:]
