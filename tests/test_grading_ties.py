"""Ties at the 好 quota line (并列跨线，须研判) and the default score bands, through the API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jixiao.settings import Settings
from tests.conftest import Api
from tests.test_ratings_support import advance, people, rate_all, rating_period

RESULTS = ("mutation($p:ID!){ computeResults(periodId:$p) { results { personId score rank "
           "proposedGrade reasons tieReview } userErrors { code message } } }")
REVIEW = ("mutation($i:ReviewGradeInput!){ reviewGrade(input:$i) { result { personId grade "
          "confirmedAt tieReview reasons } userErrors { code message field } } }")
CONFIRM = ("mutation($p:ID!){ confirmGrades(periodId:$p) { results { personId grade } "
           "userErrors { code message field } } }")

# P001 (the principal leader) scores lowest, so the places above do not depend on whether he
# is ranked. P006 and P007 (staff of the same department and post) are fully identical: same
# ratings, no credits or deductions; only the employee number differs.
TIED = {1: 50, 2: 98, 3: 96, 4: 94, 5: 70, 6: 92, 7: 92, 8: 68, 9: 66, 10: 64, 11: 62}


def tied_value(employee_no: str) -> Decimal:
    return Decimal(TIED[int(employee_no[1:])])


def settle(api: Api, code: str, settings_text: str) -> None:
    body = api.as_(code, "admin", "mutation{ updateTenantSettings(settings:{grading:{"
                   f"{settings_text}}}}}, reason:\"并列规则\") "
                   "{ userErrors { code message } } }")
    assert body["data"]["updateTenantSettings"]["userErrors"] == [], body


def computed(api: Api, settings: Settings, code: str,
             value_of: Any) -> tuple[str, dict[str, str], dict[str, dict[str, Any]]]:
    period = rating_period(api, settings, code)
    assert rate_all(settings, code, period, value_of) > 10
    advance(api, code, period, "reviewing")
    ids = people(settings, code)
    no = {pid: n for n, pid in ids.items()}
    body = api.as_(code, "admin", RESULTS, {"p": period})["data"]["computeResults"]
    assert body["userErrors"] == [], body
    return period, ids, {no[r["personId"]]: r for r in body["results"]}


def test_identical_people_at_the_quota_line_go_to_the_review(
        api: Api, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=11)
    period, ids, results = computed(api, settings, code, tied_value)
    # n = 11 (or 10 without the principal leader): top half 5 places, 好 at most 4.
    assert Decimal(results["P006"]["score"]) == Decimal(results["P007"]["score"]) == 92
    assert results["P006"]["rank"] == results["P007"]["rank"]
    flagged = sorted(n for n, r in results.items() if r["tieReview"])
    assert flagged == ["P006", "P007"]
    for n in flagged:
        assert any(r.startswith("并列跨线，须研判") for r in results[n]["reasons"]), n
        assert "决定规则：并列跨线" in results[n]["reasons"]
    assert [n for n in sorted(results) if results[n]["proposedGrade"] == "good"][:3] == [
        "P002", "P003", "P004"]

    # confirming is refused, naming the undecided people
    refused = api.as_(code, "admin", CONFIRM, {"p": period})["data"]["confirmGrades"]
    error = refused["userErrors"][0]
    assert (error["code"], error["field"]) == ("RULE_VIOLATION", "personIds")
    assert error["message"].startswith("以下人员并列跨线，须研判")
    assert "（P006）" in error["message"]
    assert "（P007）" in error["message"]
    assert refused["results"] == []
    # another tenant cannot see the period; staff may not review
    other = make_tenant(people=3)
    assert api.as_(other, "admin", CONFIRM, {"p": period})["data"]["confirmGrades"][
        "userErrors"][0]["code"] == "NOT_FOUND"
    assert api.as_(code, "ganbu", CONFIRM, {"p": period})["data"]["confirmGrades"][
        "userErrors"][0]["code"] == "FORBIDDEN"

    def review(person: str, grade: str, reason: str = "") -> dict[str, Any]:
        return dict(api.as_(code, "admin", REVIEW, {"i": {
            "periodId": period, "personId": ids[person], "grade": grade,
            "reason": reason}})["data"]["reviewGrade"])

    # even keeping the proposed grade needs a reason
    proposed5 = results["P006"]["proposedGrade"]
    assert review("P006", proposed5)["userErrors"][0]["field"] == "reason"
    # the committee gives the place to P007: P006 down first, then P007 up
    down = review("P006", "fairly_good", "经集体研判，P007牵头完成重点任务")
    assert down["userErrors"] == []
    still = api.as_(code, "admin", CONFIRM, {"p": period})["data"]["confirmGrades"]
    assert "（P007）" in still["userErrors"][0]["message"]
    assert "（P006）" not in still["userErrors"][0]["message"]
    up = review("P007", "good", "牵头完成重点任务，经集体研判确定")
    assert up["userErrors"] == []
    assert up["result"]["confirmedAt"] is not None
    assert up["result"]["tieReview"] is True
    done = api.as_(code, "admin", CONFIRM, {"p": period})["data"]["confirmGrades"]
    assert done["userErrors"] == []
    # the two decided in the review were confirmed then; the principal leader (由上级考核) is
    # not graded in the unit
    scored = [r for r in results.values() if r["score"] is not None]
    assert len(done["results"]) == len(scored) - 2


def test_keeping_the_proposal_of_a_flagged_tie_is_a_decision_with_a_reason(
        api: Api, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=11)
    period, ids, results = computed(api, settings, code, tied_value)
    for n in ("P006", "P007"):
        body = api.as_(code, "admin", REVIEW, {"i": {
            "periodId": period, "personId": ids[n], "grade": results[n]["proposedGrade"],
            "reason": "按评价得分与平时表现研判维持"}})["data"]["reviewGrade"]
        assert body["userErrors"] == []
        assert body["result"]["reasons"][-1].startswith("综合研判（并列跨线）：确定为")
    assert api.as_(code, "admin", CONFIRM, {"p": period})["data"]["confirmGrades"][
        "userErrors"] == []
    log = api.as_(code, "admin", "{ auditLog(entity:\"person_result\") { action reason after } }"
                  )["data"]["auditLog"]
    decided = [e for e in log if e["after"].get("tie_decided")]
    assert {e["reason"] for e in decided} == {"按评价得分与平时表现研判维持"}
    assert len(decided) == 2


def test_automatic_order_gives_the_place_to_the_lower_employee_number(
        api: Api, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=11)
    settle(api, code, 'tie_settlement:"automatic"')
    period, _, results = computed(api, settings, code, tied_value)
    assert not any(r["tieReview"] for r in results.values())
    assert (results["P006"]["proposedGrade"], results["P007"]["proposedGrade"]) == (
        "good", "fairly_good")
    says = "由“人员编号小者在前”决定，本人（人员编号P006）排第"
    assert any(says in r and r.endswith("拟定为好") for r in results["P006"]["reasons"])
    assert any("本人（人员编号P007）" in r and r.endswith("拟定为较好")
               for r in results["P007"]["reasons"])
    assert api.as_(code, "admin", CONFIRM, {"p": period})["data"]["confirmGrades"][
        "userErrors"] == []
    rules = api.as_(code, "ganbu", "{ scoringRules { tieRule } }")["data"]["scoringRules"]
    assert "人员编号小者在前" in rules["tieRule"]
    assert "自动确定" in rules["tieRule"]


def test_invalid_tie_settings_are_refused(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=3)
    for text in ('tie_settlement:"coin"', 'tie_keys:["rated","rated"]', 'tie_keys:["age"]'):
        body = api.as_(code, "admin", "mutation{ updateTenantSettings(settings:{grading:{"
                       f"{text}}}}}, reason:\"x\") {{ userErrors {{ code message }} }} }}")
        assert body["data"]["updateTenantSettings"]["userErrors"], text


# A spread over the four default bands (P001, the principal leader, in the middle band).
SPREAD = {1: 65, 2: 95, 3: 92, 4: 85, 5: 82, 6: 75, 7: 70, 8: 62, 9: 55, 10: 40}


def test_default_bands_propose_all_four_grades(api: Api, settings: Settings,
                                               make_tenant: Any) -> None:
    code = make_tenant(people=10)
    _, _, results = computed(api, settings, code,
                             lambda n: Decimal(SPREAD[int(n[1:])]))
    grades = {n: r["proposedGrade"] for n, r in results.items()}
    assert {n: g for n, g in grades.items() if n != "P001"} == {
        "P002": "good", "P003": "good", "P004": "fairly_good", "P005": "fairly_good",
        "P006": "average", "P007": "average", "P008": "average", "P009": "poor",
        "P010": "poor"}
    # P001, the principal leader, is appraised by the level above (no grade in the unit)
    assert set(grades.values()) - {None} == {"good", "fairly_good", "average", "poor"}
    assert results["P002"]["reasons"][-2] == "决定规则：等次名额"
    assert "得分 85.00 低于 90 分，等次最高为较好" in results["P004"]["reasons"]
    assert results["P004"]["reasons"][-2] == "决定规则：分数段"
    assert "得分 55.00 低于 60 分，等次最高为较差" in results["P009"]["reasons"]
    assert all(r["reasons"][-2].startswith("决定规则：") for n, r in results.items() if n != "P001")

    rules = api.as_(code, "ganbu", "{ scoringRules { gradeBandsRule tieRule } }")["data"][
        "scoringRules"]
    assert "低于60分最高为较差；低于80分最高为一般；低于90分最高为较好" in rules["gradeBandsRule"]
    assert "并列跨线，须研判" in rules["tieRule"]
