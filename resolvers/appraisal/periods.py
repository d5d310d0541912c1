"""The period lifecycle: planning -> executing -> declaring -> rating -> reviewing ->
publicizing -> feedback -> closed. Transitions are explicit, guarded, audited; a closed period
is frozen until it is reopened with a reason.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from authz import Permission
from models import Period
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, Problem, UserFacingError, fail, not_found
from resolvers.oversight import closed_figures
from resolvers.tenant_config import tenant_config
from vocab.periods import PERIOD_STATE_LABELS, PeriodKind, PeriodState

ORDER = list(PeriodState)
QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}

# Guards registered by capabilities: (ctx, period, target state) -> problems.
Guard = Callable[[Context, Period, PeriodState], Awaitable[list[Problem]]]
GUARDS: list[Guard] = []
# Reactions registered by capabilities, run in the transition's transaction once the period
# moved: (ctx, period, state before). E.g. the report cache (resolvers/reports/cache.py).
Reaction = Callable[[Context, Period, PeriodState], Awaitable[None]]
AFTER_TRANSITION: list[Reaction] = []


async def _react(ctx: Context, period: Period, before: PeriodState) -> None:
    for reaction in AFTER_TRANSITION:
        await reaction(ctx, period, before)


def label(state: str) -> str:
    return PERIOD_STATE_LABELS[PeriodState(state)]


def stages(ctx: Context) -> list[PeriodState]:
    """Every stage of the cycle, in order (what the portal's stepper and deadlines show)."""
    ctx.require(Permission.period_read)
    return ORDER


async def list_periods(ctx: Context, year: int | None = None) -> Sequence[Period]:
    ctx.require(Permission.period_read)
    stmt = select(Period).order_by(Period.year.desc(), Period.kind, Period.quarter)
    if year is not None:
        stmt = stmt.where(Period.year == year)
    return (await ctx.session.scalars(stmt)).all()


async def get_period(ctx: Context, period_id: uuid.UUID, *, for_update: bool = False) -> Period:
    ctx.require(Permission.period_read)
    period = await ctx.session.get(Period, (ctx.me.tenant_id, period_id),
                                   with_for_update=for_update)
    if period is None:
        raise not_found("考核周期")
    return period


def ensure_open(period: Period) -> None:
    """Every write to a period's data calls this first."""
    if period.state == PeriodState.closed:
        raise fail(ErrorCode.FROZEN,
                   f"{period.name}已关闭，数据已冻结；如需更正，请先说明理由重新开启")


def parse_deadlines(items: dict[str, datetime]) -> dict[str, str]:
    bad = [s for s in items if s not in set(PeriodState)]
    if bad:
        raise fail(ErrorCode.INVALID, f"未知的阶段：{'、'.join(bad)}", "deadlines")
    return {state: at.isoformat() for state, at in items.items()}


def deadline(period: Period, state: PeriodState) -> datetime | None:
    value = (period.deadlines or {}).get(state.value)
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class PeriodInput:
    kind: str
    year: int
    quarter: int | None = None
    deadlines: dict[str, datetime] | None = None


async def create_period(ctx: Context, data: PeriodInput) -> Period:
    ctx.require(Permission.period_manage)
    if data.kind not in set(PeriodKind):
        raise fail(ErrorCode.INVALID, "周期类型只能是季度或年度", "kind")
    if (data.kind == PeriodKind.quarter) != (data.quarter is not None):
        raise fail(ErrorCode.INVALID, "季度考核须指定季度（1-4），年度考核不指定季度", "quarter")
    if data.quarter is not None and data.quarter not in QUARTER_NAMES:
        raise fail(ErrorCode.INVALID, "季度须为1到4", "quarter")
    if not 2000 <= data.year <= 2100:
        raise fail(ErrorCode.INVALID, "年份无效", "year")
    exists = await ctx.session.scalar(select(Period.id).where(
        Period.kind == data.kind, Period.year == data.year,
        Period.quarter.is_(None) if data.quarter is None else Period.quarter == data.quarter))
    if exists:
        raise fail(ErrorCode.DUPLICATE, "该考核周期已存在", "quarter")
    name = (f"{data.year}年{QUARTER_NAMES[data.quarter]}" if data.quarter
            else f"{data.year}年度")
    period = Period(tenant_id=ctx.me.tenant_id, kind=data.kind, year=data.year,
                    quarter=data.quarter, name=name, state=PeriodState.planning,
                    deadlines=parse_deadlines(data.deadlines or {}))
    ctx.session.add(period)
    await ctx.session.flush()
    audit.record(ctx, "period.create", "period", period.id, after=audit.snapshot(period))
    return period


async def set_deadlines(ctx: Context, period_id: uuid.UUID,
                        deadlines: dict[str, datetime]) -> Period:
    ctx.require(Permission.period_manage)
    period = await get_period(ctx, period_id, for_update=True)
    ensure_open(period)
    before = audit.snapshot(period)
    period.deadlines = {**(period.deadlines or {}), **parse_deadlines(deadlines)}
    audit.record(ctx, "period.deadlines", "period", period.id, before, audit.snapshot(period))
    return period


async def _built_in_guards(ctx: Context, period: Period, to: PeriodState) -> list[Problem]:
    problems = []
    if to == PeriodState.rating:
        config = await tenant_config(ctx)
        closes = deadline(period, PeriodState.declaring)
        if (not config.periods.allow_rating_before_declarations_close and closes is not None
                and ctx.now() < closes):
            problems.append(Problem(
                ErrorCode.RULE_VIOLATION,
                f"实绩申报截止时间（{closes:%Y-%m-%d %H:%M}）未到，不能开始评价；"
                "如需提前，请在单位设置中允许", "toState"))
    return problems


async def advance(ctx: Context, period_id: uuid.UUID, to_state: str, reason: str = "") -> Period:
    """Moves a period one step forward. Skipping or going back is refused."""
    ctx.require(Permission.period_manage)
    period = await get_period(ctx, period_id, for_update=True)
    ensure_open(period)
    if to_state not in set(PeriodState):
        raise fail(ErrorCode.INVALID, "未知的阶段", "toState")
    target = PeriodState(to_state)
    current = ORDER.index(PeriodState(period.state))
    if ORDER.index(target) != current + 1:
        raise fail(ErrorCode.RULE_VIOLATION,
                   f"只能从“{label(period.state)}”进入“{label(ORDER[current + 1])}”"
                   if current + 1 < len(ORDER) else "周期已是最后阶段", "toState")
    problems = await _built_in_guards(ctx, period, target)
    for guard in GUARDS:
        problems += await guard(ctx, period, target)
    if problems:
        raise UserFacingError(*problems)
    before = audit.snapshot(period)
    period.state = target
    if target == PeriodState.publicizing and period.published_at is None:
        period.published_at = ctx.now()
    audit.record(ctx, "period.advance", "period", period.id, before, audit.snapshot(period),
                 reason)
    await _state_changed(ctx, period)
    await _react(ctx, period, ORDER[current])
    return period


async def reopen(ctx: Context, period_id: uuid.UUID, reason: str,
                 to_state: str = PeriodState.feedback.value) -> Period:
    ctx.require(Permission.period_manage)
    period = await get_period(ctx, period_id, for_update=True)
    if period.state != PeriodState.closed:
        raise fail(ErrorCode.RULE_VIOLATION, "只有已关闭的周期才需要重新开启")
    if len(reason.strip()) < 4:
        raise fail(ErrorCode.INVALID, "重新开启须说明理由（至少4个字）", "reason")
    if to_state not in set(PeriodState) or to_state == PeriodState.closed:
        raise fail(ErrorCode.INVALID, "重新开启后的阶段无效", "toState")
    before = audit.snapshot(period)
    period.state = to_state
    audit.record(ctx, "period.reopen", "period", period.id, before, audit.snapshot(period),
                 reason.strip())
    await _state_changed(ctx, period)
    await _react(ctx, period, PeriodState.closed)
    return period


async def _state_changed(ctx: Context, period: Period) -> None:
    """After a transition: the database forgets the city's stored figures of the period when
    its state changes (the UPDATE, flushed here, fires the trigger); a closed period gets them
    stored anew (migration 0028)."""
    await ctx.session.flush()
    await closed_figures.store_on_close(ctx, period)
