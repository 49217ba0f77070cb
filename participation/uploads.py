"""Checks for uploaded vlogs and photos: type by content (magic bytes), not by name, and size.

A vlog is accepted when its first bytes are those of a video container:
- ISO base media (MP4, M4V, QuickTime MOV, 3GP): a `ftyp` box at offset 4 with a video brand
  (HEIC/AVIF images and M4A audio use the same box and are refused);
- old QuickTime files that start with a `moov`, `mdat` or `wide` atom;
- Matroska/WebM: the EBML magic 1A 45 DF A3 with DocType "webm" or "matroska".
Photos are opened with Pillow, re-encoded (which drops EXIF data such as a GPS location) and
scaled down.
"""

import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

DEFAULT_VLOG_MAX_BYTES = 200 * 1024 * 1024
DEFAULT_FOTO_MAX_BYTES = 10 * 1024 * 1024
FOTO_MAX_PIXELS = 1600

# Major brands of ISO base media files that hold video.
VIDEO_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"iso8", b"mp41", b"mp42", b"mp71",
    b"avc1", b"M4V ", b"M4VH", b"M4VP", b"qt  ", b"3gp4", b"3gp5", b"3gp6", b"3gp7", b"3g2a",
    b"3g2b", b"3g2c", b"dash", b"mmp4", b"f4v ", b"MSNV", b"XAVC", b"NDAS", b"hvc1",
}
QUICKTIME_ATOMS = {b"moov", b"mdat", b"wide"}
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
EBML_DOCTYPE_ID = b"\x42\x82"


def vlog_max_bytes() -> int:
    return int(getattr(settings, "PARTICIPATION_VLOG_MAX_BYTES", DEFAULT_VLOG_MAX_BYTES))


def foto_max_bytes() -> int:
    return int(getattr(settings, "PARTICIPATION_FOTO_MAX_BYTES", DEFAULT_FOTO_MAX_BYTES))


def sniff_video(head: bytes) -> str | None:
    """The file extension for a video container recognised from its first bytes, or None."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in VIDEO_BRANDS:
            return ".mov" if brand == b"qt  " else ".mp4"
        return None
    if len(head) >= 8 and head[4:8] in QUICKTIME_ATOMS:
        return ".mov"
    if head.startswith(EBML_MAGIC):
        pos = head.find(EBML_DOCTYPE_ID, 4, 64)
        if pos == -1 or pos + 3 > len(head):
            return None
        size_byte = head[pos + 2]
        if not size_byte & 0x80:  # only the one-byte size form is used for short DocTypes
            return None
        size = size_byte & 0x7F
        doctype = head[pos + 3:pos + 3 + size]
        if doctype == b"webm":
            return ".webm"
        if doctype == b"matroska":
            return ".mkv"
    return None


def _head(upload, n=64) -> bytes:
    upload.seek(0)
    head = upload.read(n)
    upload.seek(0)
    return head


class UploadRejected(ValueError):
    """A child-friendly reason why an upload was not accepted."""


def check_vlog(upload) -> str:
    """Return the extension for a valid vlog, or raise UploadRejected with a message."""
    limit = vlog_max_bytes()
    if upload.size > limit:
        raise UploadRejected(_(
            "Je vlog is te groot. Hij mag niet groter zijn dan %(max)s. Maak je filmpje korter "
            "en probeer het nog een keer.") % {"max": filesizeformat(limit)})
    if upload.size == 0:
        raise UploadRejected(_("Dit bestand is leeg. Kies je filmpje en probeer het nog een "
                               "keer."))
    ext = sniff_video(_head(upload))
    if ext is None:
        raise UploadRejected(_(
            "Dit bestand is geen filmpje. Kies een filmpje, bijvoorbeeld een mp4, mov of webm. "
            "Een foto of document kan hier niet."))
    return ext


def clean_foto(upload) -> ContentFile:
    """Open the photo with Pillow, drop its metadata, scale it down; raise UploadRejected."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    limit = foto_max_bytes()
    if upload.size > limit:
        raise UploadRejected(_("Je foto is te groot. Hij mag niet groter zijn dan %(max)s.")
                             % {"max": filesizeformat(limit)})
    try:
        upload.seek(0)
        with Image.open(upload) as img:
            if img.format not in {"JPEG", "PNG", "WEBP"}:
                raise UploadRejected(_("Kies een foto: een jpg of png."))
            img.load()
            img = ImageOps.exif_transpose(img)
            img.thumbnail((FOTO_MAX_PIXELS, FOTO_MAX_PIXELS))
            out = io.BytesIO()
            if img.mode in ("RGBA", "LA", "P"):
                img.convert("RGBA").save(out, format="PNG", optimize=True)
                name = "foto.png"
            else:
                img.convert("RGB").save(out, format="JPEG", quality=85)
                name = "foto.jpg"
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise UploadRejected(_("Dit bestand is geen foto. Kies een foto: een jpg of png.")) \
            from None
    finally:
        upload.seek(0)
    return ContentFile(out.getvalue(), name=name)
