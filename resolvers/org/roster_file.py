"""Reading a roster from XLSX or CSV into rows, with Chinese headers as offices write them.

Row numbers are the spreadsheet's own (the header is row 1), so an error message points at
the line a person sees in Excel. The file handling is shared (resolvers.spreadsheet).
"""

from __future__ import annotations

from resolvers.spreadsheet import (
    MAX_ROWS,
    Check,
    Sheet,
    SheetRow,
    SpreadsheetError,
    map_rows,
    read_table,
    write_xlsx,
)

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
    # Optional: the login name when accounts are created from the roster (else the 工号).
    "username": ("账号", "用户名", "username"),
}
REQUIRED = ("employee_no", "name", "unit")
LABELS = {field: names[0] for field, names in HEADERS.items()}

RosterFileError = SpreadsheetError
RosterRow = SheetRow

__all__ = ["HEADERS", "LABELS", "MAX_ROWS", "REQUIRED", "RosterFileError", "RosterRow",
           "read_roster", "template_xlsx"]

TEMPLATE_FILENAME = "花名册导入模板.xlsx"
# The dropdowns: the first of the spellings the import accepts (resolvers.org.roster).
CHECKS = {
    LABELS["gender"]: Check(choices=("男", "女")),
    LABELS["unit"]: Check(hint="填写部门代码或部门名称（名称重名时须填代码）"),
    LABELS["comparison_group"]: Check(choices=("干部", "领导"),
                                      hint="领导：领导班子成员；干部：一般干部"),
    LABELS["appraised"]: Check(choices=("是", "否")),
    LABELS["username"]: Check(hint="选填：导入时创建账号所用的登录名，不填为工号"),
}


def read_roster(filename: str, content: bytes) -> list[RosterRow]:
    return map_rows(read_table(filename, content), HEADERS, REQUIRED)


def template_xlsx(unit: str, post: str) -> bytes:
    """The roster template: the header row as ``read_roster`` reads it (the first spelling of
    each column) and one example row naming ``unit`` and ``post`` (codes of the caller's
    unit, so the example imports as it is)."""
    example = {"employee_no": "A0001", "name": "张三", "gender": "男", "unit": unit,
               "post": post, "rank_title": "一级科员", "comparison_group": "干部",
               "appraised": "是", "username": ""}
    return write_xlsx([Sheet("花名册", tuple(LABELS.values()),
                             [tuple(example[field] for field in LABELS)],
                             widths=tuple(14 for _ in LABELS), checks=CHECKS)])
