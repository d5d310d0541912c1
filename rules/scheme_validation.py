"""Validation of an indicator scheme (指标体系): pure functions over plain values, no I/O.

A scheme version is a tree of nodes. ``category`` nodes group; the leaves are indicators of four
kinds: ``rated`` (weighted, rated by raters on the rating dimensions), ``credit`` (加分, points up
to a cap, each claim confirmed), ``deduction`` (减分, points up to a cap) and
``conduct_standard`` (政治素质负面清单, judged first). The rules, with their Chinese messages:

* every node has a code and a name; codes are unique within the version;
* the parent of a node exists, is a category, and following parents never loops back;
* only categories have children;
* weights are whole percentages, only on rated indicators and on categories that contain rated
  indicators ("weighted" nodes); the weighted children of one parent (the top level included)
  sum to 100;
* caps and points are non-negative;
* rating dimensions: codes unique, weights non-negative and summing to 100.

Problems are returned, never raised, so a caller can report all of them at once (an import
names every bad row). ``key`` identifies a node the way the caller knows it (an id, a row).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from vocab.plans import IndicatorKind

__all__ = [
    "DimensionSpec",
    "NodeSpec",
    "SchemeProblem",
    "check_dimensions",
    "check_node",
    "check_scheme",
    "weighted_keys",
]

MAX_CODE = 64
MAX_NAME = 200


@dataclass(frozen=True)
class NodeSpec:
    key: Hashable
    code: str
    name: str
    kind: str
    parent_key: Hashable | None = None
    weight: int | None = None
    cap: Decimal | None = None
    points: Decimal | None = None


@dataclass(frozen=True)
class DimensionSpec:
    key: Hashable
    code: str
    name: str
    weight: int


@dataclass(frozen=True)
class SchemeProblem:
    """``key`` is the node's (or dimension's) key, ``None`` for the scheme as a whole."""

    key: Hashable | None
    field: str
    message: str


def check_node(node: NodeSpec) -> list[SchemeProblem]:
    """What can be said of one node alone (used for every edit of a draft)."""
    out: list[SchemeProblem] = []
    label = node.name.strip() or node.code.strip() or "未命名节点"
    if not node.code.strip():
        out.append(SchemeProblem(node.key, "code", "指标编码不能为空"))
    elif len(node.code.strip()) > MAX_CODE:
        out.append(SchemeProblem(node.key, "code", f"指标编码不能超过{MAX_CODE}个字符"))
    if not node.name.strip():
        out.append(SchemeProblem(node.key, "name", "指标名称不能为空"))
    elif len(node.name.strip()) > MAX_NAME:
        out.append(SchemeProblem(node.key, "name", f"指标名称不能超过{MAX_NAME}个字"))
    if node.kind not in set(IndicatorKind):
        out.append(SchemeProblem(node.key, "kind", f"「{label}」的类型“{node.kind}”无效"))
        return out
    kind = IndicatorKind(node.kind)
    if node.weight is not None:
        if node.weight < 0:
            out.append(SchemeProblem(node.key, "weight", f"「{label}」的权重不能为负数"))
        elif node.weight > 100:
            out.append(SchemeProblem(node.key, "weight", f"「{label}」的权重不能超过100"))
        scored = (IndicatorKind.credit, IndicatorKind.deduction, IndicatorKind.conduct_standard)
        if kind in scored and node.weight:
            out.append(SchemeProblem(
                node.key, "weight", f"{kind.label}「{label}」按分值计算，不设权重"))
    if kind is IndicatorKind.rated and node.weight is None:
        out.append(SchemeProblem(node.key, "weight", f"评价指标「{label}」须设置权重"))
    for field, value, what in (("cap", node.cap, "分值上限"), ("points", node.points, "单项分值")):
        if value is None:
            continue
        if not value.is_finite():
            out.append(SchemeProblem(node.key, field, f"「{label}」的{what}不是有效数值"))
        elif value < 0:
            out.append(SchemeProblem(node.key, field, f"「{label}」的{what}不能为负数"))
    if kind is IndicatorKind.rated and node.cap is not None:
        out.append(SchemeProblem(node.key, "cap", f"评价指标「{label}」按权重计算，不设分值上限"))
    return out


def _ancestors_loop(node: NodeSpec, by_key: dict[Hashable, NodeSpec]) -> bool:
    seen = {node.key}
    current = node.parent_key
    while current is not None:
        if current in seen:
            return True
        seen.add(current)
        parent = by_key.get(current)
        if parent is None:
            return False
        current = parent.parent_key
    return False


def weighted_keys(nodes: Sequence[NodeSpec]) -> frozenset[Hashable]:
    """Rated indicators and the categories above them: the nodes that carry a weight."""
    by_key = {n.key: n for n in nodes}
    out: set[Hashable] = set()
    for node in nodes:
        if node.kind != IndicatorKind.rated:
            continue
        current: NodeSpec | None = node
        seen: set[Hashable] = set()
        while current is not None and current.key not in seen:
            seen.add(current.key)
            out.add(current.key)
            current = by_key.get(current.parent_key) if current.parent_key is not None else None
    return frozenset(out)


def check_scheme(nodes: Sequence[NodeSpec],
                 dimensions: Sequence[DimensionSpec] | None = None, *,
                 sums: bool = True) -> list[SchemeProblem]:
    """Everything: each node, the tree, the sums of weights, and the dimensions if given.

    ``sums=False`` leaves out the weight sums (a draft being edited may not add up yet).
    """
    out: list[SchemeProblem] = []
    for node in nodes:
        out.extend(check_node(node))
    by_key: dict[Hashable, NodeSpec] = {}
    first_code: dict[str, NodeSpec] = {}
    for node in nodes:
        by_key.setdefault(node.key, node)
        code = node.code.strip()
        if code and code in first_code:
            out.append(SchemeProblem(node.key, "code", f"指标编码“{code}”重复"))
        first_code.setdefault(code, node)
    looped: set[Hashable] = set()
    for node in nodes:
        if node.parent_key is None:
            continue
        parent = by_key.get(node.parent_key)
        if parent is None:
            out.append(SchemeProblem(node.key, "parent", f"「{node.name}」的上级节点不存在"))
        elif _ancestors_loop(node, by_key):
            looped.add(node.key)
            out.append(SchemeProblem(
                node.key, "parent", f"「{node.name}」的上级关系形成循环，节点不能是自己的下级"))
        elif parent.kind != IndicatorKind.category:
            out.append(SchemeProblem(
                node.key, "parent", f"「{node.name}」的上级「{parent.name}」不是分类，"
                                   "只有分类下可以设置下级指标"))
    if looped or not sums:
        return out  # sums over a loop mean nothing
    weighted = weighted_keys(nodes)
    children: dict[Hashable | None, list[NodeSpec]] = defaultdict(list)
    for node in nodes:
        children[node.parent_key if node.parent_key in by_key else None].append(node)
    for parent_key, kids in children.items():
        counted = [k for k in kids if k.key in weighted]
        if not counted:
            continue
        total = sum(k.weight or 0 for k in counted)
        if total != 100:
            where = "顶层" if parent_key is None else f"「{by_key[parent_key].name}」下"
            names = "、".join(k.name for k in counted)
            out.append(SchemeProblem(
                parent_key, "weight",
                f"{where}评价指标（{names}）的权重合计应为100，当前为{total}"))
    if dimensions is not None:
        out.extend(check_dimensions(dimensions))
    return out


def check_dimensions(dimensions: Iterable[DimensionSpec]) -> list[SchemeProblem]:
    items = list(dimensions)
    out: list[SchemeProblem] = []
    if not items:
        return [SchemeProblem(None, "dimensions", "至少需要一个评价维度")]
    seen: set[str] = set()
    for dim in items:
        code = dim.code.strip()
        if not code:
            out.append(SchemeProblem(dim.key, "code", "评价维度编码不能为空"))
        elif code in seen:
            out.append(SchemeProblem(dim.key, "code", f"评价维度编码“{code}”重复"))
        seen.add(code)
        if not dim.name.strip():
            out.append(SchemeProblem(dim.key, "name", "评价维度名称不能为空"))
        if dim.weight < 0:
            out.append(SchemeProblem(dim.key, "weight", f"评价维度「{dim.name}」的权重不能为负数"))
    total = sum(d.weight for d in items)
    if total != 100:
        out.append(SchemeProblem(None, "dimensions", f"评价维度权重合计应为100，当前为{total}"))
    return out
