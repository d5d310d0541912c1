"""Queries of supervision."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from resolvers.execution import supervision
from schema.context import GraphQLContext
from schema.types.supervision import OverdueItem, UnitSupervision

GInfo = Info[GraphQLContext, None]


@strawberry.type
class SupervisionQuery:
    @strawberry.field(
        description="督办汇总：各部门任务完成情况、存在问题和滞后事项（截至 asOf，默认今天）")
    async def supervision_summary(self, info: GInfo, as_of: date | None = None,
                                  year: int | None = None) -> list[UnitSupervision]:
        day = as_of or info.context.now().date()
        return [UnitSupervision.of(s) for s in await supervision.summary(info.context, day, year)]

    @strawberry.field(description="未整改的滞后事项（截至 asOf，默认今天）")
    async def overdue_items(self, info: GInfo, as_of: date | None = None,
                            year: int | None = None) -> list[OverdueItem]:
        day = as_of or info.context.now().date()
        return [OverdueItem.of(i) for i in await supervision.overdue(info.context, day, year)]
