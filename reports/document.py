"""What a report is, independent of its format: a title, an intro and tables of typed columns."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

CellValue = str | int | float | Decimal | date | datetime | None
# A row is whatever the report's data function produced (a tuple, a dataclass...): the
# columns know how to read it.
TableRow = Any


def _text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class Column:
    """One column of a table: header, value (typed, for XLSX) and its text (for the PDF)."""

    header: str
    value: Callable[[TableRow], CellValue]
    # How the PDF shows the value; default: str() ("" for None).
    text: Callable[[CellValue], str] = _text
    # Relative width in the PDF, and the XLSX column width in characters.
    width: float = 10
    align: Literal["left", "right", "center"] = "left"
    number_format: str | None = None  # XLSX, e.g. "#,##0.00"

    def cell_text(self, row: TableRow) -> str:
        return self.text(self.value(row))


@dataclass(frozen=True)
class Table:
    title: str  # section heading in the PDF, sheet name in the XLSX
    columns: tuple[Column, ...]
    rows: Sequence[TableRow]
    empty_text: str = "无数据"


@dataclass(frozen=True)
class Document:
    title: str
    # The intro template under reports/templates (rendered once, before the first table) and
    # its values; "" for none.
    template: str
    context: Mapping[str, Any]
    tables: tuple[Table, ...]
    # Key figures shown in the intro of every report and on the XLSX "概况" sheet.
    summary: tuple[tuple[str, str], ...] = ()
    subtitle: str = ""
    generated_at: str = ""
    landscape: bool = False

    @property
    def row_count(self) -> int:
        return sum(len(t.rows) for t in self.tables)

    def digest(self) -> str:
        """sha256 of everything the document shows but its generation time: two documents with
        the same digest render to the same PDF and XLSX (the report cache relies on it)."""
        h = hashlib.sha256()

        def put(value: object) -> None:
            h.update(repr(value).encode())
            h.update(b"\x00")

        put((self.title, self.subtitle, self.template, self.landscape, self.summary))
        put(sorted((k, repr(v)) for k, v in self.context.items()))
        for table in self.tables:
            put((table.title, table.empty_text,
                 [(c.header, c.width, c.align, c.number_format) for c in table.columns]))
            for row in table.rows:
                put([(c.value(row), c.cell_text(row)) for c in table.columns])
        return h.hexdigest()

    def filename(self, extension: str) -> str:
        safe = "".join(ch for ch in self.title if ch not in '\\/:*?"<>|\r\n\t').strip()
        return f"{safe or 'report'}.{extension}"
