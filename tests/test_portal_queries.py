"""What the office and portals read (issue 14, point 5): a task's progress history, overdue
items with their department and person, pending credit claims; each paginated the one way,
within the read scope, with a statement count that does not grow with the rows."""

from __future__ import annotations

import asyncio
from typing import Any

from jixiao.settings import Settings
from tests.conftest import Api
from tests.factories import seed_plan

AS_OF = "2026-06-30"
PAGE = "totalCount pageInfo { hasNextPage endCursor } edges { cursor }"
HISTORY = ("query($t:ID!,$n:Int!,$a:String){ task(id:$t) { progressHistory(first:$n, after:$a) "
           "{ " + PAGE + " nodes { recordedOn percent note } } } }")
TASKS = ("query{ tasks(filter:{year:2026}) { code progressHistory(first:10) "
         "{ totalCount nodes { note } } } }")
OVERDUE = ("query($n:Int!,$a:String){ overdueItemsPage(asOf:\"" + AS_OF + "\", year:2026, "
           "first:$n, after:$a) { " + PAGE + " nodes { taskId milestoneId title unitName "
           "unit { code } personName } } }")
CLAIMS = ("query($n:Int!,$a:String){ pendingCreditClaims(first:$n, after:$a) { " + PAGE
          + " nodes { id subject status indicatorCode } } }")
PROGRESS = ("mutation($t:ID!,$d:Date!,$n:String!){ recordTaskProgress(input:{taskId:$t, "
            "recordedOn:$d, note:$n}) { userErrors { code } } }")
CLAIM = ("mutation($i:PointRecordInput!){ claimCredit(input:$i) { record { id } "
         "userErrors { code message } } }")
CONFIRM = ("mutation($id:ID!,$c:Boolean!){ confirmPointRecord(id:$id, confirmed:$c, "
           "reason:\"核实\") { record { status } userErrors { code } } }")


def world(settings: Settings, make_tenant: Any) -> tuple[str, dict[str, str]]:
    code = make_tenant(people=12)
    return code, asyncio.run(seed_plan(settings, code, 2026))


def progress(api: Api, code: str, task: str, *notes: str) -> None:
    for day, note in enumerate(notes, start=10):
        body = api.as_(code, "bangong", PROGRESS, {"t": task, "d": f"2026-06-{day}", "n": note})
        assert body["data"]["recordTaskProgress"]["userErrors"] == [], body


def test_progress_history_is_paged_and_seen_by_who_supervises(
        api: Api, settings: Settings, make_tenant: Any) -> None:
    code, ids = world(settings, make_tenant)
    progress(api, code, ids["mine"], "梳理案件", "约谈当事人", "形成报告")
    first = api.as_(code, "bangong", HISTORY, {"t": ids["mine"], "n": 2})["data"]["task"][
        "progressHistory"]
    assert first["totalCount"] == 3
    assert first["pageInfo"]["hasNextPage"] is True
    assert [n["note"] for n in first["nodes"]] == ["梳理案件", "约谈当事人"]
    assert first["pageInfo"]["endCursor"] == first["edges"][-1]["cursor"]
    rest = api.as_(code, "bangong", HISTORY, {"t": ids["mine"], "n": 2, "a": first["pageInfo"][
        "endCursor"]})["data"]["task"]["progressHistory"]
    assert [n["note"] for n in rest["nodes"]] == ["形成报告"]
    assert rest["pageInfo"]["hasNextPage"] is False
    # The head of the task's department supervises it; the head of another does not.
    head = api.as_(code, "kezhang", HISTORY, {"t": ids["mine"], "n": 10})["data"]["task"]
    assert head["progressHistory"]["totalCount"] == 3
    # The assignee reads the task, but supervision notes are the supervisors'.
    own = api.as_(code, "ganbu", HISTORY, {"t": ids["mine"], "n": 10})["data"]["task"]
    assert own["progressHistory"]["totalCount"] == 0
    bad = api.as_(code, "bangong", HISTORY, {"t": ids["mine"], "n": 0})
    assert bad["errors"][0]["extensions"]["code"] == "INVALID"


def test_progress_history_refuses_strangers(api: Api, settings: Settings,
                                            make_tenant: Any) -> None:
    code, ids = world(settings, make_tenant)
    progress(api, code, ids["mine"], "梳理案件")
    anonymous = api.call(HISTORY, {"t": ids["mine"], "n": 10})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    other = make_tenant(people=12)
    assert api.as_(other, "bangong", HISTORY, {"t": ids["mine"], "n": 10})["data"][
        "task"] is None


def test_progress_history_of_many_tasks_costs_no_more_statements(
        api: Api, settings: Settings, make_tenant: Any, count_statements: list[str]) -> None:
    code, ids = world(settings, make_tenant)
    progress(api, code, ids["mine"], "一")
    progress(api, code, ids["other"], "二", "三")
    progress(api, code, ids["d2"], "四")
    api.login(code, "bangong")
    count_statements.clear()
    one = api.as_(code, "bangong", TASKS.replace("year:2026", "year:2026, search:\"调解\""))
    assert [r["code"] for r in one["data"]["tasks"]] == ["T2"]
    single = len(count_statements)
    count_statements.clear()
    rows = {r["code"]: r["progressHistory"]["totalCount"]
            for r in api.as_(code, "bangong", TASKS)["data"]["tasks"]}
    assert (rows["T1-1"], rows["T1-2"], rows["T2"]) == (1, 2, 1)
    assert len(count_statements) == single, count_statements


def test_overdue_items_name_department_and_person_page_by_page(
        api: Api, settings: Settings, make_tenant: Any, count_statements: list[str]) -> None:
    code, ids = world(settings, make_tenant)
    names = {e["node"]["employeeNo"]: e["node"]["name"] for e in api.as_(
        code, "admin", "{ people(first:50) { edges { node { employeeNo name } } } }")[
        "data"]["people"]["edges"]}
    whole = api.as_(code, "bangong", OVERDUE, {"n": 50})["data"]["overdueItemsPage"]
    assert whole["totalCount"] == 3
    # Earliest due first: T2 (3/31, 第二科, a unit task), its milestone (4/15), then T1-1 (5/31).
    assert [(n["taskId"], n["milestoneId"]) for n in whole["nodes"]] == [
        (ids["d2"], None), (ids["mine"], ids["m1"]), (ids["mine"], None)]
    t2, m1, _ = whole["nodes"]
    assert (t2["unitName"], t2["unit"]["code"], t2["personName"]) == ("第二科", "d2", None)
    assert (m1["unitName"], m1["personName"]) == ("第一科", names["P006"])
    api.login(code, "bangong")
    count_statements.clear()
    one = api.as_(code, "bangong", OVERDUE, {"n": 1, "a": whole["edges"][0]["cursor"]})[
        "data"]["overdueItemsPage"]
    single = len(count_statements)
    assert [n["milestoneId"] for n in one["nodes"]] == [ids["m1"]]
    assert one["pageInfo"]["hasNextPage"] is True
    count_statements.clear()
    two = api.as_(code, "bangong", OVERDUE, {"n": 2, "a": whole["edges"][0]["cursor"]})[
        "data"]["overdueItemsPage"]
    assert len(two["nodes"]) == 2
    assert two["pageInfo"]["hasNextPage"] is False
    assert len(count_statements) == single, count_statements


def test_overdue_items_page_respects_the_read_scope(api: Api, settings: Settings,
                                                    make_tenant: Any) -> None:
    code, ids = world(settings, make_tenant)
    assert api.call(OVERDUE, {"n": 10})["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    staff = api.as_(code, "ganbu", OVERDUE, {"n": 10})
    assert staff["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    head_of_d2 = api.as_(code, "kezhang2", OVERDUE, {"n": 10})["data"]["overdueItemsPage"]
    assert [n["taskId"] for n in head_of_d2["nodes"]] == [ids["d2"]]
    other = make_tenant(people=12)
    assert api.as_(other, "bangong", OVERDUE, {"n": 10})["data"]["overdueItemsPage"][
        "totalCount"] == 0


def claims(api: Api, settings: Settings, make_tenant: Any) -> tuple[str, dict[str, str]]:
    code, ids = world(settings, make_tenant)
    people = {e["node"]["employeeNo"]: e["node"]["id"] for e in api.as_(
        code, "admin", "{ people(first:50) { edges { node { id employeeNo } } } }")[
        "data"]["people"]["edges"]}
    for user, person, day in (("ganbu", "P006", "2026-05-10"), ("ganbu", "P006", "2026-05-12"),
                              ("ganbu2", "P007", "2026-05-11")):
        body = api.as_(code, user, CLAIM, {"i": {
            "indicatorId": ids["deal"], "personId": people[person], "occurredOn": day,
            "reason": "招商项目签约", "evidence": "合同"}})
        assert body["data"]["claimCredit"]["userErrors"] == [], body
    return code, ids


def test_pending_claims_are_listed_for_the_office_to_confirm(
        api: Api, settings: Settings, make_tenant: Any, count_statements: list[str]) -> None:
    code, _ = claims(api, settings, make_tenant)
    first = api.as_(code, "bangong", CLAIMS, {"n": 2})["data"]["pendingCreditClaims"]
    assert first["totalCount"] == 3
    assert first["pageInfo"]["hasNextPage"] is True
    assert {n["status"] for n in first["nodes"]} == {"claimed"}
    assert all(n["subject"] for n in first["nodes"])
    api.login(code, "bangong")
    count_statements.clear()
    rest = api.as_(code, "bangong", CLAIMS, {"n": 2, "a": first["pageInfo"]["endCursor"]})[
        "data"]["pendingCreditClaims"]
    single = len(count_statements)
    assert len(rest["nodes"]) == 1
    assert rest["pageInfo"]["hasNextPage"] is False
    count_statements.clear()
    api.as_(code, "bangong", CLAIMS, {"n": 3})
    assert len(count_statements) == single, count_statements
    # The office confirms one and refuses another: both leave the list.
    ids = [n["id"] for n in first["nodes"]]
    for claim, confirmed in zip(ids, (True, False), strict=True):
        done = api.as_(code, "bangong", CONFIRM, {"id": claim, "c": confirmed})
        assert done["data"]["confirmPointRecord"]["userErrors"] == [], done
    left = api.as_(code, "bangong", CLAIMS, {"n": 10})["data"]["pendingCreditClaims"]
    assert left["totalCount"] == 1
    assert left["nodes"][0]["id"] == rest["nodes"][0]["id"]


def test_pending_claims_respect_the_read_scope(api: Api, settings: Settings,
                                               make_tenant: Any) -> None:
    code, _ = claims(api, settings, make_tenant)
    assert api.call(CLAIMS, {"n": 10})["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    own = api.as_(code, "ganbu", CLAIMS, {"n": 10})["data"]["pendingCreditClaims"]
    assert own["totalCount"] == 2  # a staff member sees their own claims only
    head_of_d2 = api.as_(code, "kezhang2", CLAIMS, {"n": 10})["data"]["pendingCreditClaims"]
    assert head_of_d2["totalCount"] == 0  # P006 and P007 work in 第一科
    assert api.as_(code, "kezhang", CLAIMS, {"n": 10})["data"]["pendingCreditClaims"][
        "totalCount"] == 3
    other = make_tenant(people=12)
    assert api.as_(other, "admin", CLAIMS, {"n": 10})["data"]["pendingCreditClaims"][
        "totalCount"] == 0


def test_overdue_items_page_filters_by_department(api: Api, settings: Settings,
                                                  make_tenant: Any) -> None:
    code, ids = world(settings, make_tenant)
    query = ("query($u:ID){ overdueItemsPage(asOf:\"" + AS_OF + "\", year:2026, unitId:$u) "
             "{ totalCount nodes { taskId unitName } } }")
    units = {u["code"]: u["id"] for u in api.as_(code, "admin", "{ orgUnits { id code } }")[
        "data"]["orgUnits"]}
    d2 = api.as_(code, "bangong", query, {"u": units["d2"]})["data"]["overdueItemsPage"]
    assert [(n["taskId"], n["unitName"]) for n in d2["nodes"]] == [(ids["d2"], "第二科")]
    assert d2["totalCount"] == 1
    every = api.as_(code, "bangong", query, {"u": None})["data"]["overdueItemsPage"]
    assert every["totalCount"] == 3
    assert api.as_(code, "bangong", query, {"u": "not-an-id"})["data"]["overdueItemsPage"][
        "totalCount"] == 0
    assert api.call(query, {"u": units["d2"]})["errors"][0]["extensions"]["code"] == (
        "UNAUTHENTICATED")
    other = make_tenant(people=12)
    assert api.as_(other, "bangong", query, {"u": units["d2"]})["data"]["overdueItemsPage"][
        "totalCount"] == 0
