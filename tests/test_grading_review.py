"""Scores to grades: ranking, the proposal with reasons, the review (综合研判) with reasons,
quota and top-half checks, the override, the audit, and no publicity before confirmation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from jixiao.settings import Settings
from tests.conftest import Api
from tests.test_ratings_support import (
    ADVANCE,
    COMPUTE,
    YEAR,
    add_record,
    advance,
    people,
    rate_all,
    rating_period,
)

REVIEW = ("mutation($i:ReviewGradeInput!){ reviewGrade(input:$i) { result { personId grade "
          "gradeLabel proposedGrade reasons confirmedAt } userErrors { code message field } } }")
CONFIRM = ("mutation($p:ID!){ confirmGrades(periodId:$p) { results { personId grade } "
           "userErrors { code message } } }")
AUDIT = ("{ auditLog(entity:\"person_result\") { action entityId reason before after } }")


def value_of(employee_no: str) -> Decimal:
    """P001 95, P002 90, ... P010 50: every rater gives the ratee this everywhere."""
    return Decimal(100 - 5 * int(employee_no[1:]))


def without_score_bands(api: Api, code: str, extra: str = "") -> None:
    """These tests pin the quota and top-half mechanics: the default score bands (好 >= 90 ...,
    tests/test_grading_ties.py) are switched off so the spread 95..50 keeps 较好 as default."""
    body = api.as_(code, "admin", "mutation{ updateTenantSettings(settings:{grading:{"
                   f"score_bands:[]{extra}}}}}, reason:\"按名额定等\") "
                   "{ userErrors { code } } }")
    assert body["data"]["updateTenantSettings"]["userErrors"] == []


def graded_period(api: Api, settings: Settings, code: str) -> tuple[str, dict[str, str]]:
    # The principal leader (P001) is rated in the unit here, as the tenant may choose (issue 12:
    # by default the level above appraises him).
    body = api.as_(code, "admin", "mutation{ updateTenantSettings(settings:{rating:{"
                   "appraise_unmanaged_in_unit:true}}, reason:\"主要领导由本单位评价\") "
                   "{ userErrors { code } } }")
    assert body["data"]["updateTenantSettings"]["userErrors"] == []
    period = rating_period(api, settings, code)
    assert rate_all(settings, code, period, value_of) > 10
    return period, people(settings, code)


def test_proposal_review_override_and_audit(api: Api, settings: Settings,
                                            make_tenant: Any) -> None:
    code = make_tenant(people=10)
    without_score_bands(api, code)
    period, ids = graded_period(api, settings, code)
    no = {pid: n for n, pid in ids.items()}
    early = api.as_(code, "admin", COMPUTE, {"p": period})["data"]["computeResults"]
    assert early["userErrors"][0]["code"] == "RULE_VIOLATION"  # still rating
    advance(api, code, period, "reviewing")
    body = api.as_(code, "admin", COMPUTE, {"p": period})["data"]["computeResults"]
    assert body["userErrors"] == []
    results = {no[r["personId"]]: r for r in body["results"]}
    # Uniform ratings: the score is the value given (renormalized over the roles present).
    assert {n: Decimal(r["score"]) for n, r in results.items()} == {
        n: value_of(n) for n in results}
    assert [results[f"P{i:03d}"]["rank"] for i in range(1, 11)] == list(range(1, 11))
    # n = 10: top half = ranks 1..5; 好 at most floor(10 * 40%) = 4.
    proposed = {n: r["proposedGrade"] for n, r in results.items()}
    assert [n for n, g in sorted(proposed.items()) if g == "good"] == [
        "P001", "P002", "P003", "P004"]
    assert set(proposed.values()) == {"good", "fairly_good"}
    assert "好等次名额已满（4/4）" in results["P005"]["reasons"]
    assert "得分排名第6名，未进入前50%（前5名）" in results["P006"]["reasons"]
    assert "未入围，不能评为好" in results["P006"]["reasons"]
    assert results["P001"]["reasons"][-2:] == ["决定规则：等次名额", "拟定等次：好"]
    assert results["P006"]["reasons"][-2] == "决定规则：入围择优"
    assert all(r["grade"] is None for r in results.values())

    # no publicity before every grade is confirmed
    blocked = api.as_(code, "admin", ADVANCE, {"id": period, "s": "publicizing"})
    unconfirmed = blocked["data"]["advancePeriod"]["userErrors"][0]["message"]
    assert "还有10人的等次未经综合研判确认" in unconfirmed
    assert "（P001）、" in unconfirmed  # who, by number
    assert unconfirmed.endswith("（P010）")

    def review(person: str, grade: str, reason: str = "", override: bool = False,
               user: str = "admin") -> dict[str, Any]:
        return dict(api.as_(code, user, REVIEW, {"i": {
            "periodId": period, "personId": ids[person], "grade": grade, "reason": reason,
            "override": override}})["data"]["reviewGrade"])

    for user in ("ganbu", "kezhang", "fenguan"):
        assert review("P005", "good", "表现突出", user=user)["userErrors"][0]["code"] == (
            "FORBIDDEN"), user
    no_reason = review("P006", "good")["userErrors"]
    assert (no_reason[0]["code"], no_reason[0]["field"]) == ("INVALID", "reason")
    both = review("P006", "good", "攻坚任务表现突出")["userErrors"]
    assert {e["code"] for e in both} == {"RULE_VIOLATION"}
    messages = [e["message"] for e in both]
    assert "好等次名额已满：调整后为5名，上限为4名" in messages
    assert "得分排名第6名，未进入前50%（前5名），不能评为好" in messages
    quota = review("P005", "good", "攻坚任务表现突出")["userErrors"]
    assert quota[0]["message"] == "好等次名额已满：调整后为5名，上限为4名"
    assert quota[-1]["field"] == "override"
    refused_override = review("P005", "good", "", override=True)["userErrors"]
    assert refused_override[0]["field"] == "reason"  # an override needs a reason too

    overridden = review("P005", "good", "牵头完成省级试点，经党组会议研究同意", override=True)
    assert overridden["userErrors"] == []
    assert overridden["result"]["grade"] == "good"
    assert overridden["result"]["confirmedAt"] is not None
    assert overridden["result"]["reasons"][-1].startswith(
        "综合研判：由较好调整为好，理由：牵头完成省级试点，经党组会议研究同意（经集体研究突破规则：")
    lowered = review("P007", "average", "季度内两次工作失误")
    assert lowered["userErrors"] == []
    assert review("P008", "average")["userErrors"][0]["field"] == "reason"
    confirmed = review("P001", "good")  # the grade as proposed: no reason needed
    assert confirmed["userErrors"] == []
    assert review("P006", "excellent", "x")["userErrors"][0]["field"] == "grade"

    log = api.as_(code, "admin", AUDIT)["data"]["auditLog"]
    by_action = {e["action"]: e for e in log}
    override_entry = by_action["grade.override"]
    assert override_entry["entityId"] == results["P005"]["id"]
    assert override_entry["reason"] == "牵头完成省级试点，经党组会议研究同意"
    assert (override_entry["before"]["grade"], override_entry["after"]["grade"]) == (
        "fairly_good", "good")
    assert override_entry["before"]["confirmed_at"] is None
    assert override_entry["after"]["override"] is True
    assert {v["code"] for v in override_entry["after"]["violations"]} == {"quota_exceeded"}
    change = by_action["grade.change"]
    assert (change["before"]["grade"], change["after"]["grade"], change["reason"]) == (
        "fairly_good", "average", "季度内两次工作失误")
    assert by_action["grade.confirm"]["after"]["grade"] == "good"

    # once a grade is confirmed the proposal can no longer be recomputed
    again = api.as_(code, "admin", COMPUTE, {"p": period})["data"]["computeResults"]
    assert again["userErrors"][0]["code"] == "CONFLICT"
    rest = api.as_(code, "admin", CONFIRM, {"p": period})["data"]["confirmGrades"]
    assert rest["userErrors"] == []
    assert len(rest["results"]) == 7  # P002-P004, P006, P008-P010
    assert api.as_(code, "ganbu", CONFIRM, {"p": period})["data"]["confirmGrades"][
        "userErrors"][0]["code"] == "FORBIDDEN"
    advance(api, code, period, "publicizing")
    late = review("P010", "average", "研判后调整")["userErrors"][0]
    assert late["code"] == "RULE_VIOLATION"


def test_groups_separately_breach_cap_and_ties(api: Api, settings: Settings,
                                              make_tenant: Any) -> None:
    code = make_tenant(people=10)
    without_score_bands(api, code, ", compare_groups_separately:true")
    period, ids = graded_period(api, settings, code)
    no = {pid: n for n, pid in ids.items()}
    # A serious conduct finding (5 points) for P001: 95 - 5 = 90 ties P002.
    add_record(settings, code, period, "P001", "ZZ01", date(YEAR, 2, 1), reason="执行打折扣")
    advance(api, code, period, "reviewing")
    body = api.as_(code, "admin", COMPUTE, {"p": period})["data"]["computeResults"]
    assert body["userErrors"] == []
    results = {no[r["personId"]]: r for r in body["results"]}
    assert Decimal(results["P001"]["score"]) == Decimal(90) == Decimal(results["P002"]["score"])
    # ties share the rank; the tie-break (higher rated part) puts P001 first
    assert (results["P001"]["rank"], results["P002"]["rank"], results["P003"]["rank"]) == (
        1, 1, 3)
    assert [r["personId"] for r in body["results"]][:2] == [ids["P001"], ids["P002"]]
    # leaders P001-P005 and staff P006-P010 are graded apart: n = 5, top half = ranks 1..2,
    # 好 at most 2 in each group
    assert {n: results[n]["groupRank"] for n in ("P001", "P002", "P003", "P006", "P007")} == {
        "P001": 1, "P002": 1, "P003": 3, "P006": 1, "P007": 2}
    grades = {n: r["proposedGrade"] for n, r in results.items()}
    assert grades["P001"] == "average"  # capped by the serious breach
    assert "存在严重政治素质负面清单问题，等次最高为一般" in results["P001"]["reasons"]
    assert grades["P002"] == "good"
    assert grades["P003"] == "fairly_good"  # outside the leaders' top half, quota unused
    assert (grades["P006"], grades["P007"], grades["P008"]) == ("good", "good", "fairly_good")
    review = api.as_(code, "admin", REVIEW, {"i": {
        "periodId": period, "personId": ids["P001"], "grade": "good", "reason": "情节轻微"}})
    messages = [e["message"] for e in review["data"]["reviewGrade"]["userErrors"]]
    assert "存在严重政治素质负面清单问题，等次最高为一般，不能调整为好" in messages


def test_no_publicity_while_an_appraised_person_has_no_result(
        api: Api, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    period = rating_period(api, settings, code)
    ids = people(settings, code)
    person = api.as_(code, "admin", "query($p:ID!){ person(id:$p) { employeeNo name unitId } }",
                     {"p": ids["P009"]})["data"]["person"]

    def appraised(flag: bool) -> None:
        body = api.as_(code, "admin", "mutation($id:ID!,$i:PersonInput!){ updatePerson(id:$id,"
                       " input:$i) { userErrors { message } } }",
                       {"id": ids["P009"], "i": {**person, "appraised": flag}})
        assert body["data"]["updatePerson"]["userErrors"] == []

    appraised(False)  # e.g. on long leave when the results are computed
    rate_all(settings, code, period, value_of)
    advance(api, code, period, "reviewing")
    body = api.as_(code, "admin", COMPUTE, {"p": period})["data"]["computeResults"]
    assert len(body["results"]) == 8
    api.as_(code, "admin", CONFIRM, {"p": period})
    appraised(True)
    blocked = api.as_(code, "admin", ADVANCE, {"id": period, "s": "publicizing"})
    assert blocked["data"]["advancePeriod"]["userErrors"][0]["message"] == (
        f"有1名参加考核的人员没有考核结果，请重新计算后再公示：{person['name']}（P009）")
    appraised(False)
    advance(api, code, period, "publicizing")
