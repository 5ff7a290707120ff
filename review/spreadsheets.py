"""Spreadsheets the bureau downloads (.csv and .xlsx), safe to open in Excel or WPS.

Text from applicants (names, titles, industries) may start with "=", "+", "-" or "@": a
spreadsheet would run it as a formula (formula injection). Every cell goes through here.
"""

import io
from collections.abc import Iterable

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_cell(value) -> str:
    """A CSV cell: text that would start a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _xlsx_cell(sheet, value, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # Stored as text whatever it starts with: never a formula.
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_bytes(sheets: Iterable[tuple[str, list, Iterable[list]]]) -> bytes:
    """A workbook of (title, header, rows) sheets, written row by row (constant memory)."""
    book = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append([_xlsx_cell(sheet, value, bold=True) for value in header])
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(sheets, *, filename: str) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
