"""The leaders' dashboard (主要领导、分管领导): one period's figures of what the caller manages.

Nothing here decides who sees what: every part is the existing use case of its area, read
through that area's one read scope, so the principal leader sees the whole unit and a
supervising leader the departments they supervise, exactly as the separate queries
(``periodResults``, ``undeclaredPeople``, ``ratingCompletion``, ``interviewCompletion``,
``overdueItems``, ``departmentResults``) would answer them. A part the caller may not read is
``None`` rather than an error, so the rest of the dashboard still shows.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import func, select

from models import Period, UnitResult
from resolvers.appraisal import completeness, declarations, department_results
from resolvers.appraisal.periods import get_period
from resolvers.appraisal.results import readable_results
from resolvers.context import Context
from resolvers.errors import ErrorCode, UserFacingError
from resolvers.execution import supervision
from resolvers.feedback import interviews
from rules.supervision import OverdueItem
from vocab.grades import AnnualGrade, QuarterlyGrade
from vocab.periods import PeriodKind

T = TypeVar("T")


@dataclass(frozen=True)
class GradeCount:
    """How many of the results read hold ``grade``: the confirmed grade, or, before the review
    confirms it, the proposed one."""

    grade: str
    label: str
    count: int


@dataclass(frozen=True)
class Progress:
    """``done`` of ``required`` (people, or rater-person assignments)."""

    required: int
    done: int


@dataclass(frozen=True)
class Dashboard:
    period: Period
    results: int  # the period's results the caller may read
    grades: tuple[GradeCount, ...]  # every grade of the period's kind, best first
    ungraded: int  # results without any grade (未评价, 由上级考核)
    unconfirmed: int  # graded results whose grade is only proposed so far
    declarations: Progress | None  # None for a year, which has no declarations
    ratings: Progress | None
    interviews: Progress | None  # None for a year, which has no feedback interviews
    overdue: list[OverdueItem]
    department_results: Sequence[UnitResult]


async def _part(read: Callable[[], Awaitable[T]]) -> T | None:
    """A part the caller may not read (no scope at all) is left out, not an error."""
    try:
        return await read()
    except UserFacingError as exc:
        if exc.problems[0].code == ErrorCode.FORBIDDEN:
            return None
        raise


async def _grades(ctx: Context, period: Period) -> tuple[tuple[GradeCount, ...], int, int, int]:
    readable = readable_results(ctx, period).subquery()
    current = func.coalesce(readable.c.grade, readable.c.proposed_grade)
    rows = (await ctx.session.execute(
        select(current, func.count(), func.count().filter(readable.c.grade.is_(None)))
        .group_by(current))).all()
    counts = {grade: int(n) for grade, n, _ in rows}
    unconfirmed = sum(int(open_) for grade, _, open_ in rows if grade is not None)
    kind = QuarterlyGrade if period.kind == PeriodKind.quarter else AnnualGrade
    grades = tuple(GradeCount(g.value, g.label, counts.get(g.value, 0)) for g in kind)
    return grades, sum(counts.values()), counts.get(None, 0), unconfirmed


async def dashboard(ctx: Context, period_id: uuid.UUID, today: date) -> Dashboard:
    """The dashboard of one period; overdue items are those of the period's year still open
    (or done late and not rectified) on ``today``."""
    period = await get_period(ctx, period_id)
    grades, results, ungraded, unconfirmed = await _grades(ctx, period)

    async def declared() -> Progress | None:
        if period.kind != PeriodKind.quarter:  # declarations are quarterly (实绩申报)
            return None
        return Progress(*await declarations.declaration_tally(ctx, period.id))

    async def rated() -> Progress:
        view = await completeness.completion(ctx, period.id)
        return Progress(sum(r.assigned for r in view.by_unit), sum(r.done for r in view.by_unit))

    async def interviewed() -> Progress | None:
        if period.kind != PeriodKind.quarter:
            return None
        units = await interviews.completion(ctx, period.id)
        return Progress(sum(u.required for u in units), sum(u.done for u in units))

    overdue = await _part(lambda: supervision.overdue(ctx, today, period.year))
    return Dashboard(
        period=period, results=results, grades=grades, ungraded=ungraded,
        unconfirmed=unconfirmed, declarations=await _part(declared), ratings=await _part(rated),
        interviews=await _part(interviewed), overdue=overdue or [],
        department_results=await department_results.list_department_results(ctx, period.id))


__all__ = ["Dashboard", "GradeCount", "Progress", "dashboard"]
