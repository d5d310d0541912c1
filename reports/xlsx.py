"""XLSX rendering with openpyxl in write-only mode (rows stream out; memory stays flat).

One sheet per table: a header row, then the same rows as the PDF table, typed (numbers stay
numbers). A last sheet "概况" holds the title and the summary figures.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from reports.document import CellValue, Document

_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")


def sheet_title(title: str, used: set[str]) -> str:
    base = _INVALID_SHEET_CHARS.sub("", title).strip()[:28] or "Sheet"
    name, n = base, 2
    while name in used:
        name = f"{base[:26]}{n}"
        n += 1
    used.add(name)
    return name


def _cell_value(value: CellValue) -> Any:
    # openpyxl writes Decimal as a number already; keep ints exact.
    if isinstance(value, Decimal) and value == value.to_integral_value() and abs(value) < 10**15:
        return int(value)
    return value


def render_xlsx(document: Document) -> bytes:
    wb = Workbook(write_only=True)
    used: set[str] = set()
    for table in document.tables:
        # Any: the stubs miss the write-only sheet's column_dimensions and freeze_panes.
        ws: Any = wb.create_sheet(sheet_title(table.title or document.title, used))
        for i, column in enumerate(table.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = max(6.0, column.width * 1.6)
        ws.freeze_panes = "A2"
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(ws, value=column.header)
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center")
            header.append(cell)
        ws.append(header)
        formats = [c.number_format for c in table.columns]
        for row in table.rows:
            values = [_cell_value(c.value(row)) for c in table.columns]
            if any(formats):
                cells = []
                for value, fmt in zip(values, formats, strict=True):
                    cell = WriteOnlyCell(ws, value=value)
                    if fmt:
                        cell.number_format = fmt
                    cells.append(cell)
                ws.append(cells)
            else:
                ws.append(values)
    info: Any = wb.create_sheet(sheet_title("概况", used))
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 60
    info.append(["报表", document.title])
    if document.subtitle:
        info.append(["说明", document.subtitle])
    for key, value in document.summary:
        info.append([key, value])
    if document.generated_at:
        info.append(["生成时间", document.generated_at])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
