"""Pure rules of the plan: scheme validation, when indicators count, overdue tasks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rules.indicator_effect import (
    WeightedNode,
    counts_on,
    effective_weights,
    in_effect,
    record_counts,
)
from rules.scheme_validation import (
    DimensionSpec,
    NodeSpec,
    check_dimensions,
    check_node,
    check_scheme,
    weighted_keys,
)
from rules.task_status import milestone_overdue, task_overdue

D = Decimal


def tree(*, a: int = 60, b: int = 40) -> list[NodeSpec]:
    return [
        NodeSpec("zz", "ZZ", "政治素质", "category", cap=D(10)),
        NodeSpec("zz1", "ZZ01", "执行不力", "conduct_standard", "zz", points=D(2)),
        NodeSpec("sj", "SJ", "工作实绩", "category", weight=100),
        NodeSpec("sj1", "SJ01", "岗位职责", "rated", "sj", weight=a),
        NodeSpec("sj2", "SJ02", "重点任务", "rated", "sj", weight=b),
        NodeSpec("jf", "JF", "加分项", "category", cap=D(10)),
        NodeSpec("jf1", "JF01", "招商引资", "credit", "jf", cap=D(6), points=D(3)),
    ]


DIMS = [DimensionSpec(1, "task_completion", "任务完成情况", 50),
        DimensionSpec(2, "difficulty", "工作难度", 20),
        DimensionSpec(3, "innovation", "创新程度", 15),
        DimensionSpec(4, "conduct", "作风表现", 15)]


def messages(problems: list[object]) -> str:
    return " | ".join(str(getattr(p, "message", p)) for p in problems)


def test_a_valid_scheme_has_no_problems() -> None:
    assert check_scheme(tree(), DIMS) == []


def test_rated_siblings_must_sum_to_100() -> None:
    problems = check_scheme(tree(a=60, b=30))
    assert len(problems) == 1
    assert problems[0].key == "sj"
    assert problems[0].message == (
        "「工作实绩」下评价指标（岗位职责、重点任务）的权重合计应为100，当前为90")
    # the top level counts too: a second weighted category breaks it
    extra = [*tree(), NodeSpec("nl", "NL", "能力素质", "category", weight=20),
             NodeSpec("nl1", "NL01", "学习能力", "rated", "nl", weight=100)]
    assert "顶层评价指标（工作实绩、能力素质）的权重合计应为100，当前为120" in messages(
        check_scheme(extra))
    # and a draft being edited may skip the sums
    assert check_scheme(tree(a=60, b=30), sums=False) == []


def test_categories_without_rated_indicators_carry_no_weight() -> None:
    assert weighted_keys(tree()) == frozenset({"sj", "sj1", "sj2"})


def test_caps_and_points_must_not_be_negative() -> None:
    nodes = tree()
    nodes[5] = NodeSpec("jf", "JF", "加分项", "category", cap=D(-1))
    nodes[1] = NodeSpec("zz1", "ZZ01", "执行不力", "conduct_standard", "zz", points=D("-0.5"))
    found = messages(check_scheme(nodes))
    assert "「加分项」的分值上限不能为负数" in found
    assert "「执行不力」的单项分值不能为负数" in found


def test_codes_must_be_unique_and_present() -> None:
    nodes = [*tree(), NodeSpec("dup", "SJ01", "重复", "credit", "jf")]
    problems = check_scheme(nodes)
    assert [(p.key, p.message) for p in problems] == [("dup", "指标编码“SJ01”重复")]
    assert [p.message for p in check_node(NodeSpec("x", " ", "", "credit"))] == [
        "指标编码不能为空", "指标名称不能为空"]


def test_no_cycles_and_parents_are_categories() -> None:
    looped = [NodeSpec("a", "A", "甲", "category", "b"), NodeSpec("b", "B", "乙", "category", "a")]
    found = messages(check_scheme(looped))
    assert "「甲」的上级关系形成循环" in found
    assert "「乙」的上级关系形成循环" in found
    under_leaf = [*tree(), NodeSpec("x", "X", "下级", "credit", "jf1")]
    assert "「下级」的上级「招商引资」不是分类" in messages(check_scheme(under_leaf))
    orphan = [NodeSpec("x", "X", "孤儿", "credit", "nowhere")]
    assert "「孤儿」的上级节点不存在" in messages(check_scheme(orphan))


def test_kinds_and_weights_fit_together() -> None:
    assert "类型“bonus”无效" in messages(check_node(NodeSpec("x", "X", "某", "bonus")))
    assert "评价指标「某」须设置权重" in messages(check_node(NodeSpec("x", "X", "某", "rated")))
    credit = NodeSpec("x", "X", "某", "credit", weight=10)
    assert "加分项「某」按分值计算，不设权重" in messages(check_node(credit))
    rated = NodeSpec("x", "X", "某", "rated", weight=50, cap=D(5))
    assert "评价指标「某」按权重计算，不设分值上限" in messages(check_node(rated))


def test_dimensions_sum_to_100_with_unique_codes() -> None:
    assert check_dimensions(DIMS) == []
    bad = [*DIMS[:3], DimensionSpec(4, "difficulty", "重复", 10)]
    found = messages(check_dimensions(bad))
    assert "评价维度编码“difficulty”重复" in found
    assert "评价维度权重合计应为100，当前为95" in found
    assert "至少需要一个评价维度" in messages(check_dimensions([]))
    assert "评价维度「x」的权重不能为负数" in messages(
        check_dimensions([DimensionSpec(1, "x", "x", -5), DimensionSpec(2, "y", "y", 105)]))


def test_a_dynamic_indicator_counts_only_from_its_start() -> None:
    start = date(2026, 5, 15)
    assert not counts_on(start, date(2026, 5, 14))
    assert counts_on(start, date(2026, 5, 15))
    assert counts_on(None, date(2026, 1, 1))
    assert in_effect({"old": None, "new": start}, date(2026, 5, 1)) == frozenset({"old"})
    assert in_effect({"old": None, "new": start}, date(2026, 6, 1)) == frozenset({"old", "new"})


def test_credits_count_only_once_confirmed() -> None:
    day = date(2026, 5, 20)
    assert not record_counts(occurred_on=day, effective_from=None, status="claimed",
                             needs_confirmation=True)
    assert record_counts(occurred_on=day, effective_from=None, status="confirmed",
                         needs_confirmation=True)
    assert record_counts(occurred_on=day, effective_from=None, status="claimed",
                         needs_confirmation=False)
    assert not record_counts(occurred_on=day, effective_from=None, status="rejected",
                             needs_confirmation=False)
    assert not record_counts(occurred_on=day, effective_from=date(2026, 6, 1),
                             status="confirmed", needs_confirmation=True)


def test_weights_of_the_indicators_a_person_has_are_renormalized() -> None:
    nodes = [WeightedNode("sj", None, 70, False), WeightedNode("fl", "sj", 50, True),
             WeightedNode("jz", "sj", 50, True), WeightedNode("zh", None, 30, True)]
    everything = effective_weights(nodes, frozenset({"fl", "jz", "zh"}))
    assert everything == {"fl": D("0.35"), "jz": D("0.35"), "zh": D("0.3")}
    legal_aid_only = effective_weights(nodes, frozenset({"fl", "zh"}))
    assert legal_aid_only == {"fl": D("0.7"), "zh": D("0.3")}
    assert effective_weights(nodes, frozenset({"zh"})) == {"zh": D(1)}
    assert effective_weights(nodes, frozenset()) == {}


def test_overdue_is_past_due_and_not_closed() -> None:
    due = date(2026, 3, 31)
    assert not task_overdue("in_progress", due, date(2026, 3, 31))
    assert task_overdue("in_progress", due, date(2026, 4, 1))
    assert not task_overdue("done", due, date(2026, 4, 1))
    assert not task_overdue("cancelled", due, date(2026, 4, 1))
    assert not task_overdue("not_started", None, date(2026, 4, 1))
    assert milestone_overdue("in_progress", due, None, date(2026, 4, 1))
    assert not milestone_overdue("in_progress", due, date(2026, 3, 30), date(2026, 4, 1))
    assert not milestone_overdue("done", due, None, date(2026, 4, 1))
