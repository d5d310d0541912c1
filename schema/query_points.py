"""Queries of commendations, error notices and a person's records."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers.errors import UserFacingError
from resolvers.execution import commendations
from schema.context import GraphQLContext
from schema.ids import require_id
from schema.types.points import PointRecord, PointTotal

GInfo = Info[GraphQLContext, None]


@strawberry.type
class PointsQuery:
    @strawberry.field(
        description="点赞事项及错情通报（本单位全体可见）；kind 为 credit 或 deduction")
    async def commendation_board(self, info: GInfo, year: int,
                                 kind: str | None = None) -> list[PointRecord]:
        return [PointRecord.of(e) for e in await commendations.board(info.context, year, kind)]

    @strawberry.field(description="某人某年计入的加减分：按指标汇总，不超过各指标的上限")
    async def person_point_totals(self, info: GInfo, person_id: strawberry.ID,
                                  year: int) -> list[PointTotal]:
        try:
            rows = await commendations.person_year_totals(info.context, require_id(person_id),
                                                          year)
        except UserFacingError:
            return []
        return [PointTotal(indicator_code=n.code, indicator_name=n.name, kind=n.kind,
                           raw=t.raw, counted=t.counted, cap=t.cap) for n, t in rows]

    @strawberry.field(description="某人某年的全部记分记录（含负面清单与待确认加分）")
    async def person_point_records(self, info: GInfo, person_id: strawberry.ID,
                                   year: int) -> list[PointRecord]:
        try:
            rows = await commendations.person_records(info.context, require_id(person_id), year)
        except UserFacingError:
            return []
        return [PointRecord.of(e) for e in rows]
