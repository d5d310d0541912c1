"""Queries of periods and tenant settings."""

from __future__ import annotations

from typing import Annotated, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from resolvers.appraisal import periods
from resolvers.errors import UserFacingError
from resolvers.org import tenant_settings
from schema.context import GraphQLContext
from schema.descriptions import PeriodId
from schema.ids import require_id
from schema.types.periods import Period, PeriodStage

GInfo = Info[GraphQLContext, None]


@strawberry.type
class PeriodQuery:
    @strawberry.field(description="考核周期列表")
    async def periods(self, info: GInfo,
                      year: Annotated[int | None, strawberry.argument(
                          description="只看此年度；不传为全部")] = None) -> list[Period]:
        return [Period.of(p) for p in await periods.list_periods(info.context, year)]

    @strawberry.field(description="单个考核周期")
    async def period(self, info: GInfo,
                     id: PeriodId) -> Period | None:
        try:
            return Period.of(await periods.get_period(info.context, require_id(id)))
        except UserFacingError:
            return None

    @strawberry.field(description=(
        "考核周期的全部阶段（按先后顺序，截止时间为 null），用于新建周期时设置截止时间"))
    async def period_stages(self, info: GInfo) -> list[PeriodStage]:
        return [PeriodStage(state=s.value, label=s.label, deadline=None)
                for s in periods.stages(info.context)]

    @strawberry.field(description="本单位的考核规则（权重、名额、上限等），未设置的项为默认值；"
                                  "群机器人的 Webhook 地址含密钥，只显示为“已设置（地址主机/…，"
                                  "末4位：xxxx）”")
    async def tenant_settings(self, info: GInfo) -> JSON:
        return cast(JSON, await tenant_settings.read(info.context))

    @strawberry.field(description="考核规则各项的默认值（结构同 tenantSettings）："
                                  "未修改过的项取此值")
    async def tenant_settings_defaults(self, info: GInfo) -> JSON:
        return cast(JSON, tenant_settings.defaults(info.context))
