"""Files that are not what their name says, for the import refusals of every importer
(core.imports): a workbook without sheets, a zip that is not a workbook, a broken archive."""

import io
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships">%s</Relationships>')


def workbook_without_sheets() -> bytes:
    """A valid XLSX package whose workbook lists no sheets (openpyxl opens it: no worksheets)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS % (
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/>'))
        z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook '
                   'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/>'
                   '</workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", RELS % "")
    return out.getvalue()


def zip_without_workbook() -> bytes:
    """An ordinary zip (a folder of CSV files, say) renamed to .xlsx."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("cijfers.csv", "indicator;regio;periode;waarde\n")
        z.writestr("leesmij.txt", "Gedownload van StatLine")
    return out.getvalue()


def broken_zip() -> bytes:
    """The start of an XLSX, cut off (an interrupted download)."""
    return workbook_without_sheets()[:60]


NOT_A_WORKBOOK = {
    "zonder-werkbladen.xlsx": (workbook_without_sheets, "de Excel-werkmap heeft geen werkbladen"),
    "zip.xlsx": (zip_without_workbook, "dit zip-bestand is geen Excel-werkmap (.xlsx)"),
    "kapot.xlsx": (broken_zip, "het Excel-bestand kan niet gelezen worden"),
}
