"""The leaders' dashboard (issue 15 point 6): every figure equals what the separate queries
answer the same caller (one read scope), the principal leader sees the whole unit and a
supervising leader the departments they supervise; refusals for strangers and other units."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.conftest import Api

UNIT = "xhjd"  # read-only: its current quarter is the staff tests'

DASHBOARD = """query($p:ID!){ leaderDashboard(periodId:$p) { period { id name } results
  grades { grade label count } ungraded unconfirmed declarations { required done }
  ratings { required done } interviews { required done } overdueItems { taskId milestoneId }
  departmentResults { unitId level score } } }"""

SEPARATE = """query($p:ID!,$y:Int!){ periodResults(periodId:$p, first:500) { totalCount
  nodes { grade proposedGrade } } undeclaredPeople(periodId:$p) { id }
  ratingCompletion(periodId:$p) { byUnit { assigned done } }
  interviewCompletion(periodId:$p) { required done }
  overdueItems(year:$y) { taskId milestoneId } departmentResults(periodId:$p) { unitId level score }
}"""


@pytest.fixture(scope="module")
def periods(api: Api, demo_year: None) -> dict[str, dict[str, Any]]:
    body = api.as_(UNIT, "admin", "{ periods(year:2025) { id name kind quarter year state } }")
    return {p["name"]: p for p in body["data"]["periods"]}


def dashboard(api: Api, username: str, period_id: str) -> dict[str, Any]:
    body = api.as_(UNIT, username, DASHBOARD, {"p": period_id})
    assert "errors" not in body, body
    return body["data"]["leaderDashboard"]  # type: ignore[no-any-return]


def separate(api: Api, username: str, period: dict[str, Any]) -> dict[str, Any]:
    body = api.as_(UNIT, username, SEPARATE, {"p": period["id"], "y": period["year"]})
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


def check_equal(board: dict[str, Any], parts: dict[str, Any]) -> None:
    results = parts["periodResults"]
    assert board["results"] == results["totalCount"]
    current = Counter(r["grade"] or r["proposedGrade"] for r in results["nodes"])
    assert {g["grade"]: g["count"] for g in board["grades"] if g["count"]} == {
        g: n for g, n in current.items() if g is not None}
    assert board["ungraded"] == current[None]
    assert board["unconfirmed"] == sum(1 for r in results["nodes"]
                                       if r["grade"] is None and r["proposedGrade"])
    declared = board["declarations"]
    assert declared["required"] - declared["done"] == len(parts["undeclaredPeople"])
    by_unit = parts["ratingCompletion"]["byUnit"]
    assert board["ratings"] == {"required": sum(r["assigned"] for r in by_unit),
                                "done": sum(r["done"] for r in by_unit)}
    units = parts["interviewCompletion"]
    assert board["interviews"] == {"required": sum(u["required"] for u in units),
                                   "done": sum(u["done"] for u in units)}
    assert board["overdueItems"] == parts["overdueItems"]
    assert board["departmentResults"] == parts["departmentResults"]


def test_the_principal_leader_sees_the_whole_unit(api: Api,
                                                  periods: dict[str, dict[str, Any]]) -> None:
    q4 = periods["2025年第四季度"]
    board = dashboard(api, "leader", q4["id"])
    assert board["period"]["name"] == "2025年第四季度"
    assert [g["label"] for g in board["grades"]] == ["好", "较好", "一般", "较差"]
    assert board["results"] > 0
    assert board["grades"][0]["count"] > 0
    assert board["declarations"]["required"] > 0
    assert board["ratings"]["required"] > 0
    assert board["interviews"]["required"] > 0
    check_equal(board, separate(api, "leader", q4))
    everyone = api.as_(UNIT, "admin", "query($p:ID!){ periodResults(periodId:$p, first:500) "
                       "{ totalCount } }", {"p": q4["id"]})["data"]["periodResults"]
    assert board["results"] == everyone["totalCount"]  # the whole unit


def test_a_supervising_leader_sees_the_departments_they_supervise(
        api: Api, periods: dict[str, dict[str, Any]]) -> None:
    q4 = periods["2025年第四季度"]
    whole = dashboard(api, "leader", q4["id"])
    board = dashboard(api, "fenguan", q4["id"])
    assert 0 < board["results"] < whole["results"]
    assert len(board["departmentResults"]) <= len(whole["departmentResults"])
    check_equal(board, separate(api, "fenguan", q4))


def test_the_year_has_annual_grades_and_no_interviews(
        api: Api, periods: dict[str, dict[str, Any]]) -> None:
    year = next(p for p in periods.values() if p["kind"] == "year")
    board = dashboard(api, "leader", year["id"])
    assert [g["label"] for g in board["grades"]] == [
        "优秀", "称职", "基本称职", "不称职", "不定等次"]
    assert board["interviews"] is None
    assert board["declarations"] is None


def test_refusals(api: Api, make_tenant: Any, periods: dict[str, dict[str, Any]]) -> None:
    q4 = periods["2025年第四季度"]
    anonymous = api.call(DASHBOARD, {"p": q4["id"]})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    other = make_tenant(people=9)
    stranger = api.as_(other, "admin", DASHBOARD, {"p": q4["id"]})
    assert stranger["data"] is None
    assert stranger["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # A staff member reads only their own part: no rating completion, nothing of others.
    staff = dashboard(api, "ganbu", q4["id"])
    assert staff["ratings"] is None
    assert staff["results"] <= 1
