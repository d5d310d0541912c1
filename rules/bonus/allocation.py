"""Two-level bonus distribution (双拉差分配, 金牛区西华街道): pool -> departments -> people.

Money is integer cents and all arithmetic is exact (integers and ``Fraction``; never floats).

Level 1, between departments. A department's weight is

    weight = department coefficient (looked up by the department's result) x base

where ``base`` is ``DepartmentInput.base`` when given (e.g. 编制数), otherwise the headcount: the
people with a positive coefficient ("参与分配人数"; ``BonusRules.headcount_includes_zero`` also
counts those at 0). Money for somebody who receives nothing must not silently inflate the
colleagues' shares, hence the default. A department with nobody to pay (no people, or every
coefficient 0) gets weight 0 whatever its base. Each department's exact share is
``pool x weight / total weight``.

Level 2, within a department. Each person's exact share is proportional to the grade coefficient,
subject to an optional floor (保底) and cap (封顶) in cents, by water-filling: there is one level
λ such that everybody gets ``clamp(λ x coefficient, floor, cap)`` and the shares add up to the
department's part. People with coefficient 0 get 0 and no floor. λ is found exactly by one sort
of the breakpoints per department (only when some floor or cap binds), so the whole run is
O(n log n). ``floor_applied`` / ``cap_applied`` mean the bound changed the share (the
proportional share was strictly below the floor / above the cap).

Rounding (both levels): largest remainder (Hamilton). Everybody gets the integer part of the exact
share; the cents still missing go one each, in this order: larger remainder first, then larger
weight (department weight, or person coefficient), then smaller id (string order). Hence the
parts add up exactly to the pool / the department's part, nobody is off their exact share by a
cent or more, nobody at a floor or cap gets a cent more (their share is whole), and the result
does not depend on the order of the inputs (outputs are sorted by id).

Monotonicity: within a department, a person with a higher coefficient never gets fewer cents,
provided their floor and cap are not lower (always true for uniform floors/caps such as
``BonusRules.floor_cents``/``cap_cents``). Clamping is monotone, and on equal exact shares the tie
order favours the higher coefficient. A personal floor or cap that is lower than a colleague's
with a smaller coefficient is an explicit exception and can reverse the order.

Infeasible inputs raise ``RuleError`` (Chinese message) and never return a partial result: the
floors of a department exceeding its part, caps leaving money over ("剩余 … 元无法分配"), a
positive pool with every weight 0, or a paid person's floor above their cap. The departments
are checked all at once; the message names the first five (by id) and counts the rest. There is
no "undistributed remainder" line: every result returned sums exactly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction

from rules.bonus.explain import PersonLines, department_line
from rules.bonus.lines import (
    Allocation,
    BonusRules,
    DepartmentInput,
    DepartmentLine,
    PersonLine,
    department_title,
    format_yuan,
    label,
)
from rules.bonus.prepare import (
    GradeTable,
    InfeasibleError,
    PreparedDepartment,
    PreparedPerson,
    cents_or_none,
    check_unique,
    exact_coefficient,
    prepare,
)
from rules.errors import RuleError

# At most this many problems are spelled out in one error message.
_MAX_LISTED_PROBLEMS = 5


def allocate(
    pool_cents: int, departments: Iterable[DepartmentInput], rules: BonusRules
) -> Allocation:
    """Split ``pool_cents`` between departments, then between their people (see the module doc).

    Raises ``RuleError`` for invalid input or an infeasible floor/cap; never returns a result
    whose parts do not add up.
    """
    grades, prepared, total_weight = prepared_departments(pool_cents, departments, rules)
    parts = split_pool(pool_cents, prepared)
    problems: list[str] = []
    dept_lines: list[DepartmentLine] = []
    person_lines: list[PersonLine] = []
    for dept, (exact, cents, plus) in zip(prepared, parts, strict=True):
        dept_lines.append(department_line(dept, pool_cents, exact, cents, plus, total_weight))
        try:
            person_lines.extend(_split_department(dept, cents, grades))
        except InfeasibleError as exc:
            problems.append(str(exc))
    raise_problems(problems)
    return Allocation(pool_cents, tuple(dept_lines), tuple(person_lines))


def prepared_departments(
    pool_cents: int, departments: Iterable[DepartmentInput], rules: BonusRules
) -> tuple[GradeTable, list[PreparedDepartment], Fraction]:
    """The checked inputs: the grade table, the departments by id, the total weight."""
    if isinstance(pool_cents, bool) or not isinstance(pool_cents, int) or pool_cents < 0:
        raise RuleError(f"奖金池应为非负整数（单位：分），当前为 {pool_cents!r}")
    grades = GradeTable(rules.grade_coefficients)
    dept_coefficients = {
        key: exact_coefficient(value, f"科室结果「{label(key)}」的系数")
        for key, value in rules.department_coefficients.items()
    }
    default_floor = cents_or_none(rules.floor_cents, "默认保底") or 0
    default_cap = cents_or_none(rules.cap_cents, "默认封顶")

    depts = sorted(departments, key=lambda d: d.department_id)
    check_unique(depts)
    prepared = [
        prepare(d, grades, dept_coefficients, default_floor, default_cap, rules) for d in depts
    ]
    return grades, prepared, sum((d.weight for d in prepared), Fraction(0))


def raise_problems(problems: Sequence[str]) -> None:
    """One ``RuleError`` naming the first infeasible departments, if there are any."""
    if problems:
        listed = "；".join(problems[:_MAX_LISTED_PROBLEMS])
        more = len(problems) - _MAX_LISTED_PROBLEMS
        raise RuleError(listed + (f"；另有 {more} 个科室同样无法分配" if more > 0 else ""))


# --- level 1 -----------------------------------------------------------------------------


def split_pool(pool: int, depts: Sequence[PreparedDepartment]) -> list[tuple[Fraction, int, int]]:
    """(exact share, cents, rounding cent) per department, in the order given."""
    if not depts:
        if pool:
            raise RuleError(f"没有科室，奖金池 {format_yuan(pool)} 元无法分配")
        return []
    scale = math.lcm(1, *(d.weight.denominator for d in depts))
    weights = [d.weight.numerator * (scale // d.weight.denominator) for d in depts]
    total = sum(weights)
    if total == 0:
        if pool:
            raise RuleError(f"所有科室的分配权重均为 0，奖金池 {format_yuan(pool)} 元无法分配")
        return [(Fraction(0), 0, 0) for _ in depts]
    ids = [d.dept.department_id for d in depts]
    cents, plus = _hamilton(pool, weights, total, ids)
    return [(Fraction(pool * w, total), c, p) for w, c, p in zip(weights, cents, plus, strict=True)]


def _hamilton(
    amount: int, weights: Sequence[int], total: int, ids: Sequence[str]
) -> tuple[list[int], list[int]]:
    """Largest remainder split of ``amount`` by integer ``weights`` (sum ``total`` > 0)."""
    quotas = [divmod(amount * w, total) for w in weights]
    cents = [q for q, _ in quotas]
    plus = [0] * len(weights)
    missing = amount - sum(cents)
    if missing:
        # The documented tie order: larger remainder, larger weight, smaller id.
        order = sorted(range(len(weights)), key=lambda i: (-quotas[i][1], -weights[i], ids[i]))
        for i in order[:missing]:
            cents[i] += 1
            plus[i] = 1
    return cents, plus


# --- level 2 -----------------------------------------------------------------------------


def _split_department(d: PreparedDepartment, part: int, grades: GradeTable) -> list[PersonLine]:
    paid = [p for p in d.people if p.k > 0]
    check_department(d, paid, part)
    at_floor, at_cap, free, clamped = classify(paid, part)
    rest = part - clamped  # what the free people share in proportion to k
    free_k = sum(p.k for p in free)
    shares: dict[str, tuple[int, int]] = {}  # person id -> (cents, rounding cent)
    if free_k:
        cents, plus = _hamilton(
            rest, [p.k for p in free], free_k, [p.person.person_id for p in free]
        )
        for p, c, a in zip(free, cents, plus, strict=True):
            shares[p.person.person_id] = (c, a)
    ctx = PersonLines(d, part, rest, clamped, free_k, grades)
    lines: list[PersonLine] = []
    for p in d.people:
        pid = p.person.person_id
        if p.k == 0:
            lines.append(ctx.zero_line(p))
        elif pid in at_floor:
            lines.append(ctx.bound_line(p, p.floor, floor=True))
        elif pid in at_cap:
            lines.append(ctx.bound_line(p, p.cap or 0, floor=False))
        else:
            c, a = shares[pid]
            lines.append(ctx.free_line(p, c, a))
    return lines


def check_department(d: PreparedDepartment, paid: Sequence[PreparedPerson], part: int) -> None:
    """Raises ``InfeasibleError`` when the floors exceed the part or the caps leave money over."""
    floors = sum(p.floor for p in paid)
    title = department_title(d.dept)
    if floors > part:
        raise InfeasibleError(
            f"{title}保底合计 {format_yuan(floors)} 元超过科室分配额 {format_yuan(part)} 元"
        )
    if paid and all(p.cap is not None for p in paid):
        caps = sum(p.cap or 0 for p in paid)
        if caps < part:
            raise InfeasibleError(
                f"{title}全部人员封顶合计 {format_yuan(caps)} 元，"
                f"低于科室分配额 {format_yuan(part)} 元，剩余 {format_yuan(part - caps)} 元无法分配"
            )


def classify(
    paid: Sequence[PreparedPerson], part: int
) -> tuple[set[str], set[str], list[PreparedPerson], int]:
    """(ids at their floor, ids at their cap, the free people, the money of those at a bound)
    against the water level (a person's proportional share is t x k)."""
    level = _water_level(paid, part)
    if level is None:
        return set(), set(), list(paid), 0
    tn, td = level
    at_floor: set[str] = set()
    at_cap: set[str] = set()
    free: list[PreparedPerson] = []
    clamped = 0
    for p in paid:
        if tn * p.k < p.floor * td:
            at_floor.add(p.person.person_id)
            clamped += p.floor
        elif p.cap is not None and tn * p.k > p.cap * td:
            at_cap.add(p.person.person_id)
            clamped += p.cap
        else:
            free.append(p)
    return at_floor, at_cap, free, clamped


def _water_level(paid: Sequence[PreparedPerson], part: int) -> tuple[int, int] | None:
    """The level t = tn/td at which sum(clamp(t x k, floor, cap)) == part, or None when no floor
    or cap binds (plain proportion). Feasibility has been checked by the caller."""
    total_k = sum(p.k for p in paid)
    if total_k == 0:
        return None
    # The common case: the plain proportional shares part x k / total_k violate nothing.
    if all(
        part * p.k >= p.floor * total_k and (p.cap is None or part * p.k <= p.cap * total_k)
        for p in paid
    ):
        return None
    # Sweep the breakpoints in t' = t x L, L = lcm of the k's, so that every breakpoint
    # (floor x L / k, cap x L / k) is an integer and one integer sort orders them exactly.
    lcm = math.lcm(*{p.k for p in paid})
    events: list[tuple[int, int, int, int]] = []  # (t', 0 leaves floor | 1 hits cap, k, cents)
    for p in paid:
        m = lcm // p.k
        events.append((p.floor * m, 0, p.k, p.floor))
        if p.cap is not None:
            events.append((p.cap * m, 1, p.k, p.cap))
    events.sort()
    fixed = sum(p.floor for p in paid)  # money of the people at a bound
    slope = 0  # sum of k of the free people; g(t') = fixed + t' x slope / L
    prev = 0
    for t, kind, k, cents in events:
        if fixed * lcm + t * slope >= part * lcm:
            break
        if kind == 0:
            fixed -= cents
            slope += k
        else:
            fixed += cents
            slope -= k
        prev = t
    if slope == 0:
        # g is flat here, so it already equals the part: take the smallest level, t = t'/L.
        return prev, lcm
    return part - fixed, slope  # solves fixed + t x slope == part

