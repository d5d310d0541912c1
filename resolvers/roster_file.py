"""Reading a roster from XLSX or CSV into rows, with Chinese headers as offices write them.

Row numbers are the spreadsheet's own (the header is row 1), so an error message points at
the line a person sees in Excel.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from openpyxl import load_workbook

MAX_ROWS = 10_000

# Canonical field -> accepted header spellings.
HEADERS: dict[str, tuple[str, ...]] = {
    "employee_no": ("工号", "人员编号", "employee_no"),
    "name": ("姓名", "name"),
    "gender": ("性别", "gender"),
    "unit": ("部门", "部门代码", "科室", "unit"),
    "post": ("岗位", "岗位代码", "post"),
    "rank_title": ("职级", "rank_title"),
    "comparison_group": ("比较组", "人员类别", "comparison_group"),
    "appraised": ("参加考核", "是否参加考核", "appraised"),
}
REQUIRED = ("employee_no", "name", "unit")
LABELS = {field: names[0] for field, names in HEADERS.items()}


class RosterFileError(ValueError):
    pass


@dataclass(frozen=True)
class RosterRow:
    row: int
    values: dict[str, str]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(filename: str, content: bytes) -> list[list[str]]:
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise RosterFileError("无法读取该 Excel 文件，请确认是 .xlsx 格式") from exc
        sheet = workbook.worksheets[0]
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
        return rows
    if name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("gb18030")
            except UnicodeDecodeError as exc:
                raise RosterFileError("CSV 文件编码无法识别，请使用 UTF-8 或 GBK") from exc
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    raise RosterFileError("只支持 .xlsx 或 .csv 文件")


def read_roster(filename: str, content: bytes) -> list[RosterRow]:
    table = _table(filename, content)
    if not table or not any(table[0]):
        raise RosterFileError("文件为空或缺少表头")
    header = table[0]
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        for field, names in HEADERS.items():
            if title in names:
                columns[field] = index
    missing = [LABELS[f] for f in REQUIRED if f not in columns]
    if missing:
        raise RosterFileError(f"缺少必需的列：{'、'.join(missing)}")
    rows = []
    for number, raw in enumerate(table[1:], start=2):
        if not any(raw):
            continue
        rows.append(RosterRow(number, {
            field: raw[i] if i < len(raw) else "" for field, i in columns.items()}))
    if len(rows) > MAX_ROWS:
        raise RosterFileError(f"一次最多导入{MAX_ROWS}行")
    return rows
