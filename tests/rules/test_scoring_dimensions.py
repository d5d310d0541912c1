"""Scoring extensions for the pinned schemes: dimensions rated by some rater roles only (黄水镇's
协同配合), exact decimal indicator weights (letters renormalized), and per-indicator point caps."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.errors import RuleError
from rules.score import compute_score
from rules.scoring import (
    ExplanationKind,
    MissingRaterRule,
    PointItem,
    RatedIndicator,
    Rating,
    ScoringScheme,
)

D = Decimal
WEIGHTS = {"department_head": 30, "supervising_leader": 15, "principal_leader": 15, "peer": 15,
           "subordinate": 10, "external_rater": 15}
DIMS = {"task_completion": 85, "cooperation": 15}


def township(**overrides: object) -> ScoringScheme:
    values: dict[str, object] = {
        "indicators": (RatedIndicator("SJ01", "岗位职责履行", 100),),
        "role_weights": WEIGHTS, "dimension_weights": DIMS,
        "dimension_roles": {"cooperation": ("peer", "external_rater"),
                            "task_completion": ("department_head", "supervising_leader",
                                                "principal_leader", "peer", "subordinate")},
    }
    values.update(overrides)
    return ScoringScheme(**values)  # type: ignore[arg-type]


def test_a_dimension_rated_by_peers_and_external_raters_only() -> None:
    # cooperation: peer 15 and external 15 make its whole: (15*80 + 15*100) / 30 = 90
    # task completion: the five internal roles, the head missing (renormalize):
    #   (15*70 + 15*70 + 15*70 + 10*70) / 55 = 70
    ratings = [Rating("peer", "a", "SJ01", "cooperation", D(80)),
               Rating("external_rater", "c", "SJ01", "cooperation", D(100))]
    ratings += [Rating(role, role, "SJ01", "task_completion", D(70))
                for role in ("supervising_leader", "principal_leader", "peer", "subordinate")]
    result = compute_score(township(), ratings)
    assert abs(result.rated - (D("0.85") * 70 + D("0.15") * 90)) < D("1e-9")  # 1/55 inexact
    assert result.total == D("73.00")
    assert result.missing_roles == ("department_head",)


def test_zero_rule_counts_missing_listed_roles_only() -> None:
    scheme = township(missing_rater_rule=MissingRaterRule.zero)
    ratings = [Rating("peer", "a", "SJ01", "cooperation", D(80))]
    result = compute_score(scheme, ratings)
    # cooperation: the external raters (listed) count 0: 15*80/30 = 40; task completion: 0
    assert result.rated == D("0.15") * 40


def test_a_role_rating_a_dimension_it_does_not_rate_is_refused() -> None:
    with pytest.raises(RuleError, match="外部评价人不评价维度"):
        compute_score(township(), [Rating("external_rater", "c", "SJ01", "task_completion",
                                          D(90))])


@pytest.mark.parametrize(("roles", "message"), [
    ({"cooperation": ("cousin",)}, "未配置权重"),
    ({"cooperation": ()}, "没有权重大于0的评价主体"),
])
def test_invalid_dimension_roles(roles: dict[str, tuple[str, ...]], message: str) -> None:
    with pytest.raises(RuleError, match=message):
        township(dimension_roles=roles)


def test_decimal_indicator_weights_must_sum_to_exactly_100() -> None:
    third = D("33.3333333333")
    indicators = (RatedIndicator("a", "甲", third), RatedIndicator("b", "乙", third),
                  RatedIndicator("c", "丙", D("33.3333333334")))
    scheme = township(indicators=indicators)
    result = compute_score(scheme, [Rating("peer", "p", code, "cooperation", D(60))
                                    for code in "abc"])
    assert abs(result.rated - D("0.15") * 60) < D("1e-9")
    assert "指标「甲」（权重33.33%）：贡献 3.00 分" in [line.text for line in result.explanation]
    with pytest.raises(RuleError, match="评价指标权重合计应为100%"):
        township(indicators=(*indicators[:2], RatedIndicator("c", "丙", third)))


def test_an_indicator_cap_applies_before_its_category_cap() -> None:
    # 项目招引 3 points a signed deal, at most 12; the credit category at most 15.
    scheme = township(credit_caps={"JF": D(15)}, indicator_caps={"JF01": D(12)},
                      category_labels={"JF": "加分项", "JF01": "项目招引"})
    deals = [PointItem(f"d{i}", "JF", D(3), "签约落地", "JF01") for i in range(5)]
    honours = [PointItem("h1", "JF", D(2), "上级表彰", "JF02"),
               PointItem("h2", "JF", D(2), "上级表彰", "JF02")]
    result = compute_score(scheme, [], credits=deals)
    assert result.credits == D(12)
    assert "加分项目「项目招引」超出上限 12.00 分，超出的 3.00 分不计" in [
        line.text for line in result.explanation]
    both = compute_score(scheme, [], credits=deals + honours)
    assert both.credits == D(15)  # 12 + 4 = 16, then the category's 15
    assert both.explained_total() == both.exact_total
    kinds = [line.kind for line in both.explanation]
    assert kinds.count(ExplanationKind.credit_cap) == 2


# ---- property: restricted dimensions keep the documented uniform behaviour ---------------------

PROPS = settings(max_examples=150, deadline=None)


@PROPS
@given(present=st.sets(st.sampled_from(sorted(WEIGHTS))), value=st.integers(0, 100))
def test_uniform_ratings_give_the_value_under_renormalize(present: set[str], value: int) -> None:
    scheme = township()
    ratings = [Rating(role, role, "SJ01", dim, D(value))
               for dim in DIMS for role in present if role in scheme.roles_of(dim)]
    result = compute_score(scheme, ratings)
    rated_dims = {r.dimension for r in ratings}
    expected = sum((D(DIMS[d]) / 100 * value for d in rated_dims), D(0))
    assert abs(result.rated - expected) < D("1e-9")
    assert result.explained_total() == result.exact_total
