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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from rules.errors import RuleError
from vocab.grades import GRADE_LABELS

__all__ = [
    "DEFAULT_GRADE_COEFFICIENTS",
    "Allocation",
    "BonusRules",
    "DepartmentInput",
    "DepartmentLine",
    "PersonInput",
    "PersonLine",
    "allocate",
    "format_yuan",
]

# Defaults to be confirmed per tenant: the quarterly ones come from the 西华街道 practice; the
# annual ones are a guess (不称职 and 不定等次 receive nothing).
DEFAULT_GRADE_COEFFICIENTS: Mapping[str, Decimal] = MappingProxyType(
    {
        "good": Decimal("1.2"),
        "fairly_good": Decimal("1.0"),
        "average": Decimal("0.8"),
        "poor": Decimal("0.5"),
        "excellent": Decimal("1.2"),
        "competent": Decimal("1.0"),
        "basically_competent": Decimal("0.5"),
        "incompetent": Decimal("0"),
        "not_graded": Decimal("0"),
    }
)

# At most this many problems are spelled out in one error message.
_MAX_LISTED_PROBLEMS = 5


@dataclass(frozen=True)
class BonusRules:
    """A tenant's configuration. Coefficients are non-negative ``Decimal``s."""

    # department result (e.g. its grade) -> department coefficient
    department_coefficients: Mapping[str, Decimal]
    # person grade -> grade coefficient
    grade_coefficients: Mapping[str, Decimal] = field(
        default_factory=lambda: DEFAULT_GRADE_COEFFICIENTS
    )
    # uniform floor/cap per person with a positive coefficient; PersonInput may override
    floor_cents: int = 0
    cap_cents: int | None = None
    headcount_includes_zero: bool = False


@dataclass(frozen=True, slots=True)
class PersonInput:
    person_id: str
    grade: str
    # None: BonusRules.floor_cents / cap_cents
    floor_cents: int | None = None
    cap_cents: int | None = None
    name: str = ""


@dataclass(frozen=True, slots=True)
class DepartmentInput:
    department_id: str
    result: str
    people: tuple[PersonInput, ...]
    # None: headcount; otherwise a configured weight base (编制数 ...)
    base: Decimal | int | None = None
    name: str = ""


@dataclass(frozen=True, slots=True)
class DepartmentLine:
    department_id: str
    name: str
    result: str
    coefficient: Decimal
    base: Decimal
    weight: Fraction  # coefficient x base, 0 when nobody can be paid
    exact_cents: Fraction  # pool x weight / total weight
    cents: int
    rounding_cents: int  # 1 when the largest remainder gave this line a cent, else 0
    explanation: str


@dataclass(frozen=True, slots=True)
class PersonLine:
    person_id: str
    department_id: str
    name: str
    grade: str
    coefficient: Decimal
    exact_cents: Fraction  # share before rounding; whole at a floor or cap
    cents: int
    floor_applied: bool
    cap_applied: bool
    rounding_cents: int  # 1 or 0
    explanation: str


@dataclass(frozen=True, slots=True)
class Allocation:
    pool_cents: int
    departments: tuple[DepartmentLine, ...]  # by department id
    people: tuple[PersonLine, ...]  # by department id, then person id


def format_yuan(cents: int) -> str:
    """12345678 -> "123,456.78"."""
    sign = "-" if cents < 0 else ""
    yuan, cent = divmod(abs(cents), 100)
    return f"{sign}{yuan:,}.{cent:02d}"


def allocate(
    pool_cents: int, departments: Iterable[DepartmentInput], rules: BonusRules
) -> Allocation:
    """Split ``pool_cents`` between departments, then between their people (see the module doc).

    Raises ``RuleError`` for invalid input or an infeasible floor/cap; never returns a result
    whose parts do not add up.
    """
    if isinstance(pool_cents, bool) or not isinstance(pool_cents, int) or pool_cents < 0:
        raise RuleError(f"奖金池应为非负整数（单位：分），当前为 {pool_cents!r}")
    grades = _GradeTable(rules.grade_coefficients)
    dept_coefficients = {
        key: _coefficient(value, f"科室结果「{_label(key)}」的系数")
        for key, value in rules.department_coefficients.items()
    }
    default_floor = _cents_or_none(rules.floor_cents, "默认保底") or 0
    default_cap = _cents_or_none(rules.cap_cents, "默认封顶")

    depts = sorted(departments, key=lambda d: d.department_id)
    _check_unique(depts)
    prepared = [
        _prepare(d, grades, dept_coefficients, default_floor, default_cap, rules) for d in depts
    ]
    total_weight = sum((d.weight for d in prepared), Fraction(0))

    parts = _split_pool(pool_cents, prepared)
    problems: list[str] = []
    dept_lines: list[DepartmentLine] = []
    person_lines: list[PersonLine] = []
    for dept, (exact, cents, plus) in zip(prepared, parts, strict=True):
        dept_lines.append(_department_line(dept, pool_cents, exact, cents, plus, total_weight))
        try:
            person_lines.extend(_split_department(dept, cents, grades))
        except _InfeasibleError as exc:
            problems.append(str(exc))
    if problems:
        listed = "；".join(problems[:_MAX_LISTED_PROBLEMS])
        more = len(problems) - _MAX_LISTED_PROBLEMS
        raise RuleError(listed + (f"；另有 {more} 个科室同样无法分配" if more > 0 else ""))
    return Allocation(pool_cents, tuple(dept_lines), tuple(person_lines))


# --- preparation -------------------------------------------------------------------------


class _InfeasibleError(Exception):
    """One department's floors/caps cannot be met; collected into one RuleError."""


class _GradeTable:
    """Grade coefficients scaled to integers by one common denominator, so that level 2 needs
    integer arithmetic only (the scale cancels out in every ratio)."""

    def __init__(self, table: Mapping[str, Decimal]) -> None:
        exact = {
            key: _coefficient(value, f"等次「{_label(key)}」的系数") for key, value in table.items()
        }
        scale = math.lcm(1, *(f.denominator for f in exact.values()))
        self.scaled = {key: int(f * scale) for key, f in exact.items()}
        self.decimal = {key: Decimal(value) for key, value in table.items()}
        self.shown = {key: _show_fraction(f) for key, f in exact.items()}
        self.scale = scale

    def scaled_of(self, grade: str, who: str) -> int:
        try:
            return self.scaled[grade]
        except KeyError:
            raise RuleError(f"{who}的等次「{_label(grade)}」未配置奖金系数") from None


@dataclass(frozen=True, slots=True)
class _Person:
    person: PersonInput
    k: int  # scaled coefficient
    floor: int  # 0 for k == 0
    cap: int | None


@dataclass(frozen=True, slots=True)
class _Dept:
    dept: DepartmentInput
    people: tuple[_Person, ...]  # by person id
    coefficient: Fraction
    base: Fraction
    headcount: int | None  # None when the base was configured
    weight: Fraction
    why_zero: str  # why the weight was forced to 0, else ""


def _prepare(
    d: DepartmentInput,
    grades: _GradeTable,
    dept_coefficients: Mapping[str, Fraction],
    default_floor: int,
    default_cap: int | None,
    rules: BonusRules,
) -> _Dept:
    title = _dept_title(d)
    try:
        coefficient = dept_coefficients[d.result]
    except KeyError:
        raise RuleError(f"{title}的结果「{_label(d.result)}」未配置科室系数") from None
    people: list[_Person] = []
    for p in sorted(d.people, key=lambda p: p.person_id):
        who = f"{title}人员「{p.name or p.person_id}」"
        k = grades.scaled_of(p.grade, who)
        floor = _cents_or_none(p.floor_cents, f"{who}的保底")
        cap = _cents_or_none(p.cap_cents, f"{who}的封顶")
        floor = default_floor if floor is None else floor
        cap = default_cap if cap is None else cap
        if k > 0 and cap is not None and floor > cap:  # no floor applies at coefficient 0
            raise RuleError(f"{who}的保底 {format_yuan(floor)} 元高于封顶 {format_yuan(cap)} 元")
        people.append(_Person(p, k, floor if k > 0 else 0, cap))
    paid = sum(1 for p in people if p.k > 0)
    if d.base is None:
        headcount: int | None = len(people) if rules.headcount_includes_zero else paid
        base = Fraction(headcount or 0)
    else:
        headcount = None
        base = _coefficient(d.base, f"{title}的分配基数")
    why_zero = ""
    if not people:
        why_zero = "科室无人员，不参与分配"
    elif paid == 0:
        why_zero = "科室人员系数均为 0，无人可分配，不参与分配"
    weight = Fraction(0) if why_zero else coefficient * base
    return _Dept(d, tuple(people), coefficient, base, headcount, weight, why_zero)


def _check_unique(depts: Sequence[DepartmentInput]) -> None:
    seen_d: set[str] = set()
    seen_p: set[str] = set()
    for d in depts:
        if d.department_id in seen_d:
            raise RuleError(f"科室编号「{d.department_id}」重复")
        seen_d.add(d.department_id)
        for p in d.people:
            if p.person_id in seen_p:
                raise RuleError(f"人员编号「{p.person_id}」重复（一人只能属于一个科室）")
            seen_p.add(p.person_id)


def _coefficient(value: Decimal | int, what: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise RuleError(f"{what}应为数字，当前为 {value!r}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise RuleError(f"{what}应为有限数，当前为 {value}")
    if value < 0:
        raise RuleError(f"{what}不能为负数，当前为 {value}")
    return Fraction(value)


def _cents_or_none(value: int | None, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RuleError(f"{what}应为非负整数（单位：分），当前为 {value!r}")
    return value


# --- level 1 -----------------------------------------------------------------------------


def _split_pool(pool: int, depts: Sequence[_Dept]) -> list[tuple[Fraction, int, int]]:
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


def _split_department(d: _Dept, part: int, grades: _GradeTable) -> list[PersonLine]:
    paid = [p for p in d.people if p.k > 0]
    floors = sum(p.floor for p in paid)
    title = _dept_title(d.dept)
    if floors > part:
        raise _InfeasibleError(
            f"{title}保底合计 {format_yuan(floors)} 元超过科室分配额 {format_yuan(part)} 元"
        )
    if paid and all(p.cap is not None for p in paid):
        caps = sum(p.cap or 0 for p in paid)
        if caps < part:
            raise _InfeasibleError(
                f"{title}全部人员封顶合计 {format_yuan(caps)} 元，"
                f"低于科室分配额 {format_yuan(part)} 元，剩余 {format_yuan(part - caps)} 元无法分配"
            )
    level = _water_level(paid, part)
    # Classify against the level t = tn/td (a person's proportional share is t x k).
    at_floor: set[str] = set()
    at_cap: set[str] = set()
    free: list[_Person] = []
    clamped = 0
    for p in paid:
        if level is not None:
            tn, td = level
            if tn * p.k < p.floor * td:
                at_floor.add(p.person.person_id)
                clamped += p.floor
                continue
            if p.cap is not None and tn * p.k > p.cap * td:
                at_cap.add(p.person.person_id)
                clamped += p.cap
                continue
        free.append(p)
    rest = part - clamped  # what the free people share in proportion to k
    free_k = sum(p.k for p in free)
    shares: dict[str, tuple[int, int]] = {}  # person id -> (cents, rounding cent)
    if free_k:
        cents, plus = _hamilton(
            rest, [p.k for p in free], free_k, [p.person.person_id for p in free]
        )
        for p, c, a in zip(free, cents, plus, strict=True):
            shares[p.person.person_id] = (c, a)
    ctx = _Context(d, part, rest, clamped, free_k, grades)
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


def _water_level(paid: Sequence[_Person], part: int) -> tuple[int, int] | None:
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


# --- explanations ------------------------------------------------------------------------


class _Context:
    """Builds the person lines of one department, with their Chinese explanation."""

    def __init__(
        self, d: _Dept, part: int, rest: int, clamped: int, free_k: int, grades: _GradeTable
    ) -> None:
        self.d = d
        self.rest = rest
        self.free_k = free_k
        self.grades = grades
        k_sum = _show_fraction(Fraction(free_k, grades.scale))
        if clamped:
            self.head = (
                f"科室分配额 {format_yuan(part)} 元扣除保底/封顶人员 {format_yuan(clamped)} 元"
                f"后余 {format_yuan(rest)} 元"
            )
            self.k_sum = f"其余人员系数合计 {k_sum}"
        else:
            self.head = f"科室分配额 {format_yuan(part)} 元"
            self.k_sum = f"科室系数合计 {k_sum}"

    def _line(
        self, p: _Person, exact: Fraction, cents: int, fl: bool, cap: bool, plus: int, why: str
    ) -> PersonLine:
        g = p.person.grade
        return PersonLine(
            p.person.person_id,
            self.d.dept.department_id,
            p.person.name,
            g,
            self.grades.decimal[g],
            exact,
            cents,
            fl,
            cap,
            plus,
            why,
        )

    def zero_line(self, p: _Person) -> PersonLine:
        why = f"等次「{_label(p.person.grade)}」系数 0，不参与分配（保底不适用），实得 0.00 元"
        return self._line(p, Fraction(0), 0, False, False, 0, why)

    def free_line(self, p: _Person, cents: int, plus: int) -> PersonLine:
        exact = Fraction(self.rest * p.k, self.free_k)
        why = (
            f"{self.head} × 系数 {self.grades.shown[p.person.grade]} / {self.k_sum} "
            f"{_show_exact(exact)} 元{_rounding_note(exact, cents, plus)}"
        )
        return self._line(p, exact, cents, False, False, plus, why)

    def bound_line(self, p: _Person, cents: int, *, floor: bool) -> PersonLine:
        coef = self.grades.shown[p.person.grade]
        if self.free_k:
            prop = f"按比例应得 {_show_exact(Fraction(self.rest * p.k, self.free_k))} 元"
        else:
            prop = "按比例应得"
        if floor:
            why = f"系数 {coef}，{prop}，低于保底 {format_yuan(cents)} 元，按保底发放"
        else:
            why = f"系数 {coef}，{prop}，高于封顶 {format_yuan(cents)} 元，按封顶发放"
        return self._line(p, Fraction(cents), cents, floor, not floor, 0, why)


def _department_line(
    d: _Dept, pool: int, exact: Fraction, cents: int, plus: int, total: Fraction
) -> DepartmentLine:
    dept = d.dept
    if d.why_zero:
        why = f"{d.why_zero}，分得 0.00 元"
    else:
        base = (
            f"参与分配人数 {d.headcount}"
            if d.headcount is not None
            else f"分配基数 {_show_fraction(d.base)}"
        )
        why = (
            f"科室结果「{_label(dept.result)}」系数 {_show_fraction(d.coefficient)} × {base} "
            f"= 权重 {_show_fraction(d.weight)}"
        )
        if total:
            why += (
                f"；奖金池 {format_yuan(pool)} 元 × {_show_fraction(d.weight)} / 权重合计 "
                f"{_show_fraction(total)} {_show_exact(exact)} 元"
                + _rounding_note(exact, cents, plus)
            )
        else:
            why += "；奖金池为 0，分得 0.00 元"
    return DepartmentLine(
        dept.department_id,
        dept.name,
        dept.result,
        _to_decimal(d.coefficient),
        _to_decimal(d.base),
        d.weight,
        exact,
        cents,
        plus,
        why,
    )


def _rounding_note(exact: Fraction, cents: int, plus: int) -> str:
    if exact.denominator == 1:
        return ""
    if plus:
        return f"；舍入 +0.01 元，实得 {format_yuan(cents)} 元"
    return f"；尾数舍去，实得 {format_yuan(cents)} 元"


def _show_exact(cents: Fraction) -> str:
    """ "= 24,000.00" when whole, "= 28,928.5725" when exact at 4 places of a yuan,
    else "≈ 10,285.7143" (display only; the line carries the exact Fraction).
    Integer arithmetic only: this runs once per person."""
    num, den = cents.numerator, cents.denominator
    if den == 1:
        return f"= {format_yuan(num)}"
    q, r = divmod(num * 100, den)  # ten-thousandths of a yuan
    sign = "=" if r == 0 else "≈"
    if 2 * r > den or (2 * r == den and q % 2):  # half to even
        q += 1
    yuan, frac = divmod(q, 10_000)
    return f"{sign} {yuan:,}.{frac:04d}"


def _show_fraction(value: Fraction) -> str:
    """A terminating fraction as a short decimal with at least one place: 6 -> "6.0"."""
    digits, places = _decimal_digits(value)
    text = str(digits).rjust(places + 1, "0")
    whole, frac = text[: len(text) - places], text[len(text) - places :].rstrip("0")
    return f"{whole}.{frac or '0'}"


def _to_decimal(value: Fraction) -> Decimal:
    digits, places = _decimal_digits(value)
    return Decimal(f"{digits}E-{places}")  # built from a string: exact at any length


def _decimal_digits(value: Fraction) -> tuple[int, int]:
    """(n, p) with value == n / 10^p. Coefficients and bases come from Decimals, so the
    denominator is 2^a 5^b and this terminates."""
    den = value.denominator
    places = 0
    while den % 10 == 0 or den % 2 == 0 or den % 5 == 0:
        if den % 10 == 0:
            den //= 10
        elif den % 2 == 0:
            den //= 2
        else:
            den //= 5
        places += 1
    if den != 1:
        raise RuleError(f"数值 {value} 不是有限小数")  # unreachable for Decimal inputs
    return value.numerator * 10**places // value.denominator, places


def _label(key: str) -> str:
    return GRADE_LABELS.get(key, key)


def _dept_title(d: DepartmentInput) -> str:
    return f"科室「{d.name or d.department_id}」"
