"""Publicity (实绩公示): once a period is publicized, everyone in the tenant sees who was rated 好
(the year: 优秀), with their declared achievements and the reasons — "谁评为好、为什么好".

Nothing else of anyone is shown: no score, no other grade (``resolvers.results`` decides who reads
those), except that a result published as 好 and changed by the answer to an objection
(``resolvers.appraisal.objections``) stays listed with its new grade and the outcome. Before
publicity the list is empty.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, or_, select

from authz import Permission
from models import Declaration, DeclarationItem, Objection, OrgUnit, Person, PersonResult
from resolvers.appraisal.periods import get_period
from resolvers.appraisal.results import PUBLISHED
from resolvers.context import Context
from vocab.periods import PeriodKind
from vocab.rating import DeclarationStatus

TOP_GRADE = {PeriodKind.quarter: "good", PeriodKind.year: "excellent"}


@dataclass(frozen=True)
class PublicityEntry:
    result_id: uuid.UUID
    person_id: uuid.UUID
    name: str
    unit_name: str
    grade: str
    reasons: list[str]
    achievements: list[DeclarationItem]


async def publicity(ctx: Context, period_id: uuid.UUID) -> list[PublicityEntry]:
    """Everyone rated 好 (优秀) in the period, best ranked first; two queries in all."""
    ctx.require(Permission.publicity_read)
    period = await get_period(ctx, period_id)
    if period.state not in PUBLISHED:
        return []
    top = TOP_GRADE[PeriodKind(period.kind)]
    # Published as 好 and changed by the answer to an objection: still listed, with the outcome.
    withdrawn = select(Objection.person_result_id).where(
        Objection.period_id == period.id, Objection.grade_before == top,
        Objection.grade_after != top)
    rows = (await ctx.session.execute(
        select(PersonResult, Person.name, OrgUnit.name)
        .join(Person, and_(Person.tenant_id == PersonResult.tenant_id,
                           Person.id == PersonResult.person_id))
        .join(OrgUnit, and_(OrgUnit.tenant_id == PersonResult.tenant_id,
                            OrgUnit.id == PersonResult.unit_id))
        .where(PersonResult.period_id == period.id,
               or_(PersonResult.grade == top, PersonResult.id.in_(withdrawn)))
        .order_by(PersonResult.rank.asc().nulls_last(), Person.employee_no))).all()
    ids = [result.person_id for result, _, _ in rows]
    items: dict[uuid.UUID, list[DeclarationItem]] = defaultdict(list)
    for person_id, item in (await ctx.session.execute(
            select(Declaration.person_id, DeclarationItem)
            .join(DeclarationItem, and_(DeclarationItem.tenant_id == Declaration.tenant_id,
                                        DeclarationItem.declaration_id == Declaration.id))
            .where(Declaration.period_id == period.id, Declaration.person_id.in_(ids),
                   Declaration.status == DeclarationStatus.submitted)
            .order_by(DeclarationItem.position))).all():
        items[person_id].append(item)
    return [PublicityEntry(result.id, result.person_id, name, unit, result.grade or top,
                           list(result.reasons),
                           items.get(result.person_id, []))
            for result, name, unit in rows]
