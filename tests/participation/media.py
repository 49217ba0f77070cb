"""Real bytes for upload tests: the first bytes of video containers as cameras and phones write
them, and images made with Pillow."""

import io

# ISO base media: a 'ftyp' box (size 0x20) with major brand 'isom' — an MP4 from a phone.
MP4_HEAD = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"
# QuickTime MOV (iPhone): major brand 'qt  '.
MOV_HEAD = b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  "
# WebM: EBML header with DocType "webm".
WEBM_HEAD = (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04"
             b"\x42\xf3\x81\x08\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02")
# HEIC photo: also a 'ftyp' box, but an image brand.
HEIC_HEAD = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"


def video(head=MP4_HEAD, size=4096) -> bytes:
    return head + b"\x00" * (size - len(head))


def png_bytes(size=(40, 30), color=(200, 40, 40)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    """A JPEG whose EXIF holds a GPS position (as a phone writes it)."""
    from PIL import Image

    img = Image.new("RGB", (50, 50), (10, 120, 10))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (53.0, 13.0, 0.0), 3: "E", 4: (6.0, 34.0, 0.0)}
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()
