"""Rules on pushed data (自动采集规则, issue 17 part 6): pushed data becomes a proposed
deduction or credit that counts only once an authorized role confirms it.

- A rule (the admin's list): the kind of data it reads (``vocab.push_rules.PushRuleKind``), its
  condition (days overdue and not rectified), the points (positive, at most the indicator's
  cap) and the indicator row of a published version, and whether it is active.
- Evaluation: a pushed supervision result evaluates the overdue rules on its task at once; the
  job sweeper's periodic pass (``workers/push_rules.py``) evaluates them on every task; a pushed
  error notice evaluates the error notice rules. Each match inserts one proposal per rule and
  source item (``ON CONFLICT DO NOTHING`` on the unique key): repeating a push or a pass, or
  running it in two workers at once, proposes nothing twice.
- A proposal is dated the day its rule was met (an overdue item: its due date plus N days; an
  error notice: its day) and is made only when that day falls in the year of the rule's
  indicator row (a point record must).
- Confirming creates the point record through ``commendations.issue`` exactly as a manual error
  notice (same checks: a closed quarter refuses it), confirmed at once; refusing keeps the
  reason. Every step is audited.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import String, and_, cast, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from authz import Permission
from models import (
    AuditEntry,
    IndicatorScheme,
    OrgUnit,
    Person,
    PointProposal,
    PushRule,
    SchemeNode,
    SchemeVersion,
    Task,
)
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail, not_found
from resolvers.execution import commendations, point_records, pushes, supervision
from resolvers.pagination import MAX_PAGE, Page, check_page_size, keyset_page_by
from resolvers.plans.schemes import today
from rules.supervision import OverdueItem, overdue_items
from vocab.plans import IndicatorKind, RecordStatus, SchemeStatus
from vocab.push_rules import ProposalStatus, PushRuleKind

# Which indicator rows a rule of each kind may feed: both kinds of data are failings.
INDICATOR_KINDS: dict[PushRuleKind, tuple[IndicatorKind, ...]] = {
    PushRuleKind.supervision_overdue: (IndicatorKind.deduction,),
    PushRuleKind.error_notice: (IndicatorKind.deduction,),
}
MAX_DAYS = 366
MAX_POINTS = 1000  # far above any cap; keeps the value inside the column (numeric(8, 2))


# --- the rules -------------------------------------------------------------------------------

@dataclass(frozen=True)
class RuleInput:
    name: str
    kind: str
    node_id: uuid.UUID
    points: Decimal
    min_days: int | None = None
    active: bool = True


@dataclass(frozen=True)
class RuleEntry:
    rule: PushRule
    node: SchemeNode
    year: int  # the year of the indicator row's scheme: proposals are dated in it


async def _node_year(session: AsyncSession, tenant_id: uuid.UUID, node_id: uuid.UUID
                     ) -> tuple[SchemeNode, SchemeVersion, int] | None:
    row = (await session.execute(
        select(SchemeNode, SchemeVersion, IndicatorScheme.year)
        .join(SchemeVersion, and_(SchemeVersion.tenant_id == SchemeNode.tenant_id,
                                  SchemeVersion.id == SchemeNode.version_id))
        .join(IndicatorScheme, and_(IndicatorScheme.tenant_id == SchemeVersion.tenant_id,
                                    IndicatorScheme.id == SchemeVersion.scheme_id))
        .where(SchemeNode.tenant_id == tenant_id, SchemeNode.id == node_id))).first()
    return (row[0], row[1], row[2]) if row is not None else None


async def _bounds(ctx: Context, node: SchemeNode) -> list[SchemeNode]:
    """The row and its category (the parent row of kind category), whose caps bound the score."""
    parent = (await ctx.session.get(SchemeNode, (ctx.me.tenant_id, node.parent_id))
              if node.parent_id is not None else None)
    return [node] + ([parent] if parent is not None and parent.kind == IndicatorKind.category
                     else [])


async def _checked(ctx: Context, data: RuleInput) -> RuleInput:
    name = data.name.strip()
    if not name or len(name) > 200:
        raise fail(ErrorCode.INVALID, "请填写规则名称（不超过200个字）", "name")
    if data.kind not in PushRuleKind.__members__:
        raise fail(ErrorCode.INVALID, "数据类型须为督办事项逾期未整改或错情通报", "kind")
    kind = PushRuleKind(data.kind)
    min_days = data.min_days
    if kind == PushRuleKind.supervision_overdue:
        if min_days is None or not 0 <= min_days <= MAX_DAYS:
            raise fail(ErrorCode.INVALID, f"请填写逾期未整改的天数（0到{MAX_DAYS}天）", "minDays")
    else:
        min_days = None
    found = await _node_year(ctx.session, ctx.me.tenant_id, data.node_id)
    if found is None:
        raise not_found("指标")
    node, version, _ = found
    if version.status != SchemeStatus.published:
        raise fail(ErrorCode.INVALID, "只能选择已发布指标体系中的指标", "indicatorId")
    allowed = INDICATOR_KINDS[kind]
    if node.kind not in allowed:
        names = "、".join(k.label for k in allowed)
        raise fail(ErrorCode.INVALID, f"「{node.name}」不是{names}指标", "indicatorId")
    points = data.points
    if (not points.is_finite() or points <= 0 or points > MAX_POINTS
            or points != points.quantize(Decimal("0.01"))):
        raise fail(ErrorCode.INVALID, f"分值须为大于0、不超过{MAX_POINTS}的数（最多两位小数）",
                   "points")
    for bound in await _bounds(ctx, node):
        # The caps that bound what the score counts of this row: one item never exceeds them.
        if bound.cap is not None and points > bound.cap:
            raise fail(ErrorCode.LIMIT_EXCEEDED,
                       f"分值不能超过「{bound.name}」的上限{bound.cap.normalize():f}分", "points")
    return RuleInput(name, kind.value, node.id, points, min_days, data.active)


async def list_rules(ctx: Context) -> list[RuleEntry]:
    """The tenant's rules, oldest first (a short list the admin edits)."""
    ctx.require(Permission.push_rule_read)
    rows = (await ctx.session.execute(
        select(PushRule, SchemeNode, IndicatorScheme.year)
        .join(SchemeNode, and_(SchemeNode.tenant_id == PushRule.tenant_id,
                               SchemeNode.id == PushRule.node_id))
        .join(SchemeVersion, and_(SchemeVersion.tenant_id == SchemeNode.tenant_id,
                                  SchemeVersion.id == SchemeNode.version_id))
        .join(IndicatorScheme, and_(IndicatorScheme.tenant_id == SchemeVersion.tenant_id,
                                    IndicatorScheme.id == SchemeVersion.scheme_id))
        .order_by(PushRule.created_at, PushRule.id))).all()
    return [RuleEntry(r, n, y) for r, n, y in rows]


async def _entry(ctx: Context, rule: PushRule) -> RuleEntry:
    found = await _node_year(ctx.session, ctx.me.tenant_id, rule.node_id)
    assert found is not None
    return RuleEntry(rule, found[0], found[2])


async def create_rule(ctx: Context, data: RuleInput) -> RuleEntry:
    ctx.require(Permission.push_rule_manage)
    data = await _checked(ctx, data)
    rule = PushRule(tenant_id=ctx.me.tenant_id, id=uuid.uuid4(), name=data.name, kind=data.kind,
                    min_days=data.min_days, points=data.points, node_id=data.node_id,
                    active=data.active, created_by=ctx.me.subject)
    ctx.session.add(rule)
    await ctx.session.flush()
    audit.record(ctx, "push_rule.create", "push_rule", rule.id, None, audit.snapshot(rule))
    return await _entry(ctx, rule)


async def _rule(ctx: Context, rule_id: uuid.UUID) -> PushRule:
    rule = await ctx.session.get(PushRule, (ctx.me.tenant_id, rule_id), with_for_update=True)
    if rule is None:
        raise not_found("规则")
    return rule


async def update_rule(ctx: Context, rule_id: uuid.UUID, data: RuleInput) -> RuleEntry:
    """Changes apply to what the rule proposes from now on; proposals made stay as they are."""
    ctx.require(Permission.push_rule_manage)
    rule = await _rule(ctx, rule_id)
    data = await _checked(ctx, data)
    before = audit.snapshot(rule)
    rule.name, rule.kind, rule.min_days = data.name, data.kind, data.min_days
    rule.points, rule.node_id, rule.active = data.points, data.node_id, data.active
    await ctx.session.flush()
    audit.record(ctx, "push_rule.update", "push_rule", rule.id, before, audit.snapshot(rule))
    return await _entry(ctx, rule)


async def disable_rule(ctx: Context, rule_id: uuid.UUID) -> RuleEntry:
    ctx.require(Permission.push_rule_manage)
    rule = await _rule(ctx, rule_id)
    if rule.active:
        before = audit.snapshot(rule)
        rule.active = False
        await ctx.session.flush()
        audit.record(ctx, "push_rule.disable", "push_rule", rule.id, before,
                     audit.snapshot(rule))
    return await _entry(ctx, rule)


# --- evaluation ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Proposed:
    source_key: str
    source: dict[str, Any]
    source_text: str
    person_id: uuid.UUID | None
    unit_id: uuid.UUID | None
    occurred_on: date


async def _active(session: AsyncSession, kind: PushRuleKind) -> list[RuleEntry]:
    rows = (await session.execute(
        select(PushRule, SchemeNode, IndicatorScheme.year)
        .join(SchemeNode, and_(SchemeNode.tenant_id == PushRule.tenant_id,
                               SchemeNode.id == PushRule.node_id))
        .join(SchemeVersion, and_(SchemeVersion.tenant_id == SchemeNode.tenant_id,
                                  SchemeVersion.id == SchemeNode.version_id))
        .join(IndicatorScheme, and_(IndicatorScheme.tenant_id == SchemeVersion.tenant_id,
                                    IndicatorScheme.id == SchemeVersion.scheme_id))
        .where(PushRule.kind == kind, PushRule.active.is_(True))
        .order_by(PushRule.created_at, PushRule.id))).all()
    return [RuleEntry(r, n, y) for r, n, y in rows]


async def _propose(session: AsyncSession, tenant_id: uuid.UUID, actor: str, entry: RuleEntry,
                   item: _Proposed) -> uuid.UUID | None:
    """Inserts the proposal unless this rule already proposed for this item; audits it."""
    if item.occurred_on.year != entry.year or (item.person_id is None and item.unit_id is None):
        return None
    rule = entry.rule
    values = dict(tenant_id=tenant_id, id=uuid.uuid4(), rule_id=rule.id,
                  source_key=item.source_key, source=item.source, source_text=item.source_text,
                  node_id=rule.node_id, person_id=item.person_id, unit_id=item.unit_id,
                  occurred_on=item.occurred_on, points=rule.points,
                  status=ProposalStatus.proposed.value)
    inserted: uuid.UUID | None = await session.scalar(
        insert(PointProposal).values(**values)
        .on_conflict_do_nothing(index_elements=["tenant_id", "rule_id", "source_key"])
        .returning(PointProposal.id))
    if inserted is None:
        return None
    after = {k: str(v) if isinstance(v, uuid.UUID | Decimal | date) else v
             for k, v in values.items() if k != "tenant_id"}
    session.add(AuditEntry(tenant_id=tenant_id, actor=actor, action="point_proposal.create",
                           entity="point_proposal", entity_id=str(inserted), after=after,
                           reason=f"自动采集规则「{rule.name}」"))
    return inserted


def _overdue_item(item: OverdueItem, min_days: int) -> _Proposed:
    milestone = f"{item.milestone_id}" if item.milestone_id is not None else "-"
    state = "已完成但未整改" if item.done_late else "未完成、未整改"
    return _Proposed(
        source_key=f"task:{item.task_id}:{milestone}",
        source={"taskId": str(item.task_id),
                "milestoneId": str(item.milestone_id) if item.milestone_id else None,
                "title": item.title, "dueOn": item.due_on.isoformat(),
                "daysOverdue": item.days_overdue, "doneLate": item.done_late},
        source_text=(f"督办事项「{item.title}」应于{item.due_on.isoformat()}完成，"
                     f"逾期{item.days_overdue}天{state}"),
        person_id=item.person_id if isinstance(item.person_id, uuid.UUID) else None,
        unit_id=(item.unit_id if item.person_id is None and isinstance(item.unit_id, uuid.UUID)
                 else None),
        occurred_on=item.due_on + timedelta(days=min_days))


async def evaluate_overdue(session: AsyncSession, tenant_id: uuid.UUID, as_of: date,
                           actor: str, task_ids: Sequence[uuid.UUID] | None = None
                           ) -> list[uuid.UUID]:
    """Proposes for every overdue item open ``min_days`` or more at ``as_of``, per active rule
    (all tasks, or the given ones). Returns the proposals made now."""
    rules = await _active(session, PushRuleKind.supervision_overdue)
    if not rules:
        return []
    stmt = select(Task).where(Task.due_on.is_not(None))
    if task_ids is not None:
        stmt = stmt.where(Task.id.in_(task_ids))
    facts = await supervision.facts_of(session, (await session.scalars(stmt)).all())
    items = overdue_items(facts.tasks, facts.milestones, facts.rectified, as_of)
    made: list[uuid.UUID] = []
    for entry in rules:
        days = entry.rule.min_days or 0
        for item in items:
            if item.days_overdue >= days:
                made += [i for i in [await _propose(session, tenant_id, actor, entry,
                                                    _overdue_item(item, days))] if i]
    return made


async def after_progress_push(ctx: Context, task_id: uuid.UUID) -> list[uuid.UUID]:
    """A pushed supervision result: its task's items are evaluated at once (as of today)."""
    return await evaluate_overdue(ctx.session, ctx.me.tenant_id, today(ctx), ctx.me.subject,
                                  [task_id])


pushes.AFTER_PROGRESS.append(after_progress_push)


@dataclass(frozen=True)
class ErrorNoticeInput:
    person_id: uuid.UUID
    occurred_on: date
    description: str


async def push_error_notice(ctx: Context, external_id: str, data: ErrorNoticeInput
                            ) -> pushes.PushResult:
    """The office system pushes an error notice (错情通报) about a person: recorded once per
    external id; each active error notice rule proposes a deduction."""
    ctx.require(Permission.supervision_push)
    description = data.description.strip()
    if not description or len(description) > 500:
        raise fail(ErrorCode.INVALID, "请填写错情内容（不超过500个字）", "description")
    person = await ctx.session.get(Person, (ctx.me.tenant_id, data.person_id))
    if person is None:
        raise not_found("人员")
    payload = {"personId": str(person.id), "occurredOn": data.occurred_on.isoformat(),
               "description": description}
    push = await pushes.claim(ctx, external_id, "error_notice", payload)
    if push is None:
        return await pushes.previous(ctx, external_id)
    item = _Proposed(source_key=f"push:{push.id}", source={**payload, "externalId": external_id},
                     source_text=f"错情通报（{data.occurred_on.isoformat()}）：{description}",
                     person_id=person.id, unit_id=None, occurred_on=data.occurred_on)
    made = [i for entry in await _active(ctx.session, PushRuleKind.error_notice)
            if (i := await _propose(ctx.session, ctx.me.tenant_id, ctx.me.subject, entry, item))]
    push.result = {"proposalIds": [str(i) for i in made]}
    return pushes.PushResult(external_id, False, push.result)


# --- the proposals ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ProposalEntry:
    proposal: PointProposal
    rule: PushRule
    node: SchemeNode
    subject: str  # the person's or the department's name


def _cursor(row: PointProposal) -> str:
    return f"{row.occurred_on.isoformat()}|{row.id}"


def proposal_cursor(entry: ProposalEntry) -> str:
    return _cursor(entry.proposal)


async def _entries(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[ProposalEntry]:
    rows = {p.id: (p, r, n, person or unit or "") for p, r, n, person, unit in (
        await session.execute(
            select(PointProposal, PushRule, SchemeNode, Person.name, OrgUnit.name)
            .join(PushRule, and_(PushRule.tenant_id == PointProposal.tenant_id,
                                 PushRule.id == PointProposal.rule_id))
            .join(SchemeNode, and_(SchemeNode.tenant_id == PointProposal.tenant_id,
                                   SchemeNode.id == PointProposal.node_id))
            .outerjoin(Person, and_(Person.tenant_id == PointProposal.tenant_id,
                                    Person.id == PointProposal.person_id))
            .outerjoin(OrgUnit, and_(OrgUnit.tenant_id == PointProposal.tenant_id,
                                     OrgUnit.id == PointProposal.unit_id))
            .where(PointProposal.id.in_(ids)))).all()}
    return [ProposalEntry(*rows[i]) for i in ids if i in rows]


async def proposals(ctx: Context, status: str | None, first: int, after: str | None
                    ) -> Page[ProposalEntry]:
    """Proposals (of one status, or all), by the day they are dated, oldest first."""
    ctx.require(Permission.point_proposal_read)
    check_page_size(first, MAX_PAGE)
    stmt = select(PointProposal)
    if status is not None:
        if status not in ProposalStatus.__members__:
            raise fail(ErrorCode.INVALID, "状态须为待确认、已确认或已退回", "status")
        stmt = stmt.where(PointProposal.status == status)
    key = func.concat(cast(PointProposal.occurred_on, String), "|",
                      cast(PointProposal.id, String))
    page = await keyset_page_by(ctx.session, stmt, key, _cursor, first, after)
    entries = await _entries(ctx.session, [p.id for p in page.items]) if page.items else []
    return Page(entries, page.total, page.has_next, proposal_cursor)


async def _pending(ctx: Context, proposal_id: uuid.UUID) -> PointProposal:
    ctx.require(Permission.point_proposal_decide)
    row = await ctx.session.get(PointProposal, (ctx.me.tenant_id, proposal_id),
                                with_for_update=True)
    if row is None:
        raise not_found("待确认加减分")
    if row.status != ProposalStatus.proposed:
        raise fail(ErrorCode.CONFLICT,
                   f"该建议已处理（{ProposalStatus(row.status).label}），不能重复处理")
    return row


async def confirm(ctx: Context, proposal_id: uuid.UUID) -> ProposalEntry:
    """Creates the point record as a manual error notice would; from then on it counts."""
    row = await _pending(ctx, proposal_id)
    rule = await ctx.session.get(PushRule, (ctx.me.tenant_id, row.rule_id))
    assert rule is not None
    before = audit.snapshot(row)
    record = await commendations.issue(ctx, point_records.RecordInput(
        node_id=row.node_id, occurred_on=row.occurred_on, reason=f"{rule.name}：{row.source_text}",
        person_id=row.person_id, unit_id=row.unit_id, points=row.points,
        evidence=f"自动采集（办公系统推送）：{row.source_text}",
        external_id=f"proposal:{row.id}"))
    if record.status == RecordStatus.claimed:  # an indicator that wants confirmation: this is it
        await point_records.confirm_record(ctx, record.id, True, "确认自动采集的加减分")
    row.status, row.record_id = ProposalStatus.confirmed.value, record.id
    row.decided_by, row.decided_at = ctx.me.subject, ctx.now()
    await ctx.session.flush()
    audit.record(ctx, "point_proposal.confirm", "point_proposal", row.id, before,
                 audit.snapshot(row))
    return (await _entries(ctx.session, [row.id]))[0]


async def refuse(ctx: Context, proposal_id: uuid.UUID, reason: str) -> ProposalEntry:
    """Refused with a reason: it never counts, and the rule will not propose it again."""
    row = await _pending(ctx, proposal_id)
    reason = reason.strip()
    if len(reason) < 2 or len(reason) > 1000:
        raise fail(ErrorCode.INVALID, "请填写退回理由（2到1000个字）", "reason")
    before = audit.snapshot(row)
    row.status, row.refusal_reason = ProposalStatus.refused.value, reason
    row.decided_by, row.decided_at = ctx.me.subject, ctx.now()
    await ctx.session.flush()
    audit.record(ctx, "point_proposal.refuse", "point_proposal", row.id, before,
                 audit.snapshot(row), reason=reason)
    return (await _entries(ctx.session, [row.id]))[0]
