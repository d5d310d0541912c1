"""Training needs (小切口培训): the weakest rating dimensions of each unit.

The input is one ``DimensionScore`` per person and rating dimension (工作难度, 创新程度, 作风表现,
...): the unit the person's result belongs to, the dimension's code and the score. For each
unit, the mean score of every dimension with scores of at least ``min_people`` people is
compared; the ``per_unit`` lowest means are the unit's training needs, weakest first (ties: the
larger shortfall against the tenant-wide mean of the dimension, then the code). Means are exact
and shown rounded half up to two places. Pure: no I/O, nothing of the project.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

__all__ = ["DimensionScore", "WeakDimension", "weakest_dimensions"]

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class DimensionScore:
    unit_id: Hashable
    dimension: str
    score: Decimal
    result_id: Hashable | None = None


@dataclass(frozen=True)
class WeakDimension:
    dimension: str
    mean: Decimal  # the unit's mean score, two places
    overall_mean: Decimal  # the tenant-wide mean of the dimension, two places
    gap: Decimal  # mean - overall_mean, from the exact means, two places
    people: int
    basis: tuple[Hashable, ...]  # the result ids the unit's scores come from


def _show(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        TWO_PLACES, ROUND_HALF_UP)


def _mean(values: list[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def weakest_dimensions(scores: Iterable[DimensionScore], per_unit: int = 2,
                       min_people: int = 1) -> dict[Hashable, tuple[WeakDimension, ...]]:
    """unit -> its weakest dimensions (units without a dimension with enough scores omitted)."""
    if per_unit < 1 or min_people < 1:
        raise ValueError("每个部门至少列出1个维度，最少人数至少为1")
    by_unit: dict[Hashable, dict[str, list[DimensionScore]]] = defaultdict(
        lambda: defaultdict(list))
    overall: dict[str, list[Fraction]] = defaultdict(list)
    for item in scores:
        if not item.score.is_finite():
            raise ValueError(f"维度“{item.dimension}”的得分无效")
        by_unit[item.unit_id][item.dimension].append(item)
        overall[item.dimension].append(Fraction(item.score))
    overall_mean = {d: _mean(v) for d, v in overall.items()}
    out: dict[Hashable, tuple[WeakDimension, ...]] = {}
    for unit, dimensions in by_unit.items():
        ranked = []
        for dimension, items in dimensions.items():
            if len(items) < min_people:
                continue
            mean = _mean([Fraction(i.score) for i in items])
            gap = mean - overall_mean[dimension]
            ranked.append((mean, gap, dimension, items))
        ranked.sort(key=lambda t: (t[0], t[1], t[2]))
        weakest = tuple(
            WeakDimension(dimension=d, mean=_show(mean), overall_mean=_show(overall_mean[d]),
                          gap=_show(gap), people=len(items),
                          basis=tuple(i.result_id for i in items if i.result_id is not None))
            for mean, gap, d, items in ranked[:per_unit])
        if weakest:
            out[unit] = weakest
    return out
