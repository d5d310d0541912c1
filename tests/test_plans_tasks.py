"""Tasks decomposed tenant -> unit -> person: who may decompose where, who sees what, and the
unit's task staying linked to the people's tasks."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.plans_helpers import CREATE_TASK, DECOMPOSE, YEAR, errors, people

STATUS = "mutation($id:ID!,$s:TaskStatus!){ setTaskStatus(id:$id, status:$s) { task { status " \
         "completedOn } userErrors { code } } }"
TASKS = "query($f:TaskFilterInput){ tasks(filter:$f) { id code level personId } }"


def setup(api: Api, code: str) -> dict[str, Any]:
    """A municipal task of the unit, decomposed by the admin to d1 and d2."""
    who = people(api, code)
    units = who["_units"]
    top = api.as_(code, "admin", CREATE_TASK, {"in": {
        "year": YEAR, "title": "落实市委营商环境部署", "sourceKind": "municipal",
        "sourceText": "市委关于优化营商环境的决策部署", "dueOn": f"{YEAR}-12-31",
        "milestones": [{"title": "制定方案", "dueOn": f"{YEAR}-03-31"}]}})["data"]["createTask"]
    assert top["userErrors"] == [], top
    assert top["task"]["level"] == "tenant"
    parts = api.as_(code, "admin", DECOMPOSE, {"id": top["task"]["id"], "parts": [
        {"unitId": units["d1"]}, {"unitId": units["d2"]}]})["data"]["decomposeTask"]
    assert parts["userErrors"] == [], parts
    d1_task, d2_task = parts["tasks"]
    assert (d1_task["level"], d1_task["parentId"]) == ("unit", top["task"]["id"])
    return {"who": who, "top": top["task"], "d1": d1_task, "d2": d2_task}


def to_person(api: Api, code: str, user: str, task: dict[str, Any],
              person: dict[str, Any]) -> dict[str, Any]:
    body = api.as_(code, user, DECOMPOSE, {"id": task["id"],
                                           "parts": [{"personId": person["id"]}]})
    result: dict[str, Any] = body["data"]["decomposeTask"]
    return result


def test_department_head_decomposes_only_inside_managed_units(api: Api,
                                                              make_tenant: Any) -> None:
    code = make_tenant(people=12)
    s = setup(api, code)
    who = s["who"]
    # head of d1: to people of d1 and of its sub-unit d1a
    mine = to_person(api, code, "kezhang", s["d1"], who["P006"])
    assert mine["userErrors"] == []
    assert (mine["tasks"][0]["level"], mine["tasks"][0]["personId"]) == ("person",
                                                                          who["P006"]["id"])
    assert to_person(api, code, "kezhang", s["d1"], who["P009"])["userErrors"] == []
    # ...but not d2's task, and not to d2's people through d1's task (that is refused as
    # outside the unit of the task)
    assert errors(to_person(api, code, "kezhang", s["d2"], who["P008"])) == ["FORBIDDEN"]
    assert errors(to_person(api, code, "kezhang", s["d1"], who["P008"])) == ["FORBIDDEN"]
    # no unit task of their own for another department, nor a tenant-level task
    other_unit = api.as_(code, "kezhang", CREATE_TASK, {"in": {
        "year": YEAR, "title": "越权任务", "sourceKind": "ad_hoc",
        "unitId": who["_units"]["d2"]}})["data"]["createTask"]
    assert errors(other_unit) == ["FORBIDDEN"]
    top_level = api.as_(code, "kezhang", CREATE_TASK, {"in": {
        "year": YEAR, "title": "越权任务", "sourceKind": "ad_hoc"}})["data"]["createTask"]
    assert errors(top_level) == ["FORBIDDEN"]
    # a sub-unit task inside d1 is fine
    sub = api.as_(code, "kezhang", DECOMPOSE, {"id": s["d1"]["id"], "parts": [
        {"unitId": who["_units"]["d1a"]}]})["data"]["decomposeTask"]
    assert sub["userErrors"] == []
    # the supervising leader of d1 likewise; the principal leader anywhere
    assert errors(to_person(api, code, "fenguan", s["d2"], who["P008"])) == ["FORBIDDEN"]
    assert to_person(api, code, "fenguan", s["d1"], who["P007"])["userErrors"] == []
    assert to_person(api, code, "leader", s["d2"], who["P008"])["userErrors"] == []
    # staff decompose nothing
    assert errors(to_person(api, code, "ganbu", s["d1"], who["P007"])) == ["FORBIDDEN"]


def test_decomposition_follows_the_levels(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=12)
    s = setup(api, code)
    who = s["who"]
    # a unit's own task goes to departments first
    direct = to_person(api, code, "admin", s["top"], who["P006"])
    assert errors(direct) == ["INVALID"]
    assert direct["userErrors"][0]["message"] == "单位任务先分解到部门，再由部门分解到个人"
    person_task = to_person(api, code, "admin", s["d1"], who["P006"])["tasks"][0]
    deeper = to_person(api, code, "admin", person_task, who["P007"])
    assert deeper["userErrors"][0]["message"] == "个人任务不能再分解"
    # a department's task goes only to its own people
    assert errors(to_person(api, code, "admin", s["d1"], who["P008"])) == ["INVALID"]


def test_unit_task_stays_linked_to_the_people_tasks(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=12)
    s = setup(api, code)
    who = s["who"]
    first = to_person(api, code, "kezhang", s["d1"], who["P006"])["tasks"][0]
    to_person(api, code, "kezhang", s["d1"], who["P007"])
    done = api.as_(code, "ganbu", STATUS, {"id": first["id"], "s": "done"}
                   )["data"]["setTaskStatus"]
    assert done["userErrors"] == []
    assert done["task"]["completedOn"]
    unit = api.as_(code, "kezhang", "query($id:ID!){ task(id:$id) { code sourceLabel parent "
                   "{ code level } children { code personName status parent { id } } "
                   "rollup { total done } } }", {"id": s["d1"]["id"]})["data"]["task"]
    assert unit["sourceLabel"] == "市委决策部署"
    assert unit["parent"]["level"] == "tenant"
    assert unit["rollup"] == {"total": 2, "done": 1}
    assert {c["status"] for c in unit["children"]} == {"done", "not_started"}
    assert all(c["parent"]["id"] == s["d1"]["id"] for c in unit["children"])
    assert all(c["personName"] for c in unit["children"])


def test_who_sees_which_tasks_and_who_reports_progress(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=12)
    s = setup(api, code)
    who = s["who"]
    t6 = to_person(api, code, "kezhang", s["d1"], who["P006"])["tasks"][0]
    t7 = to_person(api, code, "kezhang", s["d1"], who["P007"])["tasks"][0]
    t8 = to_person(api, code, "kezhang2", s["d2"], who["P008"])["tasks"][0]

    def seen(user: str) -> set[str]:
        rows = api.as_(code, user, TASKS, {"f": {"year": YEAR, "level": "person"}}
                       )["data"]["tasks"]
        return {r["id"] for r in rows}

    assert seen("ganbu") == {t6["id"]}
    assert seen("kezhang") == {t6["id"], t7["id"]}
    assert seen("kezhang2") == {t8["id"]}
    assert seen("admin") == seen("bangong") == seen("leader") == {t6["id"], t7["id"], t8["id"]}
    assert seen("waibu") == set()
    # the unit's and departments' tasks: every member
    org = api.as_(code, "ganbu", TASKS, {"f": {"year": YEAR}})["data"]["tasks"]
    assert {t["level"] for t in org} == {"tenant", "unit", "person"}
    mine = api.as_(code, "ganbu", "{ myTasks { id level } }")["data"]["myTasks"]
    assert {t["id"] for t in mine} == {t6["id"], s["d1"]["id"]}
    # progress: the assignee on their own task, not on a colleague's; cancelling is a
    # change of the plan
    assert api.as_(code, "ganbu", STATUS, {"id": t6["id"], "s": "in_progress"}
                   )["data"]["setTaskStatus"]["userErrors"] == []
    assert errors(api.as_(code, "ganbu", STATUS, {"id": t7["id"], "s": "done"}
                          )["data"]["setTaskStatus"]) == ["NOT_FOUND"]
    assert errors(api.as_(code, "ganbu", STATUS, {"id": t6["id"], "s": "cancelled"}
                          )["data"]["setTaskStatus"]) == ["FORBIDDEN"]
    assert api.as_(code, "bangong", STATUS, {"id": t7["id"], "s": "in_progress"}
                   )["data"]["setTaskStatus"]["userErrors"] == []
    assert api.call(TASKS, {"f": {}})["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_milestones_overdue_and_indicator_links(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    who = people(api, code)
    bad = api.as_(code, "admin", CREATE_TASK, {"in": {
        "year": YEAR, "title": "关联无效指标", "sourceKind": "plenary",
        "indicatorCodes": ["NOPE"]}})["data"]["createTask"]
    assert bad["userErrors"][0]["field"] == "indicatorCodes"
    late = api.as_(code, "admin", CREATE_TASK, {"in": {
        "year": YEAR, "title": "节点晚于时限", "sourceKind": "plenary", "dueOn": f"{YEAR}-03-01",
        "milestones": [{"title": "x", "dueOn": f"{YEAR}-04-01"}]}})["data"]["createTask"]
    assert late["userErrors"][0]["message"] == f"时间节点“x”不能晚于完成时限{YEAR}-03-01"
    created = api.as_(code, "admin", CREATE_TASK, {"in": {
        "year": YEAR, "title": "落实全会部署", "sourceKind": "plenary",
        "unitId": who["_units"]["d1"], "indicatorCodes": ["SJ02"], "dueOn": f"{YEAR}-06-30",
        "milestones": [{"title": "方案", "dueOn": f"{YEAR}-02-28"},
                       {"title": "中期", "dueOn": f"{YEAR}-05-31"}]}})["data"]["createTask"]
    assert created["userErrors"] == []
    task_id = created["task"]["id"]
    query = ("query($id:ID!,$on:Date!){ task(id:$id) { overdue(on:$on) indicatorCodes "
             "milestones { id title overdue(on:$on) } } }")
    before = api.as_(code, "kezhang", query, {"id": task_id, "on": f"{YEAR}-04-01"}
                     )["data"]["task"]
    assert [m["overdue"] for m in before["milestones"]] == [True, False]
    assert before["overdue"] is False
    assert before["indicatorCodes"] == ["SJ02"]
    done = api.as_(code, "kezhang", "mutation($id:ID!,$d:Date){ setMilestoneDone(id:$id, "
                   "doneOn:$d) { milestone { overdue(on:\"" + f"{YEAR}-04-01" + "\") doneOn } "
                   "userErrors { code } } }", {"id": before["milestones"][0]["id"],
                                               "d": f"{YEAR}-03-05"})["data"]["setMilestoneDone"]
    assert done["userErrors"] == []
    assert done["milestone"] == {"overdue": False, "doneOn": f"{YEAR}-03-05"}
    after = api.as_(code, "admin", query, {"id": task_id, "on": f"{YEAR}-07-01"})["data"]["task"]
    assert after["overdue"] is True
    assert [m["overdue"] for m in after["milestones"]] == [False, True]


def test_task_lists_load_related_rows_in_batches(api: Api, count_statements: list[str]) -> None:
    query = ("query($y:Int!){ tasks(filter:{year:$y}) { code unit { name } personName "
             "parent { code } children { code } milestones { title } rollup { total } } }")
    api.login("cdjw", "admin")
    count_statements.clear()
    rows = api.as_("cdjw", "admin", query, {"y": YEAR})["data"]["tasks"]
    assert len(rows) == 20
    # auth + tasks + one batch each for units, names, parents, children, milestones
    assert len(count_statements) <= 12, count_statements
