"""The bonus allocation for a run: the same rule as ``rules.bonus.allocation``, in integer cents,
without a ``Fraction`` or an explanation per person.

``allocate`` (the exact computation) builds every person's exact share as a ``Fraction`` and
their Chinese explanation; for 100,000 people that is most of a run's time. A run stores the
numbers instead (cents, the rounding cent, floor/cap flags, the exact share as the string of its
reduced fraction) and its department lines store what the explanations need
(``DepartmentFigures``): the explanations are rendered when read (``explain.person_explanation``).

Level 1 (2,000 departments at most) and the checks are shared with ``allocate``: the same
errors, in the same order. Level 2 is computed per class of equal coefficient: within a
department the people with the same coefficient have the same exact share, quotient and
remainder, so the largest-remainder order (larger remainder, larger coefficient, smaller id) is
the classes in (remainder, coefficient) order and, within a class, the people by id (they are
sorted by id already): one ``divmod`` per class, no sort of people. The property test
(tests/rules/test_bonus_cents.py) checks that this equals ``allocate`` to the cent, flag and text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import gcd

from rules.bonus.allocation import (
    check_department,
    classify,
    prepared_departments,
    raise_problems,
    split_pool,
)
from rules.bonus.explain import department_line
from rules.bonus.lines import BonusRules, DepartmentInput, DepartmentLine
from rules.bonus.prepare import GradeTable, InfeasibleError, PreparedDepartment


@dataclass(frozen=True, slots=True)
class PersonShare:
    """A person's line without its explanation."""

    person_id: str
    department_id: str
    grade: str
    coefficient: Decimal
    exact_cents: str  # str() of the exact share as a reduced Fraction: "n/d" or "n"
    cents: int
    floor_applied: bool
    cap_applied: bool
    rounding_cents: int


@dataclass(frozen=True, slots=True)
class DepartmentShare:
    line: DepartmentLine  # level 1, with its explanation
    bound_cents: int  # money of the people held at their floor or cap
    free_coefficient: Fraction  # sum of the coefficients of the people paid in proportion


@dataclass(frozen=True, slots=True)
class Shares:
    pool_cents: int
    departments: tuple[DepartmentShare, ...]  # by department id
    people: tuple[PersonShare, ...]  # by department id, then person id


def allocate_cents(
    pool_cents: int, departments: Iterable[DepartmentInput], rules: BonusRules
) -> Shares:
    """``allocate`` without per-person Fractions and texts (see the module doc): the same cents,
    rounding cents, flags and exact shares; the same ``RuleError``s."""
    grades, prepared, total_weight = prepared_departments(pool_cents, departments, rules)
    parts = split_pool(pool_cents, prepared)
    problems: list[str] = []
    depts: list[DepartmentShare] = []
    people: list[PersonShare] = []
    for dept, (exact, cents, plus) in zip(prepared, parts, strict=True):
        line = department_line(dept, pool_cents, exact, cents, plus, total_weight)
        try:
            bound, free_k = _split_department(dept, cents, grades, people)
        except InfeasibleError as exc:
            problems.append(str(exc))
            continue
        depts.append(DepartmentShare(line, bound, Fraction(free_k, grades.scale)))
    raise_problems(problems)
    return Shares(pool_cents, tuple(depts), tuple(people))


def _split_department(
    d: PreparedDepartment, part: int, grades: GradeTable, out: list[PersonShare]
) -> tuple[int, int]:
    """Appends the department's person shares to ``out``; returns (bound cents, free k)."""
    paid = [p for p in d.people if p.k > 0]
    if any(p.floor or p.cap is not None for p in paid):
        check_department(d, paid, part)
        at_floor, at_cap, free, clamped = classify(paid, part)
    else:  # no floor and no cap: nothing to check, everybody paid in proportion
        at_floor, at_cap, free, clamped = set(), set(), paid, 0
    rest = part - clamped
    # Per class of equal k: (quotient, remainder) of rest x k / free_k, and the exact share.
    free_k = sum(p.k for p in free)
    classes: dict[int, list[str]] = {}
    for p in free:
        members = classes.get(p.k)
        if members is None:
            classes[p.k] = [p.person.person_id]
        else:
            members.append(p.person.person_id)
    quota: dict[int, tuple[int, int]] = {}
    exact: dict[int, str] = {}
    missing = rest
    for k, members in classes.items():
        q, r = divmod(rest * k, free_k)
        quota[k] = (q, r)
        common = gcd(rest * k, free_k)
        n, den = rest * k // common, free_k // common
        exact[k] = str(n) if den == 1 else f"{n}/{den}"
        missing -= q * len(members)
    plus_ids: set[str] = set()
    if missing:
        for k in sorted(classes, key=lambda k: (-quota[k][1], -k)):
            take = classes[k][:missing]
            plus_ids.update(take)
            missing -= len(take)
            if not missing:
                break
    did = d.dept.department_id
    decimal = grades.decimal
    for p in d.people:
        pid = p.person.person_id
        g = p.person.grade
        if p.k == 0:
            out.append(PersonShare(pid, did, g, decimal[g], "0", 0, False, False, 0))
        elif pid in at_floor:
            out.append(PersonShare(pid, did, g, decimal[g], str(p.floor), p.floor, True, False, 0))
        elif pid in at_cap:
            cap = p.cap or 0
            out.append(PersonShare(pid, did, g, decimal[g], str(cap), cap, False, True, 0))
        elif pid in plus_ids:
            out.append(PersonShare(pid, did, g, decimal[g], exact[p.k], quota[p.k][0] + 1,
                                   False, False, 1))
        else:
            out.append(PersonShare(pid, did, g, decimal[g], exact[p.k], quota[p.k][0],
                                   False, False, 0))
    return clamped, free_k


__all__ = ["DepartmentShare", "PersonShare", "Shares", "allocate_cents"]
