"""CSV and XLSX files of rows, safe to open in a spreadsheet (exports of every area)."""

import csv
import io

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: str) -> str:
    """A cell value a spreadsheet will not run as a formula: a quote before = + - @ tab or CR."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def xlsx_cell(value):
    """A value an XLSX sheet accepts: text without the control characters openpyxl refuses."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _cell(value):
    # Numbers stay numbers; everything else is text that cannot start a formula.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return neutralize("" if value is None else str(value))


def to_csv(rows) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    # The BOM tells Excel the file is UTF-8, so that Arabic and accents open correctly.
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows, title: str) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for row in rows:
        sheet.append([xlsx_cell(_cell(value)) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
