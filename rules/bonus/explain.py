"""The Chinese explanation of every department and person line (exact figures, display only)."""

from __future__ import annotations

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
        k_sum = show_fraction(Fraction(free_k, grades.scale))
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
        self, p: PreparedPerson, exact: Fraction, cents: int, fl: bool, cap: bool, plus: int,
        why: str,
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

    def zero_line(self, p: PreparedPerson) -> PersonLine:
        why = f"等次「{label(p.person.grade)}」系数 0，不参与分配（保底不适用），实得 0.00 元"
        return self._line(p, Fraction(0), 0, False, False, 0, why)

    def free_line(self, p: PreparedPerson, cents: int, plus: int) -> PersonLine:
        exact = Fraction(self.rest * p.k, self.free_k)
        why = (
            f"{self.head} × 系数 {self.grades.shown[p.person.grade]} / {self.k_sum} "
            f"{show_exact(exact)} 元{rounding_note(exact, cents, plus)}"
        )
        return self._line(p, exact, cents, False, False, plus, why)

    def bound_line(self, p: PreparedPerson, cents: int, *, floor: bool) -> PersonLine:
        coef = self.grades.shown[p.person.grade]
        if self.free_k:
            prop = f"按比例应得 {show_exact(Fraction(self.rest * p.k, self.free_k))} 元"
        else:
            prop = "按比例应得"
        if floor:
            why = f"系数 {coef}，{prop}，低于保底 {format_yuan(cents)} 元，按保底发放"
        else:
            why = f"系数 {coef}，{prop}，高于封顶 {format_yuan(cents)} 元，按封顶发放"
        return self._line(p, Fraction(cents), cents, floor, not floor, 0, why)


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
