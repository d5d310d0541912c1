"""The review's counters (reviewQuotas): appraised, the top-50% line, the 好 quota and how many
hold 好 now, per grade; who may read them."""

from __future__ import annotations

from typing import Any

from jixiao.settings import Settings
from tests.conftest import Api
from tests.test_grading_review import CONFIRM, REVIEW, graded_period, without_score_bands
from tests.test_ratings_support import COMPUTE, advance

QUOTAS = ("query($p:ID!){ reviewQuotas(periodId:$p) { group groupLabel appraised shortlistRank "
          "shortlistShare usesGroupRank topGrade topGradeLabel quota quotaShare used "
          "gradeCounts { grade label count } } }")


def test_quota_counters_follow_the_review(api: Api, settings: Settings,
                                          make_tenant: Any) -> None:
    code = make_tenant(people=10)
    without_score_bands(api, code)
    period, ids = graded_period(api, settings, code)
    advance(api, code, period, "reviewing")
    assert api.as_(code, "admin", QUOTAS, {"p": period})["data"]["reviewQuotas"] == []
    assert api.as_(code, "admin", COMPUTE, {"p": period})["data"]["computeResults"][
        "userErrors"] == []
    (whole,) = api.as_(code, "admin", QUOTAS, {"p": period})["data"]["reviewQuotas"]
    # n = 10: top half = ranks 1..5; 好 at most floor(10 * 40%) = 4 (tests/test_grading_review).
    assert whole == {"group": None, "groupLabel": "全单位", "appraised": 10, "shortlistRank": 5,
                     "shortlistShare": "50%", "usesGroupRank": False, "topGrade": "good",
                     "topGradeLabel": "好", "quota": 4, "quotaShare": "40%", "used": 4,
                     "gradeCounts": [
                         {"grade": "good", "label": "好", "count": 4},
                         {"grade": "fairly_good", "label": "较好", "count": 6}]}
    over = api.as_(code, "admin", REVIEW, {"i": {
        "periodId": period, "personId": ids["P005"], "grade": "good",
        "reason": "牵头完成省级试点，经党组会议研究同意", "override": True}})
    assert over["data"]["reviewGrade"]["userErrors"] == []
    (after,) = api.as_(code, "leader", QUOTAS, {"p": period})["data"]["reviewQuotas"]
    assert (after["used"], after["quota"]) == (5, 4)  # the override shows beyond the quota
    assert api.as_(code, "admin", CONFIRM, {"p": period})["data"]["confirmGrades"][
        "userErrors"] == []

    for user in ("ganbu", "kezhang"):
        refused = api.as_(code, user, QUOTAS, {"p": period})
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", user
    anonymous = api.call(QUOTAS, {"p": period})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    other = make_tenant(people=9)
    elsewhere = api.as_(other, "admin", QUOTAS, {"p": period})
    assert elsewhere["errors"][0]["extensions"]["code"] == "NOT_FOUND"
