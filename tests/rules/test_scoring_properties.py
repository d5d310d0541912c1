"""Composite score: properties of the explanation, the caps and the missing-rater rule."""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

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
ROLES = ("department_head", "supervising_leader", "principal_leader", "peer", "subordinate")
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
    additive = sum((line.value for line in result.explanation if line.kind not in not_terms),
                   Fraction(0))
    assert additive == result.exact_total == result.explained_total()
    summed = (result.exact_rated + Fraction(result.credits) - Fraction(result.deductions)
              - Fraction(result.conduct))
    assert result.exact_total == summed
    assert result.total == scheme.rounding.apply(result.exact_total)
    # The Decimal fields are the exact values wherever those have a finite decimal form.
    assert abs(Fraction(result.unrounded_total) - result.exact_total) <= Fraction(1, 10**20)
    assert abs(Fraction(result.rated) - result.exact_rated) <= Fraction(1, 10**20)

    def by_kind(kind: ExplanationKind) -> Fraction:
        return sum((line.value for line in result.explanation if line.kind is kind),
                   Fraction(0))

    assert by_kind(ExplanationKind.indicator) == result.exact_rated
    assert by_kind(ExplanationKind.rater_role) == result.exact_rated
    assert by_kind(ExplanationKind.rounding) == Fraction(result.total) - result.exact_total
    assert 0 <= result.exact_rated <= scheme.rated_points

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
    assert renormalized.exact_rated >= zeroed.exact_rated
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
        assert renormalized.exact_rated == zeroed.exact_rated


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
    if present_weight > 0:
        assert renormalized.exact_rated == value
    else:
        assert renormalized.exact_rated == 0
    assert zeroed.exact_rated == Fraction(value) * present_weight / 100
    assert set(zeroed.missing_roles) == set(ROLES) - set(present)
