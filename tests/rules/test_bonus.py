"""Two-level bonus distribution (rules.bonus): properties, then hand-computed examples."""

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
    DEFAULT_GRADE_COEFFICIENTS,
    Allocation,
    BonusRules,
    DepartmentInput,
    PersonInput,
    PersonLine,
    allocate,
    format_yuan,
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


# --- the 西华街道 example, every cent by hand ------------------------------------------------

XIHUA_RULES = BonusRules(
    # department result -> department coefficient (the departments are graded 好/较好/一般)
    department_coefficients={"good": D("1.2"), "fairly_good": D("1.0"), "average": D("0.8")},
    # annual grades with the defaults: 优秀 1.2, 称职 1.0, 基本称职 0.5, 不称职 0, 不定等次 0
)


def _xihua() -> list[DepartmentInput]:
    p = PersonInput
    return [
        DepartmentInput(
            "d01",
            "good",
            (
                p("p01", "excellent", name="王建国"),
                p("p02", "competent", name="李晓梅"),
                p("p03", "competent", name="张伟"),
                p("p04", "basically_competent", name="刘洋"),
            ),
            name="党政办公室",
        ),
        DepartmentInput(
            "d02",
            "fairly_good",
            (
                p("p05", "excellent", name="陈静"),
                p("p06", "excellent", name="杨帆"),
                p("p07", "competent", name="赵磊"),
                p("p08", "competent", name="黄丽"),
                p("p09", "not_graded", name="周婷"),  # new this year: not graded
            ),
            name="社区发展治理办公室",
        ),
        DepartmentInput(
            "d03",
            "average",
            (
                p("p10", "excellent", name="吴刚"),
                p("p11", "competent", name="徐峰"),
                p("p12", "competent", name="孙强"),
                p("p13", "incompetent", name="马超"),
            ),
            name="综合行政执法队",
        ),
    ]


def test_xihua_example_by_hand() -> None:
    result = allocate(36_000_000, _xihua(), XIHUA_RULES)  # 360,000.00 元
    # Level 1. Headcount = people with a positive coefficient (p09, p13 are not counted).
    #   d01 党政办公室        好   1.2 × 4 = 4.8
    #   d02 社区发展治理办公室 较好 1.0 × 4 = 4.0
    #   d03 综合行政执法队     一般 0.8 × 3 = 2.4                          total 11.2
    #   d01 36,000,000 × 4.8/11.2 = 108,000,000/7  = 15,428,571 r 3/7   (≈ .429)
    #   d02 36,000,000 × 4.0/11.2 = 180,000,000/14 = 12,857,142 r 12/14 (≈ .857)
    #   d03 36,000,000 × 2.4/11.2 = 108,000,000/14 =  7,714,285 r 10/14 (≈ .714)
    #   integer parts 35,999,998: 2 cents left -> d02 (.857), d03 (.714)
    depts = [(d.department_id, d.weight, d.cents, d.rounding_cents) for d in result.departments]
    assert depts == [
        ("d01", Fraction("4.8"), 15_428_571, 0),
        ("d02", Fraction(4), 12_857_143, 1),
        ("d03", Fraction("2.4"), 7_714_286, 1),
    ]
    assert [d.exact_cents for d in result.departments] == [
        Fraction(108_000_000, 7),
        Fraction(180_000_000, 14),
        Fraction(108_000_000, 14),
    ]
    # Level 2.
    # d01: 15,428,571, coefficients 1.2 + 1.0 + 1.0 + 0.5 = 3.7
    #   p01 15,428,571 × 12/37 = 185,142,852/37 = 5,003,860 r 32/37
    #   p02 15,428,571 × 10/37 = 154,285,710/37 = 4,169,884 r 2/37
    #   p03 as p02                               4,169,884 r 2/37
    #   p04 15,428,571 ×  5/37 =  77,142,855/37 = 2,084,942 r 1/37
    #   integer parts 15,428,570: 1 cent left -> p01 (32/37)
    # d02: 12,857,143, coefficients 1.2 + 1.2 + 1.0 + 1.0 (+ p09 at 0) = 4.4
    #   p05 12,857,143 × 12/44 = 154,285,716/44 = 3,506,493 r 24/44
    #   p06 as p05                               3,506,493 r 24/44
    #   p07 12,857,143 × 10/44 = 128,571,430/44 = 2,922,077 r 42/44
    #   p08 as p07                               2,922,077 r 42/44
    #   integer parts 12,857,140: 3 cents left -> p07, p08 (42/44), then p05 and p06 tie
    #   (24/44, same coefficient) -> the smaller id, p05
    # d03: 7,714,286, coefficients 1.2 + 1.0 + 1.0 (+ p13 at 0) = 3.2
    #   p10 7,714,286 × 12/32 = 92,571,432/32 = 2,892,857 r 8/32
    #   p11 7,714,286 × 10/32 = 77,142,860/32 = 2,410,714 r 12/32
    #   p12 as p11                             2,410,714 r 12/32
    #   integer parts 7,714,285: 1 cent left -> p11 and p12 tie (12/32) -> p11
    people = [(p.person_id, p.cents, p.rounding_cents) for p in result.people]
    assert people == [
        ("p01", 5_003_861, 1),
        ("p02", 4_169_884, 0),
        ("p03", 4_169_884, 0),
        ("p04", 2_084_942, 0),
        ("p05", 3_506_494, 1),
        ("p06", 3_506_493, 0),
        ("p07", 2_922_078, 1),
        ("p08", 2_922_078, 1),
        ("p09", 0, 0),
        ("p10", 2_892_857, 0),
        ("p11", 2_410_715, 1),
        ("p12", 2_410_714, 0),
        ("p13", 0, 0),
    ]
    exact = {p.person_id: p.exact_cents for p in result.people}
    assert exact["p01"] == Fraction(185_142_852, 37)
    assert exact["p07"] == Fraction(128_571_430, 44)
    assert exact["p10"] == Fraction(92_571_432, 32)
    assert exact["p13"] == 0
    # Sums: 15,428,571 + 12,857,143 + 7,714,286 = 36,000,000.
    assert sum(p.cents for p in result.people) == 36_000_000
    assert not any(p.floor_applied or p.cap_applied for p in result.people)


def test_xihua_explanations_are_chinese_and_show_the_arithmetic() -> None:
    result = allocate(36_000_000, _xihua(), XIHUA_RULES)
    d01, d02, _ = result.departments
    assert d01.explanation == (
        "科室结果「好」系数 1.2 × 参与分配人数 4 = 权重 4.8；"
        "奖金池 360,000.00 元 × 4.8 / 权重合计 11.2 ≈ 154,285.7143 元；"
        "尾数舍去，实得 154,285.71 元"
    )
    assert d02.explanation.endswith("≈ 128,571.4286 元；舍入 +0.01 元，实得 128,571.43 元")
    lines = {p.person_id: p for p in result.people}
    assert lines["p01"].explanation == (
        "科室分配额 154,285.71 元 × 系数 1.2 / 科室系数合计 3.7 ≈ 50,038.6086 元；"
        "舍入 +0.01 元，实得 50,038.61 元"
    )
    assert lines["p10"].explanation == (
        "科室分配额 77,142.86 元 × 系数 1.2 / 科室系数合计 3.2 = 28,928.5725 元；"
        "尾数舍去，实得 28,928.57 元"
    )
    assert lines["p09"].explanation == (
        "等次「不定等次」系数 0，不参与分配（保底不适用），实得 0.00 元"
    )
    assert lines["p01"].name == "王建国"
    assert lines["p01"].coefficient == D("1.2")
    assert d01.name == "党政办公室"


def test_floor_and_cap_by_hand() -> None:
    # One department takes the whole pool of 130.01 元. Floor 17.00 元, cap 35.00 元.
    people = (
        PersonInput("a", "excellent"),  # 1.2
        PersonInput("b1", "competent"),  # 1.0
        PersonInput("b2", "competent"),  # 1.0
        PersonInput("c", "basically_competent"),  # 0.5
        PersonInput("d", "basically_competent"),  # 0.5
        PersonInput("e", "incompetent"),  # 0: gets 0, the floor does not apply
    )
    rules = BonusRules({"fairly_good": D(1)}, floor_cents=1_700, cap_cents=3_500)
    result = allocate(13_001, [DepartmentInput("d1", "fairly_good", people)], rules)
    # Plain proportion (sum 4.2): a 13,001 × 12/42 ≈ 3,714.6 > cap; c, d 13,001 × 5/42 ≈ 1,547.7
    # < floor. Fix a at 3,500 and c, d at 1,700: 13,001 - 3,500 - 3,400 = 6,101 for b1, b2
    # (sum 2.0): 3,050.5 each. Level λ = 3,050.5 per 1.0 confirms: a 3,660.6 > 3,500 stays
    # capped, c 1,525.25 < 1,700 stays at the floor. b1, b2 tie at .5 with the same
    # coefficient -> b1 (smaller id) gets the cent.
    got = {
        p.person_id: (p.cents, p.floor_applied, p.cap_applied, p.rounding_cents)
        for p in result.people
    }
    assert got == {
        "a": (3_500, False, True, 0),
        "b1": (3_051, False, False, 1),
        "b2": (3_050, False, False, 0),
        "c": (1_700, True, False, 0),
        "d": (1_700, True, False, 0),
        "e": (0, False, False, 0),
    }
    lines = {p.person_id: p for p in result.people}
    assert lines["b1"].exact_cents == Fraction(6_101, 2)
    assert lines["b1"].explanation == (
        "科室分配额 130.01 元扣除保底/封顶人员 69.00 元后余 61.01 元 × 系数 1.0 / "
        "其余人员系数合计 2.0 = 30.5050 元；舍入 +0.01 元，实得 30.51 元"
    )
    assert lines["a"].explanation == (
        "系数 1.2，按比例应得 = 36.6060 元，高于封顶 35.00 元，按封顶发放"
    )
    assert lines["c"].explanation == (
        "系数 0.5，按比例应得 = 15.2525 元，低于保底 17.00 元，按保底发放"
    )


def test_a_floor_or_cap_met_exactly_is_not_applied() -> None:
    rules = BonusRules({"A": D(1)}, {"three": D(3), "one": D(1)})
    people = (
        PersonInput("a", "three", cap_cents=100),
        PersonInput("b", "one", floor_cents=50),
        PersonInput("c", "one"),
        PersonInput("d", "three", cap_cents=150),
    )
    # Plain proportion (sum 8): a 350 × 3/8 = 131.25 > 100, so a is capped; the other 250 go
    # by 1 + 1 + 3 = 5: level 50. b gets exactly its floor and d exactly its cap: neither bound
    # changed anything, so neither counts as applied.
    result = allocate(350, [DepartmentInput("d", "A", people)], rules)
    got = [(p.person_id, p.cents, p.floor_applied, p.cap_applied) for p in result.people]
    assert got == [
        ("a", 100, False, True),
        ("b", 50, False, False),
        ("c", 50, False, False),
        ("d", 150, False, False),
    ]


def test_personal_floor_overrides_the_default() -> None:
    people = (PersonInput("a", "good", floor_cents=600), PersonInput("b", "good"))
    result = allocate(1_000, [DepartmentInput("d", "A", people)], BonusRules({"A": D(1)}))
    assert [(p.cents, p.floor_applied) for p in result.people] == [(600, True), (400, False)]


# --- rounding tie order ------------------------------------------------------------------


def test_department_tie_goes_to_the_larger_weight_then_the_smaller_id() -> None:
    rules = BonusRules({"low": D(1), "high": D(3)})
    one = (PersonInput("p", "good"),)
    # 2 cents by weights 1 and 3: exact 0.5 and 1.5, equal remainders -> the larger weight.
    result = allocate(
        2,
        [
            DepartmentInput("z", "high", one),
            DepartmentInput("a", "low", (PersonInput("q", "good"),)),
        ],
        rules,
    )
    assert [(d.department_id, d.cents) for d in result.departments] == [("a", 0), ("z", 2)]
    # Equal weights: 1 cent, 0.5 each -> the smaller id.
    result = allocate(
        1,
        [
            DepartmentInput("z", "low", one),
            DepartmentInput("a", "low", (PersonInput("q", "good"),)),
        ],
        rules,
    )
    assert [(d.department_id, d.cents) for d in result.departments] == [("a", 1), ("z", 0)]


def test_person_tie_goes_to_the_larger_coefficient() -> None:
    # 2 cents by 0.5 and 1.5 (table 1.5 for good): exact 0.5 and 1.5 -> 0 and 2.
    rules = BonusRules({"A": D(1)}, {"good": D("1.5"), "poor": D("0.5")})
    people = (PersonInput("a", "poor"), PersonInput("b", "good"))
    result = allocate(2, [DepartmentInput("d", "A", people)], rules)
    assert [(p.person_id, p.cents) for p in result.people] == [("a", 0), ("b", 2)]


# --- zero and edge cases -----------------------------------------------------------------


def test_pool_zero_gives_zero_everywhere() -> None:
    result = allocate(0, _xihua(), XIHUA_RULES)
    assert all(d.cents == 0 for d in result.departments)
    assert all(p.cents == 0 and p.exact_cents == 0 for p in result.people)


def test_no_departments() -> None:
    assert allocate(0, [], XIHUA_RULES) == Allocation(0, (), ())
    with pytest.raises(RuleError, match="没有科室"):
        allocate(100, [], XIHUA_RULES)


def test_departments_without_anybody_to_pay_get_nothing() -> None:
    depts = [
        DepartmentInput("empty", "good", (), base=D(10)),
        DepartmentInput("zeros", "good", (PersonInput("x", "incompetent"),)),
        DepartmentInput("paid", "average", (PersonInput("y", "poor"),)),
    ]
    result = allocate(12_345, depts, BonusRules({"good": D(1), "average": D("0.1")}))
    lines = {d.department_id: d for d in result.departments}
    assert (lines["empty"].cents, lines["zeros"].cents, lines["paid"].cents) == (0, 0, 12_345)
    assert lines["empty"].weight == 0
    assert lines["empty"].explanation == "科室无人员，不参与分配，分得 0.00 元"
    assert lines["zeros"].explanation == "科室人员系数均为 0，无人可分配，不参与分配，分得 0.00 元"
    assert [p.cents for p in result.people] == [12_345, 0]


def test_all_weights_zero_with_money_is_refused() -> None:
    depts = [DepartmentInput("d", "good", (PersonInput("x", "not_graded"),))]
    with pytest.raises(RuleError, match="权重均为 0"):
        allocate(1, depts, BonusRules({"good": D(1)}))


def test_configured_base_and_counting_zero_coefficients() -> None:
    depts = [
        DepartmentInput("a", "A", (PersonInput("x", "good"), PersonInput("z", "incompetent"))),
        DepartmentInput("b", "A", (PersonInput("y", "good"),), base=D("3")),
    ]
    result = allocate(400, depts, BonusRules({"A": D(1)}))
    assert [d.cents for d in result.departments] == [100, 300]  # weights 1 (x only) and 3
    assert "分配基数 3.0" in result.departments[1].explanation
    counting = BonusRules({"A": D(1)}, headcount_includes_zero=True)
    assert [d.cents for d in allocate(500, depts, counting).departments] == [200, 300]


# --- refusals ----------------------------------------------------------------------------


def test_floors_above_the_department_part_are_refused() -> None:
    people = tuple(PersonInput(f"p{i}", "good") for i in range(3))
    rules = BonusRules({"A": D(1)}, floor_cents=400)
    with pytest.raises(
        RuleError, match=r"科室「党政办公室」保底合计 12\.00 元超过科室分配额 11\.99 元"
    ):
        allocate(1_199, [DepartmentInput("d", "A", people, name="党政办公室")], rules)
    assert (
        sum(p.cents for p in allocate(1_200, [DepartmentInput("d", "A", people)], rules).people)
        == 1_200
    )


def test_money_left_over_when_everybody_is_capped_is_refused() -> None:
    people = tuple(PersonInput(f"p{i}", "good") for i in range(3))
    rules = BonusRules({"A": D(1)}, cap_cents=100)
    with pytest.raises(RuleError, match=r"剩余 0\.01 元无法分配"):
        allocate(301, [DepartmentInput("d", "A", people)], rules)


def test_every_infeasible_department_is_listed() -> None:
    rules = BonusRules({"A": D(1)}, floor_cents=1_000)
    depts = [DepartmentInput(f"d{i}", "A", (PersonInput(f"p{i}", "good"),)) for i in range(7)]
    with pytest.raises(RuleError) as exc:
        allocate(7 * 999, depts, rules)  # 9.99 元 each, below the floor of 10.00 元
    assert "科室「d0」" in str(exc.value)
    assert "另有 2 个科室同样无法分配" in str(exc.value)


@pytest.mark.parametrize(
    ("pool", "depts", "rules", "message"),
    [
        (-1, [], BonusRules({}), "奖金池应为非负整数"),
        (1.5, [], BonusRules({}), "奖金池应为非负整数"),
        (1, [DepartmentInput("d", "X", ())], BonusRules({"A": D(1)}), "未配置科室系数"),
        (
            1,
            [DepartmentInput("d", "A", (PersonInput("p", "gold"),))],
            BonusRules({"A": D(1)}),
            "未配置奖金系数",
        ),
        (1, [DepartmentInput("d", "A", ())], BonusRules({"A": D(-1)}), "不能为负数"),
        (1, [DepartmentInput("d", "A", ())], BonusRules({"A": D("NaN")}), "有限数"),
        (
            1,
            [DepartmentInput("d", "A", (PersonInput("p", "good", floor_cents=5, cap_cents=4),))],
            BonusRules({"A": D(1)}),
            "保底 0.05 元高于封顶 0.04 元",
        ),
        (
            1,
            [DepartmentInput("d", "A", (PersonInput("p", "good"),)), DepartmentInput("d", "A", ())],
            BonusRules({"A": D(1)}),
            "科室编号「d」重复",
        ),
        (
            1,
            [
                DepartmentInput("d", "A", (PersonInput("p", "good"),)),
                DepartmentInput("e", "A", (PersonInput("p", "good"),)),
            ],
            BonusRules({"A": D(1)}),
            "人员编号「p」重复",
        ),
        (1, [], BonusRules({"A": D(1)}, floor_cents=-1), "默认保底"),
    ],
    ids=[
        "negative-pool",
        "float-pool",
        "unknown-result",
        "unknown-grade",
        "negative-coefficient",
        "nan-coefficient",
        "floor-above-cap",
        "duplicate-department",
        "duplicate-person",
        "negative-default-floor",
    ],
)
def test_invalid_input_is_refused_in_chinese(
    pool: int, depts: list[DepartmentInput], rules: BonusRules, message: str
) -> None:
    with pytest.raises(RuleError, match=message):
        allocate(pool, depts, rules)


def test_rule_error_is_a_value_error() -> None:
    assert issubclass(RuleError, ValueError)


# --- formatting --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cents", "text"),
    [(0, "0.00"), (5, "0.05"), (123_456, "1,234.56"), (36_000_000, "360,000.00"), (-150, "-1.50")],
)
def test_format_yuan(cents: int, text: str) -> None:
    assert format_yuan(cents) == text


def test_default_grade_coefficients() -> None:
    assert DEFAULT_GRADE_COEFFICIENTS["good"] == D("1.2")
    assert DEFAULT_GRADE_COEFFICIENTS["fairly_good"] == D("1.0")
    assert DEFAULT_GRADE_COEFFICIENTS["average"] == D("0.8")
    assert DEFAULT_GRADE_COEFFICIENTS["poor"] == D("0.5")
    assert DEFAULT_GRADE_COEFFICIENTS["incompetent"] == 0
    assert DEFAULT_GRADE_COEFFICIENTS["not_graded"] == 0
