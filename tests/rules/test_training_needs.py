"""Training needs: the weakest rating dimensions per unit, from (unit, dimension, score)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.training_needs import DimensionScore, weakest_dimensions

D = Decimal


def scores(unit: str, **by_dimension: list[int]) -> list[DimensionScore]:
    return [DimensionScore(unit, dim, D(s), f"{unit}-{dim}-{i}")
            for dim, values in by_dimension.items() for i, s in enumerate(values)]


def test_hand_computed() -> None:
    data = (scores("d1", difficulty=[80, 70, 75], innovation=[60, 65, 50], conduct=[90, 85, 95])
            + scores("d2", difficulty=[60, 64], innovation=[80, 90], conduct=[70, 72]))
    found = weakest_dimensions(data, per_unit=2)
    d1 = [(w.dimension, w.mean, w.overall_mean, w.gap, w.people) for w in found["d1"]]
    assert d1 == [("innovation", D("58.33"), D("69.00"), D("-10.67"), 3),
                  ("difficulty", D("75.00"), D("69.80"), D("5.20"), 3)]
    d2 = [(w.dimension, w.mean, w.gap) for w in found["d2"]]
    assert d2 == [("difficulty", D("62.00"), D("-7.80")), ("conduct", D("71.00"), D("-11.40"))]
    assert found["d1"][0].basis == ("d1-innovation-0", "d1-innovation-1", "d1-innovation-2")


def test_ties_break_on_the_shortfall_then_the_code_and_small_samples_are_left_out() -> None:
    data = (scores("u", b=[70], a=[70], c=[70, 70]) + scores("v", a=[90], b=[50], c=[70]))
    # Overall: a 80, b 60, c 70. In u all means are 70: a is furthest below its overall mean.
    assert [w.dimension for w in weakest_dimensions(data, per_unit=3)["u"]] == ["a", "c", "b"]
    assert [w.dimension for w in weakest_dimensions(data, per_unit=3, min_people=2)["u"]] == [
        "c"]
    assert "v" not in weakest_dimensions(data, per_unit=3, min_people=2)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="至少"):
        weakest_dimensions([], per_unit=0)
    with pytest.raises(ValueError, match="得分无效"):
        weakest_dimensions([DimensionScore("u", "a", D("NaN"))])
    assert weakest_dimensions([]) == {}


item = st.builds(DimensionScore, unit_id=st.sampled_from(["u1", "u2", "u3"]),
                 dimension=st.sampled_from(["a", "b", "c", "d"]),
                 score=st.decimals(min_value=0, max_value=100, places=2))


@given(st.lists(item, max_size=40), st.integers(1, 4), st.integers(1, 3))
def test_properties(data: list[DimensionScore], per_unit: int, min_people: int) -> None:
    found = weakest_dimensions(data, per_unit, min_people)
    for unit, weak in found.items():
        assert 1 <= len(weak) <= per_unit
        means = [w.mean for w in weak]
        assert means == sorted(means)
        for w in weak:
            mine = [s.score for s in data if s.unit_id == unit and s.dimension == w.dimension]
            assert w.people == len(mine) >= min_people
            assert min(mine) - D("0.01") <= w.mean <= max(mine) + D("0.01")
        # Nothing left out is weaker than what was listed.
        listed = {w.dimension for w in weak}
        others = {s.dimension for s in data if s.unit_id == unit} - listed
        for d in others:
            mine = [s.score for s in data if s.unit_id == unit and s.dimension == d]
            if len(mine) >= min_people and len(weak) == per_unit:
                assert sum(mine) / len(mine) >= weak[-1].mean - D("0.01")
