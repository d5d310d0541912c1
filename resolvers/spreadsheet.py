"""Spreadsheets as offices use them: XLSX or CSV in, XLSX out, Chinese headers.

Row numbers are the spreadsheet's own (the header is row 1), so an error message points at the
line a person sees in Excel. Shared by the roster, scheme and task-list imports and exports.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import csv
import dataclasses
import io
import zipfile
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from multiprocessing import get_context
from typing import Literal, ParamSpec, TypeVar

import anyio.to_thread
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from resolvers.errors import ErrorCode, Problem

T = TypeVar("T")
P = ParamSpec("P")
MB = 1024 * 1024
MAX_ROWS = 10_000  # filled rows below the header
MAX_SHEET_ROW = 1_048_576  # Excel's last row: blank rows are cheap, but not without end
MAX_COLUMNS = 100  # columns read; the headers of every import fit well inside
# The uncompressed size of all the parts of an XLSX, and the inflation ratio of a large part
# (Apache POI refuses above 100 as well); 10,000 rows of real data stay far below both.
MAX_XLSX_BYTES = 64 * MB
MAX_XLSX_MEMBERS = 1_000
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM = 1 * MB
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read; the message is Chinese."""


@dataclass(frozen=True)
class SheetRow:
    row: int
    values: dict[str, str]


@dataclass(frozen=True)
class UploadedFile:
    """A file sent to an import: raw bytes (a multipart upload) or Base64 text (inside JSON)."""

    filename: str
    raw: bytes | None = None
    base64_text: str | None = None
    # Why no file can be read (e.g. neither or both of file and contentBase64 were sent):
    # raised when the content is read, so the use case checks permissions first.
    problem: str | None = None

    @property
    def field(self) -> str:
        """The argument a problem with the file's content points at."""
        return "contentBase64" if self.base64_text is not None else "file"

    def content(self) -> bytes:
        """The file's bytes; decoding Base64 is CPU-bound, so call it inside ``in_thread``."""
        if self.problem is not None:
            raise SpreadsheetError(self.problem)
        return self.raw if self.raw is not None else decode_upload(self.base64_text or "")


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


def check_xlsx_archive(content: bytes) -> None:
    """Refuses a zip bomb from the zip directory alone, before anything is decompressed.

    The declared sizes can be trusted as a bound: ``zipfile`` never inflates a member past its
    declared ``file_size`` (a member that lies fails its CRC check instead).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise SpreadsheetError("无法读取该 Excel 文件，请确认是 .xlsx 格式") from exc
    if len(members) > MAX_XLSX_MEMBERS:
        raise SpreadsheetError("Excel 文件内部结构异常（包含的部件过多），已拒绝读取")
    if sum(m.file_size for m in members) > MAX_XLSX_BYTES:
        raise SpreadsheetError(f"Excel 文件解压后超过{MAX_XLSX_BYTES // MB} MB，"
                               "请删除多余的内容或分批导入")
    for member in members:
        if (member.file_size > RATIO_CHECKED_FROM
                and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)):
            raise SpreadsheetError("Excel 文件压缩比异常，疑似恶意构造的文件，已拒绝读取")


def _limited(rows: Iterable[Sequence[object]], sheet: str) -> list[list[str]]:
    """The rows as text, stopping as soon as a limit is passed (not after the whole sheet)."""
    where = f"“{sheet}”表" if sheet else ""
    table: list[list[str]] = []
    blank: list[str] = []  # shared by blank rows: a long run of them costs one pointer each
    filled = 0
    for number, raw in enumerate(rows, start=1):
        if number > MAX_SHEET_ROW:
            raise SpreadsheetError(f"{where}行数超过{MAX_SHEET_ROW}行，无法导入")
        row = [cell_text(v) for v in raw[:MAX_COLUMNS]]
        if not any(row):
            table.append(blank)
            continue
        filled += number > 1  # the header row is not counted
        if filled > MAX_ROWS:
            raise SpreadsheetError(f"{where}一次最多导入{MAX_ROWS}行")
        table.append(row)
    while table and table[-1] is blank:
        table.pop()
    return table


def _xlsx_sheets(content: bytes, titles: Collection[str] | None
                 ) -> dict[str, list[list[str]]]:
    check_xlsx_archive(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise SpreadsheetError("无法读取该 Excel 文件，请确认是 .xlsx 格式") from exc
    try:
        sheets = {}
        for index, sheet in enumerate(workbook.worksheets):
            if titles is not None and index > 0 and sheet.title not in titles:
                continue
            rows = sheet.iter_rows(max_row=MAX_SHEET_ROW + 1, max_col=MAX_COLUMNS,
                                   values_only=True)
            sheets[sheet.title] = _limited(rows, sheet.title)
    except SpreadsheetError:
        raise
    except Exception as exc:  # a damaged sheet part
        raise SpreadsheetError("无法读取该 Excel 文件，请确认是 .xlsx 格式") from exc
    finally:
        workbook.close()
    return sheets


def _csv_sheet(content: bytes) -> dict[str, list[list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise SpreadsheetError("CSV 文件编码无法识别，请使用 UTF-8 或 GBK") from exc
    reader = csv.reader(io.StringIO(text))
    try:
        return {"": _limited(reader, "")}
    except csv.Error as exc:  # e.g. a field over the csv module's 128 KB limit
        raise SpreadsheetError(f"CSV 文件第{reader.line_num}行无法读取：单元格内容过长或格式有误"
                               ) from exc


def read_sheets(filename: str, content: bytes, titles: Collection[str] | None = None
                ) -> dict[str, list[list[str]]]:
    """Sheets by title (a CSV file is one sheet titled ""), in file order: every sheet, or the
    first and those named in ``titles``. Blocking and CPU-bound: call it through ``in_thread``.
    """
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _xlsx_sheets(content, titles)
    if name.endswith(".csv"):
        return _csv_sheet(content)
    raise SpreadsheetError("只支持 .xlsx 或 .csv 文件")


def read_table(filename: str, content: bytes) -> list[list[str]]:
    """The first sheet."""
    return next(iter(read_sheets(filename, content, titles=()).values()), [])


async def in_thread(work: Callable[[], T]) -> T:
    """Runs blocking work that mostly waits or releases the GIL (argon2 hashing, writing a
    small XLSX) in a worker thread, so the event loop keeps serving other requests."""
    return await anyio.to_thread.run_sync(work)


_parsers: ProcessPoolExecutor | None = None


def _parser_pool() -> ProcessPoolExecutor:
    # Lazily, once per process; "spawn": a clean child, not a fork of a process with threads.
    global _parsers
    if _parsers is None:
        _parsers = ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn"))
    return _parsers


def stop_parsers() -> None:
    """Ends the parsing processes (the app's shutdown), so none outlives the server."""
    global _parsers
    if _parsers is not None:
        _parsers.shutdown(wait=True, cancel_futures=True)
        _parsers = None


async def in_process(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Runs the parsing of an upload in a separate process: XML and zip parsing hold the GIL
    for tens of milliseconds at a time, which a thread would take from the event loop (health
    checks waited 250 ms). ``work`` is a module-level function; its arguments and result are
    pickled (an upload's bytes, its rows), and its SpreadsheetError comes back as raised."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_parser_pool(), partial(work, *args, **kwargs))


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
class Check:
    """What a column takes, for the dropdown (data validation) Excel shows and the cell format:
    one of ``choices``, a ``number`` ("whole" or "decimal", optionally from ``minimum`` to
    ``maximum``), or a ``date`` (written as a date cell, format yyyy-mm-dd). ``hint`` is the
    input message Excel shows on the cell."""

    choices: tuple[str, ...] = ()
    number: Literal["", "whole", "decimal"] = ""
    minimum: float | None = None
    maximum: float | None = None
    date: bool = False
    hint: str = ""


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: tuple[str, ...]
    rows: Sequence[Sequence[object]]
    widths: tuple[int, ...] = ()
    checks: Mapping[str, Check] = dataclasses.field(default_factory=dict)  # by header


DATE_FORMAT = "yyyy-mm-dd"
CHECKED_ROWS = 1000  # a template's rows with dropdowns below the header (at least)
_LIST_LIMIT = 255  # Excel's limit on a validation list written inline


def header_width(header: str) -> int:
    """A column width that fits the header: a Chinese character takes about two units."""
    return max(10, sum(2 if ord(ch) > 0x2E7F else 1 for ch in header) + 4)


def _validation(check: Check) -> DataValidation | None:
    if check.choices:
        formula = '"' + ",".join(check.choices) + '"'
        if len(formula) > _LIST_LIMIT:
            return None
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
        dv.error = "请从下拉列表中选择：" + "、".join(check.choices)
    elif check.number:
        low = check.minimum if check.minimum is not None else -1e12
        high = check.maximum if check.maximum is not None else 1e12
        dv = DataValidation(type="whole" if check.number == "whole" else "decimal",
                            operator="between", formula1=f"{low:g}",
                            formula2=f"{high:g}", allow_blank=True)
        dv.error = "请填写整数" if check.number == "whole" else "请填写数字"
    elif check.date:
        dv = DataValidation(type="date", operator="greaterThan", formula1="1",
                            allow_blank=True)
        dv.error = "请填写日期，例如 2026-06-30"
    elif check.hint:
        dv = DataValidation(allow_blank=True)  # any value: only the input message
    else:
        return None
    dv.errorTitle = "输入有误"
    dv.showErrorMessage = True
    if check.hint:
        dv.prompt = check.hint
        dv.showInputMessage = True
    return dv


def _cell_value(value: object, check: Check | None) -> object:
    """Numbers stay numbers (an integral Decimal an int); a date column's ISO text a date."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value() and abs(value) < 10**15:
            return int(value)
        return float(value)
    if check is not None and check.date and isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def write_xlsx(sheets: Iterable[Sheet]) -> bytes:
    """Office-ready sheets: a bold, frozen header row with an autofilter, widths that fit the
    headers, typed cells (numbers as numbers, dates as dates) and, for the columns in
    ``checks``, dropdowns and number/date validation over the rows and the empty ones below."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title)
        sheet.append(list(spec.headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center")
        checks = [spec.checks.get(h) for h in spec.headers]
        for row in spec.rows:
            sheet.append([_cell_value(v, c) for v, c in zip(row, checks, strict=False)]
                         + list(row[len(checks):]))
        filled = sheet.max_row
        last = max(filled, CHECKED_ROWS + 1)
        for index, header in enumerate(spec.headers, start=1):
            letter = get_column_letter(index)
            width = spec.widths[index - 1] if index <= len(spec.widths) else 0
            sheet.column_dimensions[letter].width = max(width, header_width(header))
            check = checks[index - 1]
            if check is None:
                continue
            if check.date:  # the filled cells, and the column's style for the cells typed in
                sheet.column_dimensions[letter].number_format = DATE_FORMAT
                for (cell,) in sheet.iter_rows(min_row=2, max_row=filled, min_col=index,
                                               max_col=index):
                    cell.number_format = DATE_FORMAT
            validation = _validation(check)
            if validation is not None:
                validation.add(f"{letter}2:{letter}{last}")
                sheet.add_data_validation(validation)
        sheet.freeze_panes = "A2"
        if spec.headers:
            sheet.auto_filter.ref = (
                f"A1:{get_column_letter(len(spec.headers))}{max(filled, 2)}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def encode(content: bytes) -> str:
    return base64.b64encode(content).decode("ascii")
