"""The run's allocation in integer cents (rules.bonus.cents) against the exact Fraction
computation (rules.bonus.allocate): the same cents, rounding cents, flags and exact shares, the
same errors, and the explanation rendered from the stored numbers is the exact one's text."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given

from rules.bonus import BonusRules, DepartmentInput, PersonInput, allocate
from rules.bonus.cents import Shares, allocate_cents
from rules.bonus.explain import DepartmentFigures, person_explanation
from rules.errors import RuleError
from tests.rules.test_bonus import PROPERTY, Scenario, scenarios


def _run_both(pool: int, depts: tuple[DepartmentInput, ...], rules: BonusRules) -> None:
    try:
        exact = allocate(pool, depts, rules)
    except RuleError as exc:
        message = str(exc)
    else:
        _same(exact.departments, exact.people, allocate_cents(pool, depts, rules))
        return
    with pytest.raises(RuleError) as fast_error:
        allocate_cents(pool, depts, rules)
    assert str(fast_error.value) == message


def _same(departments: tuple[object, ...], people: tuple[object, ...], fast: Shares) -> None:
    from rules.bonus import DepartmentLine, PersonLine

    assert [d.line for d in fast.departments] == list(departments)
    figures = {d.line.department_id: DepartmentFigures(d.line.cents, d.bound_cents,
                                                       d.free_coefficient)
               for d in fast.departments}
    assert len(fast.people) == len(people)
    for line, share in zip(people, fast.people, strict=True):
        assert isinstance(line, PersonLine)
        assert (share.person_id, share.department_id, share.grade, share.coefficient) == (
            line.person_id, line.department_id, line.grade, line.coefficient)
        assert (share.cents, share.rounding_cents, share.floor_applied, share.cap_applied) == (
            line.cents, line.rounding_cents, line.floor_applied, line.cap_applied)
        assert share.exact_cents == str(line.exact_cents)
        # What a reader renders from the stored numbers is the exact computation's text.
        assert person_explanation(
            figures[share.department_id], share.grade, Fraction(share.coefficient),
            Fraction(share.exact_cents), share.cents, share.rounding_cents,
            floor=share.floor_applied, cap=share.cap_applied) == line.explanation
    assert all(isinstance(d, DepartmentLine) for d in departments)
    assert sum(p.cents for p in fast.people) == sum(d.line.cents for d in fast.departments)


@PROPERTY
@given(scenarios(bounds=False))
def test_cents_equal_the_exact_computation(s: Scenario) -> None:
    _run_both(s.pool, s.departments, s.rules)


@PROPERTY
@given(scenarios(bounds=True))
def test_cents_equal_the_exact_computation_with_floors_and_caps(s: Scenario) -> None:
    _run_both(s.pool, s.departments, s.rules)


def test_a_large_run_equals_the_exact_computation() -> None:
    """Many people per department, many ties of coefficient and remainder, floors and caps
    that bind in some departments."""
    rnd = random.Random(16)
    grades = ["excellent"] * 2 + ["competent"] * 7 + ["basically_competent", "incompetent"]
    depts = []
    n = 0
    for i in range(60):
        people = []
        for _ in range(rnd.randint(0, 40)):
            people.append(PersonInput(f"p{rnd.randrange(10**9):09d}-{n}", rnd.choice(grades),
                                      name=f"人员{n}"))
            n += 1
        depts.append(DepartmentInput(f"d{i:03d}", "ABBC"[i % 4], tuple(people), name=f"科{i}"))
    for floor, cap in ((0, None), (1_000_000, 3_000_000), (2_000_000, None)):
        rules = BonusRules(department_coefficients={"A": Decimal("1.2"), "B": Decimal("1.0"),
                                                    "C": Decimal("0.8")},
                           floor_cents=floor, cap_cents=cap)
        _run_both(1_234_567_891, tuple(depts), rules)
