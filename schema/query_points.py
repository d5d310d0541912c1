"""Queries of commendations, error notices and a person's records."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.errors import UserFacingError
from resolvers.execution import commendations
from schema.context import GraphQLContext
from schema.ids import require_id
from schema.types.pagination import After, Connection, First, node_id, paged
from schema.types.points import PersonPointSummary, PointRecord, PointTotal

GInfo = Info[GraphQLContext, None]


@strawberry.type
class PointsQuery:
    @strawberry.field(
        description="点赞事项及错情通报（本单位全体可见）；kind 为 credit 或 deduction")
    async def commendation_board(self, info: GInfo,
                                 year: Annotated[int, strawberry.argument(
                                     description="年度（如 2025）")],
                                 kind: Annotated[str | None, strawberry.argument(
                                     description="credit 只看点赞事项，deduction 只看错情通报；"
                                                 "不传为全部")] = None) -> list[PointRecord]:
        return [PointRecord.of(e) for e in await commendations.board(info.context, year, kind)]

    @strawberry.field(description="点赞事项及错情通报（同 commendationBoard），从新到旧，游标分页")
    async def commendation_board_page(self, info: GInfo,
                                      year: Annotated[int, strawberry.argument(
                                          description="年度（如 2025）")],
                                      kind: Annotated[str | None, strawberry.argument(
                                          description="credit 只看点赞事项，deduction 只看错情通报"
                                                      "；不传为全部")] = None,
                                      first: First = 50,
                                      after: After = None
                                      ) -> Connection[PointRecord]:
        rows = await commendations.board(info.context, year, kind)
        return paged([PointRecord.of(e) for e in rows], node_id, first, after)

    @strawberry.field(description=(
        "待确认的加分申报（如招商引资签约），按事项日期从早到晚，游标分页：办公室和组织人事部门"
        "看全部，领导看所管理的人员；以 confirmPointRecord 确认或退回"))
    async def pending_credit_claims(self, info: GInfo,
                                    first: First = 50,
                                    after: After = None) -> Connection[PointRecord]:
        page = await commendations.pending_claims(info.context, first, after)
        return Connection.of(page, PointRecord.of)

    @strawberry.field(description=(
        "某人某年的加减分：按指标汇总（不超过指标上限），并给出所属类别的原始合计与计入得分的合计"))
    async def person_point_totals(self, info: GInfo,
                                  person_id: Annotated[strawberry.ID, strawberry.argument(
                                      description="人员 id")],
                                  year: Annotated[int, strawberry.argument(
                                      description="年度（如 2025）")]) -> list[PointTotal]:
        try:
            rows = await commendations.person_year_totals(info.context, require_id(person_id),
                                                          year)
        except UserFacingError:
            return []
        return [PointTotal.of(i, c) for i, c in rows]

    @strawberry.field(description=(
        "某人的加减分汇总（原始合计与计入得分的合计）：指定 periodId 时按该周期的指标体系版本和"
        "起止日期计算，与该周期得分一致；否则为全年。无权查看时为 null"))
    async def person_point_summary(self, info: GInfo,
                                   person_id: Annotated[strawberry.ID, strawberry.argument(
                                       description="人员 id")],
                                   year: Annotated[int, strawberry.argument(
                                       description="年度（如 2025）")],
                                   period_id: Annotated[strawberry.ID | None, strawberry.argument(
                                       description="按此考核周期计算（与该周期得分一致）；"
                                                   "不传为全年")] = None
                                   ) -> PersonPointSummary | None:
        try:
            found = await commendations.point_summary(
                info.context, require_id(person_id), year,
                require_id(period_id) if period_id is not None else None)
        except UserFacingError as exc:
            if exc.problems[0].code == "UNAUTHENTICATED":
                raise
            return None
        return PersonPointSummary.of(found) if found else None

    @strawberry.field(description="某人某年的全部记分记录（含负面清单与待确认加分）")
    async def person_point_records(self, info: GInfo,
                                   person_id: Annotated[strawberry.ID, strawberry.argument(
                                       description="人员 id")],
                                   year: Annotated[int, strawberry.argument(
                                       description="年度（如 2025）")]) -> list[PointRecord]:
        return await _person_records(info, person_id, year)

    @strawberry.field(description="某人某年的全部记分记录（同 personPointRecords），游标分页")
    async def person_point_records_page(self, info: GInfo,
                                        person_id: Annotated[strawberry.ID, strawberry.argument(
                                            description="人员 id")],
                                        year: Annotated[int, strawberry.argument(
                                            description="年度（如 2025）")],
                                        first: First = 50,
                                        after: After = None
                                        ) -> Connection[PointRecord]:
        return paged(await _person_records(info, person_id, year), node_id, first, after)


async def _person_records(info: GInfo, person_id: strawberry.ID, year: int) -> list[PointRecord]:
    try:
        rows = await commendations.person_records(info.context, require_id(person_id), year)
    except UserFacingError:
        return []
    return [PointRecord.of(e) for e in rows]
