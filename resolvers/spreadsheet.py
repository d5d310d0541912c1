"""Spreadsheets as offices use them: XLSX or CSV in, XLSX out, Chinese headers.

Row numbers are the spreadsheet's own (the header is row 1), so an error message points at the
line a person sees in Excel. Shared by the roster, scheme and task-list imports and exports.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from resolvers.errors import ErrorCode, Problem

MAX_ROWS = 10_000
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read; the message is Chinese."""


@dataclass(frozen=True)
class SheetRow:
    row: int
    values: dict[str, str]


def decode_upload(content_base64: str) -> bytes:
    try:
        return base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SpreadsheetError("文件内容不是有效的 Base64") from exc


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "date") and hasattr(value, "hour"):  # datetime from Excel date cells
        return str(value.date())
    return str(value).strip()


def read_sheets(filename: str, content: bytes) -> dict[str, list[list[str]]]:
    """Every sheet by title (a CSV file is one sheet titled ""), in file order."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise SpreadsheetError("无法读取该 Excel 文件，请确认是 .xlsx 格式") from exc
        sheets = {sheet.title: [[cell_text(v) for v in row]
                                for row in sheet.iter_rows(values_only=True)]
                  for sheet in workbook.worksheets}
        workbook.close()
        return sheets
    if name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("gb18030")
            except UnicodeDecodeError as exc:
                raise SpreadsheetError("CSV 文件编码无法识别，请使用 UTF-8 或 GBK") from exc
        try:
            return {"": [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]}
        except csv.Error as exc:  # e.g. a field over the csv module's 128 KB limit
            raise SpreadsheetError("CSV 文件格式有误（某个单元格过长或引号不配对）") from exc
    raise SpreadsheetError("只支持 .xlsx 或 .csv 文件")


def read_table(filename: str, content: bytes) -> list[list[str]]:
    """The first sheet."""
    return next(iter(read_sheets(filename, content).values()), [])


def map_rows(table: Sequence[Sequence[str]], headers: Mapping[str, tuple[str, ...]],
             required: Iterable[str], sheet: str = "") -> list[SheetRow]:
    """Rows as {field: text} by the accepted header spellings; blank rows are skipped."""
    where = f"“{sheet}”表" if sheet else ""
    if not table or not any(table[0]):
        raise SpreadsheetError(f"{where or '文件'}为空或缺少表头")
    labels = {field: names[0] for field, names in headers.items()}
    columns: dict[str, int] = {}
    for index, title in enumerate(table[0]):
        for field, names in headers.items():
            if title in names:
                columns[field] = index
    missing = [labels[f] for f in required if f not in columns]
    if missing:
        raise SpreadsheetError(f"{where}缺少必需的列：{'、'.join(missing)}")
    rows = []
    for number, raw in enumerate(table[1:], start=2):
        if not any(raw):
            continue
        rows.append(SheetRow(number, {
            field: raw[i] if i < len(raw) else "" for field, i in columns.items()}))
    if len(rows) > MAX_ROWS:
        raise SpreadsheetError(f"一次最多导入{MAX_ROWS}行")
    return rows


def row_problem(row: int, field: str, label: str, message: str, sheet: str = "") -> Problem:
    where = f"“{sheet}”表" if sheet else ""
    return Problem(ErrorCode.IMPORT_ROW_INVALID, f"{where}第{row}行“{label}”列：{message}",
                   field, row, label)


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: tuple[str, ...]
    rows: Sequence[Sequence[object]]
    widths: tuple[int, ...] = ()


def write_xlsx(sheets: Iterable[Sheet]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title)
        sheet.append(list(spec.headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center")
        for row in spec.rows:
            sheet.append(list(row))
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def encode(content: bytes) -> str:
    return base64.b64encode(content).decode("ascii")
