"""Department results (组织绩效, 考事): compute, adjust with a reason, read.

* Departments: the units of kind ``department`` below the root (the root is the unit itself);
  results may also be entered by hand for other units (e.g. the leadership team). A
  sub-unit's tasks and records count for its department (the nearest one above it).
* The period's days: a quarter's three months, or the calendar year.
* Tasks: those of the department and of its people (``Task.unit_id``) due in the period, not
  cancelled. Overdue items (``rules.supervision``) due in the period and not rectified, as of
  the day after the period (or today while it runs).
* Unit-level indicators: point records against the unit (no person) dated in the period, of a
  credit or deduction indicator, counted as ``rules.indicator_effect.record_counts`` says.
* The formula: ``rules.department_results`` with ``TenantConfig.department_results``.

Computing keeps an adjustment in force (it only refreshes what was computed); every change is
audited. Who may: ``unit_result:compute`` / ``unit_result:adjust`` (the admin, the office),
``unit_result:read`` (those, the leaders, and the managers of the department).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from authz import Permission, Target
from authz.scopes import unit_rows
from models import (
    OrgUnit,
    Period,
    PointRecord,
    Rectification,
    SchemeNode,
    Task,
    TaskMilestone,
    UnitResult,
)
from resolvers import audit
from resolvers.appraisal.periods import ensure_open, get_period
from resolvers.appraisal.scoring import period_dates
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail, not_found
from resolvers.org.tree import org_tree
from resolvers.tenant_config import tenant_config
from rules.department_results import (
    DepartmentFacts,
    DepartmentResultPolicy,
    compute_department_result,
    level_of,
)
from rules.errors import RuleError
from rules.indicator_effect import record_counts
from rules.supervision import MilestoneFact, TaskFact, overdue_items
from tenants.config import DepartmentResultConfig
from vocab.org import UnitKind
from vocab.plans import IndicatorKind, TaskStatus

MAX_REASON = 1000


def policy_of(config: DepartmentResultConfig) -> DepartmentResultPolicy:
    try:
        return DepartmentResultPolicy(
            task_points=Decimal(config.task_points),
            overdue_item_points=Decimal(config.overdue_item_points),
            overdue_cap=Decimal(config.overdue_cap), indicator_cap=Decimal(config.indicator_cap),
            bands=tuple((Decimal(t), level) for t, level in config.level_bands),
            lowest_level=config.lowest_level)
    except (RuleError, ArithmeticError, ValueError) as exc:
        raise fail(ErrorCode.INVALID, f"部门考核结果规则设置有误：{exc}") from exc


def _snapshot(row: UnitResult) -> dict[str, Any]:
    return {"level": row.level, "score": row.score, "computed_level": row.computed_level,
            "computed_score": row.computed_score, "adjusted_level": row.adjusted_level,
            "adjusted_score": row.adjusted_score}


@dataclass
class _Tally:
    due: int = 0
    done: int = 0
    overdue: int = 0
    credits: Decimal = Decimal(0)
    deductions: Decimal = Decimal(0)


async def _tallies(ctx: Context, period: Period, departments: set[uuid.UUID]
                   ) -> dict[uuid.UUID, _Tally]:
    tree = await org_tree(ctx)
    first, last = period_dates(period)
    as_of = min(ctx.now().date(), last + timedelta(days=1))

    def department(unit: uuid.UUID | None) -> uuid.UUID | None:
        return None if unit is None else tree.nearest(unit, departments.__contains__)

    tallies = {d: _Tally() for d in departments}
    tasks = (await ctx.session.scalars(select(Task).where(Task.unit_id.is_not(None)))).all()
    by_id = {t.id: t for t in tasks}
    facts = []
    for task in tasks:
        owner = department(task.unit_id)
        if owner is None or task.status == TaskStatus.cancelled:
            continue
        facts.append(TaskFact(task.id, owner, task.title, task.due_on, task.status,
                              task.completed_on))
        if task.due_on is not None and first <= task.due_on <= last:
            tallies[owner].due += 1
            tallies[owner].done += task.status == TaskStatus.done
    milestones = (await ctx.session.scalars(select(TaskMilestone).where(
        TaskMilestone.due_on.between(first, last)))).all()
    rectified = [(task, milestone) for task, milestone in (await ctx.session.execute(
        select(Rectification.task_id, Rectification.milestone_id))).all()]
    for item in overdue_items(
            facts, [MilestoneFact(m.id, m.task_id, m.title, m.due_on, m.done_on)
                        for m in milestones if m.task_id in by_id], rectified, as_of):
        late = item.unit_id
        if first <= item.due_on <= last and isinstance(late, uuid.UUID) and late in tallies:
            tallies[late].overdue += 1
    records = (await ctx.session.execute(
        select(PointRecord, SchemeNode.kind, SchemeNode.effective_from,
               SchemeNode.needs_confirmation)
        .join(SchemeNode, (SchemeNode.tenant_id == PointRecord.tenant_id)
              & (SchemeNode.id == PointRecord.node_id))
        .where(PointRecord.person_id.is_(None), PointRecord.unit_id.is_not(None),
               PointRecord.occurred_on.between(first, last),
               SchemeNode.kind.in_([IndicatorKind.credit, IndicatorKind.deduction])))).all()
    for record, kind, effective_from, needs_confirmation in records:
        owner = department(record.unit_id)
        if owner is None or not record_counts(
                occurred_on=record.occurred_on, effective_from=effective_from,
                status=record.status, needs_confirmation=needs_confirmation):
            continue
        if kind == IndicatorKind.credit:
            tallies[owner].credits += record.points
        else:
            tallies[owner].deductions += record.points
    return tallies


async def compute_department_results(ctx: Context, period_id: uuid.UUID) -> list[UnitResult]:
    """Computes every department's result of the period; an adjustment stays in force."""
    ctx.require(Permission.unit_result_compute)
    period = await get_period(ctx, period_id, for_update=True)
    ensure_open(period)
    policy = policy_of((await tenant_config(ctx)).department_results)
    units = (await ctx.session.scalars(select(OrgUnit).where(
        OrgUnit.kind == UnitKind.department, OrgUnit.parent_id.is_not(None)))).all()
    tallies = await _tallies(ctx, period, {u.id for u in units})
    existing = {r.unit_id: r for r in (await ctx.session.scalars(select(UnitResult).where(
        UnitResult.period_id == period.id).with_for_update())).all()}
    before = {str(k): _snapshot(r) for k, r in existing.items()}
    now = ctx.now()
    rows = []
    for unit in units:
        tally = tallies[unit.id]
        result = compute_department_result(DepartmentFacts(
            tally.due, tally.done, tally.overdue, tally.credits, tally.deductions), policy)
        row = existing.get(unit.id)
        if row is None:
            row = UnitResult(tenant_id=ctx.me.tenant_id, period_id=period.id, unit_id=unit.id)
            ctx.session.add(row)
        row.computed_score, row.computed_level = result.score, result.level
        row.components, row.computed_at = list(result.components), now
        row.score = row.adjusted_score if row.adjusted_at is not None else result.score
        row.level = row.adjusted_level or result.level
        rows.append(row)
    await ctx.session.flush()
    audit.record(ctx, "unit_results.compute", "period", period.id, before,
                 {str(r.unit_id): _snapshot(r) for r in rows})
    tree = await org_tree(ctx)
    return sorted(rows, key=lambda r: tree.position(r.unit_id) or 0)


async def adjust_department_result(ctx: Context, period_id: uuid.UUID, unit_id: uuid.UUID,
                                   reason: str, level: str | None = None,
                                   score: Decimal | None = None) -> UnitResult:
    """The admin or the office sets a department's result in force, always with a reason.

    A score alone takes the level of its band; a level alone keeps the computed score.
    """
    ctx.require(Permission.unit_result_adjust)
    period = await get_period(ctx, period_id, for_update=True)
    ensure_open(period)
    unit = await ctx.session.get(OrgUnit, (ctx.me.tenant_id, unit_id))
    if unit is None:
        raise not_found("部门")
    if unit.parent_id is None:  # the unit itself: its result would cover every department
        raise fail(ErrorCode.INVALID, "本单位（组织架构的根）不是部门，不能设置部门考核结果",
                   "unitId")
    reason = reason.strip()
    if not reason:
        raise fail(ErrorCode.INVALID, "调整部门考核结果须说明理由", "reason")
    if len(reason) > MAX_REASON:
        raise fail(ErrorCode.INVALID, f"理由不能超过 {MAX_REASON} 字", "reason")
    policy = policy_of((await tenant_config(ctx)).department_results)
    if level is None and score is None:
        raise fail(ErrorCode.INVALID, "请填写调整后的得分或档次", "level")
    if score is not None:
        try:
            valid = score.is_finite() and Decimal(0) <= score <= Decimal(1000)
        except InvalidOperation:
            valid = False
        if not valid:
            raise fail(ErrorCode.INVALID, "调整后的得分须为0到1000之间的数", "score")
        score = score.quantize(Decimal("0.01"))
    if level is not None and level not in policy.levels:
        raise fail(ErrorCode.INVALID,
                   f"部门考核结果档次只能是{'、'.join(policy.levels)}", "level")
    row = await ctx.session.scalar(select(UnitResult).where(
        UnitResult.period_id == period.id, UnitResult.unit_id == unit.id).with_for_update())
    if row is None:  # entered by hand, never computed
        row = UnitResult(tenant_id=ctx.me.tenant_id, period_id=period.id, unit_id=unit.id,
                         components=[])
        ctx.session.add(row)
    before = _snapshot(row) if row.level else None
    row.adjusted_score = score if score is not None else row.computed_score
    row.adjusted_level = level if level is not None else level_of(
        row.adjusted_score or Decimal(0), policy)
    row.score, row.level = row.adjusted_score, row.adjusted_level
    row.adjust_reason, row.adjusted_by, row.adjusted_at = reason, ctx.me.subject, ctx.now()
    await ctx.session.flush()
    audit.record(ctx, "unit_result.adjust", "unit_result", row.id, before, _snapshot(row),
                 reason=reason)
    return row


async def list_department_results(ctx: Context, period_id: uuid.UUID) -> Sequence[UnitResult]:
    """The results of the period the caller may read, in the org tree's order."""
    period = await get_period(ctx, period_id)
    scope = ctx.authz.read_scope(Permission.unit_result_read)
    rows = (await ctx.session.scalars(select(UnitResult).where(
        UnitResult.period_id == period.id, unit_rows(scope, UnitResult.unit_id)))).all()
    tree = await org_tree(ctx)
    return sorted(rows, key=lambda r: tree.position(r.unit_id) or 0)


def can_read(ctx: Context, unit_id: uuid.UUID) -> bool:
    return ctx.can(Permission.unit_result_read, Target(kind="unit_result", unit_id=unit_id))


__all__ = ["adjust_department_result", "can_read", "compute_department_results",
           "list_department_results", "policy_of"]
