"""Points under caps: the credits or deductions of one indicator count up to its cap."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CappedTotal:
    key: Hashable
    raw: Decimal
    counted: Decimal
    cap: Decimal | None

    @property
    def capped(self) -> bool:
        return self.counted < self.raw


def capped_totals(points: Iterable[tuple[Hashable, Decimal]],
                  caps: Mapping[Hashable, Decimal | None]) -> list[CappedTotal]:
    """Sums ``(key, points)`` per key and limits each sum to the key's cap (None: no cap)."""
    sums: dict[Hashable, Decimal] = defaultdict(Decimal)
    for key, value in points:
        if value < 0:
            raise ValueError("分值不能为负")
        sums[key] += value
    out = []
    for key, raw in sums.items():
        cap = caps.get(key)
        out.append(CappedTotal(key, raw, raw if cap is None else min(raw, cap), cap))
    return sorted(out, key=lambda t: str(t.key))
