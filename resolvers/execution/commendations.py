"""Commendations (点赞事项) and error notices (错情通报), conduct deductions against the
negative list, and credit claims confirmed by an authorized role.

Commendations and error notices are public inside the tenant ("成绩亮眼就表扬，出了问题也要红脸
出汗"); conduct findings and pending claims are seen only by the person, whoever manages them,
and the roles that record or confirm them. A record dated in a closed quarter is refused.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, select

from authz import Permission, Target
from models import OrgUnit, Period, Person, PointRecord, SchemeNode
from resolvers.appraisal.periods import ensure_open
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail, not_found
from resolvers.execution import point_records
from resolvers.plans.schemes import latest_published
from rules.points import CappedTotal, capped_totals
from vocab.periods import PeriodKind
from vocab.plans import IndicatorKind, RecordStatus

PUBLIC_KINDS = (IndicatorKind.credit, IndicatorKind.deduction)


def record_target(person: Person | None) -> Target:
    if person is None:
        return Target(kind="point_record")
    return Target(kind="point_record", id=person.id, person_id=person.id, unit_id=person.unit_id)


async def _frozen_check(ctx: Context, day: date) -> None:
    quarter = (day.month - 1) // 3 + 1
    period = await ctx.session.scalar(select(Period).where(
        Period.kind == PeriodKind.quarter, Period.year == day.year, Period.quarter == quarter))
    if period is not None:
        ensure_open(period)


async def _node(ctx: Context, node_id: uuid.UUID) -> SchemeNode:
    node = await ctx.session.get(SchemeNode, (ctx.me.tenant_id, node_id))
    if node is None:
        raise not_found("指标")
    return node


async def issue(ctx: Context, data: point_records.RecordInput) -> PointRecord:
    """The office (or the admin) issues a commendation or an error notice; conduct findings
    need the conduct role and evidence."""
    ctx.require(Permission.commendation_issue)
    node = await _node(ctx, data.node_id)
    if node.kind == IndicatorKind.conduct_standard:
        ctx.require(Permission.conduct_record)
        if not data.evidence.strip():
            raise fail(ErrorCode.INVALID, "政治素质负面清单扣分须附佐证材料", "evidence")
    if node.kind == IndicatorKind.deduction and not data.evidence.strip():
        raise fail(ErrorCode.INVALID, "错情通报须附佐证材料", "evidence")
    await _frozen_check(ctx, data.occurred_on)
    return await point_records.add_record(ctx, data)


async def claim_credit(ctx: Context, data: point_records.RecordInput) -> PointRecord:
    """A person claims a credit for themselves (e.g. a signed investment deal); it counts only
    once an authorized role confirms it."""
    node = await _node(ctx, data.node_id)
    if node.kind != IndicatorKind.credit:
        raise fail(ErrorCode.INVALID, f"「{node.name}」不是加分指标", "indicatorId")
    person_id = data.person_id or ctx.me.person_id
    person = await ctx.session.get(Person, (ctx.me.tenant_id, person_id)) if person_id else None
    if person is None:
        raise not_found("人员")
    ctx.require(Permission.credit_claim, record_target(person))
    await _frozen_check(ctx, data.occurred_on)
    row = await point_records.add_record(ctx, _with_person(data, person.id))
    if row.status != RecordStatus.claimed:
        # A self-claimed credit always waits for confirmation, whatever the indicator says.
        row.status = RecordStatus.claimed
    return row


def _with_person(data: point_records.RecordInput, person_id: uuid.UUID
                 ) -> point_records.RecordInput:
    return point_records.RecordInput(
        node_id=data.node_id, occurred_on=data.occurred_on, reason=data.reason,
        person_id=person_id, points=data.points, evidence=data.evidence,
        external_id=data.external_id)


async def confirm(ctx: Context, record_id: uuid.UUID, confirmed: bool,
                  reason: str = "") -> PointRecord:
    row = await ctx.session.get(PointRecord, (ctx.me.tenant_id, record_id))
    if row is None:
        raise not_found("记分记录")
    await _frozen_check(ctx, row.occurred_on)
    return await point_records.confirm_record(ctx, record_id, confirmed, reason)


@dataclass(frozen=True)
class BoardEntry:
    record: PointRecord
    node: SchemeNode
    subject: str  # the person's or the unit's name: the board is public inside the tenant


async def board(ctx: Context, year: int, kind: str | None = None) -> list[BoardEntry]:
    """Confirmed commendations and error notices of the year, newest first, for everyone."""
    ctx.require(Permission.commendation_board_read)
    kinds = [kind] if kind in PUBLIC_KINDS else list(PUBLIC_KINDS)
    rows = (await ctx.session.execute(
        select(PointRecord, SchemeNode, Person.name, OrgUnit.name)
        .join(SchemeNode, and_(SchemeNode.tenant_id == PointRecord.tenant_id,
                               SchemeNode.id == PointRecord.node_id))
        .outerjoin(Person, and_(Person.tenant_id == PointRecord.tenant_id,
                                Person.id == PointRecord.person_id))
        .outerjoin(OrgUnit, and_(OrgUnit.tenant_id == PointRecord.tenant_id,
                                 OrgUnit.id == PointRecord.unit_id))
        .where(SchemeNode.kind.in_(kinds), PointRecord.status == RecordStatus.confirmed,
               PointRecord.occurred_on >= date(year, 1, 1),
               PointRecord.occurred_on <= date(year, 12, 31))
        .order_by(PointRecord.occurred_on.desc(), PointRecord.created_at.desc()))).all()
    return [BoardEntry(r, n, person or unit or "") for r, n, person, unit in rows]


async def person_records(ctx: Context, person_id: uuid.UUID, year: int) -> list[BoardEntry]:
    """All records of a person in a year (conduct findings and pending claims included), for
    the person, whoever manages them, and the recording roles."""
    person = await ctx.session.get(Person, (ctx.me.tenant_id, person_id))
    if person is None or not ctx.can(Permission.point_record_read, record_target(person)):
        raise not_found("人员")
    rows = (await ctx.session.execute(
        select(PointRecord, SchemeNode)
        .join(SchemeNode, and_(SchemeNode.tenant_id == PointRecord.tenant_id,
                               SchemeNode.id == PointRecord.node_id))
        .where(PointRecord.person_id == person_id,
               PointRecord.occurred_on >= date(year, 1, 1),
               PointRecord.occurred_on <= date(year, 12, 31))
        .order_by(PointRecord.occurred_on))).all()
    return [BoardEntry(r, n, person.name) for r, n in rows]


async def person_totals(ctx: Context, person_id: uuid.UUID, version_id: uuid.UUID,
                        start: date, end: date) -> list[tuple[SchemeNode, CappedTotal]]:
    """What counts for a person in [start, end], per indicator, under each indicator's cap."""
    counted = await point_records.counted_records(ctx, version_id, start, end, person_id)
    ids = {r.node_id for r in counted}
    nodes = {n.id: n for n in (await ctx.session.scalars(
        select(SchemeNode).where(SchemeNode.id.in_(ids)))).all()} if ids else {}
    totals = capped_totals([(r.node_id, r.points) for r in counted],
                           {i: n.cap for i, n in nodes.items()})
    return [(nodes[t.key], t) for t in totals if isinstance(t.key, uuid.UUID)]


async def person_year_totals(ctx: Context, person_id: uuid.UUID, year: int
                             ) -> list[tuple[SchemeNode, CappedTotal]]:
    version = await latest_published(ctx, year)
    if version is None:
        return []
    return await person_totals(ctx, person_id, version.id, date(year, 1, 1), date(year, 12, 31))


def sign(node: SchemeNode) -> Decimal:
    return Decimal(1) if node.kind == IndicatorKind.credit else Decimal(-1)

