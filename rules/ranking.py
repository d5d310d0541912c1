"""Ranking of persons by score (排名), within the tenant and within comparison groups.

Tie rule (documented, and relied on by grading):

* ``rank`` is the competition rank ("1224"): persons with equal scores share the best rank, and
  the next score's rank skips the shared places. Scores are compared as given; pass the rounded
  total people see, so two people shown 85.50 share a rank.
* ``position`` (1..n) is the display order. Ties are ordered by a deterministic tie-break key:
  higher rated part first, then lower deductions (ordinary plus conduct), then person id string
  ascending. Grading uses this order when tied persons straddle a quota.

Input order never matters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rules.errors import RuleError
from rules.scoring import ScoreResult

__all__ = ["RankInput", "RankedEntry", "rank", "rank_by_group", "restrict"]


@dataclass(frozen=True)
class RankInput:
    person_id: str
    score: Decimal
    rated: Decimal = Decimal(0)
    deductions: Decimal = Decimal(0)
    group: str = ""

    @classmethod
    def from_score(cls, person_id: str, result: ScoreResult, group: str = "") -> RankInput:
        return cls(
            person_id=person_id,
            score=result.total,
            rated=result.rated,
            deductions=result.deductions + result.conduct,
            group=group,
        )


@dataclass(frozen=True)
class RankedEntry:
    person_id: str
    score: Decimal
    rank: int  # competition rank, 1-based
    position: int  # display order, 1-based, ties broken by the tie-break key
    group_size: int
    group: str = ""


def _order_key(item: RankInput) -> tuple[Decimal, Decimal, Decimal, str]:
    return (-item.score, -item.rated, item.deductions, item.person_id)


def rank(items: Iterable[RankInput]) -> tuple[RankedEntry, ...]:
    """Rank all given persons together (the tenant ranking), in display order."""
    ordered = sorted(items, key=_order_key)
    ids = [item.person_id for item in ordered]
    if len(set(ids)) != len(ids):
        raise RuleError("排名名单中有重复人员")
    for item in ordered:
        for value in (item.score, item.rated, item.deductions):
            if not value.is_finite():
                raise RuleError(f"人员「{item.person_id}」的得分不是有效数值")
    return _number([(item.person_id, item.score, item.group) for item in ordered])


def rank_by_group(items: Iterable[RankInput]) -> dict[str, tuple[RankedEntry, ...]]:
    """Rank each comparison group (e.g. ``leader`` and ``staff``) on its own."""
    groups: dict[str, list[RankInput]] = defaultdict(list)
    for item in items:
        groups[item.group].append(item)
    return {group: rank(groups[group]) for group in sorted(groups)}


def restrict(entries: Sequence[RankedEntry], person_ids: Iterable[str]) -> tuple[RankedEntry, ...]:
    """The ranking of a subset, keeping the tie-break order (e.g. without those not graded).

    Ranks are recomputed by the same competition rule from the kept persons' scores.
    """
    keep = set(person_ids)
    ordered = sorted((e for e in entries if e.person_id in keep), key=lambda e: e.position)
    return _number([(entry.person_id, entry.score, entry.group) for entry in ordered])


def _number(ordered: Sequence[tuple[str, Decimal, str]]) -> tuple[RankedEntry, ...]:
    """Positions and competition ranks for rows already in display order."""
    entries: list[RankedEntry] = []
    for index, (person_id, score, group) in enumerate(ordered):
        tied = index > 0 and ordered[index - 1][1] == score
        shared = entries[-1].rank if tied else index + 1
        entries.append(RankedEntry(person_id, score, shared, index + 1, len(ordered), group))
    return tuple(entries)
