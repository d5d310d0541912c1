"""Isolation cases of the plan's fields (schemes, letters, tasks), used by test_isolation.py.

``plan_ids`` adds tenant B's plan rows to the ids the cases aim at; every case runs as tenant
A's admin and must find nothing of B and change nothing of B.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from openpyxl import load_workbook

from tests.conftest import Api
from tests.isolation_checks import Check, none_of_b, refused
from tests.isolation_checks import nothing as empty

YEAR = date.today().year
B_TASK_TITLE = "乙单位专属任务"


class HasIds(Protocol):
    ids: dict[str, str]




def plan_ids(api: Api, b: str) -> dict[str, str]:
    """B's scheme, its latest version and an indicator, a task with a milestone."""
    scheme = api.as_(b, "admin", "query($y:Int!){ indicatorScheme(year:$y) { id versions { id "
                     "indicators { id } } } }", {"y": YEAR})["data"]["indicatorScheme"]
    version = scheme["versions"][-1]
    task = api.as_(b, "admin", "mutation($y:Int!,$t:String!,$d:Date!){ createTask(input:{"
                   "year:$y,title:$t,sourceKind:central,milestones:[{title:\"方案\",dueOn:$d}]})"
                   " { task { id milestones { id } } userErrors { code message } } }",
                   {"y": YEAR, "t": B_TASK_TITLE, "d": f"{YEAR}-03-31"}
                   )["data"]["createTask"]["task"]
    return {"plan_scheme": scheme["id"], "plan_version": version["id"],
            "plan_indicator": version["indicators"][0]["id"], "plan_task": task["id"],
            "plan_milestone": task["milestones"][0]["id"]}














def no_b_task_in_export(body: dict[str, Any], t: HasIds) -> None:
    content = base64.b64decode(body["data"]["exportTasks"]["contentBase64"])
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    titles = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert B_TASK_TITLE not in titles


def _no_b_posts(body: dict[str, Any], t: HasIds) -> None:
    posts = {x["post"]["id"] for x in body["data"]["responsibilityLetters"]}
    assert not posts & set(t.ids.values()), body


TASKS_CSV = base64.b64encode(
    "任务编号,任务名称,任务来源\nISO-1,甲单位导入任务,临时交办\n".encode()).decode()
SCHEME_CSV = base64.b64encode("编码,名称,类型\nX1,某指标,加分项\n".encode()).decode()


def _ids(**names: str) -> Callable[[Any], dict[str, Any]]:
    """GraphQL variable -> key of B's ids (or "a_unit" for A's own unit)."""
    return lambda t: {var: t.a_unit if key == "a_unit" else t.ids[key]
                      for var, key in names.items()}


V = _ids(v="plan_version")
ERRORS = "{ userErrors { code } }"

PLAN_CASES: dict[str, tuple[str, Callable[[Any], dict[str, Any]], Check]] = {
    "indicatorSchemes": ("{ indicatorSchemes { id } }", lambda t: {},
                         none_of_b("indicatorSchemes")),
    "indicatorScheme": ("{ indicatorScheme { id } }", lambda t: {},
                        none_of_b("indicatorScheme")),
    "schemeVersion": ("query($v:ID!){ schemeVersion(id:$v) { id } }", V,
                      empty("schemeVersion")),
    "indicatorsInEffect": ("query($v:ID!){ indicatorsInEffect(versionId:$v, "
                           f"on:\"{YEAR}-06-01\") {{ id }} }}", V,
                           empty("indicatorsInEffect")),
    "indicatorsOf": ("query($p:ID!){ indicatorsOf(personId:$p) { personId } }",
                     _ids(p="person"), empty("indicatorsOf")),
    "myIndicators": ("{ myIndicators { personId } }", lambda t: {}, empty("myIndicators")),
    "responsibilityLetters": ("{ responsibilityLetters { post { id } } }", lambda t: {},
                              lambda body, t: _no_b_posts(body, t)),
    "tasks": ("{ tasks { id } }", lambda t: {}, none_of_b("tasks")),
    "task": ("query($t:ID!){ task(id:$t) { id } }", _ids(t="plan_task"), empty("task")),
    "myTasks": ("{ myTasks { id } }", lambda t: {}, none_of_b("myTasks")),
    "exportScheme": ("query($v:ID!){ exportScheme(versionId:$v) { filename } }", V,
                     empty("exportScheme")),
    "exportTasks": ("{ exportTasks { contentBase64 } }", lambda t: {}, no_b_task_in_export),
    # --- mutations
    "createIndicatorScheme": ("mutation{ createIndicatorScheme(year:2031) " + ERRORS + " }",
                              lambda t: {}, lambda body, t: None),  # lands in A
    "createSchemeVersion": ("mutation($s:ID!){ createSchemeVersion(schemeId:$s) " + ERRORS
                            + " }", _ids(s="plan_scheme"), refused("createSchemeVersion")),
    "publishSchemeVersion": ("mutation($v:ID!){ publishSchemeVersion(id:$v) " + ERRORS + " }",
                             V, refused("publishSchemeVersion")),
    "saveIndicator": ("mutation($v:ID!){ saveIndicator(versionId:$v, input:{code:\"X\","
                      "name:\"x\",kind:credit}) " + ERRORS + " }", V, refused("saveIndicator")),
    "deleteIndicator": ("mutation($i:ID!){ deleteIndicator(id:$i) " + ERRORS + " }",
                        _ids(i="plan_indicator"), refused("deleteIndicator")),
    "setRatingDimensions": ("mutation($v:ID!){ setRatingDimensions(versionId:$v, dimensions:"
                            "[{code:\"a\",name:\"a\",weight:100}]) " + ERRORS + " }", V,
                            refused("setRatingDimensions")),
    "addDynamicIndicator": ("mutation($v:ID!){ addDynamicIndicator(versionId:$v, input:{code:"
                            f"\"DT\",name:\"x\",kind:credit}}, effectiveFrom:\"{YEAR}-05-01\","
                            " reason:\"防汛\") " + ERRORS + " }", V,
                            refused("addDynamicIndicator")),
    "importScheme": ("mutation($v:ID!,$c:String!){ importScheme(versionId:$v, input:{filename:"
                     "\"s.csv\",contentBase64:$c}) " + ERRORS + " }",
                     lambda t: {"v": t.ids["plan_version"], "c": SCHEME_CSV},
                     refused("importScheme")),
    "setResponsibilityLetter": ("mutation($p:ID!){ setResponsibilityLetter(postId:$p, year:"
                                f"{YEAR}, lines:[]) " + ERRORS + " }", _ids(p="post"),
                                refused("setResponsibilityLetter")),
    "pinPeriodSchemeVersion": ("mutation($p:ID!){ pinPeriodSchemeVersion(periodId:$p) "
                               + ERRORS + " }", _ids(p="period"),
                               refused("pinPeriodSchemeVersion")),
    "createTask": (f"mutation($u:ID!){{ createTask(input:{{year:{YEAR},title:\"x\","
                   "sourceKind:ad_hoc,unitId:$u}) " + ERRORS + " }", _ids(u="unit"),
                   refused("createTask")),
    "decomposeTask": ("mutation($t:ID!,$u:ID!){ decomposeTask(id:$t, parts:[{unitId:$u}]) "
                      + ERRORS + " }", _ids(t="plan_task", u="a_unit"),
                      refused("decomposeTask")),
    "updateTask": ("mutation($t:ID!){ updateTask(id:$t, input:{title:\"x\",sourceKind:ad_hoc})"
                   " " + ERRORS + " }", _ids(t="plan_task"), refused("updateTask")),
    "setTaskStatus": ("mutation($t:ID!){ setTaskStatus(id:$t, status:done) " + ERRORS + " }",
                      _ids(t="plan_task"), refused("setTaskStatus")),
    "setMilestoneDone": ("mutation($m:ID!){ setMilestoneDone(id:$m, doneOn:"
                         f"\"{YEAR}-03-01\") " + ERRORS + " }", _ids(m="plan_milestone"),
                         refused("setMilestoneDone")),
    "importTasks": (f"mutation($c:String!){{ importTasks(year:{YEAR}, input:{{filename:"
                    "\"t.csv\",contentBase64:$c}) " + ERRORS + " }",
                    lambda t: {"c": TASKS_CSV}, lambda body, t: None),  # lands in A
}

PLAN_TABLES = ["indicator_schemes", "scheme_versions", "scheme_dimensions", "scheme_nodes",
               "responsibility_letters", "period_scheme_versions", "point_records", "tasks",
               "task_milestones"]
