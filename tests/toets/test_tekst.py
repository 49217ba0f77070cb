"""Reading documents: every format into passages with pages/sections and headings; every bad
file refused with a Dutch reason and nothing stored."""

import io
import zipfile

import docx
import pytest
from odf import text as odftext
from odf.opendocument import OpenDocumentText
from PIL import Image
from pypdf import PdfReader, PdfWriter

from toets import tekst


def pdf_bytes(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def test_pdf_pages_and_headings():
    data = pdf_bytes(
        "<h1>Jeugdnota</h1><p>Inleiding over de gemeente.</p>"
        "<h2 style='page-break-before: always'>Wat gaan we doen?</h2>"
        "<p>Wij investeren in voorschoolse educatie voor alle peuters.</p>")
    doc = tekst.lees(data, "nota.pdf")
    assert doc.soort == "pdf" and doc.paginas == 2
    passage = next(p for p in doc.passages if "voorschoolse" in p.tekst)
    assert passage.pagina == 2 and passage.kop == "Wat gaan we doen?"


def test_docx_paragraphs_headings_and_tables():
    d = docx.Document()
    d.add_heading("Armoede", level=1)
    d.add_paragraph("Wij geven elk kind een Kindpakket.")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Activiteiten", "Schoolontbijt"
    table.cell(1, 0).text, table.cell(1, 1).text = "Budget", "€ 40.000"
    buf = io.BytesIO()
    d.save(buf)
    doc = tekst.lees(buf.getvalue(), "plan.docx")
    assert doc.soort == "docx"
    teksten = [p.tekst for p in doc.passages]
    assert "Wij geven elk kind een Kindpakket." in teksten
    assert "Activiteiten | Schoolontbijt" in teksten
    assert all(p.kop == "Armoede" for p in doc.passages)


def test_odt():
    d = OpenDocumentText()
    d.text.addElement(odftext.H(outlinelevel=1, text="Gezondheid"))
    d.text.addElement(odftext.P(text="We zetten in op zwemles voor kinderen in groep 3."))
    buf = io.BytesIO()
    d.save(buf)
    doc = tekst.lees(buf.getvalue(), "plan.odt")
    assert doc.soort == "odt"
    assert doc.passages[0].kop == "Gezondheid" and "zwemles" in doc.passages[0].tekst


def test_html_and_markdown_and_text():
    html = (b"<!doctype html><html><head><style>p{}</style><script>x()</script></head><body>"
            b"<h2>Veiligheid</h2><p>Wij pakken pesten aan op alle scholen in de wijk.</p>"
            b"</body></html>")
    doc = tekst.lees(html, "pagina.html")
    assert doc.soort == "html" and doc.passages[0].kop == "Veiligheid"
    assert "x()" not in doc.tekst
    md = tekst.lees(b"# Plan\n\n## Sport\n\nWe bieden sport aan alle kinderen.\n\n"
                    b"- zwemles in groep drie\n- voetbal op het plein\n", "a.md")
    assert md.soort == "markdown"
    assert [p.kop for p in md.passages] == ["Sport"] * 3
    cp1252 = ("Café-avond voor ouders\n\nWij organiseren één café per maand voor alle ouders "
              "van de wijk.").encode("cp1252")
    assert "één" in tekst.lees(cp1252, "a.txt").tekst


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes("<p>Geheim jeugdplan voor kinderen "
                                                       "met veel tekst erin.</p>")))
    writer.encrypt("geheim")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def scanned_pdf() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(buf, "PDF")
    return buf.getvalue()


def renamed_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("foto.jpg", b"niet echt")
    return buf.getvalue()


@pytest.mark.parametrize(("maak", "naam", "melding"), [
    (encrypted_pdf, "a.pdf", "beveiligd met een wachtwoord"),
    (scanned_pdf, "scan.pdf", "Is het een scan?"),
    (renamed_zip, "plan.docx", "geen Word- of OpenDocument"),
    (lambda: b"", "leeg.txt", "Het document is leeg"),
    (lambda: b"   \n\n  ", "leeg.md", "Het document is leeg"),
    (lambda: b"%PDF-1.7\nkapot", "kapot.pdf", "beschadigd"),
    (lambda: b"PK\x03\x04kapot", "kapot.docx", "zip-archief"),
    (lambda: b"\x00\x01\x02binair" * 10, "a.bin", "kan niet gelezen worden"),
])
def test_bad_files_are_refused_in_dutch(maak, naam, melding):
    with pytest.raises(tekst.OnleesbaarDocument, match=melding):
        tekst.lees(maak(), naam)


def test_too_large():
    with pytest.raises(tekst.OnleesbaarDocument, match="te groot"):
        tekst.lees(b"a" * (tekst.MAX_BYTES + 1))


def test_the_pdf_test_files_are_what_they_claim():
    assert PdfReader(io.BytesIO(encrypted_pdf())).is_encrypted
    assert not (PdfReader(io.BytesIO(scanned_pdf())).pages[0].extract_text() or "").strip()
