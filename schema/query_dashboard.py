"""The leaders' dashboard query (主要领导、分管领导)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers.appraisal import dashboard
from schema.context import GraphQLContext
from schema.descriptions import PeriodId
from schema.ids import require_id
from schema.types.dashboard import LeaderDashboard

GInfo = Info[GraphQLContext, None]


@strawberry.type
class DashboardQuery:
    @strawberry.field(description=(
        "领导看板：调用者管理范围内某一考核周期的汇总（主要领导为全单位，分管领导为其分管部门）"))
    async def leader_dashboard(self, info: GInfo, period_id: PeriodId) -> LeaderDashboard:
        found = await dashboard.dashboard(info.context, require_id(period_id),
                                          info.context.now().date())
        return LeaderDashboard.of(found)
