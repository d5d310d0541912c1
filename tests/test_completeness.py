"""Issue 12, completeness and the principal leader: nobody is scored on missing ratings, the
principal leader is appraised by the level above (由上级考核) and blocks nobody."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jixiao.settings import Settings
from tests.conftest import Api
from tests.test_feedback import record
from tests.test_grading_review import without_score_bands
from tests.test_ratings_support import COMPUTE, advance, people, rate_all, rating_period

ADVANCE = ("mutation($id:ID!,$s:PeriodState!){ advancePeriod(id:$id,toState:$s) { period "
           "{ state } userErrors { code message field } } }")
SETTINGS = """mutation($s:JSON!){ updateTenantSettings(settings:$s, reason:"试行") {
  userErrors { code message } } }"""
CONFIRM = ("mutation($p:ID!){ confirmGrades(periodId:$p) { results { personId grade } "
           "userErrors { code message } } }")
RESULTS = ("query($p:ID!){ periodResults(periodId:$p) { totalCount nodes { personId score rank "
           "proposedGrade grade status statusLabel } } }")
COMPLETION = """query($p:ID!){ ratingCompletion(periodId:$p) {
  byRater { id name assigned done missing { personName raterName role roleLabel } }
  byUnit { id name assigned done missing { personName raterName role } }
  byPerson { id name assigned done missing { personName raterName role } } } }"""
INTERVIEWS = """query($p:ID!){ interviewCompletion(periodId:$p) { unitName required
  missing { employeeNo } } }"""
NAMES = "{ people(first:100) { edges { node { id employeeNo name } } } }"

# P009 (staff of 第一科一组) is rated by nobody; P008's department head (P005) has not rated.
UNRATED, PARTIAL, HEAD_OF_D2 = "P009", "P008", "P005"


def _skip(ratee: str, rater: str) -> bool:
    return ratee == UNRATED or (ratee == PARTIAL and rater == HEAD_OF_D2)


def _names(api: Api, code: str) -> dict[str, str]:
    return {e["node"]["employeeNo"]: e["node"]["name"]
            for e in api.as_(code, "admin", NAMES)["data"]["people"]["edges"]}


def _period_with_gaps(api: Api, settings: Settings, code: str) -> str:
    period = rating_period(api, settings, code)
    rate_all(settings, code, period, lambda no: Decimal(80 + int(no[1:]) % 15), _skip)
    return period


def test_rating_and_computing_are_refused_naming_who_is_missing_until_the_admin_proceeds(
        api: Api, make_tenant: Any, settings: Settings) -> None:
    code = make_tenant(people=12)
    without_score_bands(api, code)  # the 好 count below is the quota's, not the bands'
    period = _period_with_gaps(api, settings, code)
    ids, names = people(settings, code), _names(api, code)
    # Leaving "rating" is refused (tenant setting, default on), naming who lacks which rater.
    refused = api.as_(code, "admin", ADVANCE, {"id": period, "s": "reviewing"})[
        "data"]["advancePeriod"]
    assert refused["period"] is None
    [error] = refused["userErrors"]
    assert (error["code"], error["field"]) == ("RATINGS_INCOMPLETE", "toState")
    message = error["message"]
    assert message.startswith("尚有2人评价未完成")
    assert f"{names[UNRATED]}（{UNRATED}）" in message
    gap = f"{names[PARTIAL]}（{PARTIAL}）：缺部门主要负责人评价（{names[HEAD_OF_D2]}未评）"
    assert gap in message
    assert names["P001"] + "（P001）" not in message  # the principal leader is not awaited
    # The tenant turns the guard off; computing still refuses, with the same names.
    assert api.as_(code, "admin", SETTINGS, {"s": {"periods": {
        "require_ratings_to_review": False}}})["data"]["updateTenantSettings"]["userErrors"] == []
    advance(api, code, period, "reviewing")
    computed = api.as_(code, "admin", COMPUTE, {"p": period})["data"]["computeResults"]
    assert computed["results"] == []
    [error] = computed["userErrors"]
    assert (error["code"], error["field"]) == ("RATINGS_INCOMPLETE", "proceed")
    assert f"{names[UNRATED]}（{UNRATED}）" in error["message"]
    assert f"缺部门主要负责人评价（{names[HEAD_OF_D2]}未评）" in error["message"]
    # With the explicit proceed: the unrated person has no score, rank or grade (未评价), the
    # principal leader is listed as 由上级考核, the partly rated person is scored on what exists.
    computed = api.as_(code, "admin", COMPUTE, {"p": period, "go": True})["data"][
        "computeResults"]
    assert computed["userErrors"] == []
    by_id = {r["personId"]: r for r in computed["results"]}
    assert len(by_id) == 12
    unrated, principal = by_id[ids[UNRATED]], by_id[ids["P001"]]
    for row, status, label in ((unrated, "unrated", "未评价"),
                               (principal, "by_higher_level", "由上级考核")):
        assert (row["score"], row["rank"], row["groupRank"], row["proposedGrade"],
                row["grade"]) == (None, None, None, None, None)
        assert (row["status"], row["statusLabel"]) == (status, label)
    assert by_id[ids[PARTIAL]]["status"] == "appraised"
    assert by_id[ids[PARTIAL]]["score"] is not None
    scored = [r for r in computed["results"] if r["status"] == "appraised"]
    assert len(scored) == 10
    # Ranks and the 好 quota (40% of 10, top half) count the appraised only.
    assert sorted(r["rank"] for r in scored)[-1] <= 10
    assert all(r["rank"] is not None and r["proposedGrade"] for r in scored)
    assert sum(r["proposedGrade"] == "good" for r in scored) == 4
    # The results list shows them last, with their status.
    listed = api.as_(code, "admin", RESULTS, {"p": period})["data"]["periodResults"]
    assert listed["totalCount"] == 12
    assert {n["statusLabel"] for n in listed["nodes"][-2:]} == {"未评价", "由上级考核"}
    # Nobody is blocked by them: grades are confirmed and published, the principal leader needs
    # no interview and the quarter closes once the people of the unit were interviewed.
    confirmed = api.as_(code, "admin", CONFIRM, {"p": period})["data"]["confirmGrades"]
    assert confirmed["userErrors"] == []
    assert len(confirmed["results"]) == 10
    advance(api, code, period, "feedback")
    units = api.as_(code, "admin", INTERVIEWS, {"p": period})["data"]["interviewCompletion"]
    required = {m["employeeNo"] for u in units for m in u["missing"]}
    assert "P001" not in required
    assert UNRATED in required
    assert len(required) == 11
    for no in sorted(required):
        assert record(api, code, "leader", period, ids[no])["userErrors"] == [], no
    closed = api.as_(code, "admin", ADVANCE, {"id": period, "s": "closed"})[
        "data"]["advancePeriod"]
    assert closed["userErrors"] == []
    assert closed["period"]["state"] == "closed"


def test_a_tenant_may_name_raters_for_the_principal_leader(
        api: Api, make_tenant: Any, settings: Settings) -> None:
    code = make_tenant(people=9)
    rule = "{ scoringRules { completenessRule } }"
    before = api.as_(code, "ganbu", rule)["data"]["scoringRules"]["completenessRule"]
    assert "列为“未评价”，不计得分、排名和等次" in before
    assert "（如主要领导）由上级考核" in before
    assert api.as_(code, "admin", SETTINGS, {"s": {"rating": {
        "appraise_unmanaged_in_unit": True}}})["data"]["updateTenantSettings"]["userErrors"] == []
    after = api.as_(code, "ganbu", rule)["data"]["scoringRules"]["completenessRule"]
    assert "（如主要领导）也由本单位评价" in after
    period = rating_period(api, settings, code)
    rate_all(settings, code, period, lambda no: Decimal(88))
    advance(api, code, period, "reviewing")
    computed = api.as_(code, "admin", COMPUTE, {"p": period})["data"]["computeResults"]
    assert computed["userErrors"] == []
    principal = next(r for r in computed["results"]
                     if r["personId"] == people(settings, code)["P001"])
    assert principal["status"] == "appraised"
    assert principal["rank"] is not None


def test_the_completion_view_per_rater_unit_and_person_within_reach(
        api: Api, make_tenant: Any, settings: Settings, count_statements: list[str]) -> None:
    code = make_tenant(people=12)
    period = _period_with_gaps(api, settings, code)
    names = _names(api, code)
    count_statements.clear()
    view = api.as_(code, "admin", COMPLETION, {"p": period})["data"]["ratingCompletion"]
    admin_statements = len(count_statements)
    people_rows = {r["name"]: r for r in view["byPerson"]}
    assert names["P001"] not in people_rows  # by the level above: not rated in the unit
    unrated = people_rows[names[UNRATED]]
    assert unrated["done"] == 0
    assert unrated["assigned"] == len(unrated["missing"]) > 0
    partial = people_rows[names[PARTIAL]]
    assert partial["missing"] == [{"personName": names[PARTIAL],
                                   "raterName": names[HEAD_OF_D2], "role": "department_head"}]
    head = {r["name"]: r for r in view["byRater"]}[names[HEAD_OF_D2]]
    assert [m["personName"] for m in head["missing"]] == [names[PARTIAL]]
    assert head["missing"][0]["roleLabel"] == "部门主要负责人"
    assert sum(r["assigned"] for r in view["byUnit"]) == sum(
        r["assigned"] for r in view["byPerson"]) == sum(r["assigned"] for r in view["byRater"])
    assert {r["name"] for r in view["byUnit"]} >= {"第一科", "第一科一组", "第二科"}
    # A department head reads the people he manages only (第一科 and its sub-unit).
    mine = api.as_(code, "kezhang", COMPLETION, {"p": period})["data"]["ratingCompletion"]
    assert {r["name"] for r in mine["byUnit"]} == {"第一科", "第一科一组"}
    assert names[PARTIAL] not in {r["name"] for r in mine["byPerson"]}
    assert api.as_(code, "ganbu", COMPLETION, {"p": period})["errors"][0][
        "extensions"]["code"] == "FORBIDDEN"
    # No N+1: a larger unit costs the same statements.
    big = make_tenant(people=30)
    big_period = _period_with_gaps(api, settings, big)
    count_statements.clear()
    api.as_(big, "admin", COMPLETION, {"p": big_period})
    assert len(count_statements) == admin_statements


def test_the_unit_report_prints_the_status_and_no_score_for_those_not_scored() -> None:
    from resolvers.reports.unit_quarterly import COLUMNS, ResultRow

    def cells(row: ResultRow) -> dict[str, str]:
        return {c.header: c.cell_text(row) for c in COLUMNS}

    principal = cells(ResultRow(None, None, "P001", "王伟0", "领导班子", "leader", None, None,
                                "by_higher_level"))
    unrated = cells(ResultRow(None, None, "P009", "黄伟9", "第一科一组", "staff", None, None,
                              "unrated"))
    scored = cells(ResultRow(1, 1, "P002", "李伟1", "领导班子", "leader", Decimal("91.5"),
                             "good"))
    assert (principal["得分"], principal["排名"], principal["等次"]) == ("", "", "由上级考核")
    assert (unrated["得分"], unrated["等次"]) == ("", "未评价")
    assert (scored["得分"], scored["等次"]) == ("91.50", "好")
