"""Checks for uploaded documents, by content and never by name: real PDFs (magic bytes and a
parse with pypdf) and, for the attachments of an aanvraag, also DOCX and XLSX (a zip archive
with the parts Word or Excel write, and no more unpacked than a sane document holds), all within
the size limit `FINANCE_UPLOAD_MAX_BYTES` (settings; default 20 MB)."""

import io
import re
import unicodedata
import zipfile

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


# The part each Office format must hold (the [Content_Types].xml is in both).
OFFICE_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
MAX_UNPACKED_RATIO = 20  # a zip that unpacks to more than 20x the limit is refused


def check_document(upload) -> str:
    """Raise a Dutch ValidationError unless `upload` is a PDF, DOCX or XLSX within the size
    limit; returns its format ("pdf", "docx", "xlsx")."""
    name = getattr(upload, "name", "") or ""
    if upload.size > max_bytes():
        raise ValidationError(too_large_message(), code="too_large")
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        check_pdf(upload)
        return "pdf"
    refused = ValidationError(_("Het bestand %(naam)s is geen PDF, Word- (DOCX) of Excel-bestand "
                                "(XLSX), of het is beschadigd.") % {"naam": name},
                              code="not_document")
    if not head.startswith(b"PK\x03\x04"):
        raise refused
    try:
        with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise refused from None
    finally:
        upload.seek(0)
    if unpacked > max_bytes() * MAX_UNPACKED_RATIO:
        raise refused
    if "[Content_Types].xml" in names:
        for formaat, part in OFFICE_PARTS.items():
            if part in names:
                return formaat
    raise refused


def safe_name(name: str, ext: str = "pdf") -> str:
    """A plain file name for storage: letters, digits, dash, dot, underscore; ends in .pdf
    (or the given extension)."""
    base = unicodedata.normalize("NFKD", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    base = base.encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._") or "document"
    if not base.lower().endswith(f".{ext}"):
        base += f".{ext}"
    return base[-100:]
