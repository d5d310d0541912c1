"""Who reads scores and grades: the tenant admin every result; a leader the results of the people
they manage; a person their own, once the period is publicized (实绩公示) — before that a result
is still under review. Colleagues never read each other's score or grade (publicity shows who was
rated 好 and why, see ``resolvers.publicity``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import Select, and_, func, select

from authz import Permission, ReadScope
from authz.scopes import person_rows
from models import Period, Person, PersonResult
from resolvers.appraisal.periods import get_period
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail, not_found
from vocab.periods import PeriodState

PUBLISHED = (PeriodState.publicizing, PeriodState.feedback, PeriodState.closed)
MAX_PAGE = 500


def result_scope(ctx: Context, period: Period) -> ReadScope:
    """Whose results of ``period`` the caller may read: own ones only once it is
    publicized."""
    scope = ctx.authz.read_scope(Permission.result_read)
    if period.state not in PUBLISHED:
        scope = ReadScope(everything=scope.everything, own=False, managed=scope.managed)
    return scope


def results_in(scope: ReadScope, me: uuid.UUID | None,
               period_id: uuid.UUID) -> Select[PersonResult]:
    """The period's results ``scope`` admits for the caller ``me``, joined to the person."""
    return (select(PersonResult)
            .join(Person, and_(Person.tenant_id == PersonResult.tenant_id,
                               Person.id == PersonResult.person_id))
            .where(PersonResult.period_id == period_id,
                   person_rows(scope, me, Person.id, Person.unit_id)))


def readable_results(ctx: Context, period: Period) -> Select[PersonResult]:
    """The period's results the caller may read (joined to the person): ``result_scope``."""
    return results_in(result_scope(ctx, period), ctx.me.person_id, period.id)


async def list_results(ctx: Context, period_id: uuid.UUID, first: int = 200, offset: int = 0
                       ) -> tuple[Sequence[PersonResult], int]:
    """The results the caller may read, in ranking order (one query, whatever the count)."""
    stmt = await results_of_period(ctx, period_id, first, offset)
    total = int(await ctx.session.scalar(
        select(func.count()).select_from(stmt.subquery())) or 0)
    rows = (await ctx.session.scalars(stmt.order_by(*RANKING).offset(offset).limit(first)
                                      )).all()
    return rows, total


# The order of a period's results: by rank (unranked last), then by employee number.
RANKING = (PersonResult.rank.asc().nulls_last(), Person.employee_no)


async def results_of_period(ctx: Context, period_id: uuid.UUID, first: int,
                            offset: int) -> Select[PersonResult]:
    """The select behind ``list_results`` (the page's size checked, the period readable)."""
    return readable_results(ctx, await period_of_results(ctx, period_id, first, offset))


async def period_of_results(ctx: Context, period_id: uuid.UUID, first: int,
                            offset: int) -> Period:
    """The period of a page of results, once the page's size is checked and the period found
    readable."""
    if not 1 <= first <= MAX_PAGE or offset < 0:
        raise fail(ErrorCode.INVALID, f"每页数量须在1到{MAX_PAGE}之间", "first")
    return await get_period(ctx, period_id)


async def get_result(ctx: Context, period_id: uuid.UUID, person_id: uuid.UUID) -> PersonResult:
    """One person's result, or the same "not found" for a missing and an unreadable one."""
    period = await get_period(ctx, period_id)
    row = await ctx.session.scalar(
        readable_results(ctx, period).where(PersonResult.person_id == person_id))
    if row is None:
        raise not_found("考核结果")
    return row
