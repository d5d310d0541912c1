"""The 好 places of departments by department result: a hand-computed example, properties,
and the proposal that respects them with the unit-wide quota and the top-50% rule."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.department_quota import DepartmentPlaces, DepartmentShare, allocate_good_places
from rules.errors import RuleError
from rules.grading import GradingPolicy, propose_quarterly_grades
from rules.ranking import RankInput, rank
from vocab.grades import QuarterlyGrade


def share(name: str, heads: int, coefficient: str) -> DepartmentShare:
    return DepartmentShare(name, name, heads, Decimal(coefficient))


def test_hand_computed_example() -> None:
    # Weights: A 5 x 1.2 = 6, B 5 x 0.8 = 4, C 2 x 1.0 = 2. Sainte-Lague priorities
    # w / (2k + 1): A 6, 2, 1.2 ...; B 4, 1.33 ...; C 2, 0.67.
    # Place 1: A (6); 2: B (4); 3: A (2) ties C (2), the better coefficient (A 1.2) wins;
    # 4: C (2).
    places = allocate_good_places(4, [share("A", 5, "1.2"), share("B", 5, "0.8"),
                                      share("C", 2, "1.0")])
    assert places == {"A": 2, "B": 1, "C": 1}


def test_a_better_result_gets_more_places_with_the_same_headcount() -> None:
    places = allocate_good_places(4, [share("A", 5, "1.2"), share("B", 5, "1.0"),
                                      share("D", 5, "0.5")])
    assert places == {"A": 2, "B": 1, "D": 1}
    assert places["A"] > places["D"]


def test_never_more_than_the_headcount() -> None:
    assert allocate_good_places(3, [share("A", 1, "5"), share("B", 4, "0.1")]) == {
        "A": 1, "B": 2}


def test_invalid_inputs() -> None:
    with pytest.raises(RuleError):
        allocate_good_places(5, [share("A", 2, "1"), share("B", 2, "1")])
    with pytest.raises(RuleError):
        allocate_good_places(1, [share("A", 2, "1"), share("A", 2, "1")])
    with pytest.raises(RuleError):
        allocate_good_places(1, [share("A", 2, "-1")])


departments = st.lists(
    st.tuples(st.integers(0, 12), st.sampled_from(["0", "0.5", "0.8", "1.0", "1.2", "1.5"])),
    min_size=1, max_size=6)


def shares_of(rows: list[tuple[int, str]]) -> list[DepartmentShare]:
    return [share(f"d{i}", heads, c) for i, (heads, c) in enumerate(rows)]


@given(departments, st.data())
def test_places_sum_to_the_quota_within_headcounts(rows: list[tuple[int, str]],
                                                   data: st.DataObject) -> None:
    shares = shares_of(rows)
    total = data.draw(st.integers(0, sum(s.headcount for s in shares)))
    places = allocate_good_places(total, shares)
    assert sum(places.values()) == total
    assert all(0 <= places[s.department_id] <= s.headcount for s in shares)


@given(departments, st.data())
def test_a_better_result_never_costs_places(rows: list[tuple[int, str]],
                                            data: st.DataObject) -> None:
    shares = shares_of(rows)
    total = data.draw(st.integers(0, sum(s.headcount for s in shares)))
    which = data.draw(st.integers(0, len(shares) - 1))
    before = allocate_good_places(total, shares)
    raised = list(shares)
    raised[which] = DepartmentShare(shares[which].department_id, shares[which].name,
                                    shares[which].headcount,
                                    shares[which].coefficient + Decimal("0.3"))
    after = allocate_good_places(total, raised)
    assert after[shares[which].department_id] >= before[shares[which].department_id]
    # and between departments of equal headcount, the better result has at least as many
    for a in shares:
        for b in shares:
            if a.headcount == b.headcount and a.coefficient > b.coefficient:
                assert before[a.department_id] >= before[b.department_id]


def test_grading_gives_good_only_within_department_places() -> None:
    # P1..P10 scored 95, 90, ... 50; n = 10: 好 at most 4, top half ranks 1..5.
    entries = rank([RankInput(f"P{i}", Decimal(100 - 5 * i)) for i in range(1, 11)])
    department = {f"P{i}": ("X" if i <= 3 else "Y") for i in range(1, 11)}
    places = DepartmentPlaces(department, {"X": 1, "Y": 3}, {"X": "甲科", "Y": "乙科"})
    # The quota mechanics alone: no score bands (the default bands would cap 80 at 较好).
    policy = GradingPolicy(score_bands=())
    proposal = propose_quarterly_grades(entries, policy=policy, good_places=places)
    grades = proposal.grades()
    assert [p for p, g in grades.items() if g is QuarterlyGrade.good] == ["P1", "P4", "P5"]
    reasons = {p.person_id: p.reasons for p in proposal.proposals}
    assert "所在部门「甲科」按部门考核结果分配的好等次名额已满（1/1）" in reasons["P2"]
    # Y's third place would go to P6, but P6 is outside the top half: the rule still holds.
    assert grades["P6"] is QuarterlyGrade.fairly_good
    # Without places: the unit-wide quota as before.
    assert [p for p, g in propose_quarterly_grades(entries, policy=policy).grades().items()
            if g is QuarterlyGrade.good] == ["P1", "P2", "P3", "P4"]
