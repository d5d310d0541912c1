"""Issue 12, "exact to the end", through the API: ratings giving exactly 88.395 score 88.40 under
the default half-up rule (they were shown 88.39 when each contribution was rounded first)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from fractions import Fraction
from typing import Any

from jixiao.settings import Settings
from models import PersonResult
from resolvers.appraisal.grading import explanation_json, rank_input
from resolvers.appraisal.scoring import PersonScore
from rules.ranking import RankInput
from rules.score import compute_score
from rules.scoring import RatedIndicator, Rating, RoundingRule, ScoringScheme
from tests.conftest import Api
from tests.test_ratings_support import (
    COMPUTE,
    FORM,
    SAVE,
    advance,
    create_period,
    generate,
    people,
    publish_template,
    rate_all,
)

WEIGHTS = {"department_head": 40, "supervising_leader": 20, "principal_leader": 15,
           "peer": 15, "subordinate": 10}
SETTINGS = ("mutation($s:JSON!){ updateTenantSettings(settings:$s, reason:\"权重\") "
            "{ userErrors { code message } } }")
RESULT = ("query($p:ID!,$q:ID!){ personResult(periodId:$p, personId:$q) { score "
          "explanation { kind source delta text } } }")
ADD = ("mutation($i:RaterAssignmentInput!){ addRaterAssignment(input:$i) "
       "{ userErrors { message } } }")
REMOVE = "mutation($id:ID!){ removeRaterAssignment(id:$id) { removedId } }"


def test_exactly_half_a_cent_rounds_up_through_the_api(
        api: Api, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=12, kind="industrial_park")
    # Only the weights: the missing-rater rule and the rounding stay the defaults.
    body = api.as_(code, "admin", SETTINGS, {"s": {"rating": {"role_weights": WEIGHTS}}})
    assert body["data"]["updateTenantSettings"]["userErrors"] == []
    publish_template(settings, code)  # SJ01 50, SJ02 30, SJ03 20; four dimensions
    ids = people(settings, code)
    period = create_period(api, code)
    advance(api, code, period, "declaring")
    # P006: department head P004, supervising leader P002, principal leader P001; exactly three
    # peers (P007, P008, P005), no subordinates.
    peers = {ids["P007"], ids["P008"], ids["P005"]}
    for assignment in generate(api, code, period):
        if assignment["personId"] == ids["P006"] and assignment["role"] == "peer" and \
                assignment["raterId"] not in peers:
            api.as_(code, "admin", REMOVE, {"id": assignment["id"]})
        elif assignment["personId"] == ids["P006"] and assignment["role"] == "peer":
            peers.discard(assignment["raterId"])
    for rater in peers:
        added = api.as_(code, "admin", ADD, {"i": {"periodId": period, "personId": ids["P006"],
                                                   "raterId": rater, "role": "peer"}})
        assert added["data"]["addRaterAssignment"]["userErrors"] == []
    advance(api, code, period, "rating")
    rate_all(settings, code, period, lambda _: Decimal(80))  # everyone rated, nobody missing

    def rate(user: str, value: str) -> None:
        form = api.as_(code, user, FORM, {"p": period, "q": ids["P006"]})["data"]["ratingForm"]
        cells = [{"indicatorId": i["id"], "dimension": d["code"], "value": value}
                 for i in form["indicators"] for d in form["dimensions"]]
        saved = api.as_(code, user, SAVE, {"i": {"periodId": period, "personId": ids["P006"],
                                                 "cells": cells}})
        assert saved["data"]["saveRatings"]["userErrors"] == [], saved

    for user in ("kezhang", "fenguan", "leader"):
        rate(user, "88.40")
    for user in ("ganbu2", "ganbu3", "kezhang2"):
        rate(user, "88.37")
    advance(api, code, period, "reviewing")

    computed = api.as_(code, "admin", COMPUTE, {"p": period})["data"]["computeResults"]
    assert computed["userErrors"] == []
    # (75 * 88.40 + 15 * 88.37) / 90 = 88.395 exactly -> half up 88.40.
    result = api.as_(code, "admin", RESULT, {"p": period, "q": ids["P006"]})["data"][
        "personResult"]
    assert Decimal(result["score"]) == Decimal("88.40")
    lines = result["explanation"]
    assert [line["source"] for line in lines if line["kind"] == "missing_role"] == ["subordinate"]
    assert lines[-1]["kind"] == "rounding"
    assert lines[-1]["text"] == "合计 88.395 分，按四舍五入保留2位小数计为 88.40 分"
    assert Decimal(lines[-1]["delta"]) == Decimal("0.005")


def test_the_review_rebuilds_the_rated_part_exactly_from_the_stored_lines() -> None:
    # Rated parts without a finite decimal form: their stored deltas are rounded, their exact
    # values kept beside; the rebuilt tie-break equals the one used when computing.
    scheme = ScoringScheme(indicators=(RatedIndicator("SJ01", "重点工作", 100),),
                           role_weights=WEIGHTS, dimension_weights={"task_completion": 100})
    ratings = [Rating(role, role, "SJ01", "task_completion", Decimal(value))
               for role, value in (("department_head", "88.40"), ("supervising_leader", "88.40"),
                                   ("principal_leader", "88.40"), ("peer", "88.37"))]
    result = compute_score(scheme, ratings)
    assert result.exact_rated == Fraction("88.395")
    lines = explanation_json(PersonScore(None, result, ()),  # type: ignore[arg-type]
                             RoundingRule(), {})
    head = next(line for line in lines if line["source"] == "department_head")
    assert Fraction(head["exact"]) == Fraction(40, 90) * Fraction("88.40")
    row = PersonResult(person_id=uuid.uuid4(), score=result.total, explanation=lines,
                       comparison_group="staff")
    rebuilt = rank_input(row, 2)
    computed = RankInput.from_score(str(row.person_id), result, "staff")
    assert (rebuilt.score, rebuilt.rated) == (computed.score, computed.rated) == (
        Decimal("88.40"), Decimal("88.395"))
