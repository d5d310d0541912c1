"""When an indicator counts, and which indicators apply to a person: pure functions, no I/O.

* A dynamic indicator (动态指标) is added to a published scheme during the year with a start
  date; it counts only for records dated on or after that date. An ordinary indicator has no
  start date and counts for the whole year of its scheme.
* A credit (加分) counts only once confirmed by an authorized role (温江高新区: a lead counts only
  when the signed deal is confirmed); other records count as soon as they are recorded, unless
  they were rejected or withdrawn.
* A rated indicator limited to posts (岗位责任书) applies only to the people holding those posts;
  the weights of the rated indicators that apply to a person are renormalized within each
  category, so the applicable parts of every level still make 100.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from vocab.plans import RecordStatus

__all__ = [
    "WeightedNode",
    "counts_on",
    "effective_weights",
    "in_effect",
    "record_counts",
]


def counts_on(effective_from: date | None, on: date) -> bool:
    """Whether an indicator with this start date is in effect on ``on``."""
    return effective_from is None or on >= effective_from


def record_counts(*, occurred_on: date, effective_from: date | None, status: str,
                  needs_confirmation: bool) -> bool:
    """Whether a credit/deduction record dated ``occurred_on`` counts for its indicator."""
    if not counts_on(effective_from, occurred_on):
        return False
    if status in (RecordStatus.rejected, RecordStatus.withdrawn):
        return False
    return status == RecordStatus.confirmed or not needs_confirmation


def in_effect(effective_from: Mapping[Hashable, date | None], on: date) -> frozenset[Hashable]:
    """The keys of the indicators in effect on ``on``."""
    return frozenset(k for k, start in effective_from.items() if counts_on(start, on))


@dataclass(frozen=True)
class WeightedNode:
    key: Hashable
    parent_key: Hashable | None
    weight: int  # whole percent among its weighted siblings
    is_indicator: bool  # a rated indicator (a leaf); categories are False


def effective_weights(nodes: Sequence[WeightedNode],
                      applicable: frozenset[Hashable]) -> dict[Hashable, Decimal]:
    """Share of the rated total (0..1) of each applicable rated indicator.

    ``nodes`` are the weighted nodes of a scheme (rated indicators and the categories above
    them). Indicators outside ``applicable`` drop out, and so do categories left empty; the
    remaining siblings keep their proportions. The shares of the result sum to 1 (or the result
    is empty when nothing applies).
    """
    children: dict[Hashable | None, list[WeightedNode]] = defaultdict(list)
    for node in nodes:
        children[node.parent_key].append(node)

    def alive(node: WeightedNode, seen: frozenset[Hashable]) -> bool:
        if node.is_indicator:
            return node.key in applicable
        if node.key in seen:
            return False
        return any(alive(c, seen | {node.key}) for c in children.get(node.key, ()))

    out: dict[Hashable, Decimal] = {}

    def walk(parent: Hashable | None, share: Decimal, seen: frozenset[Hashable]) -> None:
        kids = [k for k in children.get(parent, ()) if alive(k, seen)]
        total = sum(k.weight for k in kids)
        for kid in kids:
            part = (share * kid.weight / total) if total else share / len(kids)
            if kid.is_indicator:
                out[kid.key] = part
            elif kid.key not in seen:
                walk(kid.key, part, seen | {kid.key})

    walk(None, Decimal(1), frozenset())
    return out
