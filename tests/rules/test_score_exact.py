"""The score is exact until the one final rounding: compared with an independent Fraction
computation, and the 88.395 case (issue 12) that per-contribution rounding used to get wrong."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.score import compute_score
from rules.scoring import (
    ExplanationKind,
    MissingRaterRule,
    PointItem,
    RatedIndicator,
    Rating,
    RoundingMode,
    RoundingRule,
    ScoringScheme,
    decimal_of,
    exact_text,
)

D = Decimal
ROLES = ("department_head", "supervising_leader", "principal_leader", "peer", "subordinate")
DIMS = ("task_completion", "difficulty", "innovation", "conduct")
WENJIANG = {"department_head": 40, "supervising_leader": 20, "principal_leader": 15,
            "peer": 15, "subordinate": 10}
two_places = st.integers(0, 10000).map(lambda i: D(i).scaleb(-2))
points = st.integers(0, 2000).map(lambda i: D(i).scaleb(-2))


def percents(k: int) -> st.SearchStrategy[list[int]]:
    cuts = st.lists(st.integers(0, 100), min_size=k - 1, max_size=k - 1).map(sorted)
    return cuts.map(lambda c: [b - a for a, b in zip([0, *c], [*c, 100], strict=True)])


def reference_round(value: Fraction, places: int, mode: RoundingMode) -> Fraction:
    """Rounding written independently of ``RoundingRule`` (floor/ceil of Fractions)."""
    scaled = abs(value) * 10**places
    if mode is RoundingMode.down:
        whole = math.floor(scaled)
    elif mode is RoundingMode.half_up:
        whole = math.floor(scaled + Fraction(1, 2))
    else:
        whole = round(scaled)  # Fraction.__round__ rounds half to even
    return Fraction(whole if value >= 0 else -whole, 10**places)


def reference_rated(scheme: ScoringScheme, ratings: list[Rating]) -> Fraction:
    total = Fraction(0)
    for indicator in scheme.indicators:
        for dimension, dimension_weight in scheme.dimensions_of(indicator).items():
            averages: dict[str, Fraction] = {}
            for role in scheme.role_weights:
                mine = [Fraction(r.value) for r in ratings if (r.indicator_code, r.dimension,
                                                               r.rater_role)
                        == (indicator.code, dimension, role)]
                if mine:
                    averages[role] = sum(mine, Fraction(0)) / len(mine)
            if scheme.missing_rater_rule is MissingRaterRule.renormalize:
                whole = sum(scheme.role_weights[role] for role in averages)
            else:
                whole = sum(scheme.role_weights.values())
            if whole == 0:
                continue
            cell = sum((scheme.role_weights[role] * average
                        for role, average in averages.items()), Fraction(0)) / whole
            total += (Fraction(indicator.weight) * dimension_weight * cell) / 10000
    return total * Fraction(scheme.rated_points) / 100


def reference_points(items: list[PointItem], caps: dict[str, Decimal]) -> Fraction:
    by_category: dict[str, Fraction] = {}
    for item in items:
        by_category[item.category] = by_category.get(item.category, Fraction(0)) + \
            Fraction(item.points)
    return sum((min(raw, Fraction(caps[c])) for c, raw in by_category.items()), Fraction(0))


@st.composite
def cases(draw: st.DrawFn) -> tuple[ScoringScheme, list[Rating], list[PointItem],
                                    list[PointItem]]:
    k = draw(st.integers(1, 3))
    dims = DIMS[: draw(st.integers(1, 4))]
    indicators = tuple(
        RatedIndicator(f"i{i}", f"指标{i}", w, dict(zip(dims, draw(percents(len(dims))),
                                                        strict=True)))
        for i, w in enumerate(draw(percents(k))))
    caps = {"a": draw(points), "b": draw(points)}
    scheme = ScoringScheme(
        indicators=indicators,
        role_weights=dict(zip(ROLES, draw(percents(len(ROLES))), strict=True)),
        missing_rater_rule=draw(st.sampled_from(MissingRaterRule)),
        credit_caps=caps, deduction_caps={"a": draw(points), "b": draw(points)},
        rounding=RoundingRule(draw(st.integers(0, 4)), draw(st.sampled_from(RoundingMode))))
    present = [role for role in ROLES if draw(st.booleans())]  # the others have no rater
    ratings = []
    for indicator in indicators:
        for dimension in dims:
            for role in present:
                # A present rater may still leave a cell blank (0 raters for that cell).
                for rater in range(draw(st.integers(0, 3))):
                    ratings.append(Rating(role, f"{role}-{rater}", indicator.code, dimension,
                                          draw(two_places)))
    item = st.builds(PointItem, st.uuids().map(str), st.sampled_from("ab"), points)
    return (scheme, ratings, draw(st.lists(item, max_size=5)), draw(st.lists(item, max_size=5)))


@settings(max_examples=300, deadline=None)
@given(case=cases())
def test_score_equals_an_exact_fraction_computation_then_one_rounding(
        case: tuple[ScoringScheme, list[Rating], list[PointItem], list[PointItem]]) -> None:
    scheme, ratings, credits, deductions = case
    result = compute_score(scheme, ratings, credits, deductions)
    rated = reference_rated(scheme, ratings)
    exact = rated + reference_points(credits, dict(scheme.credit_caps)) - \
        reference_points(deductions, dict(scheme.deduction_caps))
    assert result.exact_rated == rated
    assert result.exact_total == exact
    expected = reference_round(exact, scheme.rounding.places, scheme.rounding.mode)
    assert Fraction(result.total) == expected
    assert result.total.as_tuple().exponent == -scheme.rounding.places
    assert result.explained_total() == exact


def uniform(scheme: ScoringScheme, values: dict[str, list[str]]) -> list[Rating]:
    return [Rating(role, f"{role}-{n}", indicator.code, dimension, D(value))
            for indicator in scheme.indicators for dimension in scheme.dimensions_of(indicator)
            for role, given_values in values.items() for n, value in enumerate(given_values)]


ISSUE_RATINGS = {"department_head": ["88.40"], "supervising_leader": ["88.40"],
                 "principal_leader": ["88.40"], "peer": ["88.37", "88.37", "88.37"]}


def issue_scheme(mode: RoundingMode = RoundingMode.half_up) -> ScoringScheme:
    # Several indicators and dimensions: many contributions, each of them once rounded.
    return ScoringScheme(
        indicators=(RatedIndicator("SJ01", "重点工作", 50), RatedIndicator("SJ02", "日常工作", 30),
                    RatedIndicator("SJ03", "作风建设", 20)),
        role_weights=WENJIANG,
        dimension_weights={"task_completion": 50, "difficulty": 20, "innovation": 15,
                           "conduct": 15},
        rounding=RoundingRule(2, mode))


def test_issue_case_exactly_on_the_half_rounds_up() -> None:
    # (75 * 88.40 + 15 * 88.37) / 90 = 7955.55 / 90 = 88.395 exactly (subordinates missing).
    scheme = issue_scheme()
    result = compute_score(scheme, uniform(scheme, ISSUE_RATINGS))
    assert result.exact_total == Fraction("88.395")
    assert result.unrounded_total == D("88.395")
    assert result.total == D("88.40")
    rounding = result.explanation[-1]
    assert rounding.kind is ExplanationKind.rounding
    assert rounding.text == "合计 88.395 分，按四舍五入保留2位小数计为 88.40 分"
    assert rounding.delta == D("0.005")


@pytest.mark.parametrize(("mode", "expected"), [
    (RoundingMode.half_up, "88.40"), (RoundingMode.half_even, "88.40"),
    (RoundingMode.down, "88.39")])
def test_issue_case_under_each_rounding_mode(mode: RoundingMode, expected: str) -> None:
    scheme = issue_scheme(mode)
    assert compute_score(scheme, uniform(scheme, ISSUE_RATINGS)).total == D(expected)


def test_half_even_on_an_exact_half_goes_to_the_even_neighbour() -> None:
    scheme = issue_scheme(RoundingMode.half_even)
    ratings = {role: ["88.385"] for role in ("department_head", "supervising_leader")}
    # Ratings carry at most 2 decimals in practice; the rule itself takes any decimal.
    result = compute_score(scheme, uniform(scheme, ratings))
    assert result.exact_total == Fraction("88.385")
    assert result.total == D("88.38")


def test_a_total_without_a_finite_decimal_form_is_shown_truncated_with_an_ellipsis() -> None:
    scheme = issue_scheme()
    ratings = {"department_head": ["90"], "supervising_leader": ["80"], "peer": ["80"]}
    # (40 * 90 + 20 * 80 + 15 * 80) / 75 = 6400 / 75 = 85.3333...
    result = compute_score(scheme, uniform(scheme, ratings))
    assert result.exact_total == Fraction(256, 3)
    assert result.total == D("85.33")
    assert result.explanation[-1].text == (
        "合计 85.3333333333… 分，按四舍五入保留2位小数计为 85.33 分")
    assert result.explanation[-1].exact == Fraction("85.33") - Fraction(256, 3)


def test_rounding_rule_is_exact_and_symmetric_for_negative_totals() -> None:
    rule = RoundingRule(2, RoundingMode.half_up)
    assert rule.apply(Fraction(-88395, 1000)) == D("-88.40")
    assert rule.apply(D("-0.005")) == D("-0.01")
    assert RoundingRule(2, RoundingMode.down).apply(Fraction(-1, 3)) == D("-0.33")
    assert RoundingRule(0, RoundingMode.half_even).apply(Fraction(5, 2)) == D(2)
    assert RoundingRule(0, RoundingMode.half_even).apply(Fraction(7, 2)) == D(4)
    assert RoundingRule(3).apply(D("1.0005")) == D("1.001")
    assert rule.display(Fraction(2, 3)) == "0.67"


def test_decimal_of_and_exact_text() -> None:
    assert decimal_of(Fraction("88.395")) == D("88.395")
    assert decimal_of(Fraction(1, 40)) == D("0.025")
    assert decimal_of(Fraction(1, 3)) == D("0.33333333333333333333")
    assert exact_text(Fraction(-1, 3)) == "-0.3333333333…"
    assert exact_text(D("83.20")) == "83.2"
    assert exact_text(Fraction(85)) == "85"
