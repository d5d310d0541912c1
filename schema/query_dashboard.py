"""The leaders' dashboard query (主要领导、分管领导)."""

from __future__ import annotations

from typing import cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from resolvers.appraisal import board, dashboard
from schema.context import GraphQLContext
from schema.descriptions import PeriodId
from schema.ids import require_id
from schema.types.dashboard import LeaderDashboard
from schema.types.pagination import First

GInfo = Info[GraphQLContext, None]


@strawberry.type
class DashboardQuery:
    @strawberry.field(description=(
        "领导看板：调用者管理范围内某一考核周期的汇总（主要领导为全单位，分管领导为其分管部门）"))
    async def leader_dashboard(self, info: GInfo, period_id: PeriodId) -> LeaderDashboard:
        found = await dashboard.dashboard(info.context, require_id(period_id),
                                          info.context.now().date())
        return LeaderDashboard.of(found)

    @strawberry.field(description=(
        "考核结果看板：本周期可查看的考核结果（按排名，含得分说明和各维度得分）和实绩申报（按人员"
        "编号，含各项实绩），由数据库一条语句生成为一个 JSON 值，供整体读取的看板使用（数百行时"
        "远快于逐字段读取）。形如 {results: {totalCount, nodes}, declarations: {totalCount, "
        "nodes}}：results 的每项与 periodResults 的 nodes 选取 id periodId personId unitId "
        "comparisonGroup score rank groupRank proposedGrade proposedGradeLabel grade gradeLabel "
        "confirmedAt seriousConductBreach tieReview reasons status statusLabel explanation "
        "dimensionScores person{name employeeNo} unit{name} 时相同；declarations 的每项与 "
        "declarations 的 nodes 选取 id periodId personId status submittedAt updatedAt "
        "person{name employeeNo} items{position title content selfAssessment taskId "
        "indicatorId} 时相同；可见范围与这两个列表相同"))
    async def results_board(self, info: GInfo, period_id: PeriodId,
                            first: First = board.MAX_ROWS) -> JSON:
        found = await board.results_board(info.context, require_id(period_id), first)
        return cast(JSON, found)
