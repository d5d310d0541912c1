"""Queries of the publicity period and of objections (异议, issue 17 part 2)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.appraisal import objections
from schema.context import GraphQLContext
from schema.descriptions import PeriodId
from schema.ids import parse_id, require_id
from schema.types.objection_list import Objection
from schema.types.objections import ObjectionStatus, PublicityWindow
from schema.types.pagination import After, Connection, First, node_id, paged

GInfo = Info[GraphQLContext, None]


@strawberry.type
class ObjectionQuery:
    @strawberry.field(description=(
        "本周期的公示期（自公示之日起若干个工作日，北京时间）及如何提出异议；全单位可查看"))
    async def publicity_window(self, info: GInfo, period_id: PeriodId) -> PublicityWindow:
        return PublicityWindow.of(
            await objections.publicity_window(info.context, require_id(period_id)))

    @strawberry.field(description=(
        "本周期的异议（考核委员会：组织人事部门和主要领导），待答复的在前；"
        "提出人仅在其署名时显示"))
    async def objections(self, info: GInfo, period_id: PeriodId,
                         status: Annotated[ObjectionStatus | None,  # type: ignore[valid-type]
                                           strawberry.argument(
                                               description="只看此状态；不传为全部")] = None,
                         first: First = 50, after: After = None) -> Connection[Objection]:
        lines = await objections.list_objections(
            info.context, require_id(period_id), status.value if status is not None else None)
        return paged([Objection.of(line) for line in lines], node_id, first, after)

    @strawberry.field(description="我提出的异议（新的在前），含答复；可只看某个周期")
    async def my_objections(self, info: GInfo,
                            period_id: Annotated[strawberry.ID | None, strawberry.argument(
                                description="只看此考核周期；不传为全部")] = None
                            ) -> list[Objection]:
        lines = await objections.my_objections(info.context, parse_id(period_id))
        return [Objection.of(line) for line in lines]

    @strawberry.field(description="我提出的异议（同 myObjections），游标分页")
    async def my_objections_page(self, info: GInfo,
                                 period_id: Annotated[strawberry.ID | None, strawberry.argument(
                                     description="只看此考核周期；不传为全部")] = None,
                                 first: First = 50, after: After = None
                                 ) -> Connection[Objection]:
        lines = await objections.my_objections(info.context, parse_id(period_id))
        return paged([Objection.of(line) for line in lines], node_id, first, after)
