"""Composite score: worked example, validation, and properties of the explanation and caps."""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.errors import RuleError
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
    compute_score,
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
    assert result.explained_total() == result.unrounded_total


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
    assert result.explained_total() == result.unrounded_total


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


# ---- properties -------------------------------------------------------------------------------

ROLES = tuple(WENJIANG_ROLE_WEIGHTS)
DIMS = ("task_completion", "difficulty", "innovation", "conduct")
values = st.integers(0, 10000).map(lambda i: D(i).scaleb(-2))
points = st.integers(0, 1000).map(lambda i: D(i).scaleb(-2))


def percents(k: int) -> st.SearchStrategy[list[int]]:
    """k whole-percent weights summing to 100."""
    cuts = st.lists(st.integers(0, 100), min_size=k - 1, max_size=k - 1).map(sorted)
    return cuts.map(lambda c: [b - a for a, b in zip([0, *c], [*c, 100], strict=True)])


@st.composite
def schemes(draw: st.DrawFn, rule: MissingRaterRule | None = None) -> ScoringScheme:
    k = draw(st.integers(1, 3))
    weights = draw(percents(k))
    dims = DIMS[: draw(st.integers(1, 4))]
    indicators = tuple(
        RatedIndicator(
            f"i{i}", f"指标{i}", w, dict(zip(dims, draw(percents(len(dims))), strict=True))
        )
        for i, w in enumerate(weights)
    )
    return ScoringScheme(
        indicators=indicators,
        role_weights=dict(zip(ROLES, draw(percents(len(ROLES))), strict=True)),
        missing_rater_rule=rule or draw(st.sampled_from(MissingRaterRule)),
        credit_caps={"a": draw(points), "b": draw(points)},
        deduction_caps={"a": draw(points), "b": draw(points)},
        conduct_cap=draw(st.none() | points),
        rounding=RoundingRule(draw(st.integers(0, 3)), draw(st.sampled_from(RoundingMode))),
    )


@st.composite
def ratings_for(draw: st.DrawFn, scheme: ScoringScheme, roles: tuple[str, ...]) -> list[Rating]:
    result: list[Rating] = []
    for indicator in scheme.indicators:
        for dimension in scheme.dimensions_of(indicator):
            for role in roles:
                for rater in range(draw(st.integers(0, 3))):
                    value = draw(values)
                    result.append(Rating(role, f"{role}-{rater}", indicator.code, dimension, value))
    return result


items = st.lists(
    st.builds(PointItem, st.text("xyz", min_size=1, max_size=3), st.sampled_from("ab"), points),
    max_size=6,
    unique_by=lambda item: item.source_id,
)
findings = st.lists(
    st.builds(
        ConductFinding,
        st.text("fg", min_size=1, max_size=3),
        st.just("作风"),
        points,
        st.booleans(),
    ),
    max_size=4,
)
PROPS = settings(max_examples=150, deadline=None)


@PROPS
@given(data=st.data())
def test_explanation_adds_up_and_caps_hold(data: st.DataObject) -> None:
    scheme = data.draw(schemes())
    ratings = data.draw(ratings_for(scheme, ROLES))
    credits, deductions, conduct = data.draw(items), data.draw(items), data.draw(findings)
    result = compute_score(scheme, ratings, credits, deductions, conduct)

    not_terms = (ExplanationKind.indicator, ExplanationKind.rounding)
    additive = sum((line.delta for line in result.explanation if line.kind not in not_terms), D(0))
    assert additive == result.unrounded_total == result.explained_total()
    summed = result.rated + result.credits - result.deductions - result.conduct
    assert result.unrounded_total == summed
    assert result.total == scheme.rounding.apply(result.unrounded_total)

    def by_kind(kind: ExplanationKind) -> Decimal:
        return sum((line.delta for line in result.explanation if line.kind is kind), D(0))

    assert by_kind(ExplanationKind.indicator) == result.rated
    assert by_kind(ExplanationKind.rater_role) == result.rated
    assert by_kind(ExplanationKind.rounding) == result.total - result.unrounded_total
    assert D(0) <= result.rated <= scheme.rated_points

    for parts, caps, given_items in (
        (result.credit_parts, scheme.credit_caps, credits),
        (result.deduction_parts, scheme.deduction_caps, deductions),
    ):
        for category, part in parts.items():
            raw = sum((i.points for i in given_items if i.category == category), D(0))
            assert part == min(raw, caps[category]) <= caps[category]
    raw_conduct = sum((f.points for f in conduct), D(0))
    cap = scheme.conduct_cap
    assert result.conduct == (raw_conduct if cap is None else min(raw_conduct, cap))
    assert result.serious_conduct_breach == any(f.serious for f in conduct)


@PROPS
@given(data=st.data(), seed=st.integers(0, 2**16))
def test_same_inputs_in_any_order_give_the_same_score(data: st.DataObject, seed: int) -> None:
    scheme = data.draw(schemes())
    ratings = data.draw(ratings_for(scheme, ROLES))
    credits, deductions, conduct = data.draw(items), data.draw(items), data.draw(findings)
    expected = compute_score(scheme, ratings, credits, deductions, conduct)
    shuffler = random.Random(seed)
    for sequence in (ratings, credits, deductions, conduct):
        shuffler.shuffle(sequence)
    assert compute_score(scheme, ratings, credits, deductions, conduct) == expected


@PROPS
@given(data=st.data())
def test_renormalize_never_below_zero_rule_and_equal_when_nobody_missing(
    data: st.DataObject,
) -> None:
    scheme = data.draw(schemes(MissingRaterRule.renormalize))
    present = tuple(r for r in ROLES if data.draw(st.booleans(), label=f"has {r}"))
    ratings = data.draw(ratings_for(scheme, present))
    zero_scheme = replace(scheme, missing_rater_rule=MissingRaterRule.zero)
    renormalized = compute_score(scheme, ratings)
    zeroed = compute_score(zero_scheme, ratings)
    assert renormalized.rated >= zeroed.rated
    assert renormalized.missing_roles == zeroed.missing_roles
    cells_complete = all(
        any(
            r.indicator_code == i.code and r.dimension == d and r.rater_role == role
            for r in ratings
        )
        for i in scheme.indicators
        for d in scheme.dimensions_of(i)
        for role, weight in scheme.role_weights.items()
        if weight > 0
    )
    if cells_complete:
        assert renormalized.rated == zeroed.rated


@PROPS
@given(data=st.data(), value=values)
def test_uniform_ratings_documented_behaviour(data: st.DataObject, value: Decimal) -> None:
    # Everyone present rates `value` everywhere: renormalize gives `value` whoever is missing;
    # zero gives value * (weights present) / 100.
    scheme = data.draw(schemes(MissingRaterRule.renormalize))
    present = tuple(r for r in ROLES if data.draw(st.booleans(), label=f"has {r}"))
    ratings = [
        Rating(role, role, i.code, d, value)
        for i in scheme.indicators
        for d in scheme.dimensions_of(i)
        for role in present
    ]
    present_weight = sum(scheme.role_weights[r] for r in present)
    renormalized = compute_score(scheme, ratings)
    zero_scheme = replace(scheme, missing_rater_rule=MissingRaterRule.zero)
    zeroed = compute_score(zero_scheme, ratings)
    tolerance = D("1e-10")
    if present_weight > 0:
        assert abs(renormalized.rated - value) < tolerance
    else:
        assert renormalized.rated == 0
    assert abs(zeroed.rated - value * present_weight / 100) < tolerance
    assert set(zeroed.missing_roles) == set(ROLES) - set(present)
