"""The Chinese explanation of every department and person line (exact figures, display only)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from rules.bonus.lines import (
    DepartmentLine,
    PersonLine,
    format_yuan,
    label,
    rounding_note,
    show_exact,
    show_fraction,
    to_decimal,
)
from rules.bonus.prepare import GradeTable, PreparedDepartment, PreparedPerson


@dataclass(frozen=True, slots=True)
class DepartmentFigures:
    """What a person line's explanation needs of its department, stored on the department line
    (so the 100,000 person explanations are rendered when read, not stored)."""

    part: int  # the department's cents (level 1)
    bound_cents: int  # money of its people held at their floor or cap
    free_coefficient: Fraction  # sum of the coefficients of the people paid in proportion

    @property
    def rest(self) -> int:
        return self.part - self.bound_cents


def person_explanation(
    d: DepartmentFigures, grade: str, coefficient: Fraction, exact: Fraction, cents: int,
    plus: int, *, floor: bool, cap: bool,
) -> str:
    """The Chinese explanation of an included person line, from its numbers and its
    department's: coefficient 0, held at the floor or cap, or paid in proportion."""
    if coefficient == 0:
        return f"等次「{label(grade)}」系数 0，不参与分配（保底不适用），实得 0.00 元"
    coef = show_fraction(coefficient)
    if floor or cap:
        if d.free_coefficient:
            prop = f"按比例应得 {show_exact(d.rest * coefficient / d.free_coefficient)} 元"
        else:
            prop = "按比例应得"
        if floor:
            return f"系数 {coef}，{prop}，低于保底 {format_yuan(cents)} 元，按保底发放"
        return f"系数 {coef}，{prop}，高于封顶 {format_yuan(cents)} 元，按封顶发放"
    k_sum = show_fraction(d.free_coefficient)
    if d.bound_cents:
        head = (
            f"科室分配额 {format_yuan(d.part)} 元扣除保底/封顶人员 {format_yuan(d.bound_cents)} 元"
            f"后余 {format_yuan(d.rest)} 元 × 系数 {coef} / 其余人员系数合计 {k_sum}"
        )
    else:
        head = f"科室分配额 {format_yuan(d.part)} 元 × 系数 {coef} / 科室系数合计 {k_sum}"
    return f"{head} {show_exact(exact)} 元{rounding_note(exact, cents, plus)}"


def excluded_explanation(note: str) -> str:
    """The explanation of a line left out of the allocation (``note`` says why)."""
    return f"{note}，实得 0.00 元"


class PersonLines:
    """Builds the person lines of one department, with their Chinese explanation."""

    def __init__(
        self, d: PreparedDepartment, part: int, rest: int, clamped: int, free_k: int,
        grades: GradeTable,
    ) -> None:
        self.d = d
        self.rest = rest
        self.free_k = free_k
        self.grades = grades
        self.figures = DepartmentFigures(part, clamped, Fraction(free_k, grades.scale))

    def _line(
        self, p: PreparedPerson, exact: Fraction, cents: int, fl: bool, cap: bool, plus: int
    ) -> PersonLine:
        g = p.person.grade
        why = person_explanation(
            self.figures, g, Fraction(p.k, self.grades.scale), exact, cents, plus,
            floor=fl, cap=cap,
        )
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

    def zero_line(self, p: PreparedPerson) -> PersonLine:
        return self._line(p, Fraction(0), 0, False, False, 0)

    def free_line(self, p: PreparedPerson, cents: int, plus: int) -> PersonLine:
        return self._line(p, Fraction(self.rest * p.k, self.free_k), cents, False, False, plus)

    def bound_line(self, p: PreparedPerson, cents: int, *, floor: bool) -> PersonLine:
        return self._line(p, Fraction(cents), cents, floor, not floor, 0)


def department_line(
    d: PreparedDepartment, pool: int, exact: Fraction, cents: int, plus: int, total: Fraction
) -> DepartmentLine:
    dept = d.dept
    if d.why_zero:
        why = f"{d.why_zero}，分得 0.00 元"
    else:
        base = (
            f"参与分配人数 {d.headcount}"
            if d.headcount is not None
            else f"分配基数 {show_fraction(d.base)}"
        )
        why = (
            f"科室结果「{label(dept.result)}」系数 {show_fraction(d.coefficient)} × {base} "
            f"= 权重 {show_fraction(d.weight)}"
        )
        if total:
            why += (
                f"；奖金池 {format_yuan(pool)} 元 × {show_fraction(d.weight)} / 权重合计 "
                f"{show_fraction(total)} {show_exact(exact)} 元"
                + rounding_note(exact, cents, plus)
            )
        else:
            why += "；奖金池为 0，分得 0.00 元"
    return DepartmentLine(
        dept.department_id,
        dept.name,
        dept.result,
        to_decimal(d.coefficient),
        to_decimal(d.base),
        d.weight,
        exact,
        cents,
        plus,
        why,
    )
