"""Ranking of persons by score (排名), within the tenant and within comparison groups.

Tie rule (documented, shown to people, and relied on by grading):

* ``rank`` is the competition rank ("1224"): persons with equal scores share the best rank, and
  the next score's rank skips the shared places. Scores are compared as given; pass the rounded
  total people see, so two people shown 85.50 share a rank.
* ``position`` (1..n) is the display order. Equal scores are ordered by the tie-break steps the
  tenant configures (``TieKey``, default all three, in this order): higher rated part first,
  then fewer deductions (ordinary plus conduct), then the lower employee number (人员编号,
  compared as text with digit runs as numbers, so "E9" comes before "E12").
* ``tied_with_previous`` marks an entry equal to the one before it on the score and on every
  configured step: the configured order cannot tell them apart. Only for display are such
  entries ordered further, by employee number and then the person id; grading treats them as
  one tie (``rules.grading`` flags them when a line cuts them).

Input order never matters.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from rules.errors import RuleError
from rules.scoring import ScoreResult
from vocab.ties import TieKey

__all__ = [
    "DEFAULT_TIE_KEYS",
    "RankInput",
    "RankedEntry",
    "deciding_key",
    "employee_no_key",
    "rank",
    "rank_by_group",
    "restrict",
    "tie_groups",
]

DEFAULT_TIE_KEYS: tuple[TieKey, ...] = (TieKey.rated, TieKey.deductions, TieKey.employee_no)
_DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True)
class RankInput:
    person_id: str
    score: Decimal
    rated: Decimal = Decimal(0)
    deductions: Decimal = Decimal(0)
    group: str = ""
    employee_no: str = ""

    @classmethod
    def from_score(cls, person_id: str, result: ScoreResult, group: str = "",
                   employee_no: str = "") -> RankInput:
        return cls(
            person_id=person_id,
            score=result.total,
            rated=result.rated,
            deductions=result.deductions + result.conduct,
            group=group,
            employee_no=employee_no,
        )


@dataclass(frozen=True)
class RankedEntry:
    person_id: str
    score: Decimal
    rank: int  # competition rank, 1-based
    position: int  # display order, 1-based, ties broken by the tie-break key
    group_size: int
    group: str = ""
    rated: Decimal = Decimal(0)
    deductions: Decimal = Decimal(0)
    employee_no: str = ""
    # Equal to the entry before on the score and every configured tie-break step.
    tied_with_previous: bool = False


def employee_no_key(employee_no: str) -> tuple[tuple[int, int, str], ...]:
    """Employee numbers compared as text, digit runs as numbers ("E9" before "E12")."""
    parts = _DIGITS.split(employee_no)
    return tuple((0, int(p), p) if p.isdigit() else (1, 0, p) for p in parts if p)


def _step(item: RankInput | RankedEntry, key: TieKey) -> object:
    if key is TieKey.rated:
        return -item.rated
    if key is TieKey.deductions:
        return item.deductions
    return employee_no_key(item.employee_no)


def _check_keys(keys: Sequence[TieKey]) -> tuple[TieKey, ...]:
    found = tuple(TieKey(k) for k in keys)
    if len(set(found)) != len(found):
        raise RuleError("并列排序规则中有重复的项")
    return found


def deciding_key(a: RankInput | RankedEntry, b: RankInput | RankedEntry,
                 keys: Sequence[TieKey] = DEFAULT_TIE_KEYS) -> TieKey | None:
    """The first configured step on which two equal scores differ; None when none does."""
    for key in keys:
        if _step(a, key) != _step(b, key):
            return key
    return None


def rank(items: Iterable[RankInput],
         keys: Sequence[TieKey] = DEFAULT_TIE_KEYS) -> tuple[RankedEntry, ...]:
    """Rank all given persons together (the tenant ranking), in display order."""
    steps = _check_keys(keys)
    listed = list(items)
    for item in listed:
        for value in (item.score, item.rated, item.deductions):
            if not value.is_finite():
                raise RuleError(f"人员「{item.person_id}」的得分不是有效数值")
    ids = [item.person_id for item in listed]
    if len(set(ids)) != len(ids):
        raise RuleError("排名名单中有重复人员")

    def order(item: RankInput) -> tuple[object, ...]:
        configured = tuple(_step(item, key) for key in steps)
        return (-item.score, configured, employee_no_key(item.employee_no), item.person_id)

    ordered = sorted(listed, key=order)
    entries: list[RankedEntry] = []
    for index, item in enumerate(ordered):
        previous = ordered[index - 1] if index else None
        same_score = previous is not None and previous.score == item.score
        tied = (previous is not None and same_score
                and deciding_key(previous, item, steps) is None)
        entries.append(RankedEntry(
            item.person_id, item.score, entries[-1].rank if same_score else index + 1,
            index + 1, len(ordered), item.group, item.rated, item.deductions, item.employee_no,
            tied))
    return tuple(entries)


def rank_by_group(items: Iterable[RankInput],
                  keys: Sequence[TieKey] = DEFAULT_TIE_KEYS) -> dict[str, tuple[RankedEntry, ...]]:
    """Rank each comparison group (e.g. ``leader`` and ``staff``) on its own."""
    groups: dict[str, list[RankInput]] = defaultdict(list)
    for item in items:
        groups[item.group].append(item)
    return {group: rank(groups[group], keys) for group in sorted(groups)}


def tie_groups(entries: Sequence[RankedEntry]) -> list[tuple[RankedEntry, ...]]:
    """Runs of entries the configured order cannot tell apart, in display order."""
    runs: list[list[RankedEntry]] = []
    for entry in sorted(entries, key=lambda e: e.position):
        if entry.tied_with_previous and runs:
            runs[-1].append(entry)
        else:
            runs.append([entry])
    return [tuple(run) for run in runs]


def restrict(entries: Sequence[RankedEntry], person_ids: Iterable[str]) -> tuple[RankedEntry, ...]:
    """The ranking of a subset, keeping the tie-break order (e.g. without those not graded).

    Ranks are recomputed by the same competition rule from the kept persons' scores; kept
    members of one tie stay one tie.
    """
    keep = set(person_ids)
    kept: list[tuple[RankedEntry, int]] = []  # (entry, index of its tie in the full ranking)
    for run_index, run in enumerate(tie_groups(entries)):
        kept += [(entry, run_index) for entry in run if entry.person_id in keep]
    result: list[RankedEntry] = []
    for index, (entry, run_index) in enumerate(kept):
        same_score = index > 0 and kept[index - 1][0].score == entry.score
        result.append(replace(
            entry, rank=result[-1].rank if same_score else index + 1, position=index + 1,
            group_size=len(kept), tied_with_previous=index > 0 and kept[index - 1][1] == run_index))
    return tuple(result)
