"""Commendations (点赞事项) and error notices (错情通报), conduct deductions against the
negative list, and credit claims confirmed by an authorized role.

Commendations and error notices are public inside the tenant ("成绩亮眼就表扬，出了问题也要红脸
出汗"); conduct findings and pending claims are seen only by the person, whoever manages them,
and the roles that record or confirm them. A record dated in a closed quarter is refused.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import String, and_, cast, func, select

from authz import Permission, Target
from authz.scopes import person_rows
from models import OrgUnit, Period, Person, PointRecord, SchemeNode
from resolvers.appraisal.periods import ensure_open
from resolvers.appraisal.scoring import (
    PeriodScheme,
    load_period_scheme,
    score_person,
    scored_records,
)
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail, forbidden, not_found
from resolvers.execution import point_records
from resolvers.org.structure import person_target
from resolvers.pagination import MAX_PAGE, Page, check_page_size, keyset_page_by
from resolvers.plans.schemes import latest_published, version_dimensions, version_nodes
from resolvers.tenant_config import tenant_config
from rules.scoring import ExplanationKind, ScoreResult
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


def _record_cursor(row: PointRecord) -> str:
    return f"{row.occurred_on.isoformat()}|{row.id}"


def claim_cursor(entry: BoardEntry) -> str:
    return _record_cursor(entry.record)


async def pending_claims(ctx: Context, first: int, after: str | None) -> Page[BoardEntry]:
    """Credit claims awaiting confirmation, oldest first, of the people the caller may read
    records of (the office and the admin: everyone; a leader: the people they manage)."""
    scope = ctx.authz.read_scope(Permission.point_record_read)
    if scope.nothing:
        raise forbidden()
    check_page_size(first, MAX_PAGE)
    key = func.concat(cast(PointRecord.occurred_on, String), "|", cast(PointRecord.id, String))
    stmt = (select(PointRecord)
            .join(Person, and_(Person.tenant_id == PointRecord.tenant_id,
                               Person.id == PointRecord.person_id))
            .join(SchemeNode, and_(SchemeNode.tenant_id == PointRecord.tenant_id,
                                   SchemeNode.id == PointRecord.node_id))
            .where(PointRecord.status == RecordStatus.claimed,
                   SchemeNode.kind == IndicatorKind.credit,
                   person_rows(scope, ctx.me.person_id, PointRecord.person_id, Person.unit_id)))
    page = await keyset_page_by(ctx.session, stmt, key, _record_cursor, first, after)
    if not page.items:
        return Page([], page.total, False, claim_cursor)
    ids = [r.id for r in page.items]
    rows = {r.id: (r, n, name) for r, n, name in (await ctx.session.execute(
        select(PointRecord, SchemeNode, Person.name)
        .join(SchemeNode, and_(SchemeNode.tenant_id == PointRecord.tenant_id,
                               SchemeNode.id == PointRecord.node_id))
        .join(Person, and_(Person.tenant_id == PointRecord.tenant_id,
                           Person.id == PointRecord.person_id))
        .where(PointRecord.id.in_(ids)))).all()}
    return Page([BoardEntry(*rows[i]) for i in ids], page.total, page.has_next, claim_cursor)


@dataclass(frozen=True)
class IndicatorTotal:
    node: SchemeNode
    raw: Decimal
    # Under the indicator's own cap and never above its category's counted total; the
    # category's counted total is what the score counts when several indicators share it.
    counted: Decimal


@dataclass(frozen=True)
class CategoryTotal:
    """A credit or deduction category as the score counts it: raw sum and counted sum."""

    kind: str  # credit | deduction
    code: str
    name: str
    cap: Decimal | None
    raw: Decimal
    counted: Decimal
    indicators: list[IndicatorTotal]


@dataclass(frozen=True)
class PointSummary:
    """A person's credits, deductions and conduct deductions, raw and as the score counts
    them: computed by the score itself (``rules.score.compute_score`` through
    ``resolvers.appraisal.scoring.score_person``, with no ratings), so the counted values are
    the score's by construction."""

    period: Period | None  # None: the whole year under the year's latest published version
    credits_raw: Decimal
    credits_counted: Decimal
    deductions_raw: Decimal
    deductions_counted: Decimal
    conduct_raw: Decimal
    conduct_counted: Decimal
    categories: list[CategoryTotal]


async def _person_for_totals(ctx: Context, person_id: uuid.UUID) -> Person:
    person = await ctx.session.get(Person, (ctx.me.tenant_id, person_id))
    if person is None or not ctx.can(Permission.person_indicators_read, person_target(person)):
        raise not_found("人员")
    return person


async def _year_scheme(ctx: Context, year: int) -> PeriodScheme | None:
    """The year's latest published version over the whole year, scored like a period."""
    version = await latest_published(ctx, year)
    if version is None:
        return None
    config = await tenant_config(ctx)
    # A period of the whole year that is never stored: only its kind and year are read.
    whole_year = Period(tenant_id=ctx.me.tenant_id, kind=PeriodKind.year.value, year=year,
                        quarter=None, name=f"{year}年度")
    return PeriodScheme(whole_year, version, await version_nodes(ctx, version.id),
                        await version_dimensions(ctx, version.id), {}, config.rating)


async def point_summary(ctx: Context, person_id: uuid.UUID, year: int,
                        period_id: uuid.UUID | None = None) -> PointSummary | None:
    """What counts for a person, raw and capped: in a period (its pinned version and dates,
    exactly as its score) or, without a period, in the whole year."""
    person = await _person_for_totals(ctx, person_id)
    if period_id is not None:
        period = await ctx.session.get(Period, (ctx.me.tenant_id, period_id))
        if period is None:
            raise not_found("考核周期")
        scheme: PeriodScheme | None = await load_period_scheme(ctx, period)
    else:
        scheme = await _year_scheme(ctx, year)
    if scheme is None:
        return None
    records = (await scored_records(ctx, scheme)).get(person.id, [])
    result = score_person(scheme, person, [], records).result
    return _summary(scheme, records, result, period_id is not None)


def _summary(scheme: PeriodScheme, records: list[tuple[PointRecord, SchemeNode]],
             result: ScoreResult, of_period: bool) -> PointSummary:
    raw: dict[str, Decimal] = defaultdict(Decimal)
    nodes: dict[str, SchemeNode] = {}
    for record, node in records:
        raw[node.code] += record.points
        nodes[node.code] = node
    # What the caps cut, by the indicator or category the score names on its cap lines.
    cut: dict[str, Decimal] = defaultdict(Decimal)
    for line in result.explanation:
        if line.kind in (ExplanationKind.credit_cap, ExplanationKind.deduction_cap):
            cut[line.source] += abs(line.delta)
    by_code = {n.code: n for n in scheme.nodes}
    categories: dict[str, list[IndicatorTotal]] = defaultdict(list)
    for code, node in sorted(nodes.items()):
        if node.kind not in PUBLIC_KINDS:
            continue
        category = scheme.category_of(node)
        counted = raw[code] - (cut[code] if category != code else Decimal(0))
        categories[category].append(IndicatorTotal(node, raw[code], counted))
    out = []
    for code, indicators in sorted(categories.items()):
        kind = indicators[0].node.kind
        parts = result.credit_parts if kind == IndicatorKind.credit else result.deduction_parts
        counted = parts.get(code, Decimal(0))
        head = by_code.get(code)
        # No indicator shows more than its category counts (alone in it: exactly that).
        out.append(CategoryTotal(kind, code, head.name if head else code,
                                 head.cap if head else None,
                                 sum((i.raw for i in indicators), Decimal(0)), counted,
                                 [replace(i, counted=min(i.counted, counted))
                                  for i in indicators]))

    def total(kind: str) -> Decimal:
        return sum((v for c, v in raw.items() if nodes[c].kind == kind), Decimal(0))

    return PointSummary(scheme.period if of_period else None,
                        total(IndicatorKind.credit), result.credits,
                        total(IndicatorKind.deduction), result.deductions,
                        total(IndicatorKind.conduct_standard), result.conduct, out)


async def person_year_totals(ctx: Context, person_id: uuid.UUID, year: int
                             ) -> list[tuple[IndicatorTotal, CategoryTotal]]:
    """Per indicator, with its category, for the year (``point_summary`` without a period)."""
    summary = await point_summary(ctx, person_id, year)
    if summary is None:
        return []
    return [(i, c) for c in summary.categories for i in c.indicators]


def sign(node: SchemeNode) -> Decimal:
    return Decimal(1) if node.kind == IndicatorKind.credit else Decimal(-1)

