"""Safe exports: every CSV and XLSX the site hands out is written through this module.

A spreadsheet program runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and a tab
or carriage return in front can hide one), so a title a partner typed, e.g.
`=HYPERLINK("http://…"&A1,"klik")`, would otherwise come back as a live link or command in a
beleidsmedewerker's spreadsheet. Following OWASP's CSV-injection advice such text is written
with a single quote in front: the spreadsheet shows it as text. Real numbers (int, float,
Decimal, also negative ones) stay numbers, so sums keep working.
"""

import csv
import datetime
import decimal
import io

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def safe_cell(value):
    """The value as it may go into a cell: text that a spreadsheet would read as a formula
    gets a leading `'`; everything else (numbers, dates, None, other text) is returned as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def unquote_cell(value):
    """The inverse of `safe_cell`, for an import that reads back a file this site exported:
    text `'=…` (a quote before a formula character) is `=…` again."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


# CSV ------------------------------------------------------------------------------------------

def _csv_value(value, decimal_comma: bool):
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        # 15 significant digits: no exponent for national counts in the millions.
        text = f"{value:.15g}"
    elif isinstance(value, decimal.Decimal):
        text = format(value, "f")
    elif isinstance(value, int):
        return value
    elif isinstance(value, datetime.date):
        return value.isoformat()
    else:
        return safe_cell(str(value))
    return text.replace(".", ",") if decimal_comma else text


def csv_text(header, rows, *, delimiter: str = ";", decimal_comma: bool = True,
             bom: bool = True) -> str:
    """A CSV document (with a BOM so spreadsheet programs read UTF-8): numbers as numbers
    (with a decimal comma for Dutch spreadsheets when `decimal_comma`), text neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    writer.writerow([_csv_value(v, False) for v in header])
    for row in rows:
        writer.writerow([_csv_value(v, decimal_comma) for v in row])
    return ("\ufeff" if bom else "") + buf.getvalue()


def file_response(filename: str, data, content_type: str, *, inline: bool = False):
    """A file the browser saves as `filename` (CSV, XLSX, PDF), or with `inline` shows itself:
    the one place that writes the download header (Django's, so any file name is quoted right).
    `data` is bytes or text, or an iterator of chunks, which is streamed."""
    streamed = not isinstance(data, (bytes, str))
    response_class = StreamingHttpResponse if streamed else HttpResponse
    response = response_class(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response


def csv_response(filename: str, header, rows, **kwargs) -> HttpResponse:
    return file_response(filename, csv_text(header, rows, **kwargs), CSV_CONTENT_TYPE)


# XLSX -----------------------------------------------------------------------------------------

def new_workbook(*, write_only: bool = False) -> Workbook:
    return Workbook(write_only=write_only)


def xlsx_append(ws, row) -> None:
    """Append a row of plain values (or WriteOnlyCells made by `xlsx_cell`) to a sheet."""
    ws.append([value if isinstance(value, Cell) else safe_cell(value)
               for value in row])


def xlsx_cell(ws, value, *, number_format: str | None = None, font=None) -> Cell:
    """A cell for a write-only sheet, with an optional number format and font."""
    cell = WriteOnlyCell(ws, value=safe_cell(value))
    if number_format:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


def xlsx_bytes(wb: Workbook) -> bytes:
    """The workbook as a file. A normal (not write-only) workbook is checked once more, so a
    cell set directly (`ws["A1"] = ...`) cannot slip a formula through either."""
    if not wb.write_only:
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f" or isinstance(cell.value, str):
                        safe = safe_cell(cell.value)
                        if safe is not cell.value:
                            cell.value = safe
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(filename: str, wb: Workbook) -> HttpResponse:
    return file_response(filename, xlsx_bytes(wb), XLSX_CONTENT_TYPE)
