"""Dated credit, deduction and conduct records against indicator rows of a published version.

The record model later capabilities build on (commendations, error notices, conduct
deductions, confirmed credits, pushes from office systems): a record names one indicator row
(so one version), a person or a unit, the day it happened, positive points, a reason and
evidence. Whether it counts is ``rules.indicator_effect.record_counts``: not before a dynamic
indicator's start date, and for credits only once confirmed.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from authz import Permission, Target
from models import IndicatorScheme, Person, PointRecord, SchemeNode, SchemeVersion
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail, not_found
from resolvers.notifications.send import notify
from resolvers.org.structure import person_target
from rules.indicator_effect import record_counts
from vocab.notifications import NotificationEvent
from vocab.plans import IndicatorKind, RecordStatus, SchemeStatus

POINT_KINDS = (IndicatorKind.credit, IndicatorKind.deduction, IndicatorKind.conduct_standard)


@dataclass(frozen=True)
class RecordInput:
    node_id: uuid.UUID
    occurred_on: date
    reason: str
    person_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None
    points: Decimal | None = None  # default: the indicator's points per item
    evidence: str = ""
    external_id: str | None = None


async def add_record(ctx: Context, data: RecordInput) -> PointRecord:
    # Checked against the record's person, so a "self" grant (credit claims) works too.
    ctx.require(Permission.point_record_write, await _subject_target(ctx, data))
    node = await ctx.session.get(SchemeNode, (ctx.me.tenant_id, data.node_id))
    if node is None:
        raise not_found("指标")
    version = await ctx.session.get(SchemeVersion, (ctx.me.tenant_id, node.version_id))
    assert version is not None
    scheme = await ctx.session.get(IndicatorScheme, (ctx.me.tenant_id, version.scheme_id))
    assert scheme is not None
    if version.status != SchemeStatus.published:
        raise fail(ErrorCode.INVALID, "只能对已发布指标体系中的指标记分", "nodeId")
    if node.kind not in POINT_KINDS:
        raise fail(ErrorCode.INVALID, f"「{node.name}」不是加分、减分或负面清单指标", "nodeId")
    if data.occurred_on.year != scheme.year:
        raise fail(ErrorCode.INVALID, f"记录日期须在{scheme.year}年度内", "occurredOn")
    if node.effective_from is not None and data.occurred_on < node.effective_from:
        raise fail(ErrorCode.RULE_VIOLATION,
                   f"「{node.name}」为动态指标，自{node.effective_from.isoformat()}起计分，"
                   f"{data.occurred_on.isoformat()}的事项不计入", "occurredOn")
    if data.person_id is None and data.unit_id is None:
        raise fail(ErrorCode.INVALID, "请指定人员或部门", "personId")
    if data.person_id is not None:
        person = await ctx.session.get(Person, (ctx.me.tenant_id, data.person_id))
        if person is None:
            raise not_found("人员")
    points = data.points if data.points is not None else node.points
    if points is None or not points.is_finite() or points < 0:
        raise fail(ErrorCode.INVALID, "分值须为不小于0的数", "points")
    if not data.reason.strip():
        raise fail(ErrorCode.INVALID, "请填写事由", "reason")
    row = PointRecord(tenant_id=ctx.me.tenant_id, version_id=version.id, node_id=node.id,
                      person_id=data.person_id, unit_id=data.unit_id,
                      occurred_on=data.occurred_on, points=points, reason=data.reason.strip(),
                      evidence=data.evidence.strip(), recorded_by=ctx.me.subject,
                      external_id=data.external_id,
                      status=RecordStatus.claimed if node.needs_confirmation
                      else RecordStatus.confirmed)
    ctx.session.add(row)
    await ctx.session.flush()
    audit.record(ctx, "points.record", "point_record", row.id, None, audit.snapshot(row))
    return row


async def _subject_target(ctx: Context, data: RecordInput) -> Target | None:
    if data.person_id is None:
        return None
    person = await ctx.session.get(Person, (ctx.me.tenant_id, data.person_id))
    return person_target(person) if person is not None else None


async def confirm_record(ctx: Context, record_id: uuid.UUID, confirmed: bool,
                         reason: str = "") -> PointRecord:
    """Confirms (or rejects) a claimed credit, e.g. a signed investment deal."""
    ctx.require(Permission.point_record_confirm)
    row = await ctx.session.get(PointRecord, (ctx.me.tenant_id, record_id),
                                with_for_update=True)
    if row is None:
        raise not_found("记分记录")
    if row.status != RecordStatus.claimed:
        raise fail(ErrorCode.CONFLICT, "该记录不是待确认状态")
    before = audit.snapshot(row)
    row.status = RecordStatus.confirmed if confirmed else RecordStatus.rejected
    row.confirmed_by, row.confirmed_at = ctx.me.subject, ctx.now()
    await ctx.session.flush()
    audit.record(ctx, "points.confirm", "point_record", row.id, before, audit.snapshot(row),
                 reason=reason)
    await _tell_claimant(ctx, row, confirmed, reason)
    return row


async def _tell_claimant(ctx: Context, row: PointRecord, confirmed: bool, reason: str) -> None:
    """The claimant (the account that recorded the claim, else the person it is for) learns
    the outcome."""
    kind, _, value = row.recorded_by.partition(":")
    accounts = [uuid.UUID(value)] if kind == "account" else []
    people = [row.person_id] if not accounts and row.person_id is not None else []
    outcome = "已确认" if confirmed else "未通过确认"
    why = f"（理由：{reason.strip()}）" if reason.strip() else ""
    await notify(ctx, NotificationEvent.points_confirmed if confirmed
                 else NotificationEvent.points_refused, account_ids=accounts, person_ids=people,
                 link="/my-results", title=f"加分申报{outcome}",
                 body=f"您申报的加分（{row.occurred_on:%Y-%m-%d}，{row.points}分：{row.reason}）"
                      f"{outcome}{why}。")


async def counted_records(ctx: Context, version_id: uuid.UUID, start: date, end: date,
                          person_id: uuid.UUID | None = None) -> list[PointRecord]:
    """The records of a version dated in [start, end] that count (see the module docstring).

    One person's records: for whoever may read that person's indicators; all: for the roles
    that record points.
    """
    if person_id is None:
        ctx.require(Permission.point_record_write)
    else:
        person = await ctx.session.get(Person, (ctx.me.tenant_id, person_id))
        if person is None or not ctx.can(Permission.person_indicators_read,
                                         person_target(person)):
            raise not_found("人员")
    stmt = (select(PointRecord, SchemeNode)
            .join(SchemeNode, SchemeNode.id == PointRecord.node_id)
            .where(PointRecord.version_id == version_id, PointRecord.occurred_on >= start,
                   PointRecord.occurred_on <= end)
            .order_by(PointRecord.occurred_on, PointRecord.created_at))
    if person_id is not None:
        stmt = stmt.where(PointRecord.person_id == person_id)
    rows: Sequence[tuple[PointRecord, SchemeNode]] = [
        (r, n) for r, n in (await ctx.session.execute(stmt)).all()]
    return [r for r, n in rows if record_counts(
        occurred_on=r.occurred_on, effective_from=n.effective_from, status=r.status,
        needs_confirmation=n.needs_confirmation)]
