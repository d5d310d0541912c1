"""The profile's achievements and commendations sections: one query each per person."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, select

from models import Declaration, DeclarationItem, Person, PointRecord, SchemeNode
from resolvers.context import Context
from resolvers.execution.commendations import sign
from resolvers.feedback.profile import PROFILE_SECTIONS, ProfileRecord, ProfileSection
from vocab.plans import IndicatorKind, RecordStatus
from vocab.rating import DeclarationStatus


async def declared_achievements(ctx: Context, person: Person) -> Sequence[ProfileRecord]:
    rows = (await ctx.session.execute(
        select(DeclarationItem, Declaration.period_id, Declaration.submitted_at)
        .join(Declaration, and_(Declaration.tenant_id == DeclarationItem.tenant_id,
                                Declaration.id == DeclarationItem.declaration_id))
        .where(Declaration.person_id == person.id,
               Declaration.status == DeclarationStatus.submitted)
        .order_by(Declaration.submitted_at, DeclarationItem.position))).all()
    return [ProfileRecord(kind="achievement", title=item.title, period_id=period_id,
                          occurred_on=submitted.date() if submitted else None,
                          detail=item.content, source_id=item.id)
            for item, period_id, submitted in rows]


async def commendations_and_error_notices(ctx: Context,
                                          person: Person) -> Sequence[ProfileRecord]:
    rows = (await ctx.session.execute(
        select(PointRecord, SchemeNode)
        .join(SchemeNode, and_(SchemeNode.tenant_id == PointRecord.tenant_id,
                               SchemeNode.id == PointRecord.node_id))
        .where(PointRecord.person_id == person.id,
               PointRecord.status == RecordStatus.confirmed,
               SchemeNode.kind.in_((IndicatorKind.credit, IndicatorKind.deduction)))
        .order_by(PointRecord.occurred_on))).all()
    return [ProfileRecord(
        kind="commendation" if node.kind == IndicatorKind.credit else "error_notice",
        title=node.name, occurred_on=record.occurred_on, detail=record.reason,
        points=sign(node) * record.points,
        source_id=record.id) for record, node in rows]


PROFILE_SECTIONS[ProfileSection.achievements].append(declared_achievements)
PROFILE_SECTIONS[ProfileSection.commendations].append(commendations_and_error_notices)
