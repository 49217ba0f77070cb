"""The file-import toolkit: every upload of rows (CSV, XLSX, JSON) is read through here.

An importer keeps only its column map and its domain checks; this module does the rest:

- `Probleem(rij, kolom, melding)`: one Dutch problem. `rij` 1 is the header line (or the first
  row of a sheet), `kolom` the column as the file names it ('' for the whole row or file).
- `ImportGeweigerd(problemen)`: the whole file is refused and nothing is imported. It is a
  ValidationError, so a view shows it and a management command turns it into a CommandError
  (`command_error`): a clear Dutch message and exit code 1, never a traceback.
- `Problemen`: a list of problems with a ceiling (`melden`; `melden_form` for the errors of a
  Django Form or ModelForm that validated one row, so the model's own rules). Rows are
  validated by forms and the model's `full_clean`, never by hand-written copies of model rules.
- `Resultaat`: what an import run did (aangemaakt, bijgewerkt, gesloten, ongewijzigd), or as
  a preview would do; every importer returns one.
- `read_text(data, windows_1252=...)`: the encoding policy, see below. Returns the text and
  the name of the encoding used, for the preview.
- `detect_delimiter(header_line, allowed=...)`: the delimiter policy, see below.
- `read_table(name, data, ...)`: a `Table` (format, header, numbered rows, encoding,
  delimiter) from a CSV or XLSX file, within a size limit and a row limit; anything else
  (another kind of file, a broken or empty workbook, a zip that is not a workbook) is an
  ImportGeweigerd with a Dutch message, never a 500.
- `match_header(header, aliases)`: which column holds which field; header names compare
  case-, accent- and spacing-insensitively, each field with its aliases.
- `UploadField`: the form field of an import page: size, extension and content checked.
- `vastgelegd(soort, label, beschrijf)`: a decorator for an import's entry point (its
  service function) that records each run, gone in or refused with its problems, as an
  `ImportPoging`, outside the import's own transaction; a refused import that has not gone in
  since is an attention item of the beleidsmedewerker (core.attention).
- `stage` / `get_staged` / `delete_staged` / `delete_expired_staged`: preview, then confirm.
  The file waits in Django's default storage; the page carries only a signed token bound to
  the user, the gemeente and the kind of import, which expires (STAGING_MAX_AGE).

Encoding policy: UTF-8 with or without a byte-order mark is always read. A file that is not
UTF-8 is read as Windows-1252 (what Excel on Dutch Windows writes as "CSV") only where the
importer allows it (`windows_1252=True`): importers that store text from the file (names)
refuse it with a Dutch message naming the row, because a wrong guess would store garbled
names without anyone noticing; importers that read only codes and numbers may accept it. The
encoding used is reported (`Table.encoding`) and the preview shows it. UTF-16 ("Unicode-tekst")
is refused with advice.

Delimiter policy: the delimiter is the one of `;` `,` and tab that occurs most often in the
header line outside quotes (a tie goes to the first in that order). A header without any of
them is one column: the first allowed delimiter. An importer may allow fewer delimiters (the
monitor takes only `;`, as CBS StatLine writes); a file with another one is refused with a
message that names both.

Example, a small importer of (code, naam) rows::

    from core import imports

    class RijForm(forms.Form):
        code = forms.CharField(max_length=10, error_messages={"required": _("de code ontbreekt.")})
        naam = forms.CharField(max_length=200)

    def lees(bestandsnaam, data):
        table = imports.read_table(bestandsnaam, data, max_bytes=5 * 2**20, max_rows=10_000)
        kolommen = imports.match_header(table.header, {"code": ["code", "regiocode"],
                                                       "naam": ["naam", "name"]},
                                        required=["code", "naam"])
        problemen, rijen = imports.Problemen(), []
        for rij, cellen in table.rows:
            waarden = {veld: cellen[i] for veld, i in kolommen.items()}
            form = RijForm(waarden)
            if form.is_valid():
                rijen.append(form.cleaned_data)
            else:
                problemen.melden_form(
                    form, rij, {veld: table.header[i] for veld, i in kolommen.items()})
        problemen.weiger_als_nodig()  # raises ImportGeweigerd (sorted by row) if any
        return rijen

And in the view: `imports.stage(...)` after a good preview, `imports.get_staged(...)` on
confirm; see monitor.views.ImportView.

Names, one rule (DESIGN §5: Dutch for the domain, English for plumbing), applied here as: what
an import run *reports and records* is the domain, read by users in Dutch, and has Dutch names
(`Probleem(rij, kolom, melding)`, `Problemen.melden`/`melden_form`/`weiger_als_nodig`,
`ImportGeweigerd`/`weiger`, `Resultaat(aangemaakt, bijgewerkt, gesloten, ongewijzigd)`,
`vastgelegd`/`Poging` and the model ImportPoging); how a file is *read and kept* is plumbing
any library could have and has English names (`read_table`/`read_csv`/`read_xlsx`/`read_text`,
`Table(format, header, rows, encoding, delimiter)`, `detect_delimiter`, `match_header`,
`normalize`, `UploadField`, `stage`/`get_staged`, `command_error`). No name mixes the two, and
one thing has one name on each side (the encoding: `Table.encoding` as read, `codering` in a
Resultaat or preview that a page shows).
"""

import csv
import datetime
import io
import json
import re
import time
import unicodedata
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import wraps

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import exports

# --- the trace of each import run -------------------------------------------------------------

# {soort: label} of the imports that record their runs (`vastgelegd`), for the attention list.
SOORTEN: dict[str, object] = {}
MAX_BEWAARDE_PROBLEMEN = 20


@dataclass(frozen=True)
class Poging:
    """What `beschrijf` says about one call of an import: where, by whom, which file, about
    what (`onderwerp`, e.g. "versie-12"; '' when the soort is about the whole gemeente), and
    the page to go to about it."""

    gemeente: object
    door: object
    bestandsnaam: str
    onderwerp: str = ""
    url: str = ""


def vastgelegd(soort: str, label, beschrijf: Callable[..., Poging | None]):
    """Record every run of the decorated import function as a `core.models.ImportPoging`:
    gone in, or refused (a ValidationError, e.g. ImportGeweigerd) with its problems; the
    exception then goes on to the caller unchanged. `beschrijf` gets the function's arguments
    and returns a `Poging`, or None for a call that is no import run (a preview). Put it
    outside the function's `transaction.atomic`, so the refusal is written after the import's
    own changes were rolled back. A PermissionDenied is no import run: not recorded.

        @imports.vastgelegd("regions.cbs", _("CBS-regio's"),
                            lambda actor, gemeente, data, **kw: imports.Poging(gemeente, actor,
                                                                               kw.get("naam", "")))
        @transaction.atomic
        def importeer(actor, gemeente, data, ...):
    """
    SOORTEN[soort] = label

    def decorate(fn):
        @wraps(fn)
        def run(*args, **kwargs):
            poging = beschrijf(*args, **kwargs)
            if poging is None:
                return fn(*args, **kwargs)
            try:
                result = fn(*args, **kwargs)
            except ValidationError as exc:
                problemen = [str(p) for p in getattr(exc, "problemen", None) or exc.messages]
                _leg_vast(soort, poging, gelukt=False, problemen=problemen)
                raise
            _leg_vast(soort, poging, gelukt=True, problemen=[])
            return result

        return run

    return decorate


def _leg_vast(soort, poging: Poging, *, gelukt: bool, problemen: list[str]):
    from core.models import ImportPoging

    door = poging.door if getattr(poging.door, "is_authenticated", False) else None
    ImportPoging.objects.create(
        gemeente_id=getattr(poging.gemeente, "pk", poging.gemeente), soort=soort,
        onderwerp=poging.onderwerp[:100], bestandsnaam=(poging.bestandsnaam or "")[:255],
        door=door, gelukt=gelukt, problemen=problemen[:MAX_BEWAARDE_PROBLEMEN],
        aantal_problemen=len(problemen), url=poging.url[:500])


def soort_label(soort: str):
    return SOORTEN.get(soort, soort)


# --- problems ----------------------------------------------------------------------------------


@dataclass
class Probleem:
    """One reason to refuse a file: row (1 = header line), column as the file names it, and a
    Dutch message (starting lower-case: it follows "Rij n, kolom 'x': ")."""

    rij: int
    kolom: str
    melding: str

    def __str__(self):
        if self.kolom:
            return _("Rij %(rij)s, kolom '%(kolom)s': %(melding)s") % {
                "rij": self.rij, "kolom": self.kolom, "melding": self.melding}
        return _("Rij %(rij)s: %(melding)s") % {"rij": self.rij, "melding": self.melding}


class ImportGeweigerd(ValidationError):
    """The whole file is refused; nothing was imported. `problemen`: [Probleem], by row
    (stable: within a row in the order they were found)."""

    def __init__(self, problemen):
        self.problemen = sorted(problemen, key=lambda p: p.rij)
        super().__init__([str(p) for p in self.problemen])

    def __str__(self):
        return "; ".join(str(p) for p in self.problemen)


def weiger(melding: str, rij: int = 1, kolom: str = ""):
    """Refuse the file with one problem."""
    raise ImportGeweigerd([Probleem(rij, kolom, melding)])


def command_error(exc: ImportGeweigerd, heading: str = ""):
    """The CommandError a management command raises for a refused file (exit code 1)."""
    from django.core.management.base import CommandError

    heading = heading or _("Niets ingelezen:")
    return CommandError(heading + "\n" + "\n".join(str(p) for p in exc.problemen))


MAX_PROBLEMEN = 200


class Problemen(list):
    """Problems found while reading, with a ceiling: past `maximum` one closing problem says
    there are more, and later ones are dropped (a file of a million bad rows stays cheap)."""

    def __init__(self, *args, maximum: int = MAX_PROBLEMEN):
        super().__init__(*args)
        self.maximum = maximum

    def melden(self, rij: int, kolom: str, melding: str):
        if len(self) < self.maximum:
            self.append(Probleem(rij, kolom, melding))
        elif len(self) == self.maximum:
            self.append(Probleem(rij, "", _(
                "er zijn nog meer fouten; herstel eerst deze en lees het bestand opnieuw in.")))

    def melden_form(self, form, rij: int, kolommen: dict | None = None):
        """The errors of a form that validated one row, as problems of that row. `kolommen`
        maps a form field to the column name in the file (default: the field name); non-field
        errors (the model's constraints) have no column."""
        kolommen = kolommen or {}
        for veld, errors in form.errors.as_data().items():
            kolom = "" if veld == forms.forms.NON_FIELD_ERRORS else kolommen.get(veld, veld)
            for error in errors:
                for melding in error.messages:
                    self.melden(rij, kolom, melding)

    def weiger_als_nodig(self):
        if self:
            raise ImportGeweigerd(self)


# --- the result of an import run --------------------------------------------------------------

VOORBEELD, INGELEZEN, ONGEWIJZIGD = "voorbeeld", "ingelezen", "ongewijzigd"


@dataclass
class Resultaat:
    """What one import run did, or as a preview would do. The counts are of the importer's
    own rows (regions, activiteiten, organisaties, metingen): `aangemaakt` new, `bijgewerkt`
    changed, `gesloten` closed (a register location that left the file; kept, never
    deleted), `ongewijzigd` already as the file has them.

    `status`: INGELEZEN (written), VOORBEELD (a preview: nothing written) or ONGEWIJZIGD (the
    very same file went in before: nothing changed). `codering`: the encoding the file was
    read in, for the page. An importer that keeps a record of each run (monitor's
    ImportBatch) gives it as `batch`, the earlier runs this one replaced as `vervangen`, its
    preview of the rows and problems as `voorbeeld`, and the derived rows it rebuilt
    afterwards (monitor's rollup) as `afgeleid`."""

    aangemaakt: int = 0
    bijgewerkt: int = 0
    gesloten: int = 0
    ongewijzigd: int = 0
    status: str = INGELEZEN
    codering: str = ""
    voorbeeld: object = None
    batch: object = None
    vervangen: list = field(default_factory=list)
    afgeleid: int = 0

    def regel(self) -> str:
        """The counts as a management command prints them."""
        return (f"aangemaakt {self.aangemaakt}, bijgewerkt {self.bijgewerkt}, "
                f"gesloten {self.gesloten}, ongewijzigd {self.ongewijzigd}")


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


# --- upload field ------------------------------------------------------------------------------


class UploadField(forms.FileField):
    """The file field of an import page: its size (max_bytes, or a callable giving it), its
    extension (`formats`) and the start of its content are checked, with the toolkit's
    messages."""

    def __init__(self, *args, formats=("csv", "xlsx"), max_bytes=None, **kwargs):
        self.formats, self._max_bytes = tuple(formats), max_bytes
        super().__init__(*args, **kwargs)

    @property
    def max_bytes(self):
        return self._max_bytes() if callable(self._max_bytes) else self._max_bytes

    def clean(self, data, initial=None):
        f = super().clean(data, initial)
        if not f:
            return f
        try:
            if self.max_bytes is not None and f.size > self.max_bytes:
                weiger(_("het bestand is te groot (hoogstens %(grootte)s).") % {
                    "grootte": filesizeformat(self.max_bytes)})
            fmt = format_of(f.name, self.formats)
            head = f.read(4096)
            f.seek(0)
            check_content(fmt, head)
        except ImportGeweigerd as exc:
            melding = exc.problemen[0].melding
            raise forms.ValidationError(melding[:1].upper() + melding[1:]) from None
        return f


# --- preview, then confirm: staging ------------------------------------------------------------

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
