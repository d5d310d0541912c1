"""Queries of supervision."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.execution import supervision
from schema.context import GraphQLContext
from schema.ids import require_id
from schema.types.pagination import After, Connection, First
from schema.types.supervision import OverdueItem, UnitSupervision

GInfo = Info[GraphQLContext, None]


@strawberry.type
class SupervisionQuery:
    @strawberry.field(
        description="督办汇总：各部门任务完成情况、存在问题和滞后事项（截至 asOf，默认今天）")
    async def supervision_summary(self, info: GInfo,
                                  as_of: Annotated[date | None, strawberry.argument(
                                      description="截至哪一天（默认今天）")] = None,
                                  year: Annotated[int | None, strawberry.argument(
                                      description="只看此年度的任务；"
                                                  "不传为全部")] = None) -> list[UnitSupervision]:
        day = as_of or info.context.now().date()
        return [UnitSupervision.of(s) for s in await supervision.summary(info.context, day, year)]

    @strawberry.field(description="未整改的滞后事项（截至 asOf，默认今天）")
    async def overdue_items(self, info: GInfo,
                            as_of: Annotated[date | None, strawberry.argument(
                                description="截至哪一天（默认今天）")] = None,
                            year: Annotated[int | None, strawberry.argument(
                                description="只看此年度的任务；"
                                            "不传为全部")] = None) -> list[OverdueItem]:
        day = as_of or info.context.now().date()
        return [OverdueItem.of(i) for i in await supervision.overdue(info.context, day, year)]

    @strawberry.field(description=(
        "未整改的滞后事项，游标分页（截至 asOf，默认今天）：按到期日从早到晚，"
        "含责任部门和责任人；指定 unitId 时只列该部门的"))
    async def overdue_items_page(self, info: GInfo,
                                 as_of: Annotated[date | None, strawberry.argument(
                                     description="截至哪一天（默认今天）")] = None,
                                 year: Annotated[int | None, strawberry.argument(
                                     description="只看此年度的任务；不传为全部")] = None,
                                 first: First = 50,
                                 after: After = None,
                                 unit_id: Annotated[strawberry.ID | None, strawberry.argument(
                                     description="只看此部门的事项；不传为全部")]
                                 = None) -> Connection[OverdueItem]:
        day = as_of or info.context.now().date()
        unit = require_id(unit_id) if unit_id is not None else None
        page = await supervision.overdue_page(info.context, day, year, first, after, unit)
        return Connection.of(page, OverdueItem.of)
