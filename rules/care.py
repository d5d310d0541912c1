"""The care list (关心帮助): who needs help after a quarter, and why.

成都国际铁路港经开区 helps, through the feedback interview, the people ranked at the bottom, those
who regressed markedly and those with a low person-post fit; long-term poor results lead to
mentoring (结对帮带) or a post adjustment (岗位调整). For the quarter considered (defaults in
``CarePolicy``, tenant settings in ``tenants.config.CareConfig``):

- ``bottom``: ranked in the bottom ``bottom_share`` of the quarter's ranking. Of n people ranked,
  the bottom k = max(1, floor(n * share)) places (k = 0 when the share is 0). People tied at a
  rank share its places: a competition rank r shared by t people covers places r..r+t-1, and
  they are flagged when the last of these is among the bottom k (r + t - 1 > n - k).
- ``regressed``: compared with the quarter just before (a person without a result there is not
  compared), the grade fell by ``regression_steps`` or more (好 -> 较好 is one step, the
  default; 0 turns the grade test off), or the rank fell, within the same ranking group, by at
  least ``rank_drop_share`` of the places of the quarter's ranking (default 20%: 12 ranked, a
  drop of 3 places or more; 0 turns it off) or by at least ``rank_drop`` places (0: off). Each
  test that fires adds its reason in words. The defaults fire on realistic data: a fall from
  the 1st to the 59th place or from 好 to 较好 is flagged.
- ``low_fit``: the latest person-post fit rating (1-5, recorded by the interview) of the quarter
  or an earlier one is at or below ``low_fit_threshold``.
- ``long_term_poor``: rated 较差 at least ``poor_count`` times in the ``poor_window`` calendar
  quarters ending with the quarter considered; suggests mentoring or a post adjustment.

Pure: no I/O, nothing of the project.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_FLOOR, Decimal

from rules.grading import GRADE_ORDER, percent_text
from vocab.feedback import CareFlagKind
from vocab.grades import QuarterlyGrade

__all__ = [
    "CareFlag",
    "CarePolicy",
    "Quarter",
    "QuarterRecord",
    "bottom_places",
    "care_flags",
    "care_list",
    "fill_positions",
    "flags_by_quarter",
    "previous_quarter",
    "quarter_index",
    "quarter_text",
]

Quarter = tuple[int, int]  # (year, quarter 1-4)


def quarter_index(quarter: Quarter) -> int:
    year, q = quarter
    if not 1 <= q <= 4:
        raise ValueError(f"季度须为1到4，当前为{q}")
    return year * 4 + q - 1


def previous_quarter(quarter: Quarter) -> Quarter:
    year, q = quarter
    return (year, q - 1) if q > 1 else (year - 1, 4)


def quarter_text(quarter: Quarter) -> str:
    return f"{quarter[0]}年第{'一二三四'[quarter[1] - 1]}季度"


@dataclass(frozen=True)
class CarePolicy:
    bottom_share: Decimal = Decimal("0.10")
    regression_steps: int = 1  # 0: off
    rank_drop: int = 0  # places; 0: off
    rank_drop_share: Decimal = Decimal("0.20")  # of the ranking's size; 0: off
    low_fit_threshold: int = 2
    poor_count: int = 2
    poor_window: int = 4


@dataclass(frozen=True)
class QuarterRecord:
    """One person's result (and interview fit rating) in one quarter.

    ``rank`` is a competition rank within ``group`` (one ranking of the quarter);
    ``ranked_count`` is how many that ranking holds and ``tied`` how many share ``rank``
    (``fill_positions`` computes both from a whole quarter). ``result_id`` is what a flag rests
    on; ``fit`` the interview's person-post fit rating of that quarter.
    """

    person_id: Hashable
    quarter: Quarter
    grade: str | None = None
    rank: int | None = None
    group: str = ""
    ranked_count: int = 0
    tied: int = 1
    fit: int | None = None
    result_id: Hashable | None = None


@dataclass(frozen=True)
class CareFlag:
    kind: CareFlagKind
    quarter: Quarter
    reason: str
    basis: tuple[Hashable, ...]  # the result ids the flag rests on

    @property
    def suggestion(self) -> str:
        return self.kind.suggestion


def bottom_places(n: int, share: Decimal) -> int:
    """How many of the last places of a ranking of n count as "the bottom"."""
    if n <= 0 or share <= 0:
        return 0
    return max(1, int((Decimal(n) * share).to_integral_value(ROUND_FLOOR)))


def fill_positions(records: Iterable[QuarterRecord]) -> list[QuarterRecord]:
    """Sets ``ranked_count`` and ``tied`` from the records of whole quarters."""
    items = list(records)
    sizes: dict[tuple[Quarter, str], int] = defaultdict(int)
    ties: dict[tuple[Quarter, str, int], int] = defaultdict(int)
    for r in items:
        if r.rank is not None:
            sizes[(r.quarter, r.group)] += 1
            ties[(r.quarter, r.group, r.rank)] += 1
    return [replace(r, ranked_count=sizes[(r.quarter, r.group)],
                    tied=ties[(r.quarter, r.group, r.rank)]) if r.rank is not None else r
            for r in items]


def _grade(value: str | None) -> QuarterlyGrade | None:
    try:
        return QuarterlyGrade(value) if value is not None else None
    except ValueError:
        return None  # an annual grade or an unknown value: not a quarterly grade


def _basis(*records: QuarterRecord | None) -> tuple[Hashable, ...]:
    return tuple(r.result_id for r in records if r is not None and r.result_id is not None)


def _bottom(now: QuarterRecord, policy: CarePolicy) -> CareFlag | None:
    if now.rank is None or now.ranked_count <= 0:
        return None
    k = bottom_places(now.ranked_count, policy.bottom_share)
    last_place = now.rank + max(now.tied, 1) - 1
    if k == 0 or last_place <= now.ranked_count - k:
        return None
    tie = f"（并列{now.tied}人）" if now.tied > 1 else ""
    return CareFlag(CareFlagKind.bottom, now.quarter,
                    f"{quarter_text(now.quarter)}排名第{now.rank}{tie}，共{now.ranked_count}人，"
                    f"位于后{percent_text(policy.bottom_share)}（后{k}名）", _basis(now))


def _rank_drop_reason(now: QuarterRecord, before: QuarterRecord,
                      policy: CarePolicy) -> str | None:
    if now.rank is None or before.rank is None or now.group != before.group:
        return None
    drop = now.rank - before.rank
    if drop <= 0:
        return None
    why = []
    if policy.rank_drop_share > 0 and now.ranked_count > 0 \
            and Decimal(drop) >= policy.rank_drop_share * now.ranked_count:
        why.append(f"达到本季度排名人数{now.ranked_count}人的"
                   f"{percent_text(policy.rank_drop_share)}")
    if policy.rank_drop > 0 and drop >= policy.rank_drop:
        why.append(f"达到{policy.rank_drop}名")
    if not why:
        return None
    return f"名次由第{before.rank}名降至第{now.rank}名（下降{drop}名，{'，'.join(why)}）"


def _regressed(now: QuarterRecord, before: QuarterRecord | None,
               policy: CarePolicy) -> CareFlag | None:
    if before is None:
        return None
    reasons = []
    g_now, g_before = _grade(now.grade), _grade(before.grade)
    if policy.regression_steps > 0 and g_now is not None and g_before is not None:
        steps = GRADE_ORDER.index(g_now) - GRADE_ORDER.index(g_before)
        if steps >= policy.regression_steps:
            reasons.append(f"等次由“{g_before.label}”降为“{g_now.label}”（下降{steps}个等次）")
    rank_reason = _rank_drop_reason(now, before, policy)
    if rank_reason is not None:
        reasons.append(rank_reason)
    if not reasons:
        return None
    return CareFlag(CareFlagKind.regressed, now.quarter,
                    f"与{quarter_text(before.quarter)}相比，" + "；".join(reasons),
                    _basis(before, now))


def _low_fit(history: Sequence[QuarterRecord], quarter: Quarter,
             policy: CarePolicy) -> CareFlag | None:
    rated = [r for r in history
             if r.fit is not None and quarter_index(r.quarter) <= quarter_index(quarter)]
    if not rated:
        return None
    latest = max(rated, key=lambda r: quarter_index(r.quarter))
    assert latest.fit is not None
    if latest.fit > policy.low_fit_threshold:
        return None
    return CareFlag(CareFlagKind.low_fit, quarter,
                    f"{quarter_text(latest.quarter)}反馈谈话评定人岗契合度为{latest.fit}"
                    f"（不高于{policy.low_fit_threshold}）", _basis(latest))


def _long_term_poor(history: Sequence[QuarterRecord], quarter: Quarter,
                    policy: CarePolicy) -> CareFlag | None:
    end = quarter_index(quarter)
    poor = sorted((r for r in history
                   if end - policy.poor_window < quarter_index(r.quarter) <= end
                   and _grade(r.grade) is QuarterlyGrade.poor),
                  key=lambda r: quarter_index(r.quarter))
    if len(poor) < policy.poor_count:
        return None
    which = "、".join(quarter_text(r.quarter) for r in poor)
    return CareFlag(CareFlagKind.long_term_poor, quarter,
                    f"近{policy.poor_window}个季度中{len(poor)}次评为“较差”（{which}），"
                    f"建议{CareFlagKind.long_term_poor.suggestion}", _basis(*poor))


def care_flags(history: Sequence[QuarterRecord], quarter: Quarter,
               policy: CarePolicy) -> tuple[CareFlag, ...]:
    """One person's flags for ``quarter``; ``history`` holds that person's records only."""
    by_quarter: dict[Quarter, QuarterRecord] = {}
    for r in history:
        by_quarter[r.quarter] = r
    now = by_quarter.get(quarter)
    flags = [
        _bottom(now, policy) if now else None,
        _regressed(now, by_quarter.get(previous_quarter(quarter)), policy) if now else None,
        _low_fit(history, quarter, policy),
        _long_term_poor(history, quarter, policy),
    ]
    return tuple(f for f in flags if f is not None)


def care_list(records: Iterable[QuarterRecord], quarter: Quarter,
              policy: CarePolicy) -> dict[Hashable, tuple[CareFlag, ...]]:
    """Everyone flagged for ``quarter``: person id -> flags (people without flags left out).

    ``records`` are the results of the quarter and of the quarters before it that the rules
    look at (the previous quarter, the ``poor_window``), with positions filled.
    """
    by_person: dict[Hashable, list[QuarterRecord]] = defaultdict(list)
    for r in records:
        by_person[r.person_id].append(r)
    out = {}
    for person, history in by_person.items():
        flags = care_flags(history, quarter, policy)
        if flags:
            out[person] = flags
    return out


def flags_by_quarter(history: Sequence[QuarterRecord], policy: CarePolicy
                     ) -> Mapping[Quarter, tuple[CareFlag, ...]]:
    """One person's flags for every quarter of their history (a profile shows them all)."""
    quarters = sorted({r.quarter for r in history}, key=quarter_index)
    return {q: care_flags(history, q, policy) for q in quarters}
