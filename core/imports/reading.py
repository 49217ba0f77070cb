"""Reading a file: the encoding and delimiter policies (see the package docstring), the kind of
file by name and content, CSV, XLSX and JSON into a `Table` within size and row limits, and
header matching."""

import csv
import datetime
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import exports
from core.imports.problemen import ImportGeweigerd, weiger

# --- encoding and delimiter --------------------------------------------------------------------

UTF8, UTF8_BOM, WINDOWS_1252 = "UTF-8", "UTF-8 met BOM", "Windows-1252"


def read_text(data: bytes, *, windows_1252: bool = False) -> tuple[str, str]:
    """(text, encoding name) by the module's encoding policy; ImportGeweigerd otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        weiger(_("het bestand is opgeslagen als 'Unicode-tekst' (UTF-16). Sla het op als "
                 "'CSV UTF-8' en probeer het opnieuw."))
    if data.startswith(b"\xef\xbb\xbf"):
        encoding, body = UTF8_BOM, data[3:]
    else:
        encoding, body = UTF8, data
    try:
        return body.decode("utf-8"), encoding
    except UnicodeDecodeError as exc:
        rij = data[: exc.start].count(b"\n") + 1
        if not windows_1252 or encoding == UTF8_BOM:
            weiger(_("het bestand is geen UTF-8. Sla het op als 'CSV UTF-8' en probeer het "
                     "opnieuw."), rij=rij)
    try:
        return data.decode("cp1252"), WINDOWS_1252
    except UnicodeDecodeError as exc:
        weiger(_("het bestand is geen UTF-8 en ook geen Windows-1252. Sla het op als 'CSV "
                 "UTF-8' en probeer het opnieuw."), rij=data[: exc.start].count(b"\n") + 1)


DELIMITERS = (";", ",", "\t")
DELIMITER_NAMES = {";": gettext_lazy("een puntkomma (;)"), ",": gettext_lazy("komma's"),
                   "\t": gettext_lazy("tabs")}


def _of(items) -> str:
    return f" {_('of')} ".join(str(i) for i in items)


def _outside_quotes(line: str) -> str:
    return re.sub(r'"[^"]*"', "", line)


def detect_delimiter(header_line: str, allowed: Iterable[str] = DELIMITERS) -> str:
    """The delimiter by the module's policy; ImportGeweigerd when it is not allowed."""
    allowed = tuple(allowed)
    line = _outside_quotes(header_line)
    counts = {d: line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))
    if not counts[best]:
        return allowed[0]
    if best not in allowed:
        weiger(_("het bestand is gescheiden met %(teken)s. Gebruik %(goed)s als "
                 "scheidingsteken.") % {
            "teken": {";": _("puntkomma's")}.get(best, DELIMITER_NAMES[best]),
            "goed": _of(DELIMITER_NAMES[d] for d in allowed)})
    return best


# --- file kinds --------------------------------------------------------------------------------

FORMAT_LABELS = {"csv": gettext_lazy("een CSV-bestand (.csv)"),
                 "xlsx": gettext_lazy("een Excel-bestand (.xlsx)"),
                 "json": gettext_lazy("een JSON-bestand (.json)")}
EXTENSIONS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".json": "json"}
ZIP_MAGIC = b"PK\x03\x04"
OTHER_MAGIC = (b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")


def format_of(name: str, formats: Iterable[str]) -> str:
    """'csv', 'xlsx' or 'json' from the file name; ImportGeweigerd for another extension."""
    formats = tuple(formats)
    lower = (name or "").lower()
    for ext, fmt in EXTENSIONS.items():
        if lower.endswith(ext) and fmt in formats:
            return fmt
    tabellen = [f for f in formats if f != "json"]
    melding = _("kies %(soorten)s.") % {"soorten": _of(FORMAT_LABELS[f] for f in tabellen)} \
        if tabellen else ""
    if "json" in formats:  # a data feed: besides the spreadsheets, or alone
        melding = f"{melding} {_('Een JSON-bestand (.json) kan ook.')}" if melding \
            else _("kies een JSON-bestand (.json).")
    weiger(melding)


def check_content(fmt: str, head: bytes):
    """Is the start of the file what its name says? ImportGeweigerd otherwise."""
    if fmt == "xlsx":
        if not head.startswith(ZIP_MAGIC):
            weiger(_("dit is geen Excel-bestand (.xlsx)."))
    elif b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")) \
            or head.startswith((ZIP_MAGIC, *OTHER_MAGIC)):
        weiger(_("dit is geen %(soort)s-bestand maar een ander soort bestand.") % {
            "soort": fmt.upper()})


def check_size(data: bytes, max_bytes: int | None):
    if max_bytes is not None and len(data) > max_bytes:
        weiger(_("het bestand is te groot (hoogstens %(grootte)s).") % {
            "grootte": filesizeformat(max_bytes)})


# --- tables ------------------------------------------------------------------------------------


@dataclass
class Table:
    """A file as a header and numbered rows. `rows` is an iterator of (row number, cells);
    cells are strings (XLSX cells converted by `cell_text`). Read it once."""

    format: str
    header: list
    rows: Iterator
    encoding: str = ""  # the encoding used (CSV)
    delimiter: str = ""  # CSV
    extra: dict = field(default_factory=dict)


def _limited(rows: Iterable, max_rows: int | None, start: int = 2) -> Iterator:
    """(row number, cells), at most `max_rows`. A cell this site's own exports protected with a
    quote (core.exports.safe_cell: `'=...`) is read back as it was written."""
    for rij, cells in enumerate(rows, start=start):
        if max_rows is not None and rij - start >= max_rows:
            weiger(_("het bestand heeft meer dan %(n)s rijen.") % {"n": max_rows})
        yield rij, [exports.unquote_cell(c) for c in cells]


def read_csv(data: bytes, *, windows_1252=False, delimiters=DELIMITERS,
             max_rows=None) -> Table:
    text, encoding = read_text(data, windows_1252=windows_1252)
    if not text.strip():
        weiger(_("het bestand is leeg."))
    delimiter = detect_delimiter(text.split("\n", 1)[0], delimiters)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    header = next(reader, [])
    return Table("csv", header, _limited(reader, max_rows), encoding=encoding,
                 delimiter=delimiter)


def cell_text(value) -> str:
    """An XLSX cell as the text a CSV would have: '' for empty, ISO dates, 12 not 12.0."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() \
            else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


MAX_UNPACKED = 100  # an XLSX may unpack to at most this many times the limit (zip bombs)


def read_xlsx(data: bytes, *, sheet: str | None = None, max_rows=None,
              max_bytes: int | None = None) -> Table:
    """The first sheet (or `sheet` when the workbook has it) of an XLSX workbook, read with
    openpyxl in read-only mode. A broken archive, a zip that is not a workbook, a workbook
    without sheets: ImportGeweigerd."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, EOFError):
        weiger(_("het Excel-bestand kan niet gelezen worden: het is beschadigd."))
    if "xl/workbook.xml" not in names:
        weiger(_("dit zip-bestand is geen Excel-werkmap (.xlsx). Sla het bestand in Excel op "
                 "als 'Excel-werkmap (.xlsx)'."))
    limit = max(max_bytes or settings.DATA_UPLOAD_MAX_MEMORY_SIZE, len(data)) * MAX_UNPACKED
    if unpacked > limit:
        weiger(_("het Excel-bestand is uitgepakt te groot om in te lezen."))
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = wb.worksheets
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a broken workbook
        weiger(_("het Excel-bestand kan niet gelezen worden."))
    if not sheets:
        weiger(_("de Excel-werkmap heeft geen werkbladen."))
    ws = wb[sheet] if sheet and sheet in wb.sheetnames else sheets[0]

    def rows():
        try:
            for row in ws.iter_rows(values_only=True):
                yield [cell_text(v) for v in row]
        except ImportGeweigerd:
            raise
        except Exception:  # noqa: BLE001 - a broken sheet shows only while it is read
            weiger(_("het Excel-bestand kan niet gelezen worden."))
        finally:
            wb.close()

    it = rows()
    header = next(it, [])
    while header and header[-1] == "":
        header.pop()
    width = len(header)

    def as_wide_as_header():
        """Every row as wide as the header: a sheet's empty columns at the right are no
        cells (a filled cell beyond the header stays, for the importer to report)."""
        for cells in it:
            if len(cells) > width and not any(cells[width:]):
                del cells[width:]
            yield cells + [""] * (width - len(cells))

    return Table("xlsx", header, _limited(as_wide_as_header(), max_rows))


def read_json(data: bytes, *, max_bytes=None) -> object:
    """A JSON document (UTF-8), or ImportGeweigerd."""
    check_size(data, max_bytes)
    try:
        text, _encoding = read_text(data)
        return json.loads(text)
    except (ValueError, RecursionError):
        weiger(_("dit is geen leesbaar JSON-bestand."))


def read_table(name: str, data: bytes, *, formats=("csv", "xlsx"), max_bytes=None,
               max_rows=None, windows_1252=False, delimiters=DELIMITERS,
               sheet=None) -> Table:
    """A CSV or XLSX file as a Table, chosen by its name and checked by its content."""
    check_size(data, max_bytes)
    fmt = format_of(name, formats)
    check_content(fmt, data[:4096])
    if fmt == "xlsx":
        table = read_xlsx(data, sheet=sheet, max_rows=max_rows, max_bytes=max_bytes)
    else:
        table = read_csv(data, windows_1252=windows_1252, delimiters=delimiters,
                         max_rows=max_rows)
    if not any(str(h).strip() for h in table.header):
        weiger(_("het bestand is leeg."))
    return table


# --- header ------------------------------------------------------------------------------------


def normalize(name) -> str:
    """A header name for comparing: no quotes, accents, case or extra spacing."""
    text = unicodedata.normalize("NFKD", str(name or "").replace('"', ""))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.split()).casefold()


def match_header(header, aliases: dict, *, required: Iterable[str] = ()) -> dict:
    """{field: column index} for every field whose name or alias is in the header (the first
    column that matches). A required field that is missing: ImportGeweigerd listing them."""
    normed = [normalize(h) for h in header]
    found = {}
    for veld, names in aliases.items():
        wanted = {normalize(n) for n in (veld, *names)}
        index = next((i for i, n in enumerate(normed) if n in wanted), None)
        if index is not None:
            found[veld] = index
    missing = [v for v in required if v not in found]
    if missing:
        weiger(_("deze kolommen ontbreken: %(k)s.") % {"k": ", ".join(missing)})
    return found
