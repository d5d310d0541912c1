"""Composite score: worked example and validation (properties in test_scoring_properties)."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from rules.errors import RuleError
from rules.score import compute_score
from rules.scoring import (
    ConductFinding,
    ExplanationKind,
    MissingRaterRule,
    PointItem,
    RatedIndicator,
    Rating,
    RoundingMode,
    RoundingRule,
    ScoringScheme,
)

D = Decimal
# 温江高新区: the department head weighs more than the supervising and principal leaders.
WENJIANG_ROLE_WEIGHTS = {
    "department_head": 40,
    "supervising_leader": 20,
    "principal_leader": 15,
    "peer": 15,
    "subordinate": 10,
}
INDICATORS = (
    RatedIndicator("key_tasks", "重点工作任务", 70),
    RatedIndicator("investment", "招商引资", 30),
)
DIMENSIONS = {"task_completion": 60, "innovation": 40}


def wenjiang_scheme(**overrides: object) -> ScoringScheme:
    settings_: dict[str, object] = {
        "indicators": INDICATORS,
        "role_weights": WENJIANG_ROLE_WEIGHTS,
        "dimension_weights": DIMENSIONS,
        "credit_caps": {"investment_deal": D(5), "commendation": D(2)},
        "deduction_caps": {"error_notice": D(3)},
        "category_labels": {"investment_deal": "招商引资签约", "commendation": "点赞事项"},
    }
    settings_.update(overrides)
    return ScoringScheme(**settings_)  # type: ignore[arg-type]


def uniform(role: str, rater: str, value: str) -> list[Rating]:
    """One rater giving the same value on every indicator and dimension."""
    return [
        Rating(role, rater, indicator.code, dimension, D(value))
        for indicator in INDICATORS
        for dimension in DIMENSIONS
    ]


def wenjiang_ratings(*, with_subordinates: bool = True) -> list[Rating]:
    ratings = [
        Rating("department_head", "head", "key_tasks", "task_completion", D(90)),
        Rating("department_head", "head", "key_tasks", "innovation", D(80)),
        Rating("department_head", "head", "investment", "task_completion", D(85)),
        Rating("department_head", "head", "investment", "innovation", D(85)),
        *uniform("supervising_leader", "vice", "80"),
        *uniform("principal_leader", "chief", "85"),
        *uniform("peer", "peer-1", "90"),
        *uniform("peer", "peer-2", "75"),
    ]
    if with_subordinates:
        ratings += [*uniform("subordinate", "sub-1", "95"), *uniform("subordinate", "sub-2", "88")]
    return ratings


CREDITS = [
    PointItem("lead-1", "investment_deal", D(3), "引进项目签约"),
    PointItem("lead-2", "investment_deal", D(3), "引进项目签约"),
    PointItem("praise-1", "commendation", D("0.5"), "获通报表扬"),
]
DEDUCTIONS = [PointItem("notice-1", "error_notice", D(1), "错情通报")]
CONDUCT = [ConductFinding("finding-1", "作风纪律", D("0.51"), reason="会议迟到")]


def test_wenjiang_worked_example_by_hand() -> None:
    # Indicators: 重点工作任务 70%, 招商引资 30%; dimensions: task completion 60%, innovation 40%.
    #
    # Department head (40%): key_tasks 0.6*90 + 0.4*80 = 86; investment 0.6*85 + 0.4*85 = 85;
    #   indicators 0.7*86 + 0.3*85 = 60.2 + 25.5 = 85.7;        contribution 0.40*85.7 = 34.28
    # Supervising leader (20%): 80 everywhere                    contribution 0.20*80   = 16.00
    # Principal leader (15%): 85 everywhere                      contribution 0.15*85   = 12.75
    # Peers (15%): two raters, 90 and 75, averaged first = 82.5  contribution 0.15*82.5 = 12.375
    # Subordinates (10%): two raters, 95 and 88 -> 91.5          contribution 0.10*91.5 = 9.15
    # Rated part = 34.28 + 16 + 12.75 + 12.375 + 9.15                                  = 84.555
    #
    # Credits: investment deals 3 + 3 = 6, capped at 5; commendation 0.5  -> credits    = 5.5
    # Deductions: one error notice                                         -> deductions = 1
    # Conduct standards (judged first): one non-serious finding            -> conduct    = 0.51
    # Total before rounding = 84.555 + 5.5 - 1 - 0.51                                  = 88.545
    # Rounding once, 2 places half_up: 88.545 -> 88.55 (half_even and down would give 88.54).
    result = compute_score(
        wenjiang_scheme(), wenjiang_ratings(), CREDITS, DEDUCTIONS, CONDUCT, person_id="p-1"
    )
    assert result.rated == D("84.555")
    assert result.credits == D("5.5")
    assert result.deductions == D(1)
    assert result.conduct == D("0.51")
    assert result.unrounded_total == D("88.545")
    assert result.total == D("88.55")
    assert str(result.total) == "88.55"
    assert not result.serious_conduct_breach
    assert result.missing_roles == ()
    assert result.credit_parts == {"investment_deal": D(5), "commendation": D("0.5")}

    by_role = {
        line.source: line.delta
        for line in result.explanation
        if line.kind is ExplanationKind.rater_role
    }
    assert by_role == {
        "department_head": D("34.28"),
        "supervising_leader": D(16),
        "principal_leader": D("12.75"),
        "peer": D("12.375"),
        "subordinate": D("9.15"),
    }
    texts = [line.text for line in result.explanation]
    assert "部门主要负责人评价（权重40%）：贡献 34.28 分" in texts
    assert "同级评价（权重15%）：贡献 12.38 分" in texts  # display only; the part stays 12.375

    # By indicator: key_tasks role scores 86, 80, 85, 82.5, 91.5 -> 0.4*86 + 0.2*80 + 0.15*85
    # + 0.15*82.5 + 0.1*91.5 = 84.675, times 70% = 59.2725; investment 84.275 * 30% = 25.2825.
    by_indicator = {
        line.source: line.delta
        for line in result.explanation
        if line.kind is ExplanationKind.indicator
    }
    assert by_indicator == {"key_tasks": D("59.2725"), "investment": D("25.2825")}
    assert "指标「重点工作任务」（权重70%）：贡献 59.27 分" in texts

    assert "加分类别「招商引资签约」超出上限 5.00 分，超出的 1.00 分不计" in texts
    assert result.explanation[0].kind is ExplanationKind.conduct  # conduct judged first
    assert result.explanation[-1].kind is ExplanationKind.rounding
    assert result.explanation[-1].delta == D("0.005")
    assert result.explained_total() == D("88.545")


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        (RoundingMode.half_up, "88.55"),
        (RoundingMode.half_even, "88.54"),
        (RoundingMode.down, "88.54"),
    ],
)
def test_rounding_mode_is_a_setting(mode: RoundingMode, expected: str) -> None:
    scheme = wenjiang_scheme(rounding=RoundingRule(2, mode))
    result = compute_score(scheme, wenjiang_ratings(), CREDITS, DEDUCTIONS, CONDUCT)
    assert result.total == D(expected)
    assert result.unrounded_total == D("88.545")


def test_rounding_places() -> None:
    scheme = wenjiang_scheme(rounding=RoundingRule(1, RoundingMode.half_up))
    result = compute_score(scheme, wenjiang_ratings(), CREDITS, DEDUCTIONS, CONDUCT)
    assert result.total == D("88.5")
    assert "贡献 34.3 分" in result.explanation[1].text


def test_missing_subordinates_zero_rule() -> None:
    # "zero": the 10% of the missing subordinates counts as 0:
    # rated = 34.28 + 16 + 12.75 + 12.375 = 75.405; total = 75.405 + 5.5 - 1 - 0.51 = 79.395
    # -> 79.40 (half_up).
    scheme = wenjiang_scheme(missing_rater_rule=MissingRaterRule.zero)
    result = compute_score(
        scheme, wenjiang_ratings(with_subordinates=False), CREDITS, DEDUCTIONS, CONDUCT
    )
    assert result.rated == D("75.405")
    assert result.total == D("79.40")
    assert result.missing_roles == ("subordinate",)
    assert "下级评价（权重10%）：无评价人，按0分计" in [line.text for line in result.explanation]


def test_missing_subordinates_renormalize_rule() -> None:
    # "renormalize": the present roles share the weight: 75.405 / 0.90 = 83.78333...;
    # total = 83.78333... + 5.5 - 1 - 0.51 = 87.77333... -> 87.77.
    scheme = wenjiang_scheme(missing_rater_rule=MissingRaterRule.renormalize)
    result = compute_score(
        scheme, wenjiang_ratings(with_subordinates=False), CREDITS, DEDUCTIONS, CONDUCT
    )
    assert abs(result.rated - D("75.405") / D("0.9")) < D("1e-10")
    assert result.total == D("87.77")
    assert result.missing_roles == ("subordinate",)
    texts = [line.text for line in result.explanation]
    assert "下级评价（权重10%）：无评价人，其权重按其余评价主体的权重比例分摊" in texts
    assert result.explained_total() == result.exact_total


def test_several_raters_of_a_role_are_averaged_first() -> None:
    # Three subordinates 95, 88, 70 average 84.333...; contribution 8.4333... instead of 9.15.
    ratings = [
        *wenjiang_ratings(with_subordinates=False),
        *uniform("subordinate", "sub-1", "95"),
        *uniform("subordinate", "sub-2", "88"),
        *uniform("subordinate", "sub-3", "70"),
    ]
    result = compute_score(wenjiang_scheme(), ratings)
    subordinate = next(line for line in result.explanation if line.source == "subordinate")
    assert abs(subordinate.delta - D(253) / 30) < D("1e-10")
    assert result.total == D("83.84")  # 75.405 + 8.4333... = 83.8383...


def test_rated_points_scale_the_rated_part() -> None:
    scheme = wenjiang_scheme(rated_points=D(80))
    result = compute_score(scheme, wenjiang_ratings())
    assert result.rated == D("84.555") * D("0.8")
    assert result.total == D("67.64")  # 67.644


def test_serious_conduct_breach_is_flagged_whatever_the_points() -> None:
    findings = [ConductFinding("f-1", "政治纪律", D(0), serious=True, reason="不当言论")]
    result = compute_score(wenjiang_scheme(), wenjiang_ratings(), conduct=findings)
    assert result.serious_conduct_breach
    assert result.explanation[0].text == (
        "政治素质负面清单「政治纪律」不当言论：-0.00 分（严重问题，等次将受限）"
    )


def test_conduct_cap_and_separate_from_deduction_caps() -> None:
    findings = [
        ConductFinding("f-1", "作风纪律", D(4)),
        ConductFinding("f-2", "廉洁纪律", D(3)),
    ]
    deductions = [PointItem(f"n-{i}", "error_notice", D(2)) for i in range(3)]
    scheme = wenjiang_scheme(conduct_cap=D(5))
    result = compute_score(scheme, wenjiang_ratings(), deductions=deductions, conduct=findings)
    assert result.conduct == D(5)
    assert result.deductions == D(3)  # 6 capped at 3, conduct not absorbed by it
    assert result.unrounded_total == D("84.555") - 3 - 5
    assert result.explained_total() == result.exact_total


def test_input_order_does_not_matter() -> None:
    ratings = wenjiang_ratings()
    expected = compute_score(wenjiang_scheme(), ratings, CREDITS, DEDUCTIONS, CONDUCT)
    shuffled = list(ratings)
    random.Random(7).shuffle(shuffled)
    again = compute_score(wenjiang_scheme(), shuffled, list(reversed(CREDITS)), DEDUCTIONS, CONDUCT)
    assert again == expected


def test_no_ratings_at_all() -> None:
    result = compute_score(wenjiang_scheme(), [], CREDITS)
    assert result.rated == 0
    assert result.total == D("5.50")
    assert set(result.missing_roles) == set(WENJIANG_ROLE_WEIGHTS)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"role_weights": {**WENJIANG_ROLE_WEIGHTS, "peer": 10}}, "评价主体权重合计应为100%"),
        ({"role_weights": {"department_head": 110, "peer": -10}}, "不能为负数"),
        ({"indicators": (RatedIndicator("a", "甲", 50),)}, "评价指标权重合计应为100%"),
        ({"indicators": ()}, "评价指标不能为空"),
        ({"indicators": (INDICATORS[0], RatedIndicator("key_tasks", "重复", 30))}, "编码重复"),
        ({"dimension_weights": {"task_completion": 90}}, "维度权重合计应为100%"),
        ({"dimension_weights": {}}, "未配置评价维度"),
        ({"credit_caps": {"investment_deal": D(-1)}}, "上限不能为负数"),
        ({"deduction_caps": {"error_notice": D("NaN")}}, "不是有效数值"),
        ({"conduct_cap": D(-2)}, "上限不能为负数"),
        ({"rated_points": D(0)}, "必须大于0"),
    ],
)
def test_invalid_scheme_is_refused(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(RuleError, match=message):
        wenjiang_scheme(**overrides)


def test_invalid_rounding_is_refused() -> None:
    with pytest.raises(RuleError, match="保留小数位数"):
        RoundingRule(places=-1)


def test_per_indicator_dimensions_override_the_scheme() -> None:
    scheme = wenjiang_scheme(
        indicators=(
            RatedIndicator("key_tasks", "重点工作任务", 70),
            RatedIndicator("investment", "招商引资", 30, {"difficulty": 100}),
        )
    )
    ratings = [
        Rating("department_head", "h", "key_tasks", "task_completion", D(100)),
        Rating("department_head", "h", "key_tasks", "innovation", D(100)),
        Rating("department_head", "h", "investment", "difficulty", D(50)),
    ]
    result = compute_score(scheme, ratings)
    assert result.rated == D(85)  # renormalize: 0.7*100 + 0.3*50
    with pytest.raises(RuleError, match="没有评价维度"):
        compute_score(scheme, [Rating("peer", "x", "investment", "innovation", D(1))])


@pytest.mark.parametrize(
    ("rating", "message"),
    [
        (Rating("peer", "x", "key_tasks", "innovation", D(101)), "评分应在0到100之间"),
        (Rating("peer", "x", "key_tasks", "innovation", D(-1)), "评分应在0到100之间"),
        (Rating("peer", "x", "key_tasks", "innovation", D("sNaN")), "不是有效数值"),
        (Rating("peer", "x", "nope", "innovation", D(1)), "不在本期指标体系中"),
        (Rating("peer", "x", "key_tasks", "nope", D(1)), "没有评价维度"),
        (Rating("cousin", "x", "key_tasks", "innovation", D(1)), "未配置权重"),
        (Rating("peer", "p-1", "key_tasks", "innovation", D(1)), "不能对本人进行评价"),
    ],
)
def test_invalid_rating_is_refused(rating: Rating, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        compute_score(wenjiang_scheme(), [rating], person_id="p-1")


def test_duplicate_rating_is_refused() -> None:
    rating = Rating("peer", "x", "key_tasks", "innovation", D(1))
    with pytest.raises(RuleError, match="重复评分"):
        compute_score(wenjiang_scheme(), [rating, rating])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"credits": [PointItem("c", "unknown", D(1))]}, "未配置上限"),
        ({"credits": [PointItem("c", "commendation", D(-1))]}, "不能为负数"),
        ({"deductions": [PointItem("d", "error_notice", D(-1))]}, "不能为负数"),
        ({"conduct": [ConductFinding("f", "x", D(-1))]}, "不能为负数"),
    ],
)
def test_invalid_points_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(RuleError, match=message):
        compute_score(wenjiang_scheme(), [], **kwargs)  # type: ignore[arg-type]


def test_rule_error_is_a_value_error() -> None:
    assert issubclass(RuleError, ValueError)
