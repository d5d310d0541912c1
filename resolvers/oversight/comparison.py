"""Cross-unit comparison for the city organization department (市委组织部): figures of any set of
units and periods, by unit and by kind of unit, aggregates only.

One call of the database function ``platform_comparison`` (migration 0028) returns the
measures of every requested tenant and period: those of closed periods stored when they closed
(``closed_figures``), read in one set-based statement (aggregates only, readable in the platform
scope), and, only for what was not stored (open periods, periods closed before 0028 or under
another minimum group size or care rules), those computed live by ``platform_figures``
(migration 0008), which reads each tenant under that tenant's own row-level security; with the
stage of each live pair's period (``platform_period_states``, migration 0024: which units'
periods are still open, figures may still change; a stored period is closed). Each refuses
outside the platform scope. The figures are computed by ``rules.oversight`` (the one definition
of each figure). Whatever the number of units and periods, a comparison costs two SQL
statements: the tenant registry, then the function. With a read replica configured
(``JIXIAO_READ_DATABASE_URL``) they run there, read-only, in the same platform scope, once it
has caught up with the primary (tenants/replica.py).
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from authz import Permission
from models import PlatformSetting, Tenant
from resolvers import audit
from resolvers.appraisal.annual import annual_policy
from resolvers.appraisal.grading import grading_policy
from resolvers.context import Context
from resolvers.errors import ErrorCode, UserFacingError, fail
from resolvers.oversight.closed_figures import care_policy_json, tenant_config_or_default
from rules.oversight import (
    FIGURES,
    Figure,
    FigureValue,
    QuotaPolicy,
    combine,
    derive,
    evaluate,
    group_of_kind,
    is_suppressed,
    period_key,
    period_kind_of_key,
    top_grade_quota,
)
from tenants.config import TenantConfig
from tenants.replica import read_transaction
from vocab.org import TENANT_KIND_LABELS, TenantKind
from vocab.oversight import UnitGroup
from vocab.periods import PeriodState

__all__ = ["Comparison", "Figure", "FigureValue", "OversightSettings", "PeriodRef", "Row", "Unit",
           "UnitGroup", "check_periods", "compare", "figure_definitions", "read_comparison",
           "set_min_group_size", "settings"]

MAX_PERIODS = 40
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Unit:
    id: uuid.UUID
    code: str
    name: str
    kind: str
    group: UnitGroup | None

    @property
    def kind_label(self) -> str:
        return TENANT_KIND_LABELS.get(TenantKind(self.kind), self.kind)


@dataclass(frozen=True)
class PeriodRef:
    year: int
    quarter: int | None

    @property
    def key(self) -> str:
        return period_key(self.year, self.quarter)

    @property
    def kind(self) -> str:
        return period_kind_of_key(self.key)

    @property
    def label(self) -> str:
        if self.quarter is None:
            return f"{self.year}年度"
        return f"{self.year}年第{'一二三四'[self.quarter - 1]}季度"


@dataclass(frozen=True)
class Row:
    """The figures of one unit (``unit``) or one kind of unit (``group``) in one period."""

    period: PeriodRef
    unit: Unit | None
    group: UnitGroup | None
    suppressed: bool
    units: int  # released units counted (1 for a unit row; a group row: its released units)
    figures: tuple[FigureValue, ...]
    state: str | None = None  # a unit row: the stage of the unit's period; None: no such period
    open_units: int = 0  # units of the row whose period is not closed yet

    @property
    def open(self) -> bool:
        return self.open_units > 0

    @property
    def label(self) -> str:
        if self.unit is not None:
            return self.unit.name
        return self.group.label if self.group is not None else ""

    def value(self, code: str) -> FigureValue:
        return next(f for f in self.figures if f.code == code)


@dataclass(frozen=True)
class Comparison:
    min_group_size: int
    periods: tuple[PeriodRef, ...]
    units: tuple[Unit, ...]
    unit_rows: tuple[Row, ...]
    group_rows: tuple[Row, ...]


def figure_definitions() -> tuple[Figure, ...]:
    """The registry of figures (rules.oversight): the same for every caller."""
    return FIGURES


def check_periods(periods: Sequence[PeriodRef]) -> tuple[PeriodRef, ...]:
    """Distinct, valid periods in the order given."""
    if not periods:
        raise fail(ErrorCode.INVALID, "请至少选择一个考核期次", "periods")
    if len(periods) > MAX_PERIODS:
        raise fail(ErrorCode.LIMIT_EXCEEDED, f"一次最多比较{MAX_PERIODS}个期次", "periods")
    for p in periods:
        if not FIRST_YEAR <= p.year <= LAST_YEAR or (p.quarter is not None
                                                     and not 1 <= p.quarter <= 4):
            raise fail(ErrorCode.INVALID, "期次无效：年度须在2000到2100之间，季度为1到4",
                       "periods")
    return tuple(dict.fromkeys(periods))


def quota_policy(config: TenantConfig, period_kind: str) -> QuotaPolicy | None:
    separately = config.grading.compare_groups_separately
    try:
        if period_kind == "quarter":
            grading = grading_policy(config.grading)
            return QuotaPolicy(grading.good_quota_share, grading.good_quota_rounding,
                               grading.good_quota_at_least_one, separately)
        annual = annual_policy(config.annual)
        return QuotaPolicy(annual.excellent_quota_share, annual.excellent_quota_rounding,
                           annual.excellent_quota_at_least_one, separately)
    except UserFacingError:
        return None


async def _units(session: AsyncSession, tenant_ids: Sequence[uuid.UUID] | None
                 ) -> list[tuple[Unit, TenantConfig]]:
    stmt = select(Tenant.id, Tenant.code, Tenant.name, Tenant.kind, Tenant.settings).where(
        Tenant.kind != TenantKind.organization_department.value).order_by(Tenant.code)
    if tenant_ids is not None:
        stmt = stmt.where(Tenant.id.in_(list(tenant_ids)))
    return [(Unit(tid, code, name, kind, group_of_kind(kind)), tenant_config_or_default(settings))
            for tid, code, name, kind, settings in (await session.execute(stmt)).all()]


async def read_comparison(session: AsyncSession, tenant_ids: Sequence[uuid.UUID] | None,
                          periods: Sequence[PeriodRef], *, stored: bool = True) -> Comparison:
    """The comparison, in a transaction already in the platform scope (no authorization here:
    the request checks it; the report worker and the bench call this directly). ``stored``:
    use the figures stored when the periods closed (False: everything live, for the bench)."""
    units = await _units(session, tenant_ids)
    answer = (await session.execute(
        text("SELECT tenant, period_key, measure, value, state FROM platform_comparison("
             "CAST(:t AS uuid[]), CAST(:p AS text[]), CAST(:c AS jsonb), :stored)"),
        {"t": [u.id for u, _ in units], "p": [p.key for p in periods],
         "c": json.dumps({str(u.id): care_policy_json(config) for u, config in units}),
         "stored": stored})).all()
    figures = [(tenant, key, measure, value) for tenant, key, measure, value, _ in answer
               if measure != "state"]
    states = {(tenant, key): state for tenant, key, measure, _, state in answer
              if measure == "state"}
    stored_pairs = {(tenant, key) for tenant, key, *_ in figures if tenant is not None}
    for pair in stored_pairs - states.keys():  # a stored pair's period is closed
        states[pair] = PeriodState.closed.value
    return build_comparison(units, periods, figures, states)


def empty(*, suppressed: bool) -> tuple[FigureValue, ...]:
    """Every figure without a value: suppressed, or no data."""
    return tuple(FigureValue(f.code, None, suppressed) for f in FIGURES)


def build_comparison(units: Sequence[tuple[Unit, TenantConfig]], periods: Sequence[PeriodRef],
                     answer: Sequence[Any],
                     states: Mapping[tuple[uuid.UUID, str], str] | None = None) -> Comparison:
    """Figures from the function's rows ``(tenant, period_key, measure, value)``; ``states``:
    the stage of each unit's period (``platform_period_states``), to mark the open ones."""
    states = states or {}
    min_group = 5
    measures: dict[tuple[uuid.UUID, str], dict[str, Decimal]] = defaultdict(dict)
    for tenant, key, measure, value in answer:
        if tenant is None:
            if measure == "min_group_size":
                min_group = int(value)
            continue
        if value is not None:
            measures[(tenant, key)][measure] = Decimal(value)
    unit_rows: list[Row] = []
    group_rows: list[Row] = []
    policies: dict[tuple[uuid.UUID, str], QuotaPolicy | None] = {}
    for period in periods:
        released: dict[UnitGroup, list[dict[str, Decimal]]] = defaultdict(list)
        hidden: dict[UnitGroup, int] = defaultdict(int)
        still_open: dict[UnitGroup, int] = defaultdict(int)
        for unit, config in units:
            state = states.get((unit.id, period.key))
            is_open = int(state is not None and state != PeriodState.closed)
            if is_open and unit.group is not None:
                still_open[unit.group] += 1
            found = measures.get((unit.id, period.key))
            if found is None:  # the unit has no such period: no data
                unit_rows.append(Row(period, unit, unit.group, False, 0,
                                     empty(suppressed=False), state, is_open))
                continue
            suppressed = "suppressed" in found or is_suppressed(found.get("headcount"),
                                                                 min_group)
            if suppressed:
                unit_rows.append(Row(period, unit, unit.group, True, 0,
                                     empty(suppressed=True), state, is_open))
                if unit.group is not None:
                    hidden[unit.group] += 1
                continue
            own = dict(found)
            if (unit.id, period.kind) not in policies:  # once per unit and kind of period
                policies[(unit.id, period.kind)] = quota_policy(config, period.kind)
            policy = policies[(unit.id, period.kind)]
            if policy is not None:
                own["quota_top"] = Decimal(top_grade_quota(own, policy))
            unit_rows.append(Row(period, unit, unit.group, False, 1,
                                 evaluate(derive(own, period.kind), period.kind,
                                          suppressed=False), state, is_open))
            if unit.group is not None:
                released[unit.group].append(own)
        for group in UnitGroup:
            parts = released.get(group, [])
            if not parts:  # no unit of the kind, or only suppressed ones
                group_rows.append(Row(period, None, group, hidden[group] > 0, 0,
                                      empty(suppressed=hidden[group] > 0),
                                      open_units=still_open[group]))
                continue
            total = combine(parts)
            suppressed = is_suppressed(total.get("headcount"), min_group)
            group_rows.append(Row(period, None, group, suppressed, len(parts),
                                  evaluate(derive(total, period.kind), period.kind,
                                           suppressed=suppressed),
                                  open_units=still_open[group]))
    return Comparison(min_group, tuple(periods), tuple(u for u, _ in units), tuple(unit_rows),
                      tuple(group_rows))


async def compare(ctx: Context, tenant_ids: Sequence[uuid.UUID] | None,
                  periods: Sequence[PeriodRef]) -> Comparison:
    """The city's comparison of the units (all units when ``tenant_ids`` is None)."""
    ctx.require(Permission.oversight_read)
    checked = check_periods(periods)
    async with read_transaction(ctx.session, ctx.replica) as session:  # the replica if any
        return await read_comparison(session, tenant_ids, checked)


# --- the platform setting: minimum group size ------------------------------------------------


@dataclass(frozen=True)
class OversightSettings:
    min_group_size: int
    updated_at: datetime | None
    updated_by: str | None


async def settings(ctx: Context) -> OversightSettings:
    ctx.require(Permission.oversight_read)
    row = await ctx.session.get(PlatformSetting, True)
    if row is None:
        return OversightSettings(5, None, None)
    return OversightSettings(row.min_group_size, row.updated_at, row.updated_by)


MIN_GROUP_RANGE = (2, 1000)


async def set_min_group_size(ctx: Context, value: int, reason: str) -> OversightSettings:
    """Changes the minimum group size (audited in the city's own log)."""
    ctx.require(Permission.oversight_configure)
    low, high = MIN_GROUP_RANGE
    if not low <= value <= high:
        raise fail(ErrorCode.INVALID, f"最小统计人数须在{low}到{high}之间", "value")
    if len(reason.strip()) < 2:
        raise fail(ErrorCode.INVALID, "请说明调整理由", "reason")
    before = await settings(ctx)
    done = await ctx.session.execute(
        update(PlatformSetting).where(PlatformSetting.id.is_(True)).values(
            min_group_size=value, updated_at=ctx.now(), updated_by=ctx.me.subject))
    if done.rowcount != 1:  # type: ignore[attr-defined]
        ctx.session.add(PlatformSetting(id=True, min_group_size=value, updated_at=ctx.now(),
                                        updated_by=ctx.me.subject))
    await ctx.session.flush()
    audit.record(ctx, "oversight.min_group_size", "platform_settings", "min_group_size",
                 {"min_group_size": before.min_group_size}, {"min_group_size": value},
                 reason.strip())
    return OversightSettings(value, ctx.now(), ctx.me.subject)
