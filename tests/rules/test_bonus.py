"""Two-level bonus distribution (rules.bonus): properties over random inputs (the examples are
in test_bonus_examples)."""

from __future__ import annotations

import itertools
import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.bonus import (
    Allocation,
    BonusRules,
    DepartmentInput,
    PersonInput,
    PersonLine,
    allocate,
)
from rules.errors import RuleError

D = Decimal
PROPERTY = settings(max_examples=200, deadline=None)

# --- strategies --------------------------------------------------------------------------

GRADES = ("good", "fairly_good", "average", "poor", "incompetent")
RESULTS = ("A", "B", "C")

# Two decimals, with 0 (nobody paid) and equal values (ties) on purpose.
coefficients = st.one_of(
    st.sampled_from([D(0), D("0.5"), D("0.8"), D("1.0"), D("1.2"), D("1.2")]),
    st.integers(1, 300).map(lambda n: D(n).scaleb(-2)),
)
pools = st.one_of(st.integers(0, 60), st.integers(0, 10**7), st.integers(0, 10**13))


@dataclass(frozen=True)
class Scenario:
    pool: int
    departments: tuple[DepartmentInput, ...]
    rules: BonusRules


@st.composite
def scenarios(draw: st.DrawFn, *, bounds: bool) -> Scenario:
    rules = BonusRules(
        department_coefficients={r: draw(coefficients) for r in RESULTS},
        grade_coefficients={g: draw(coefficients) for g in GRADES},
    )
    pool = draw(pools)
    sizes = draw(st.lists(st.integers(0, 8), min_size=1, max_size=6))
    # Ids are unique strings whose order differs from the order of creation.
    ids = draw(
        st.lists(
            st.text("abcxyz019", min_size=1, max_size=4),
            min_size=len(sizes) + sum(sizes),
            max_size=len(sizes) + sum(sizes),
            unique=True,
        )
    )
    # Floors and caps around the average share, so that they bind and sometimes cannot be met.
    average = pool // max(1, sum(sizes))
    small = st.integers(0, average + 1)
    default_floor = draw(st.integers(0, average // 2 + 1)) if bounds else 0
    default_cap = draw(st.none() | small.map(lambda x: default_floor + 2 * x)) if bounds else None
    rules = replace(rules, floor_cents=default_floor, cap_cents=default_cap)

    def person(pid: str) -> PersonInput:
        floor = cap = None
        if bounds and draw(st.booleans()):
            floor = draw(st.none() | st.integers(0, average + 1))
            lowest = default_floor if floor is None else floor
            cap = draw(st.none() | small.map(lambda x: lowest + x))
        return PersonInput(pid, draw(st.sampled_from(GRADES)), floor, cap)

    depts = []
    it = iter(ids)
    for size in sizes:
        did = next(it)
        people = tuple(person(next(it)) for _ in range(size))
        base = draw(st.none() | st.integers(0, 200).map(lambda n: D(n).scaleb(-1)))
        depts.append(DepartmentInput(did, draw(st.sampled_from(RESULTS)), people, base))
    return Scenario(pool, tuple(depts), rules)


# --- reference checks (independent of the implementation) ----------------------------------


def _effective(rules: BonusRules, p: PersonInput) -> tuple[Fraction, int, int | None]:
    """(coefficient, floor, cap) as the rule defines them: no floor at coefficient 0."""
    c = Fraction(rules.grade_coefficients[p.grade])
    floor = rules.floor_cents if p.floor_cents is None else p.floor_cents
    cap = rules.cap_cents if p.cap_cents is None else p.cap_cents
    return c, (floor if c else 0), cap


def _reference_parts(s: Scenario) -> dict[str, Fraction] | None:
    """Exact department shares, or None when every weight is 0 and the pool is not."""
    weights: dict[str, Fraction] = {}
    for d in s.departments:
        paid = [p for p in d.people if s.rules.grade_coefficients[p.grade] > 0]
        base = Fraction(len(paid)) if d.base is None else Fraction(d.base)
        coefficient = Fraction(s.rules.department_coefficients[d.result])
        weights[d.department_id] = coefficient * base if paid else Fraction(0)
    total = sum(weights.values(), Fraction(0))
    if total == 0:
        return None if s.pool else dict.fromkeys(weights, Fraction(0))
    return {k: s.pool * w / total for k, w in weights.items()}


def _contradictory(s: Scenario) -> bool:
    """Somebody paid whose floor is above their cap."""
    bounds = (_effective(s.rules, p) for d in s.departments for p in d.people)
    return any(c > 0 and u is not None and f > u for c, f, u in bounds)


def _infeasible(s: Scenario, parts: dict[str, int]) -> bool:
    for d in s.departments:
        paid = [_effective(s.rules, p) for p in d.people]
        paid = [x for x in paid if x[0] > 0]
        part = parts[d.department_id]
        if sum(f for _, f, _ in paid) > part:
            return True
        caps = [u for _, _, u in paid]
        if paid and all(u is not None for u in caps) and sum(u or 0 for u in caps) < part:
            return True
    return False


def _check_hamilton(
    exact: Sequence[Fraction], cents: Sequence[int], keys: Sequence[tuple[Fraction, str]]
) -> None:
    """Integer part plus at most one cent; the extra cents follow the documented order:
    larger remainder, larger weight, smaller id (``keys`` = (weight, id))."""
    plus: list[tuple[Fraction, tuple[Fraction, str]]] = []
    rest: list[tuple[Fraction, tuple[Fraction, str]]] = []
    for e, c, k in zip(exact, cents, keys, strict=True):
        assert c in (math.floor(e), math.ceil(e))
        remainder = e - math.floor(e)
        (plus if c > math.floor(e) else rest).append((-remainder, k))
    if plus and rest:
        assert max(plus) < min(rest)


def _order_key(weight: Fraction, ident: str) -> tuple[Fraction, str]:
    return (-weight, ident)


def _check(s: Scenario, result: Allocation) -> None:
    reference = _reference_parts(s)
    assert reference is not None
    lines = {d.department_id: d for d in result.departments}
    # Departments: exact shares as defined, sum to the pool, Hamilton with the tie order.
    assert [d.department_id for d in result.departments] == sorted(lines)
    assert sum(d.cents for d in result.departments) == s.pool
    for did, line in lines.items():
        assert line.exact_cents == reference[did]
        assert line.rounding_cents == line.cents - math.floor(line.exact_cents)
    _check_hamilton(
        [d.exact_cents for d in result.departments],
        [d.cents for d in result.departments],
        [_order_key(d.weight, d.department_id) for d in result.departments],
    )
    # People: every input person once, in canonical order, summing to the department's part.
    inputs = {p.person_id: (d.department_id, p) for d in s.departments for p in d.people}
    assert sorted(inputs) == sorted(p.person_id for p in result.people)
    assert [(p.department_id, p.person_id) for p in result.people] == sorted(
        (p.department_id, p.person_id) for p in result.people
    )
    by_dept: dict[str, list[PersonLine]] = defaultdict(list)
    for p in result.people:
        assert inputs[p.person_id][0] == p.department_id
        by_dept[p.department_id].append(p)
    for did, line in lines.items():
        people = by_dept[did]
        assert sum(p.cents for p in people) == line.cents
        assert sum((p.exact_cents for p in people), Fraction(0)) == line.cents
        _check_people(s, people)


def _check_people(s: Scenario, people: list[PersonLine]) -> None:
    free: list[PersonLine] = []
    levels_floor: list[Fraction] = []  # f / c of people held up by their floor
    levels_cap: list[Fraction] = []  # u / c of people held down by their cap
    for line in people:
        c, floor, cap = _effective(s.rules, _input(s, line.person_id))
        # Floors and caps are respected, also after rounding.
        assert line.cents >= floor
        assert cap is None or line.cents <= cap
        assert line.coefficient == s.rules.grade_coefficients[line.grade]
        if c == 0:
            assert (line.cents, line.floor_applied, line.cap_applied) == (0, False, False)
            continue
        if line.floor_applied:
            assert line.exact_cents == line.cents == floor
            levels_floor.append(floor / c)
        elif line.cap_applied:
            assert cap is not None
            assert line.exact_cents == line.cents == cap
            levels_cap.append(cap / c)
        else:
            free.append(line)
    # Water-filling: one level λ with share = clamp(λ c, floor, cap) for everybody.
    if free:
        levels = {p.exact_cents / Fraction(p.coefficient) for p in free}
        assert len(levels) == 1
        (level,) = levels
        assert all(level < x for x in levels_floor)
        assert all(level > x for x in levels_cap)
    elif levels_floor and levels_cap:
        assert max(levels_cap) < min(levels_floor)
    _check_hamilton(
        [p.exact_cents for p in free],
        [p.cents for p in free],
        [_order_key(Fraction(p.coefficient), p.person_id) for p in free],
    )
    # Monotonicity: a higher coefficient with no lower floor and cap never gets less;
    # an equal coefficient with the same floor and cap gets at most one cent less.
    effective = [(p, _effective(s.rules, _input(s, p.person_id))) for p in people]
    for a, (ca, fa, ua) in effective:
        for b, (cb, fb, ub) in effective:
            if fa >= fb and _cap_ge(ua, ub):
                if ca > cb:
                    assert a.cents >= b.cents
                elif ca == cb:
                    assert a.cents >= b.cents - 1


def _cap_ge(a: int | None, b: int | None) -> bool:
    return a is None or (b is not None and a >= b)


def _input(s: Scenario, person_id: str) -> PersonInput:
    return next(p for d in s.departments for p in d.people if p.person_id == person_id)


def _without_bounds(s: Scenario) -> Scenario:
    depts = tuple(
        replace(d, people=tuple(replace(p, floor_cents=None, cap_cents=None) for p in d.people))
        for d in s.departments
    )
    return Scenario(s.pool, depts, replace(s.rules, floor_cents=0, cap_cents=None))


def _shuffled(s: Scenario, rng: random.Random) -> Scenario:
    depts = [replace(d, people=tuple(rng.sample(d.people, len(d.people)))) for d in s.departments]
    rng.shuffle(depts)
    return Scenario(s.pool, tuple(depts), s.rules)


# --- properties --------------------------------------------------------------------------


@PROPERTY
@given(scenarios(bounds=False))
def test_without_floors_and_caps_sums_exactly_and_is_proportional(s: Scenario) -> None:
    if _reference_parts(s) is None:
        with pytest.raises(RuleError, match="无法分配"):
            allocate(s.pool, s.departments, s.rules)
        return
    result = allocate(s.pool, s.departments, s.rules)
    _check(s, result)
    assert not any(p.floor_applied or p.cap_applied for p in result.people)


@PROPERTY
@given(scenarios(bounds=True))
def test_with_floors_and_caps_sums_exactly_or_refuses_only_when_infeasible(s: Scenario) -> None:
    if _contradictory(s):
        with pytest.raises(RuleError, match="高于封顶"):
            allocate(s.pool, s.departments, s.rules)
        return
    plain = _without_bounds(s)
    if _reference_parts(plain) is None:
        with pytest.raises(RuleError):
            allocate(s.pool, s.departments, s.rules)
        return
    # Floors and caps do not change the departments' parts: the plain run gives them.
    parts = {
        d.department_id: d.cents
        for d in allocate(plain.pool, plain.departments, plain.rules).departments
    }
    if _infeasible(s, parts):
        with pytest.raises(RuleError, match=r"保底合计|无法分配"):
            allocate(s.pool, s.departments, s.rules)
        return
    result = allocate(s.pool, s.departments, s.rules)
    _check(s, result)
    assert {d.department_id: d.cents for d in result.departments} == parts


@PROPERTY
@given(scenarios(bounds=True), st.randoms(use_true_random=False))
def test_same_inputs_in_any_order_give_the_same_result(s: Scenario, rng: random.Random) -> None:
    other = _shuffled(s, rng)
    try:
        first = allocate(s.pool, s.departments, s.rules)
    except RuleError as exc:
        refusal = str(exc)
    else:
        assert allocate(other.pool, other.departments, other.rules) == first
        assert allocate(s.pool, list(s.departments), s.rules) == first
        return
    with pytest.raises(RuleError) as again:
        allocate(other.pool, other.departments, other.rules)
    assert str(again.value) == refusal


@PROPERTY
@given(
    st.lists(st.sampled_from(GRADES), min_size=1, max_size=30),
    st.integers(0, 10**6),
    st.integers(0, 3000),
    st.none() | st.integers(0, 60_000),
    st.data(),
)
def test_higher_coefficient_never_gets_less_with_uniform_bounds(
    grades: list[str], pool: int, floor: int, cap: int | None, data: st.DataObject
) -> None:
    table = {g: data.draw(coefficients, label=g) for g in GRADES}
    rules = BonusRules(
        {"A": D(1)}, table, floor_cents=floor, cap_cents=None if cap is None else cap + floor
    )
    people = tuple(PersonInput(f"p{i:02d}", g) for i, g in enumerate(grades))
    s = Scenario(pool, (DepartmentInput("d", "A", people),), rules)
    try:
        result = allocate(s.pool, s.departments, s.rules)
    except RuleError:
        return  # when it refuses is checked by the feasibility property above
    _check(s, result)
    ranked = sorted(result.people, key=lambda p: p.coefficient)
    for low, high in itertools.pairwise(ranked):
        if high.coefficient > low.coefficient:
            assert high.cents >= low.cents
        else:
            assert high.cents - low.cents in (-1, 0, 1)
