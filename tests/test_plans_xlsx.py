"""Schemes and task lists to and from XLSX: round trips, and an import with an invalid row
changes nothing and names the row and the column."""

from __future__ import annotations

import base64
import io
from typing import Any

from openpyxl import Workbook, load_workbook

from tests.conftest import Api
from tests.plans_helpers import (
    NEW_VERSION,
    YEAR,
    errors,
    people,
    publish_draft,
    scheme,
    version,
)

EXPORT_SCHEME = "query($v:ID!){ exportScheme(versionId:$v) { filename contentBase64 mimeType } }"
IMPORT_SCHEME = """mutation($v:ID!,$f:String!,$c:String!){ importScheme(versionId:$v,
  input:{filename:$f, contentBase64:$c}) { indicators dimensions
  userErrors { code message row column } } }"""
EXPORT_TASKS = "query($y:Int!){ exportTasks(year:$y) { filename contentBase64 } }"
IMPORT_TASKS = """mutation($y:Int!,$f:String!,$c:String!){ importTasks(year:$y,
  input:{filename:$f, contentBase64:$c}) { created updated userErrors { code message row
  column } } }"""
TASKS = """query($y:Int!){ tasks(filter:{year:$y}) { code title level sourceKind dueOn status
  indicatorCodes parent { code } unit { code } person { employeeNo }
  milestones { title dueOn doneOn } } }"""

Rows = list[list[Any]]


def sheets_of(content_base64: str) -> dict[str, Rows]:
    book = load_workbook(io.BytesIO(base64.b64decode(content_base64)))
    return {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}


def xlsx(sheets: dict[str, Rows]) -> str:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode()


def comparable(v: dict[str, Any]) -> list[tuple[Any, ...]]:
    parents = {n["id"]: n["code"] for n in v["indicators"]}
    return [(n["code"], n["name"], n["kind"], parents.get(n["parentId"]), n["weight"],
             n["cap"], n["points"], n["appliesTo"], n["needsConfirmation"], n["serious"])
            for n in v["indicators"]]


def draft_after_publish(api: Api, code: str) -> tuple[str, str]:
    v1 = publish_draft(api, code)
    v2 = api.as_(code, "admin", NEW_VERSION, {"s": scheme(api, code)["id"]}
                 )["data"]["createSchemeVersion"]["version"]["id"]
    return v1, v2


def test_scheme_round_trips_through_xlsx(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    v1, v2 = draft_after_publish(api, code)
    exported = api.as_(code, "ganbu", EXPORT_SCHEME, {"v": v1})["data"]["exportScheme"]
    assert exported["filename"] == f"{YEAR}年度指标体系（第1版）.xlsx"
    sheets = sheets_of(exported["contentBase64"])
    assert sheets["指标体系"][0][:6] == ["编码", "名称", "上级编码", "类型", "权重", "分值上限"]
    assert sheets["评价维度"][0] == ["编码", "名称", "权重", "评价主体"]
    # drop one indicator from the file and import it into the draft: the draft becomes it
    rows = [r for r in sheets["指标体系"] if r[0] != "CQ03"]
    content = xlsx({"指标体系": rows, "评价维度": sheets["评价维度"]})
    result = api.as_(code, "admin", IMPORT_SCHEME, {"v": v2, "f": "指标体系.xlsx", "c": content}
                     )["data"]["importScheme"]
    assert result["userErrors"] == [], result
    assert (result["indicators"], result["dimensions"]) == (len(rows) - 1, 4)
    old, new = version(api, code, v1), version(api, code, v2)
    assert comparable(new) == [r for r in comparable(old) if r[0] != "CQ03"]
    assert new["dimensions"] == old["dimensions"]
    assert new["problems"] == []
    # a published version takes no import
    frozen = api.as_(code, "admin", IMPORT_SCHEME, {"v": v1, "f": "x.xlsx", "c": xlsx(
        {"指标体系": rows})})["data"]["importScheme"]
    assert errors(frozen) == ["FROZEN"]


def test_scheme_import_with_an_invalid_row_changes_nothing_and_names_it(
        api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    v1, v2 = draft_after_publish(api, code)
    rows = sheets_of(api.as_(code, "admin", EXPORT_SCHEME, {"v": v1}
                             )["data"]["exportScheme"]["contentBase64"])["指标体系"]
    before = version(api, code, v2)
    bad = [list(r) for r in rows]
    bad[3][3] = "奖励项"  # row 4 of the sheet: 类型
    bad[5][5] = "很多"  # row 6: 分值上限
    answer = api.as_(code, "admin", IMPORT_SCHEME, {"v": v2, "f": "s.xlsx",
                                                    "c": xlsx({"指标体系": bad})}
                     )["data"]["importScheme"]
    assert [(e["code"], e["row"], e["column"]) for e in answer["userErrors"]] == [
        ("IMPORT_ROW_INVALID", 4, "类型"), ("IMPORT_ROW_INVALID", 6, "分值上限")]
    assert answer["userErrors"][0]["message"].startswith("“指标体系”表第4行“类型”列：只能填写")
    assert version(api, code, v2) == before
    # cells fine, but the weights of 工作实绩 no longer add up: its row and 权重 are named
    sj01 = next(i for i, r in enumerate(rows) if r[0] == "SJ01")
    sums = [list(r) for r in rows]
    sums[sj01][4] = 50
    answer = api.as_(code, "admin", IMPORT_SCHEME, {"v": v2, "f": "s.xlsx",
                                                    "c": xlsx({"指标体系": sums})}
                     )["data"]["importScheme"]
    sj_row = next(i for i, r in enumerate(rows) if r[0] == "SJ") + 1
    assert [(e["row"], e["column"]) for e in answer["userErrors"]] == [(sj_row, "权重")]
    assert "权重合计应为100，当前为90" in answer["userErrors"][0]["message"]
    assert version(api, code, v2) == before
    # staff may not import at all
    assert errors(api.as_(code, "ganbu", IMPORT_SCHEME, {"v": v2, "f": "s.xlsx", "c": xlsx(
        {"指标体系": rows})})["data"]["importScheme"]) == ["FORBIDDEN"]


HEADER = ["任务编号", "任务名称", "任务来源", "来源依据", "上级任务编号", "责任部门", "责任人工号",
          "完成时限", "关联指标", "状态", "时间节点"]


def task_rows() -> Rows:
    return [
        HEADER,
        ["RW-01", "落实省委数字政府部署", "省委决策部署", "省委关于数字政府建设的决策部署", "", "",
         "", f"{YEAR}-12-31", "SJ02", "推进中",
         f"{YEAR}-03-31 制定方案（已完成{YEAR}-03-20）\n{YEAR}-09-30 中期评估"],
        ["RW-01-1", "落实省委数字政府部署", "省委决策部署", "", "RW-01", "d1", "",
         f"{YEAR}-11-30", "", "", f"{YEAR}-06-30 完成系统对接"],
        ["RW-01-1-1", "系统对接", "省委决策部署", "", "RW-01-1", "", "P006", f"{YEAR}-10-31",
         "", "未开始", ""],
        ["RW-02", "完成临时交办的调研", "临时交办", "主要领导交办", "", "d2", "", "", "", "", ""],
    ]


def test_task_list_imports_all_and_exports_back(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    answer = api.as_(code, "bangong", IMPORT_TASKS, {"y": YEAR, "f": "任务清单.xlsx",
                                                     "c": xlsx({"任务清单": task_rows()})}
                     )["data"]["importTasks"]
    assert (answer["created"], answer["updated"], answer["userErrors"]) == (4, 0, [])
    tasks = {t["code"]: t for t in api.as_(code, "admin", TASKS, {"y": YEAR})["data"]["tasks"]}
    assert [tasks[c]["level"] for c in ("RW-01", "RW-01-1", "RW-01-1-1", "RW-02")] == [
        "tenant", "unit", "person", "unit"]
    assert tasks["RW-01-1-1"]["parent"]["code"] == "RW-01-1"
    assert tasks["RW-01-1-1"]["person"]["employeeNo"] == "P006"
    assert tasks["RW-01-1-1"]["unit"]["code"] == "d1"
    assert tasks["RW-01"]["sourceKind"] == "provincial"
    assert tasks["RW-01"]["milestones"] == [
        {"title": "制定方案", "dueOn": f"{YEAR}-03-31", "doneOn": f"{YEAR}-03-20"},
        {"title": "中期评估", "dueOn": f"{YEAR}-09-30", "doneOn": None}]
    # the export reads back as the same list; importing it again updates, never duplicates
    exported = api.as_(code, "admin", EXPORT_TASKS, {"y": YEAR})["data"]["exportTasks"]
    assert exported["filename"] == f"{YEAR}年度任务清单.xlsx"
    again = api.as_(code, "admin", IMPORT_TASKS, {"y": YEAR, "f": "again.xlsx",
                                                  "c": exported["contentBase64"]}
                    )["data"]["importTasks"]
    assert (again["created"], again["updated"], again["userErrors"]) == (0, 4, [])
    assert {t["code"]: t for t in api.as_(code, "admin", TASKS, {"y": YEAR}
                                          )["data"]["tasks"]} == tasks


def test_task_import_with_an_invalid_row_changes_nothing_and_names_it(
        api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    before = api.as_(code, "admin", TASKS, {"y": YEAR})["data"]["tasks"]
    rows = task_rows()
    rows[3][5] = "不存在的科"  # row 4: 责任部门 (and the person P006 is in d1 anyway)
    rows[4][7] = "下个月"  # row 5: 完成时限
    answer = api.as_(code, "admin", IMPORT_TASKS, {"y": YEAR, "f": "t.xlsx",
                                                   "c": xlsx({"任务清单": rows})}
                     )["data"]["importTasks"]
    assert answer["created"] == 0
    assert [(e["code"], e["row"], e["column"]) for e in answer["userErrors"]] == [
        ("IMPORT_ROW_INVALID", 4, "责任部门"), ("IMPORT_ROW_INVALID", 5, "完成时限")]
    assert answer["userErrors"][0]["message"] == (
        "“任务清单”表第4行“责任部门”列：部门“不存在的科”不存在")
    # a department's task given to another department's person is named too
    rows = task_rows()
    rows[3][6] = "P008"  # in d2, under d1's task
    answer = api.as_(code, "admin", IMPORT_TASKS, {"y": YEAR, "f": "t.xlsx",
                                                   "c": xlsx({"任务清单": rows})}
                     )["data"]["importTasks"]
    assert [(e["row"], e["column"]) for e in answer["userErrors"]] == [(4, "责任部门")]
    assert api.as_(code, "admin", TASKS, {"y": YEAR})["data"]["tasks"] == before
    assert errors(api.as_(code, "ganbu", IMPORT_TASKS, {"y": YEAR, "f": "t.xlsx", "c": xlsx(
        {"任务清单": task_rows()})})["data"]["importTasks"]) == ["FORBIDDEN"]
    who = people(api, code)
    assert who["P006"]["unitId"] == who["_units"]["d1"]
