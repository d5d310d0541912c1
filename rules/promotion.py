"""Candidates for using results (考用结合): promotion, rank advancement, promotion deferral.

A rule (``CandidateRule``; tenant settings in ``tenants.config.ResultsUseConfig``) looks at the
``years`` years ending with the year considered:

- a run of at least ``consecutive_good`` consecutive calendar quarters rated 好 (a quarter
  without a result breaks the run; the latest longest run is the one cited);
- at least ``excellent_years`` annual grades 优秀;
- with ``blocked_by_poor``: no quarter rated 较差 and no annual grade below 称职 (基本称职,
  不称职) in those years.

A rule that asks for nothing (0 and 0) still needs a result in the window to rest on.
Promotion deferral (暂缓晋升) is suggested for the year considered when its annual grade is below
称职, or when ``deferral_poor_quarters`` > 0 of its quarters were rated 较差. Every candidate cites
the results it rests on. Pure: no I/O, nothing of the project.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from rules.care import quarter_index, quarter_text
from vocab.feedback import CandidateKind
from vocab.grades import AnnualGrade, QuarterlyGrade

__all__ = [
    "Candidate",
    "CandidateRule",
    "GradeRecord",
    "candidates",
    "deferral",
    "meets",
]

BELOW_COMPETENT = frozenset({AnnualGrade.basically_competent, AnnualGrade.incompetent})


@dataclass(frozen=True)
class CandidateRule:
    consecutive_good: int = 3
    excellent_years: int = 1
    years: int = 1
    blocked_by_poor: bool = True


@dataclass(frozen=True)
class GradeRecord:
    """A person's grade of one period: a quarter (``quarter`` 1-4) or the year (``None``)."""

    person_id: Hashable
    year: int
    quarter: int | None
    grade: str | None
    result_id: Hashable | None = None


@dataclass(frozen=True)
class Candidate:
    person_id: Hashable
    kind: CandidateKind
    reason: str
    basis: tuple[Hashable, ...]


def _quarterly(value: str | None) -> QuarterlyGrade | None:
    try:
        return QuarterlyGrade(value) if value else None
    except ValueError:
        return None


def _annual(value: str | None) -> AnnualGrade | None:
    try:
        return AnnualGrade(value) if value else None
    except ValueError:
        return None


def _longest_good_run(quarters: Sequence[GradeRecord]) -> list[GradeRecord]:
    best: list[GradeRecord] = []
    run: list[GradeRecord] = []
    last = None
    for r in sorted(quarters, key=lambda r: (r.year, r.quarter or 0)):
        index = quarter_index((r.year, r.quarter or 1))
        good = _quarterly(r.grade) is QuarterlyGrade.good
        if good and last is not None and index == last + 1 and run:
            run.append(r)
        elif good:
            run = [r]
        else:
            run = []
        last = index
        if len(run) >= len(best):  # the latest of equally long runs
            best = list(run)
    return best


def _when(r: GradeRecord) -> str:
    return quarter_text((r.year, r.quarter or 1))


def _ids(records: Iterable[GradeRecord]) -> tuple[Hashable, ...]:
    return tuple(r.result_id for r in records if r.result_id is not None)


def meets(history: Sequence[GradeRecord], year: int, rule: CandidateRule,
          kind: CandidateKind) -> Candidate | None:
    """Whether one person (``history`` holds only their records) meets ``rule`` for ``year``."""
    first = year - rule.years + 1
    window = [r for r in history if first <= r.year <= year]
    quarters = [r for r in window if r.quarter is not None and _quarterly(r.grade)]
    annual = [r for r in window if r.quarter is None and _annual(r.grade)]
    if not quarters and not annual:
        return None
    if rule.blocked_by_poor and (
            any(_quarterly(r.grade) is QuarterlyGrade.poor for r in quarters)
            or any(_annual(r.grade) in BELOW_COMPETENT for r in annual)):
        return None
    run = _longest_good_run(quarters)
    excellent = sorted((r for r in annual if _annual(r.grade) is AnnualGrade.excellent),
                       key=lambda r: r.year)
    if len(run) < rule.consecutive_good or len(excellent) < rule.excellent_years:
        return None
    parts = []
    basis: list[GradeRecord] = []
    if rule.consecutive_good > 0:
        parts.append(f"连续{len(run)}个季度评为“好”（{_when(run[0])}至{_when(run[-1])}）")
        basis += run
    if rule.excellent_years > 0:
        parts.append("年度考核“优秀”（" + "、".join(f"{r.year}年" for r in excellent) + "）")
        basis += excellent
    if not parts:
        basis = sorted(window, key=lambda r: (r.year, r.quarter or 5))
        parts.append(f"{first}年至{year}年无较差等次" if rule.years > 1 else f"{year}年无较差等次")
    return Candidate(history[0].person_id, kind, "；".join(parts), _ids(basis))


def deferral(history: Sequence[GradeRecord], year: int, poor_quarters: int) -> Candidate | None:
    """Promotion deferral suggested by ``year``'s results (below 称职, or quarters of 较差)."""
    of_year = [r for r in history if r.year == year]
    low_annual = [r for r in of_year if r.quarter is None and _annual(r.grade) in BELOW_COMPETENT]
    poor = sorted((r for r in of_year
                   if r.quarter is not None and _quarterly(r.grade) is QuarterlyGrade.poor),
                  key=lambda r: r.quarter or 0)
    parts = []
    basis: list[GradeRecord] = []
    if low_annual:
        grade = _annual(low_annual[0].grade)
        assert grade is not None
        parts.append(f"{year}年度考核“{grade.label}”")
        basis += low_annual
    if poor_quarters > 0 and len(poor) >= poor_quarters:
        parts.append(f"{year}年{len(poor)}个季度评为“较差”（"
                     + "、".join(_when(r) for r in poor) + "）")
        basis += poor
    if not parts:
        return None
    return Candidate(history[0].person_id, CandidateKind.promotion_deferral, "；".join(parts),
                     _ids(basis))


def candidates(records: Iterable[GradeRecord], year: int, promotion: CandidateRule,
               rank_advancement: CandidateRule, deferral_poor_quarters: int
               ) -> list[Candidate]:
    """Every person's candidacies for ``year``, by person (input order) then kind."""
    by_person: dict[Hashable, list[GradeRecord]] = defaultdict(list)
    for r in records:
        by_person[r.person_id].append(r)
    out: list[Candidate] = []
    for history in by_person.values():
        for found in (meets(history, year, promotion, CandidateKind.promotion),
                      meets(history, year, rank_advancement, CandidateKind.rank_advancement),
                      deferral(history, year, deferral_poor_quarters)):
            if found is not None:
                out.append(found)
    return out
