"""A department's result of a period (组织绩效, 考事): a score and a level, explained.

The formula (every number is a tenant setting, ``tenants.config.DepartmentResultConfig``):

* Task completion: of the department's tasks and its people's tasks due in the period (not
  cancelled), the share done, times ``task_points`` (default 100). No task due: full points,
  said so in the explanation (a department is not punished for having nothing due).
* Overdue items not rectified (滞后事项未整改, ``rules.supervision``): ``overdue_item_points``
  (default 2) off per open item, at most ``overdue_cap`` (default 20) in all.
* Unit-level indicators the department owns (point records against the unit: credits add,
  deductions remove, as ``rules.indicator_effect.record_counts`` admits them): the net points,
  limited to ``±indicator_cap`` (default 10).
* Score = task part + indicator part - overdue part, at least 0, rounded once half up to 2
  decimals; level = the first band ``(threshold, level)`` (descending) the score reaches, else
  the lowest level (defaults: A >= 90, B >= 80, C >= 60, else D).

A result may be adjusted by the admin or the office with a reason (the use case); the rule only
computes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from rules.errors import RuleError

__all__ = [
    "DepartmentFacts",
    "DepartmentResultPolicy",
    "DepartmentScore",
    "compute_department_result",
    "level_of",
]

CENT = Decimal("0.01")


@dataclass(frozen=True)
class DepartmentResultPolicy:
    task_points: Decimal = Decimal(100)
    overdue_item_points: Decimal = Decimal(2)
    overdue_cap: Decimal = Decimal(20)
    indicator_cap: Decimal = Decimal(10)
    # ((threshold, level), ...) best first: a score >= threshold gets the level.
    bands: tuple[tuple[Decimal, str], ...] = (
        (Decimal(90), "A"), (Decimal(80), "B"), (Decimal(60), "C"))
    lowest_level: str = "D"

    def __post_init__(self) -> None:
        for name, value in (("任务完成满分", self.task_points),
                            ("每项滞后事项扣分", self.overdue_item_points),
                            ("滞后事项扣分上限", self.overdue_cap),
                            ("单位指标加减分上限", self.indicator_cap)):
            if not value.is_finite() or value < 0:
                raise RuleError(f"部门考核规则：{name}须为非负数，当前为{value}")
        thresholds = [t for t, _ in self.bands]
        if any(not t.is_finite() for t in thresholds) or thresholds != sorted(
                set(thresholds), reverse=True):
            raise RuleError("部门考核结果分数段须从高到低排列、不得重复")
        levels = [level for _, level in self.bands] + [self.lowest_level]
        if any(not level.strip() for level in levels) or len(set(levels)) != len(levels):
            raise RuleError("部门考核结果档次名称不能为空且不得重复")

    @property
    def levels(self) -> tuple[str, ...]:
        """The levels, best first."""
        return (*(level for _, level in self.bands), self.lowest_level)


@dataclass(frozen=True)
class DepartmentFacts:
    """What the period holds for one department (its sub-units included)."""

    tasks_due: int
    tasks_done: int
    open_overdue: int
    credit_points: Decimal = Decimal(0)
    deduction_points: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        if not 0 <= self.tasks_done <= self.tasks_due or self.open_overdue < 0:
            raise RuleError("部门任务数据有误：完成数须在0与到期任务数之间，滞后事项数不能为负")
        if self.credit_points < 0 or self.deduction_points < 0:
            raise RuleError("部门加减分须为非负数")


@dataclass(frozen=True)
class DepartmentScore:
    score: Decimal  # rounded once, half up to 2 decimals
    level: str
    components: tuple[dict[str, Any], ...]  # {kind, delta, text}: the explanation, in order


def level_of(score: Decimal, policy: DepartmentResultPolicy) -> str:
    for threshold, level in policy.bands:
        if score >= threshold:
            return level
    return policy.lowest_level


def _text(value: Fraction | Decimal) -> str:
    return str(_round(Fraction(value)))


def _round(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT, ROUND_HALF_UP)


def compute_department_result(facts: DepartmentFacts,
                              policy: DepartmentResultPolicy | None = None) -> DepartmentScore:
    """The score, level and explanation of one department (exact until the one rounding)."""
    policy = policy or DepartmentResultPolicy()
    lines: list[dict[str, Any]] = []
    if facts.tasks_due:
        task = Fraction(policy.task_points) * Fraction(facts.tasks_done, facts.tasks_due)
        text = (f"本周期到期任务{facts.tasks_due}项，完成{facts.tasks_done}项，"
                f"任务完成得分 {_text(task)}（满分 {policy.task_points}）")
    else:
        task = Fraction(policy.task_points)
        text = f"本周期无到期任务，任务完成按满分 {policy.task_points} 计"
    lines.append({"kind": "tasks", "delta": _text(task), "text": text})
    net = Fraction(facts.credit_points) - Fraction(facts.deduction_points)
    cap = Fraction(policy.indicator_cap)
    indicator = max(-cap, min(cap, net))
    text = (f"单位指标加分 {facts.credit_points}、减分 {facts.deduction_points}，"
            f"计 {_text(indicator)}")
    if indicator != net:
        text += f"（上限 ±{policy.indicator_cap}）"
    lines.append({"kind": "indicators", "delta": _text(indicator), "text": text})
    raw_overdue = Fraction(policy.overdue_item_points) * facts.open_overdue
    overdue = min(raw_overdue, Fraction(policy.overdue_cap))
    text = f"滞后事项未整改{facts.open_overdue}项，扣 {_text(overdue)}"
    if overdue != raw_overdue:
        text += f"（扣分上限 {policy.overdue_cap}）"
    lines.append({"kind": "overdue", "delta": _text(-overdue), "text": text})
    total = max(Fraction(0), task + indicator - overdue)
    score = _round(total)
    level = level_of(score, policy)
    lines.append({"kind": "total", "delta": str(score),
                  "text": f"合计 {score} 分，部门考核结果为「{level}」"})
    return DepartmentScore(score, level, tuple(lines))
