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

The package, in parts: `problemen` (problems, the refusal and the Resultaat), `pogingen` (the
trace of each run), `reading` (encoding, delimiter, file kinds, tables, header), `upload` (the
form field) and `staging` (preview, then confirm). Callers import the package (`from core
import imports`) and use the names below; each is defined once, in its part.
"""

from core.imports.pogingen import MAX_BEWAARDE_PROBLEMEN, SOORTEN, Poging, soort_label, vastgelegd
from core.imports.problemen import (
    INGELEZEN,
    MAX_PROBLEMEN,
    ONGEWIJZIGD,
    VOORBEELD,
    ImportGeweigerd,
    Probleem,
    Problemen,
    Resultaat,
    command_error,
    weiger,
)
from core.imports.reading import (
    DELIMITER_NAMES,
    DELIMITERS,
    EXTENSIONS,
    FORMAT_LABELS,
    MAX_UNPACKED,
    OTHER_MAGIC,
    UTF8,
    UTF8_BOM,
    WINDOWS_1252,
    ZIP_MAGIC,
    Table,
    cell_text,
    check_content,
    check_size,
    detect_delimiter,
    format_of,
    match_header,
    normalize,
    read_csv,
    read_json,
    read_table,
    read_text,
    read_xlsx,
)
from core.imports.staging import (
    STAGING_DIR,
    STAGING_MAX_AGE,
    Staged,
    delete_expired_staged,
    delete_staged,
    get_staged,
    max_age,
    stage,
)
from core.imports.upload import UploadField

__all__ = [
    "DELIMITER_NAMES", "DELIMITERS", "EXTENSIONS", "FORMAT_LABELS", "INGELEZEN",
    "MAX_BEWAARDE_PROBLEMEN", "MAX_PROBLEMEN", "MAX_UNPACKED", "ONGEWIJZIGD", "OTHER_MAGIC",
    "SOORTEN", "STAGING_DIR", "STAGING_MAX_AGE", "UTF8", "UTF8_BOM", "VOORBEELD", "WINDOWS_1252",
    "ZIP_MAGIC", "ImportGeweigerd", "Poging", "Probleem", "Problemen", "Resultaat", "Staged",
    "Table", "UploadField", "cell_text", "check_content", "check_size", "command_error",
    "delete_expired_staged", "delete_staged", "detect_delimiter", "format_of", "get_staged",
    "match_header", "max_age", "normalize", "read_csv", "read_json", "read_table", "read_text",
    "read_xlsx", "soort_label", "stage", "vastgelegd", "weiger",
]
