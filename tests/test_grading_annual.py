"""The annual grade from the four quarters' confirmed grades and the year's ranking, then the same
review with reasons, overrides and audit, and publicity of those rated 优秀."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jixiao.settings import Settings
from tests.conftest import Api
from tests.test_grading_review import without_score_bands
from tests.test_ratings_support import (
    COMPUTE,
    advance,
    create_period,
    people,
    rate_all,
    rating_period,
)

REVIEW = ("mutation($i:ReviewGradeInput!){ reviewGrade(input:$i) { result { grade reasons } "
          "userErrors { code message field } } }")
ANNUAL = ("mutation($p:ID!,$n:[NotGradedInput!]){ computeAnnualResults(periodId:$p, "
          "notGraded:$n) { results { id personId score rank proposedGrade reasons "
          "explanation { kind text } } userErrors { code message } } }")
CONFIRM = "mutation($p:ID!){ confirmGrades(periodId:$p) { userErrors { code } } }"


def value_of(employee_no: str) -> Decimal:
    return Decimal(100 - 5 * int(employee_no[1:]))


def test_annual_grades_from_the_quarters(api: Api, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=10)
    without_score_bands(api, code)  # the quarters pin the quota, not the default bands
    ids = people(settings, code)
    no = {pid: n for n, pid in ids.items()}
    # The unit rates its principal leader here (by default the level above does, issue 12).
    assert api.as_(code, "admin", "mutation{ updateTenantSettings(settings:{rating:{"
                   "appraise_unmanaged_in_unit:true}}, reason:\"主要领导由本单位评价\") "
                   "{ userErrors { code } } }")["data"]["updateTenantSettings"]["userErrors"] == []

    def review(period: str, person: str, grade: str, reason: str = "",
               override: bool = False) -> dict[str, Any]:
        return dict(api.as_(code, "admin", REVIEW, {"i": {
            "periodId": period, "personId": ids[person], "grade": grade, "reason": reason,
            "override": override}})["data"]["reviewGrade"])

    for quarter in (1, 2, 3, 4):
        period = rating_period(api, settings, code, quarter)
        rate_all(settings, code, period, value_of)
        advance(api, code, period, "reviewing")
        assert api.as_(code, "admin", COMPUTE, {"p": period})["data"]["computeResults"][
            "userErrors"] == []
        if quarter == 2:
            assert review(period, "P002", "average", "季度工作出现明显失误")["userErrors"] == []
            assert review(period, "P006", "poor", "不担当不作为被通报")["userErrors"] == []
        assert api.as_(code, "admin", CONFIRM, {"p": period})["data"]["confirmGrades"][
            "userErrors"] == []

    year = create_period(api, code, kind="year", quarter=None)
    advance(api, code, year, "reviewing")
    quarter_only = api.as_(code, "admin", COMPUTE, {"p": year})["data"]["computeResults"]
    assert quarter_only["userErrors"][0]["code"] == "INVALID"
    no_reason = api.as_(code, "admin", ANNUAL, {"p": year, "n": [
        {"personId": ids["P010"], "reason": " "}]})["data"]["computeAnnualResults"]
    assert no_reason["userErrors"][0]["code"] == "INVALID"
    body = api.as_(code, "admin", ANNUAL, {"p": year, "n": [
        {"personId": ids["P010"], "reason": "全年病假超过半年"}]})["data"]["computeAnnualResults"]
    assert body["userErrors"] == []
    results = {no[r["personId"]]: r for r in body["results"]}
    # year score: the mean of the four quarterly scores
    assert Decimal(results["P003"]["score"]) == Decimal(85)
    assert "年度得分为4个季度得分的平均值：85.00 分" in [
        line["text"] for line in results["P003"]["explanation"]]
    grades = {n: r["proposedGrade"] for n, r in results.items()}
    # n = 9 (P010 not graded): top half = ranks 1..4; 优秀 at most round(9 * 20%) = 2.
    assert grades == {
        "P001": "excellent",  # 好 in all four quarters, rank 1
        "P002": "competent",  # a quarter rated 一般 rules out 优秀
        "P003": "excellent",  # rank 3, second place of the quota
        "P004": "competent",  # eligible, in the top half, but the quota is full
        "P005": "competent", "P007": "competent", "P008": "competent", "P009": "competent",
        "P006": "basically_competent",  # a 较差 quarter blocks 称职: for the review
        "P010": "not_graded",
    }
    assert "优秀等次名额已满（2/2）" in results["P004"]["reasons"]
    assert "第2季度等次为较差，不能直接确定为称职，需综合研判" in results["P006"]["reasons"]
    assert "全年病假超过半年，本年度不定等次" in results["P010"]["reasons"]
    assert results["P010"]["rank"] is None

    quota = review(year, "P004", "excellent", "全年表现突出")["userErrors"]
    assert quota[0]["message"] == "优秀等次名额已满：调整后为3名，上限为2名"
    not_eligible = review(year, "P002", "excellent", "全年表现突出")["userErrors"]
    assert "有一般等次的季度，不能评为优秀" in [e["message"] for e in not_eligible]
    poor = review(year, "P006", "competent", "已整改到位")["userErrors"]
    assert poor[0]["message"] == "第2季度等次为较差，不能调整为称职"
    graded = review(year, "P010", "competent", "补充材料")["userErrors"]
    assert graded[0]["message"] == "该人员按规定不定等次，不能评定等次"
    applied = review(year, "P006", "competent", "已整改到位，经集体研究确定为称职", override=True)
    assert applied["userErrors"] == []
    assert applied["result"]["grade"] == "competent"
    log = api.as_(code, "admin", "{ auditLog(entity:\"person_result\") { action reason before "
                  "after } }")["data"]["auditLog"]
    entry = next(e for e in log if e["action"] == "grade.override")
    assert (entry["before"]["grade"], entry["after"]["grade"]) == (
        "basically_competent", "competent")
    assert entry["after"]["violations"][0]["code"] == "poor_quarter"
    assert api.as_(code, "admin", CONFIRM, {"p": year})["data"]["confirmGrades"][
        "userErrors"] == []
    advance(api, code, year, "publicizing")
    board = api.as_(code, "ganbu", "query($p:ID!){ publicity(periodId:$p) { personId "
                    "gradeLabel } }", {"p": year})["data"]["publicity"]
    assert [(no[e["personId"]], e["gradeLabel"]) for e in board] == [
        ("P001", "优秀"), ("P003", "优秀")]


ANNUAL_STATUS = ("mutation($p:ID!){ computeAnnualResults(periodId:$p) { results { personId "
                 "score rank proposedGrade status statusLabel reasons } "
                 "userErrors { code message } } }")


def test_the_principal_leader_appraised_above_gets_no_annual_grade_in_the_unit(
        api: Api, settings: Settings, make_tenant: Any) -> None:
    """By default (issue 12) the unit does not appraise its principal leader: the year lists him
    as 由上级考核 with no score, rank or grade, and he holds nothing up."""
    code = make_tenant(people=6)
    ids = people(settings, code)
    no = {pid: n for n, pid in ids.items()}
    for quarter in (1, 2, 3, 4):
        period = rating_period(api, settings, code, quarter)
        rate_all(settings, code, period, value_of)
        advance(api, code, period, "reviewing")
        assert api.as_(code, "admin", COMPUTE, {"p": period})["data"]["computeResults"][
            "userErrors"] == []
        assert api.as_(code, "admin", CONFIRM, {"p": period})["data"]["confirmGrades"][
            "userErrors"] == []
    year = create_period(api, code, kind="year", quarter=None)
    advance(api, code, year, "reviewing")
    body = api.as_(code, "admin", ANNUAL_STATUS, {"p": year})["data"]["computeAnnualResults"]
    assert body["userErrors"] == []
    results = {no[r["personId"]]: r for r in body["results"]}
    leader = results["P001"]
    assert (leader["score"], leader["rank"], leader["proposedGrade"]) == (None, None, None)
    assert (leader["status"], leader["statusLabel"]) == ("by_higher_level", "由上级考核")
    others = [r for n, r in results.items() if n != "P001"]
    assert all(r["status"] == "appraised" and r["proposedGrade"] for r in others)
    assert sorted(r["rank"] for r in others) == list(range(1, len(others) + 1))
    assert api.as_(code, "admin", CONFIRM, {"p": year})["data"]["confirmGrades"][
        "userErrors"] == []
