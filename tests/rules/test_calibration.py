"""Calibration (校准): raters' leniency, department distributions and the normalisation, by hand
and by properties."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.calibration import (
    GivenRating,
    department_distributions,
    grade_counts,
    normaliser,
    rater_calibration,
    spread,
    square_root,
)
from rules.errors import RuleError
from vocab.calibration import RaterTendency

SCALE = ("good", "fairly_good", "average", "poor")


def given_by(rater: str, role: str, *values: str) -> list[GivenRating]:
    return [GivenRating(rater, role, Decimal(v)) for v in values]


def test_spread_is_exact() -> None:
    s = spread([Decimal(80), Decimal(90), Decimal(85)])
    assert (s.count, s.mean, s.variance) == (3, Fraction(85), Fraction(50, 3))
    assert spread([Decimal(70), Decimal(90)]).deviation == 10


def test_square_root_exact_when_rational_else_sixty_digits() -> None:
    assert square_root(Fraction(9, 4)) == Fraction(3, 2)
    root = square_root(Fraction(2))
    assert abs(root * root - 2) < Fraction(1, 10**55)
    with pytest.raises(RuleError):
        square_root(Fraction(-1))


def test_one_lenient_rater_flagged_by_hand() -> None:
    # peers: a 80 80 80 | b 78 80 82 | c 92 92 92. Unit of peers: 9 values, mean 84,
    # deviations (-4)x3, -6,-4,-2, 8x3: squares 16x3 + 36+16+4 + 64x3 = 296, variance 296/9,
    # sd ~5.73. c: (92-84)^2 = 64 > 296/9 ~ 32.9 -> lenient; a and b: 16 < 32.9 -> typical.
    # The department head (one, alone in the role) is the unit of the role: typical.
    ratings = (given_by("a", "peer", "80", "80", "80") + given_by("b", "peer", "78", "80", "82")
               + given_by("c", "peer", "92", "92", "92")
               + given_by("h", "department_head", "60", "70", "99"))
    rows = {(r.rater_id, r.role): r for r in rater_calibration(ratings, flag_z=Decimal(1),
                                                                min_ratings=3)}
    assert {k: r.tendency for k, r in rows.items()} == {
        ("a", "peer"): RaterTendency.typical, ("b", "peer"): RaterTendency.typical,
        ("c", "peer"): RaterTendency.lenient,
        ("h", "department_head"): RaterTendency.typical}
    c = rows[("c", "peer")]
    assert (c.unit.mean, c.unit.variance, c.difference) == (
        Fraction(84), Fraction(296, 9), Fraction(8))
    z = c.z
    assert z is not None
    assert Fraction(139, 100) < z < Fraction(140, 100)


def test_strict_rater_and_too_few_ratings() -> None:
    ratings = (given_by("a", "peer", "90", "90", "90") + given_by("b", "peer", "91", "89", "90")
               + given_by("s", "peer", "70", "70", "72") + given_by("x", "peer", "50"))
    tendencies = {r.rater_id: r.tendency
                  for r in rater_calibration(ratings, flag_z=Decimal("0.5"), min_ratings=3)}
    assert tendencies["s"] is RaterTendency.strict
    assert tendencies["x"] is RaterTendency.too_few


def test_exactly_at_the_distance_is_not_flagged() -> None:
    # a 70 70, b 90 90: unit mean 80, variance 100, sd 10; each rater 10 away = 1.0 sd.
    ratings = given_by("a", "peer", "70", "70") + given_by("b", "peer", "90", "90")
    assert {r.tendency for r in rater_calibration(ratings, flag_z=Decimal(1),
                                                  min_ratings=1)} == {RaterTendency.typical}
    assert {r.tendency for r in rater_calibration(ratings, flag_z=Decimal("0.99"),
                                                  min_ratings=1)} == {
        RaterTendency.lenient, RaterTendency.strict}


def test_no_flag_when_everybody_agrees() -> None:
    ratings = given_by("a", "peer", "85", "85") + given_by("b", "peer", "85")
    rows = rater_calibration(ratings, flag_z=Decimal(0), min_ratings=1)
    assert {r.tendency for r in rows} == {RaterTendency.typical}
    assert all(r.z is None for r in rows)


def test_invalid_settings_refused() -> None:
    with pytest.raises(RuleError):
        rater_calibration([], flag_z=Decimal(-1), min_ratings=1)
    with pytest.raises(RuleError):
        rater_calibration([], flag_z=Decimal(1), min_ratings=0)
    with pytest.raises(RuleError):
        rater_calibration(given_by("a", "peer", "NaN"), flag_z=Decimal(1), min_ratings=1)


def test_normalisation_by_hand() -> None:
    # peers: a 70 90 (mean 80, var 100, sd 10), b 84 88 (mean 86, var 4, sd 2).
    # unit: 70 90 84 88: mean 83, var (169 + 49 + 1 + 25)/4 = 61, sd sqrt(61).
    # b's 84 -> 83 + (84 - 86) * sqrt(61)/2 = 83 - sqrt(61).
    ratings = given_by("a", "peer", "70", "90") + given_by("b", "peer", "84", "88")
    n = normaliser(ratings, min_ratings=2)
    assert n.units["peer"].variance == 61
    moved = n.value("b", "peer", Decimal(84))
    assert abs(moved - (83 - square_root(Fraction(61)))) < Fraction(1, 10**50)
    # a single rating is left as it is under min_ratings 3
    assert normaliser(ratings, min_ratings=3).value("b", "peer", Decimal(84)) == 84
    # a rater whose values are all equal is moved onto the unit mean
    flat = given_by("a", "peer", "70", "90") + given_by("c", "peer", "95", "95")
    assert normaliser(flat, min_ratings=2).value("c", "peer", Decimal(95)) == Fraction(175, 2)


def test_normalised_values_stay_within_zero_and_hundred() -> None:
    ratings = given_by("a", "peer", "0", "100") + given_by("b", "peer", "99", "100")
    n = normaliser(ratings, min_ratings=2)
    assert n.value("b", "peer", Decimal(100)) == 100
    assert n.value("b", "peer", Decimal(99)) >= 0


def test_grade_counts_and_department_distribution() -> None:
    assert grade_counts(["good", "average", "good"], SCALE) == {
        "good": 2, "fairly_good": 0, "average": 1, "poor": 0}
    with pytest.raises(RuleError):
        grade_counts(["excellent"], SCALE)
    rows = department_distributions({"d1": ["good", "good", "average"], "d2": ["fairly_good"]},
                                    {"d1": 1, "d2": 1}, SCALE, "good")
    d1, d2 = rows
    assert (d1.over_quota, d2.over_quota) == (True, False)
    assert d1.shares["good"] == Fraction(2, 3)
    assert d1.unit_shares["good"] == Fraction(1, 2)
    assert d2.counts == {"good": 0, "fairly_good": 1, "average": 0, "poor": 0}


values = st.decimals(min_value=0, max_value=100, places=2)
raters = st.sampled_from(["a", "b", "c", "d"])
roles = st.sampled_from(["peer", "department_head"])
ratings_st = st.lists(st.builds(GivenRating, raters, roles, values), min_size=1, max_size=40)


@given(ratings_st, st.decimals(min_value=-50, max_value=50, places=2),
       st.decimals(min_value=0, max_value=3, places=1))
def test_shifting_every_rating_leaves_flags_unchanged(
        ratings: list[GivenRating], shift: Decimal, flag_z: Decimal) -> None:
    before = rater_calibration(ratings, flag_z=flag_z, min_ratings=2)
    moved = [GivenRating(r.rater_id, r.role, Fraction(r.value) + Fraction(shift)) for r in ratings]
    after = rater_calibration(moved, flag_z=flag_z, min_ratings=2)
    assert [(r.rater_id, r.role, r.tendency) for r in before] == [
        (r.rater_id, r.role, r.tendency) for r in after]


@given(ratings_st, st.integers(min_value=1, max_value=5))
def test_scaling_every_rating_leaves_flags_unchanged(ratings: list[GivenRating],
                                                     factor: int) -> None:
    before = rater_calibration(ratings, flag_z=Decimal(1), min_ratings=1)
    scaled = [GivenRating(r.rater_id, r.role, Fraction(r.value) * factor) for r in ratings]
    after = rater_calibration(scaled, flag_z=Decimal(1), min_ratings=1)
    assert [r.tendency for r in before] == [r.tendency for r in after]


@given(ratings_st)
def test_the_unit_mean_never_lies_beyond_every_rater(ratings: list[GivenRating]) -> None:
    # not everyone of a role can be lenient (or strict): the unit mean is a weighted mean
    rows = rater_calibration(ratings, flag_z=Decimal(0), min_ratings=1)
    for role in {r.role for r in rows}:
        mine = {r.tendency for r in rows if r.role == role}
        assert mine != {RaterTendency.lenient}
        assert mine != {RaterTendency.strict}


@given(st.dictionaries(st.sampled_from(["d1", "d2", "d3"]),
                       st.lists(st.sampled_from(SCALE), max_size=15), min_size=1))
def test_distribution_counts_sum_to_the_departments_people(
        grades: dict[str, list[str]]) -> None:
    rows = department_distributions(grades, {}, SCALE, "good")
    for row in rows:
        assert sum(row.counts.values()) == row.headcount == len(grades[row.department_id])
        if row.headcount:
            assert sum(row.shares.values()) == 1
        assert row.over_quota == (row.counts["good"] > 0)
    everyone = sum(len(g) for g in grades.values())
    if everyone:
        assert sum(rows[0].unit_shares.values()) == 1


@given(ratings_st)
def test_normalisation_gives_each_rater_the_units_mean_and_spread(
        ratings: list[GivenRating]) -> None:
    n = normaliser(ratings, min_ratings=1)
    for (rater, role), own in n.raters.items():
        moved = [n.value(rater, role, r.value) for r in ratings
                 if (r.rater_id, r.role) == (rater, role)]
        unit = n.units[role]
        raw = [unit.mean + (Fraction(r.value) - own.mean) * n.factors[(rater, role)]
               for r in ratings if (r.rater_id, r.role) == (rater, role)]
        if all(0 <= v <= 100 for v in raw):
            assert moved == raw
            assert sum(moved, Fraction(0)) / len(moved) == unit.mean
