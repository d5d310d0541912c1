"""Office-ready spreadsheets: the roster, scheme and task-list templates have dropdowns for
their enumerations, number and date validation, typed cells, an autofilter and a frozen
header; filled in as a person would (dates as dates, numbers as numbers, the dropdowns'
values) they import through the API and read back intact."""

from __future__ import annotations

import base64
import io
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tests.conftest import Api
from tests.plans_helpers import NEW_VERSION, YEAR, by_code, publish_draft, scheme, version

ROSTER_TEMPLATE = "{ rosterTemplate { filename contentBase64 } }"
IMPORT_ROSTER = ("mutation($f:String!,$c:String!){ importRoster(input:{filename:$f,"
                 "contentBase64:$c}) { created userErrors { code message row column } } }")
PEOPLE = ("{ people(first:200) { edges { node { employeeNo name gender rankTitle "
          "comparisonGroup appraised } } } }")
EXPORT_SCHEME = "query($v:ID!){ exportScheme(versionId:$v) { filename contentBase64 } }"
IMPORT_SCHEME = """mutation($v:ID!,$f:String!,$c:String!){ importScheme(versionId:$v,
  input:{filename:$f, contentBase64:$c}) { indicators dimensions
  userErrors { code message row column } } }"""
TASK_TEMPLATE = "query($y:Int){ taskTemplate(year:$y) { filename mimeType contentBase64 } }"
EXPORT_TASKS = "query($y:Int!){ exportTasks(year:$y) { contentBase64 } }"
IMPORT_TASKS = """mutation($y:Int!,$f:String!,$c:String!){ importTasks(year:$y,
  input:{filename:$f, contentBase64:$c}) { created updated userErrors { code message row
  column } } }"""
TASKS = """query($y:Int!){ tasks(filter:{year:$y}) { code title level sourceKind dueOn status
  person { employeeNo } milestones { title dueOn doneOn } } }"""


def book(content_base64: str) -> Any:
    return load_workbook(io.BytesIO(base64.b64decode(content_base64)))


def saved(workbook: Any) -> str:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode()


def column(sheet: Worksheet, header: str) -> str:
    """The column letter of a header."""
    for cell in sheet[1]:
        if cell.value == header:
            return get_column_letter(int(cell.column or 0))
    raise AssertionError(f"no column {header}")


def validations(sheet: Worksheet) -> dict[str, tuple[str, str | None]]:
    """By column letter: the validation's type and first formula, for checks covering the
    rows below the header."""
    out = {}
    for dv in sheet.data_validations.dataValidation:
        for ref in str(dv.sqref).split():
            first, last = ref.split(":")
            assert first[1:] == "2", ref
            assert int(last[1:]) >= 1000, ref
            out[first[0]] = (str(dv.type), dv.formula1)
    return out


def office_ready(sheet: Worksheet) -> dict[str, tuple[str, str | None]]:
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref is not None
    assert sheet.auto_filter.ref.startswith("A1:")
    last = sheet.auto_filter.ref.split(":")[1]
    assert last.rstrip("0123456789") == get_column_letter(sheet.max_column)
    for index, cell in enumerate(sheet[1], start=1):  # widths fit the Chinese headers
        width = sheet.column_dimensions[get_column_letter(index)].width or 0
        assert width >= 2 * len(str(cell.value)), cell.value
    return validations(sheet)


def test_roster_template_has_dropdowns_and_round_trips(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    out = api.as_(code, "admin", ROSTER_TEMPLATE)["data"]["rosterTemplate"]
    workbook = book(out["contentBase64"])
    sheet = workbook.active
    checks = office_ready(sheet)
    col = {h: column(sheet, h) for h in ("工号", "性别", "比较组", "参加考核", "职级")}
    assert checks[col["性别"]] == ("list", '"男,女"')
    assert checks[col["比较组"]] == ("list", '"干部,领导"')
    assert checks[col["参加考核"]] == ("list", '"是,否"')
    # filled as a person would: a number typed as the 工号, the dropdowns' values
    row = [c.value for c in sheet[2]]
    sheet.append(row)
    sheet[f"{col['工号']}3"] = 90017
    sheet[f"{col['工号']}2"] = "A0002"
    sheet[f"{col['性别']}3"] = "女"
    sheet[f"{col['比较组']}3"] = "领导"
    sheet[f"{col['参加考核']}3"] = "否"
    answer = api.as_(code, "admin", IMPORT_ROSTER, {"f": "花名册.xlsx",
                                                    "c": saved(workbook)})["data"]["importRoster"]
    assert answer == {"created": 2, "userErrors": []}
    found = {e["node"]["employeeNo"]: e["node"] for e in api.as_(
        code, "admin", PEOPLE)["data"]["people"]["edges"]}
    assert found["90017"] == {"employeeNo": "90017", "name": "张三", "gender": "女",
                              "rankTitle": "一级科员", "comparisonGroup": "leader",
                              "appraised": False}
    assert found["A0002"]["comparisonGroup"] == "staff"
    assert found["A0002"]["appraised"] is True


def test_scheme_export_is_a_template_with_numbers_and_dates(
        api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    v1 = publish_draft(api, code)
    v2 = api.as_(code, "admin", NEW_VERSION, {"s": scheme(api, code)["id"]}
                 )["data"]["createSchemeVersion"]["version"]["id"]
    out = api.as_(code, "admin", EXPORT_SCHEME, {"v": v1})["data"]["exportScheme"]
    workbook = book(out["contentBase64"])
    nodes, dims = workbook["指标体系"], workbook["评价维度"]
    checks = office_ready(nodes)
    col = {h: column(nodes, h) for h in ("编码", "类型", "权重", "分值上限", "单项分值",
                                         "适用范围", "需确认", "严重问题", "生效日期",
                                         "动态指标原因")}
    assert checks[col["类型"]][0] == "list"
    assert "评价指标" in str(checks[col["类型"]][1])
    assert checks[col["权重"]] == ("whole", "0")
    assert checks[col["分值上限"]][0] == "decimal"
    assert checks[col["单项分值"]][0] == "decimal"
    assert checks[col["适用范围"]] == ("list", '"全员,岗位责任书"')
    assert checks[col["需确认"]] == checks[col["严重问题"]] == ("list", '"是,否"')
    assert checks[col["生效日期"]][0] == "date"
    assert nodes.column_dimensions[col["生效日期"]].number_format == "yyyy-mm-dd"
    assert office_ready(dims)[column(dims, "权重")] == ("whole", "0")
    # numbers are numbers, not text
    weights = [c.value for c in nodes[col["权重"]][1:] if c.value is not None]
    assert weights
    assert all(isinstance(w, int) for w in weights)
    assert all(isinstance(c.value, int) for c in dims[column(dims, "权重")][1:])
    # fill it in: a decimal cap and points, a dynamic indicator's start as a date
    before = by_code(version(api, code, v1))
    rows = {nodes[f"{col['编码']}{r}"].value: r for r in range(2, nodes.max_row + 1)
            if nodes[f"{col['编码']}{r}"].value}
    capped = next(c for c, n in before.items() if n["cap"] is not None and c in rows)
    pointed = next(c for c, n in before.items() if n["points"] is not None and c in rows)
    nodes[f"{col['分值上限']}{rows[capped]}"] = 12.5
    nodes[f"{col['单项分值']}{rows[pointed]}"] = 0.5
    started = next(c for c, n in before.items() if n["kind"] != "category" and c in rows
                   and n["weight"] is None)
    nodes[f"{col['生效日期']}{rows[started]}"] = date(YEAR, 5, 15)
    nodes[f"{col['动态指标原因']}{rows[started]}"] = "年中增设"
    answer = api.as_(code, "admin", IMPORT_SCHEME, {"v": v2, "f": out["filename"],
                                                    "c": saved(workbook)})["data"]["importScheme"]
    assert answer["userErrors"] == [], answer
    after = by_code(version(api, code, v2))
    assert set(after) == set(before)
    assert after[capped]["cap"] in ("12.5", "12.50", 12.5)
    assert after[pointed]["points"] in ("0.5", "0.50", 0.5)
    assert after[started]["effectiveFrom"] == f"{YEAR}-05-15"
    assert after[started]["dynamic"] is True
    same = ("kind", "weight", "appliesTo", "needsConfirmation", "serious")
    assert all(after[c][f] == before[c][f] for c in before for f in same)
    # and the export of the draft reads back the typed values
    again = book(api.as_(code, "admin", EXPORT_SCHEME, {"v": v2})["data"]["exportScheme"][
        "contentBase64"])["指标体系"]
    assert again[f"{col['分值上限']}{rows[capped]}"].value == 12.5
    assert isinstance(again[f"{col['生效日期']}{rows[started]}"].value, datetime)


def test_task_template_has_dropdowns_and_round_trips(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    out = api.as_(code, "admin", TASK_TEMPLATE, {"y": YEAR})["data"]["taskTemplate"]
    assert out["filename"] == f"{YEAR}年度任务清单导入模板.xlsx"
    assert out["mimeType"].endswith("spreadsheetml.sheet")
    workbook = book(out["contentBase64"])
    sheet = workbook["任务清单"]
    checks = office_ready(sheet)
    col = {h: column(sheet, h) for h in ("任务编号", "任务名称", "任务来源", "责任人工号",
                                         "完成时限", "状态", "时间节点")}
    assert checks[col["任务来源"]] == (
        "list", '"党中央决策部署,省委决策部署,市委决策部署,全会工作安排,临时交办"')
    assert checks[col["状态"]] == ("list", '"未开始,推进中,已完成,已取消"')
    assert checks[col["完成时限"]][0] == "date"
    assert sheet[f"{col['完成时限']}2"].value == datetime(YEAR, 12, 31)
    assert sheet[f"{col['完成时限']}2"].number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions[col["完成时限"]].number_format == "yyyy-mm-dd"
    # the example row, and a person's task filled in below it with a date cell
    fill = {"任务编号": "RW-02", "任务名称": "完成调研报告", "任务来源": "省委决策部署",
            "责任人工号": "P006", "完成时限": date(YEAR, 9, 30), "状态": "推进中",
            "时间节点": f"{YEAR}-06-30 形成初稿"}
    for header, value in fill.items():
        sheet[f"{col[header]}3"] = value
    answer = api.as_(code, "admin", IMPORT_TASKS, {"y": YEAR, "f": out["filename"],
                                                   "c": saved(workbook)})["data"]["importTasks"]
    assert (answer["created"], answer["updated"], answer["userErrors"]) == (2, 0, [])
    tasks = {t["code"]: t for t in api.as_(code, "admin", TASKS, {"y": YEAR})["data"]["tasks"]}
    assert tasks["示例-01"]["dueOn"] == f"{YEAR}-12-31"
    assert tasks["示例-01"]["level"] == "tenant"
    assert tasks["RW-02"] == {
        "code": "RW-02", "title": "完成调研报告", "level": "person", "sourceKind": "provincial",
        "dueOn": f"{YEAR}-09-30", "status": "in_progress", "person": {"employeeNo": "P006"},
        "milestones": [{"title": "形成初稿", "dueOn": f"{YEAR}-06-30", "doneOn": None}]}
    # the export writes the due date as a date cell, with the same dropdowns
    exported = book(api.as_(code, "admin", EXPORT_TASKS, {"y": YEAR})["data"]["exportTasks"][
        "contentBase64"])["任务清单"]
    assert office_ready(exported) == checks
    dues = {exported[f"{col['任务编号']}{r}"].value: exported[f"{col['完成时限']}{r}"].value
            for r in range(2, 4)}
    assert dues == {"示例-01": datetime(YEAR, 12, 31), "RW-02": datetime(YEAR, 9, 30)}


def test_task_template_is_for_whoever_imports(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    refused = api.as_(code, "ganbu", TASK_TEMPLATE, {"y": YEAR})
    assert refused["data"] is None
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
