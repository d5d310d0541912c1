"""Department results (考事): the formula, its caps, the bands, and properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.department_results import (
    DepartmentFacts,
    DepartmentResultPolicy,
    compute_department_result,
    level_of,
)
from rules.errors import RuleError


def test_worked_example_tasks_overdue_and_indicators() -> None:
    # 3 of 4 tasks due done: 75; credits 4 - deductions 1: +3; 2 open overdue items: -4.
    result = compute_department_result(DepartmentFacts(4, 3, 2, Decimal(4), Decimal(1)))
    assert result.score == Decimal("74.00")
    assert result.level == "C"
    kinds = [line["kind"] for line in result.components]
    assert kinds == ["tasks", "indicators", "overdue", "total"]
    assert result.components[0]["delta"] == "75.00"
    assert result.components[1]["delta"] == "3.00"
    assert result.components[2]["delta"] == "-4.00"
    assert result.components[3]["text"] == "合计 74.00 分，部门考核结果为「C」"


def test_exact_until_one_rounding_half_up() -> None:
    # 2/3 of 100 = 66.666..., + 0.005 credit = 66.67166... -> 66.67 (not 66.67 + 0.01)
    result = compute_department_result(DepartmentFacts(3, 2, 0, Decimal("0.005")))
    assert result.score == Decimal("66.67")
    # 1/8 of 100 = 12.5 exactly, - overdue 0: and an exact half of a cent rounds up
    policy = DepartmentResultPolicy(task_points=Decimal("0.09"))
    assert compute_department_result(DepartmentFacts(2, 1, 0), policy).score == Decimal("0.05")


def test_no_task_due_counts_as_complete_and_caps_apply() -> None:
    result = compute_department_result(DepartmentFacts(0, 0, 30, Decimal(50), Decimal(0)))
    # 100 + 10 (credits capped at 10) - 20 (30 items x 2, capped at 20)
    assert result.score == Decimal("90.00")
    assert result.level == "A"
    assert "无到期任务" in result.components[0]["text"]
    assert "上限 ±10" in result.components[1]["text"]
    assert "扣分上限 20" in result.components[2]["text"]


def test_never_below_zero() -> None:
    result = compute_department_result(DepartmentFacts(5, 0, 3, Decimal(0), Decimal(40)))
    assert result.score == Decimal("0.00")
    assert result.level == "D"


def test_bands_are_configurable() -> None:
    policy = DepartmentResultPolicy(bands=((Decimal(95), "优"), (Decimal(85), "良")),
                                    lowest_level="一般")
    assert level_of(Decimal("95"), policy) == "优"
    assert level_of(Decimal("94.99"), policy) == "良"
    assert level_of(Decimal("84.99"), policy) == "一般"
    assert policy.levels == ("优", "良", "一般")


@pytest.mark.parametrize("kwargs", [
    {"bands": ((Decimal(80), "A"), (Decimal(90), "B"))},
    {"bands": ((Decimal(90), "A"), (Decimal(80), "A"))},
    {"lowest_level": " "},
    {"overdue_item_points": Decimal(-1)},
])
def test_invalid_policies_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(RuleError):
        DepartmentResultPolicy(**kwargs)  # type: ignore[arg-type]


def test_invalid_facts_are_refused() -> None:
    with pytest.raises(RuleError):
        DepartmentFacts(2, 3, 0)
    with pytest.raises(RuleError):
        DepartmentFacts(2, 1, -1)


facts = st.builds(
    lambda due, done_share, overdue, credit, deduction: DepartmentFacts(
        due, round(due * done_share), overdue, credit, deduction),
    st.integers(0, 50), st.floats(0, 1), st.integers(0, 30),
    st.decimals(0, 40, places=2), st.decimals(0, 40, places=2))


@given(facts)
def test_score_within_bounds_and_level_from_its_band(f: DepartmentFacts) -> None:
    result = compute_department_result(f)
    assert Decimal(0) <= result.score <= Decimal(110)
    assert result.level == level_of(result.score, DepartmentResultPolicy())
    assert result.score == Decimal(result.components[-1]["delta"])


@given(facts)
def test_more_done_or_fewer_overdue_never_lowers_the_score(f: DepartmentFacts) -> None:
    result = compute_department_result(f)
    if f.tasks_done < f.tasks_due:
        better = DepartmentFacts(f.tasks_due, f.tasks_done + 1, f.open_overdue,
                                 f.credit_points, f.deduction_points)
        assert compute_department_result(better).score >= result.score
    if f.open_overdue:
        better = DepartmentFacts(f.tasks_due, f.tasks_done, f.open_overdue - 1,
                                 f.credit_points, f.deduction_points)
        assert compute_department_result(better).score >= result.score
