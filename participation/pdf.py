"""The printable sheet of a batch of voting codes: one card per code, with a QR code that opens
the vote page with the code filled in. Rendered with WeasyPrint; QR codes by segno (SVG)."""

from urllib.parse import urlencode

import segno
from django.template.loader import render_to_string
from django.utils import timezone

from participation.codes import pretty


def stemcodes_pdf(reeks, plain_codes, vote_url: str) -> bytes:
    import weasyprint

    kaarten = []
    for code in plain_codes:
        link = f"{vote_url}?{urlencode({'code': pretty(code)})}"
        qr = segno.make(link, error="m")
        kaarten.append({"code": pretty(code), "qr": qr.svg_data_uri(scale=3, border=2),
                        "link": link})
    verkiezing = reeks.verkiezing
    html = render_to_string("participation/stemcodes_pdf.html", {
        "reeks": reeks, "verkiezing": verkiezing, "gemeente": verkiezing.gemeente,
        "kaarten": kaarten, "vote_url": vote_url,
        "start": timezone.localtime(verkiezing.stemmen_start),
        "eind": timezone.localtime(verkiezing.stemmen_eind)})
    return weasyprint.HTML(string=html, base_url=vote_url).write_pdf()
