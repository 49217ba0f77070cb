"""Reading measurement files: CBS StatLine "CSV met statistische symbolen" and the generic
Opgroeien template (CSV or XLSX, see docs/monitor-import.md).

One streaming pass over the file checks every row with dict lookups (no ORM objects) and
produces compact tuples ready for PostgreSQL COPY. Nothing is written here. monitor.services
decides, from the result, whether the whole file is imported or rejected; it may pass a
`stroom`: a callable that gets the checked rows in chunks while the file is still being read
(to feed an open COPY), for as long as the file has no problem.

Regions are never mapped silently: a code is looked up in the CBS indeling in force for the row's
periode (the latest indeling year of the gemeente that is not after the periode's year, or the
year in an `indeling_jaar` column). A code that does not exist in that indeling is an error.
National figures (NL01, or NL00 as in the CBS tables of wijken en buurten) belong to the
gemeente's region Nederland (soort 'land') of that indeling; when it does not exist yet, the
rows carry a placeholder id and monitor.services creates the region when the file is imported.

The package: `lezer` (what a file would import, the CBS indeling, the checks of one
measurement that both formats share), `cbs` (StatLine tables: CSV and the OData feed),
`sjabloon` (the Opgroeien template: reading it, and writing the empty one to fill in). This
module picks the reader for a file.
"""

from monitor.importers import cbs, sjabloon
from monitor.models import ImportBatch


def formaat_van(data: bytes, bestandsnaam: str) -> str:
    """'cbs', 'cbs_json' or 'sjabloon', from the file: JSON is the CBS feed, XLSX the
    template, and a CSV is the template when its header starts with 'indicator'."""
    if bestandsnaam.lower().endswith(".xlsx"):
        return ImportBatch.Formaat.SJABLOON
    if bestandsnaam.lower().endswith(".json"):
        return ImportBatch.Formaat.CBS_JSON
    kop = data[:500].decode("utf-8-sig", errors="replace").split("\n", 1)[0]
    eerste = kop.replace('"', "").split(";")[0].split(",")[0].strip().lower()
    return ImportBatch.Formaat.SJABLOON if eerste == "indicator" else ImportBatch.Formaat.CBS


def lees_bestand(data: bytes, gemeente, bestandsnaam: str, *, formaat=None, kolommen=None,
                 stroom=None, periode=""):
    """Parse and check a file → Voorbeeld (raises core.imports.ImportGeweigerd when
    the file cannot be read at all). `stroom`: see the module docstring; `periode`: for a CBS
    table without a Perioden column."""
    formaat = formaat or formaat_van(data, bestandsnaam)
    if formaat in (ImportBatch.Formaat.CBS, ImportBatch.Formaat.CBS_JSON):
        return cbs.lees_cbs(data, gemeente, kolommen=kolommen, stroom=stroom, periode=periode,
                            json=formaat == ImportBatch.Formaat.CBS_JSON)
    return sjabloon.lees_sjabloon(data, gemeente, bestandsnaam, stroom=stroom)
