"""The profile's extension sections: the loaders the capabilities provide, one query each.

``PROFILE_SECTIONS`` is the extension point: a capability adds its loader to the list of its
section here, and the profile (resolvers.feedback.profile) runs every loader of every section.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, select

from models import Declaration, DeclarationItem, Person, PointRecord, SchemeNode
from resolvers.context import Context
from resolvers.execution.commendations import sign
from resolvers.feedback.profile_types import ProfileRecord, ProfileSection, SectionLoader
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


PROFILE_SECTIONS: dict[ProfileSection, list[SectionLoader]] = {
    ProfileSection.achievements: [declared_achievements],
    ProfileSection.commendations: [commendations_and_error_notices],
}
