"""Queries of department results (组织绩效, 考事; issue 12)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers.appraisal import department_results
from resolvers.errors import UserFacingError
from schema.context import GraphQLContext
from schema.descriptions import PeriodId
from schema.ids import require_id
from schema.types.department_results import DepartmentResult

GInfo = Info[GraphQLContext, None]


@strawberry.type
class DepartmentResultQuery:
    @strawberry.field(description=(
        "本周期的部门考核结果（按组织架构顺序）：组织人事部门、办公室、主要领导全部，"
        "分管领导和部门负责人为其管理的部门"))
    async def department_results(self, info: GInfo,
                                 period_id: PeriodId
                                 ) -> list[DepartmentResult]:
        try:
            rows = await department_results.list_department_results(
                info.context, require_id(period_id))
        except UserFacingError:  # a missing (or another tenant's) period: nothing to read
            return []
        return [DepartmentResult.of(r) for r in rows]
