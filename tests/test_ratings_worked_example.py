"""The 温江高新区 worked example end to end: ratings in through the API, the score out, computed
by hand here and matching the tenant's rounding rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from jixiao.settings import Settings
from tests.conftest import Api
from tests.test_ratings_support import (
    COMPUTE,
    FORM,
    SAVE,
    YEAR,
    add_record,
    advance,
    create_period,
    generate,
    people,
    publish_template,
)

WENJIANG = {"department_head": 40, "supervising_leader": 20, "principal_leader": 15,
            "peer": 15, "subordinate": 10}
SETTINGS = ("mutation($s:JSON!){ updateTenantSettings(settings:$s, reason:\"温江高新区规则\") "
            "{ userErrors { code message } } }")
RESULT = ("query($p:ID!,$q:ID!){ personResult(periodId:$p, personId:$q) { score rank "
          "proposedGrade explanation { kind source delta text } dimensionScores { code name "
          "score } } }")


def test_wenjiang_weights_by_hand(api: Api, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=12, kind="industrial_park")
    body = api.as_(code, "admin", SETTINGS, {"s": {"rating": {
        "role_weights": WENJIANG, "missing_rater_rule": "renormalize", "rounding_places": 2,
        "rounding_mode": "half_up"},
        # Only P006 is rated here: the period moves on and computes anyway (issue 12).
        "periods": {"require_ratings_to_review": False}}})
    assert body["data"]["updateTenantSettings"]["userErrors"] == []
    publish_template(settings, code)  # the industrial park template: SJ01 50, SJ02 30, SJ03 20
    ids = people(settings, code)
    period = create_period(api, code)
    advance(api, code, period, "declaring")
    assignments = generate(api, code, period)
    # Adjust the peers of P006: P010 (no account) out, P008 (another department) in.
    p010 = next(a for a in assignments
                if (a["personId"], a["raterId"]) == (ids["P006"], ids["P010"]))
    api.as_(code, "admin", "mutation($id:ID!){ removeRaterAssignment(id:$id) { removedId } }",
            {"id": p010["id"]})
    added = api.as_(code, "admin", "mutation($i:RaterAssignmentInput!){ addRaterAssignment("
                    "input:$i) { userErrors { message } } }",
                    {"i": {"periodId": period, "personId": ids["P006"],
                           "raterId": ids["P008"], "role": "peer"}})
    assert added["data"]["addRaterAssignment"]["userErrors"] == []
    advance(api, code, period, "rating")

    form = api.as_(code, "kezhang", FORM, {"p": period, "q": ids["P006"]})["data"]["ratingForm"]
    indicator = {i["code"]: i["id"] for i in form["indicators"]}
    assert set(indicator) == {"SJ01", "SJ02", "SJ03"}
    dimensions = [d["code"] for d in form["dimensions"]]
    assert dimensions == ["task_completion", "difficulty", "innovation", "conduct"]

    def rate(user: str, values: dict[tuple[str, str], str]) -> None:
        cells = [{"indicatorId": indicator[i], "dimension": d, "value": v}
                 for (i, d), v in values.items()]
        body = api.as_(code, user, SAVE, {"i": {"periodId": period, "personId": ids["P006"],
                                                "cells": cells}})
        assert body["data"]["saveRatings"]["userErrors"] == [], (user, body)

    def uniform(value: str) -> dict[tuple[str, str], str]:
        return {(i, d): value for i in indicator for d in dimensions}

    head = uniform("90") | {(i, d): "85" for i in ("SJ03",) for d in dimensions}
    head |= {("SJ02", "task_completion"): "80", ("SJ02", "difficulty"): "80",
             ("SJ02", "innovation"): "70", ("SJ02", "conduct"): "80"}
    rate("kezhang", head)  # department head P004
    rate("fenguan", uniform("80"))  # supervising leader P002
    rate("leader", uniform("88"))  # principal leader P001
    rate("ganbu2", uniform("90"))  # peer P007
    rate("ganbu3", uniform("75"))  # peer P008 (added by the admin)

    add_record(settings, code, period, "P006", "JF01", date(YEAR, 2, 10), "confirmed",
               reason="引进项目签约落地")
    add_record(settings, code, period, "P006", "JF01", date(YEAR, 3, 1), "claimed",
               reason="招商线索（未确认）")
    add_record(settings, code, period, "P006", "KF01", date(YEAR, 3, 5), reason="公文差错通报")
    add_record(settings, code, period, "P006", "ZZ03", date(YEAR, 1, 20), reason="工作拖沓")
    add_record(settings, code, period, "P006", "KF02", date(YEAR, 5, 5), reason="第二季度的事")
    advance(api, code, period, "reviewing")

    # By hand. Dimensions 50/20/15/15; indicators SJ01 50%, SJ02 30%, SJ03 20%.
    # Department head (40%): SJ01 90; SJ02 0.5*80 + 0.2*80 + 0.15*70 + 0.15*80 = 78.5; SJ03 85
    #   -> 0.5*90 + 0.3*78.5 + 0.2*85 = 45 + 23.55 + 17 = 85.55
    # Supervising leader (20%): 80.  Principal leader (15%): 88.
    # Peers (15%): P007 90 and P008 75, averaged first: 82.5.
    # Subordinates (10%): P006 has none -> renormalize: the present roles make 90%.
    # Rated = (40*85.55 + 20*80 + 15*88 + 15*82.5) / 90 = 7579.5 / 90 = 84.21666...
    # Credits: the confirmed signed deal +3 (the unconfirmed lead counts nothing).
    # Deductions: error notice -2; conduct standard (judged first) -2; the May record is Q2.
    # Total = 84.21666... + 3 - 2 - 2 = 83.21666... -> 2 places half_up: 83.22
    computed = api.as_(code, "admin", COMPUTE, {"p": period, "go": True})["data"][
        "computeResults"]
    assert computed["userErrors"] == []
    result = api.as_(code, "admin", RESULT, {"p": period, "q": ids["P006"]})["data"][
        "personResult"]
    assert Decimal(result["score"]) == Decimal("83.22")
    assert result["rank"] == 1
    lines = result["explanation"]
    assert lines[0]["kind"] == "conduct"  # conduct standards first
    assert lines[0]["text"] == "政治素质负面清单「工作拖沓、执行不力」工作拖沓：-2.00 分"
    roles = {line["source"]: line for line in lines if line["kind"] == "rater_role"}
    assert roles["department_head"]["text"] == "部门主要负责人评价（权重40%）：贡献 38.02 分"
    assert roles["supervising_leader"]["text"] == "分管领导评价（权重20%）：贡献 17.78 分"
    assert roles["principal_leader"]["text"] == "主要领导评价（权重15%）：贡献 14.67 分"
    assert roles["peer"]["text"] == "同级评价（权重15%）：贡献 13.75 分"
    rated = sum(Decimal(line["delta"]) for line in roles.values())
    assert abs(rated - Decimal("7579.5") / 90) < Decimal("1e-18")
    missing = next(line for line in lines if line["kind"] == "missing_role")
    assert missing["text"] == "下级评价（权重10%）：无评价人，其权重按其余评价主体的权重比例分摊"
    credits = [line for line in lines if line["kind"] == "credit"]
    assert [line["text"] for line in credits] == ["加分「加分项」引进项目签约落地：+3.00 分"]
    assert [line["kind"] for line in lines if line["kind"].startswith("deduction")] == [
        "deduction"]
    assert lines[-1]["kind"] == "rounding"
    assert lines[-1]["text"] == "合计 83.2166666666… 分，按四舍五入保留2位小数计为 83.22 分"
    # Dimension scores (training needs): innovation = head 0.5*90 + 0.3*70 + 0.2*85 = 83,
    # (40*83 + 20*80 + 15*88 + 15*82.5) / 90 = 83.0833... -> 83.08
    dims = {d["code"]: d for d in result["dimensionScores"]}
    assert Decimal(dims["innovation"]["score"]) == Decimal("83.08")
    assert dims["innovation"]["name"] == "创新程度"

    # The rounding rule is the tenant's: "down" truncates the same total to 83.21.
    body = api.as_(code, "admin", SETTINGS, {"s": {"rating": {"rounding_mode": "down"}}})
    assert body["data"]["updateTenantSettings"]["userErrors"] == []
    again = api.as_(code, "admin", COMPUTE, {"p": period, "go": True})["data"][
        "computeResults"]
    p006 = next(r for r in again["results"] if r["personId"] == ids["P006"])
    assert Decimal(p006["score"]) == Decimal("83.21")
