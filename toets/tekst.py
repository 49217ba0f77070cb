"""Reading a policy document into passages: page (or section) number, the heading it sits under,
and its text.

Formats: PDF (text layer, per page, via PDFium), DOCX (paragraphs, headings by style, and tables
row by row, via python-docx), ODT (odfpy), HTML, Markdown and plain text. The format is decided
by the file's content, never by its name. A file that cannot be read raises OnleesbaarDocument
with a Dutch message the page shows as it is; nothing is stored then.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.utils.translation import gettext as _

from core import imports

MAX_BYTES = 20 * 1024 * 1024  # a 300-page nota with images is well under this
MAX_PAGES = 2000
MIN_TEKENS = 40  # fewer readable characters than this: empty or scanned


class OnleesbaarDocument(Exception):
    """The file is refused; str(exc) is the Dutch reason."""


@dataclass
class Passage:
    nummer: int
    pagina: int  # page for PDF, section number for other formats (1-based)
    kop: str  # the heading the passage sits under ("" before the first heading)
    tekst: str


@dataclass
class Document:
    soort: str  # pdf, docx, odt, html, markdown, tekst
    passages: list[Passage] = field(default_factory=list)
    paginas: int = 0

    @property
    def tekst(self) -> str:
        return "\n\n".join(p.tekst for p in self.passages)


def soort_van(data: bytes) -> str:
    """The format by content: %PDF, a zip with word/document.xml or an ODF mimetype, else text."""
    if data[:5] == b"%PDF-":
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
                if "word/document.xml" in names:
                    return "docx"
                if "mimetype" in names and zf.read("mimetype").startswith(
                        b"application/vnd.oasis.opendocument.text"):
                    return "odt"
        except zipfile.BadZipFile:
            pass
        raise OnleesbaarDocument(_("Dit bestand is een zip-archief, maar geen Word- of "
                                   "OpenDocument-tekstbestand. Sla het op als PDF, DOCX of ODT."))
    if b"\x00" in data[:4096]:
        raise OnleesbaarDocument(_("Dit bestandstype kan niet gelezen worden. Gebruik PDF, DOCX, "
                                   "ODT, HTML, Markdown of platte tekst."))
    kop = data[:2048].lstrip().lower()
    if kop.startswith((b"<!doctype html", b"<html")) or b"<body" in kop:
        return "html"
    return "tekst"


def lees(data: bytes, naam: str = "") -> Document:
    """The document in `data` (bytes of an upload or pasted text encoded as UTF-8)."""
    if len(data) > MAX_BYTES:
        raise OnleesbaarDocument(
            _("Het bestand is te groot (%(mb)s MB). Het mag hoogstens %(max)s MB zijn.")
            % {"mb": len(data) // (1024 * 1024), "max": MAX_BYTES // (1024 * 1024)})
    soort = soort_van(data)
    if soort == "pdf":
        doc = _lees_pdf(data)
    elif soort == "docx":
        doc = _lees_docx(data)
    elif soort == "odt":
        doc = _lees_odt(data)
    else:
        tekst = _decodeer(data)
        if soort == "html":
            doc = _blokken_naar_document("html", _HtmlBlokken.van(tekst))
        elif naam.lower().endswith((".md", ".markdown")) or re.search(r"(?m)^#{1,6} \S", tekst):
            doc = _blokken_naar_document("markdown", _markdown_blokken(tekst))
        else:
            doc = _blokken_naar_document("tekst", _tekst_blokken(tekst))
    if sum(len(p.tekst) for p in doc.passages) < MIN_TEKENS:
        if doc.soort == "pdf":
            raise OnleesbaarDocument(_(
                "In deze PDF staat geen tekst die gelezen kan worden. Is het een scan? "
                "Gebruik een PDF met tekst (bijvoorbeeld opgeslagen vanuit Word) of plak de "
                "tekst."))
        raise OnleesbaarDocument(_("Het document is leeg: er staat geen tekst in."))
    return doc


def _decodeer(data: bytes) -> str:
    """Text by the encoding policy of core.imports (UTF-8 with or without BOM, else
    Windows-1252; UTF-16 refused with advice)."""
    try:
        return imports.read_text(data, windows_1252=True)[0]
    except imports.ImportGeweigerd as exc:
        raise OnleesbaarDocument(" ".join(exc.messages)) from None


# --- PDF ------------------------------------------------------------------------------------

def _lees_pdf(data: bytes) -> Document:
    """Text per page with PDFium (pypdfium2): about thirty times faster than pure-Python
    extraction, so a 100-page nota is read in well under a second."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise OnleesbaarDocument(_(
                "Deze PDF is beveiligd met een wachtwoord. Sla hem op zonder beveiliging en "
                "probeer het opnieuw.")) from None
        raise OnleesbaarDocument(_("Deze PDF is beschadigd en kan niet gelezen worden.")) \
            from None
    try:
        if len(pdf) > MAX_PAGES:
            raise OnleesbaarDocument(_("De PDF heeft meer dan %(n)s pagina's.") % {"n": MAX_PAGES})
        doc = Document("pdf", paginas=len(pdf))
        kop = ""
        for nr in range(len(pdf)):
            page = pdf[nr]
            textpage = page.get_textpage()
            tekst = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
            textpage.close()
            page.close()
            for blok in _alinea_blokken(tekst):
                if _lijkt_kop(blok):
                    kop = blok
                    continue
                doc.passages.append(Passage(len(doc.passages) + 1, nr + 1, kop, blok))
        return doc
    except pdfium.PdfiumError as exc:
        raise OnleesbaarDocument(_("Deze PDF is beschadigd en kan niet gelezen worden.")) \
            from exc
    finally:
        pdf.close()


def _alinea_blokken(tekst: str) -> list[str]:
    """Blank-line separated blocks; single newlines inside a block joined (PDF line wraps),
    with hyphenation at a line end undone ("jeugd-\\nhulp" stays "jeugdhulp")."""
    blokken = []
    ruwe: list[str] = []
    for ruw in re.split(r"\n\s*\n", tekst):
        # A blank line in the middle of a sentence (PDF or OCR layout) does not end it.
        if ruwe and ruw.strip()[:1].islower() and not ruwe[-1].rstrip().endswith(
                (".", "!", "?", ":")):
            ruwe[-1] = ruwe[-1].rstrip() + "\n" + ruw.strip()
        else:
            ruwe.append(ruw)
    for ruw in ruwe:
        regels = [r.strip() for r in ruw.splitlines() if r.strip()]
        if not regels:
            continue
        # A PDF often has no blank lines: split where a line ends a sentence and the next
        # begins with a capital or a bullet, so passages stay paragraph-sized.
        huidig: list[str] = []
        for regel in regels:
            if huidig and (re.match(r"^[•\-–*▪●]\s", regel) or _lijkt_kop(regel)
                           or (len(huidig) == 1 and _lijkt_kop(huidig[0]))
                           or (huidig[-1].endswith((".", ":", "!", "?")) and len(huidig) >= 3)):
                blokken.append(_plak(huidig))
                huidig = []
            huidig.append(regel)
        if huidig:
            blokken.append(_plak(huidig))
    return blokken


def _plak(regels: list[str]) -> str:
    tekst = ""
    for regel in regels:
        if tekst.endswith("-") and regel[:1].islower():
            tekst = tekst[:-1] + regel
        else:
            tekst = f"{tekst} {regel}" if tekst else regel
    return tekst.strip()


_KOP = re.compile(r"^(\d+(\.\d+)*\.?\s+)?[A-Z\u00C0-\u00DD][^.!;]{2,80}\??$")


def _lijkt_kop(regel: str) -> bool:
    """A short line without sentence punctuation, optionally numbered ("3.2 Gezondheid")."""
    return len(regel) <= 80 and len(regel.split()) <= 10 and bool(_KOP.match(regel)) \
        and not regel.endswith(",")


# --- DOCX and ODT ---------------------------------------------------------------------------

def _lees_docx(data: bytes) -> Document:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        d = docx.Document(io.BytesIO(data))
        blokken: list[tuple[bool, str]] = []
        for item in d.iter_inner_content():
            if isinstance(item, Paragraph):
                tekst = item.text.strip()
                if not tekst:
                    continue
                stijl = (item.style.name or "").lower() if item.style is not None else ""
                blokken.append((stijl.startswith(("heading", "kop", "title", "titel")), tekst))
            elif isinstance(item, Table):
                for row in item.rows:
                    cellen = []
                    for cell in row.cells:
                        t = cell.text.strip()
                        if t and (not cellen or cellen[-1] != t):  # merged cells repeat
                            cellen.append(t)
                    if cellen:
                        blokken.append((False, " | ".join(cellen)))
    except Exception as exc:  # python-docx raises many kinds on a broken package
        raise OnleesbaarDocument(_("Dit Word-bestand is beschadigd en kan niet gelezen "
                                   "worden.")) from exc
    return _blokken_naar_document("docx", blokken)


def _lees_odt(data: bytes) -> Document:
    try:
        from odf import teletype
        from odf.opendocument import load

        d = load(io.BytesIO(data))
        blokken = list(_odt_blokken(d.text, teletype))
    except Exception as exc:
        raise OnleesbaarDocument(_("Dit OpenDocument-bestand is beschadigd en kan niet gelezen "
                                   "worden.")) from exc
    return _blokken_naar_document("odt", blokken)


def _odt_blokken(node, teletype):
    for child in node.childNodes:
        tag = getattr(child, "qname", (None, None))[1]
        if tag == "h":
            t = teletype.extractText(child).strip()
            if t:
                yield True, t
        elif tag == "p":
            t = teletype.extractText(child).strip()
            if t:
                yield False, t
        elif tag == "table-row":
            cellen = [teletype.extractText(c).strip() for c in child.childNodes
                      if getattr(c, "qname", (None, None))[1] == "table-cell"]
            cellen = [c for c in cellen if c]
            if cellen:
                yield False, " | ".join(cellen)
        elif getattr(child, "childNodes", None):
            yield from _odt_blokken(child, teletype)


# --- HTML, Markdown, text -------------------------------------------------------------------

class _HtmlBlokken(HTMLParser):
    BLOK = {"p", "li", "td", "th", "div", "section", "article", "blockquote", "dd", "dt",
            "caption", "pre", "br", "tr"}
    KOP = {"h1", "h2", "h3", "h4", "h5", "h6"}
    NEGEER = {"script", "style", "nav", "head", "noscript", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blokken: list[tuple[bool, str]] = []
        self.buffer: list[str] = []
        self.negeer = 0
        self.in_kop = False

    @classmethod
    def van(cls, html: str) -> list[tuple[bool, str]]:
        parser = cls()
        parser.feed(html)
        parser.close()
        parser._flush()
        return parser.blokken

    def _flush(self):
        tekst = re.sub(r"\s+", " ", "".join(self.buffer)).strip()
        self.buffer = []
        if tekst:
            self.blokken.append((self.in_kop, tekst))

    def handle_starttag(self, tag, attrs):
        if tag in self.NEGEER:
            self.negeer += 1
        elif tag in self.KOP or tag in self.BLOK:
            self._flush()
            self.in_kop = tag in self.KOP

    def handle_endtag(self, tag):
        if tag in self.NEGEER:
            self.negeer = max(0, self.negeer - 1)
        elif tag in self.KOP or tag in self.BLOK:
            self._flush()
            self.in_kop = False

    def handle_data(self, data):
        if not self.negeer:
            self.buffer.append(data)


def _markdown_blokken(tekst: str) -> list[tuple[bool, str]]:
    blokken = []
    for blok in re.split(r"\n\s*\n", tekst.replace("\r\n", "\n")):
        regels = [r for r in blok.splitlines() if r.strip()]
        huidig: list[str] = []
        for regel in regels:
            m = re.match(r"^#{1,6}\s+(.*)$", regel.strip())
            if m:
                if huidig:
                    blokken.append((False, " ".join(huidig)))
                    huidig = []
                blokken.append((True, m.group(1).strip()))
            elif re.match(r"^\s*([-*+]|\d+[.)])\s+", regel) and huidig:
                blokken.append((False, " ".join(huidig)))
                huidig = [re.sub(r"^\s*([-*+]|\d+[.)])\s+", "", regel).strip()]
            else:
                huidig.append(re.sub(r"^\s*([-*+]|\d+[.)])\s+", "", regel).strip())
        if huidig:
            blokken.append((False, " ".join(huidig)))
    return blokken


def _tekst_blokken(tekst: str) -> list[tuple[bool, str]]:
    blokken = []
    for blok in _alinea_blokken(tekst.replace("\r\n", "\n")):
        blokken.append((_lijkt_kop(blok), blok))
    return blokken


def _blokken_naar_document(soort: str, blokken: list[tuple[bool, str]]) -> Document:
    """Headings become the `kop` of the passages under them; each heading starts a section,
    whose number is the passage's `pagina` for formats without pages."""
    doc = Document(soort)
    kop, sectie = "", 1
    for is_kop, tekst in blokken:
        if is_kop:
            if doc.passages:
                sectie += 1
            kop = tekst
            continue
        doc.passages.append(Passage(len(doc.passages) + 1, sectie, kop, tekst))
    doc.paginas = sectie
    return doc
