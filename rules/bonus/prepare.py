"""Preparing an allocation: checked inputs, exact coefficients, the departments' weights."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from operator import attrgetter

from rules.bonus.lines import (
    BonusRules,
    DepartmentInput,
    PersonInput,
    department_title,
    format_yuan,
    label,
    show_fraction,
)
from rules.errors import RuleError


class InfeasibleError(Exception):
    """One department's floors/caps cannot be met; collected into one RuleError."""


class GradeTable:
    """Grade coefficients scaled to integers by one common denominator, so that level 2 needs
    integer arithmetic only (the scale cancels out in every ratio)."""

    def __init__(self, table: Mapping[str, Decimal]) -> None:
        exact = {
            key: exact_coefficient(value, f"等次「{label(key)}」的系数")
            for key, value in table.items()
        }
        scale = math.lcm(1, *(f.denominator for f in exact.values()))
        self.scaled = {key: int(f * scale) for key, f in exact.items()}
        self.decimal = {key: Decimal(value) for key, value in table.items()}
        self.shown = {key: show_fraction(f) for key, f in exact.items()}
        self.scale = scale

    def scaled_of(self, grade: str, who: str) -> int:
        try:
            return self.scaled[grade]
        except KeyError:
            raise RuleError(f"{who}的等次「{label(grade)}」未配置奖金系数") from None


@dataclass(frozen=True, slots=True)
class PreparedPerson:
    person: PersonInput
    k: int  # scaled coefficient
    floor: int  # 0 for k == 0
    cap: int | None


@dataclass(frozen=True, slots=True)
class PreparedDepartment:
    dept: DepartmentInput
    people: tuple[PreparedPerson, ...]  # by person id
    coefficient: Fraction
    base: Fraction
    headcount: int | None  # None when the base was configured
    weight: Fraction
    why_zero: str  # why the weight was forced to 0, else ""


def prepare(
    d: DepartmentInput,
    grades: GradeTable,
    dept_coefficients: Mapping[str, Fraction],
    default_floor: int,
    default_cap: int | None,
    rules: BonusRules,
) -> PreparedDepartment:
    title = department_title(d)
    try:
        coefficient = dept_coefficients[d.result]
    except KeyError:
        raise RuleError(f"{title}的结果「{label(d.result)}」未配置科室系数") from None
    people: list[PreparedPerson] = []
    scaled = grades.scaled
    for p in sorted(d.people, key=_person_id):
        # The person's name in a message is only built when there is a message (100,000 people).
        k = scaled.get(p.grade)
        if k is None:
            k = grades.scaled_of(p.grade, _who(title, p))
        if p.floor_cents is None and p.cap_cents is None:  # the rule's floor and cap
            if k > 0 and default_cap is not None and default_floor > default_cap:
                raise RuleError(f"{_who(title, p)}的保底 {format_yuan(default_floor)} 元"
                                f"高于封顶 {format_yuan(default_cap)} 元")
            people.append(PreparedPerson(p, k, default_floor if k > 0 else 0, default_cap))
            continue
        floor = default_floor
        if p.floor_cents is not None:
            floor = cents_or_none(p.floor_cents, f"{_who(title, p)}的保底") or 0
        cap = default_cap
        if p.cap_cents is not None:
            cap = cents_or_none(p.cap_cents, f"{_who(title, p)}的封顶")
        if k > 0 and cap is not None and floor > cap:  # no floor applies at coefficient 0
            raise RuleError(
                f"{_who(title, p)}的保底 {format_yuan(floor)} 元高于封顶 {format_yuan(cap)} 元"
            )
        people.append(PreparedPerson(p, k, floor if k > 0 else 0, cap))
    paid = sum(1 for p in people if p.k > 0)
    if d.base is None:
        headcount: int | None = len(people) if rules.headcount_includes_zero else paid
        base = Fraction(headcount or 0)
    else:
        headcount = None
        base = exact_coefficient(d.base, f"{title}的分配基数")
    why_zero = ""
    if not people:
        why_zero = "科室无人员，不参与分配"
    elif paid == 0:
        why_zero = "科室人员系数均为 0，无人可分配，不参与分配"
    weight = Fraction(0) if why_zero else coefficient * base
    return PreparedDepartment(d, tuple(people), coefficient, base, headcount, weight, why_zero)


_person_id = attrgetter("person_id")


def _who(title: str, p: PersonInput) -> str:
    return f"{title}人员「{p.name or p.person_id}」"


def check_unique(depts: Sequence[DepartmentInput]) -> None:
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


def exact_coefficient(value: Decimal | int, what: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise RuleError(f"{what}应为数字，当前为 {value!r}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise RuleError(f"{what}应为有限数，当前为 {value}")
    if value < 0:
        raise RuleError(f"{what}不能为负数，当前为 {value}")
    return Fraction(value)


def cents_or_none(value: int | None, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RuleError(f"{what}应为非负整数（单位：分），当前为 {value!r}")
    return value

