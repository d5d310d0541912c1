"""Mutations of department results (组织绩效, 考事; issue 12)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.appraisal import department_results
from schema.context import GraphQLContext
from schema.descriptions import INPUT_DOC, USER_ERRORS_DOC, PeriodId
from schema.errors import UserError, attempt
from schema.ids import require_id
from schema.types.department_results import DepartmentResult

GInfo = Info[GraphQLContext, None]


@strawberry.input(description="调整部门考核结果：填写得分（档次按分数段）或档次（或两者），须说明理由")
class AdjustDepartmentResultInput:
    period_id: strawberry.ID = strawberry.field(description="考核周期 id")
    unit_id: strawberry.ID = strawberry.field(description="部门 id")
    reason: str = strawberry.field(description="调整理由（必填，记入审计日志）")
    level: str | None = strawberry.field(default=None, description="调整后的档次；不改档次不传")
    score: Decimal | None = strawberry.field(default=None, description="调整后的得分；不改得分不传")


@strawberry.type(description="计算部门考核结果的结果")
class DepartmentResultsPayload:
    results: list[DepartmentResult] = strawberry.field(description="各部门的结果；失败时为空")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="调整部门考核结果的结果")
class DepartmentResultPayload:
    result: DepartmentResult | None = strawberry.field(description="调整后的结果；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type
class DepartmentResultMutation:
    @strawberry.mutation(description=(
        "计算本周期各部门考核结果（任务完成、滞后事项未整改、单位指标加减分）；已调整的结果保持调整值"))
    async def compute_department_results(self, info: GInfo,
                                         period_id: PeriodId
                                         ) -> DepartmentResultsPayload:
        rows, errors = await attempt(info, lambda: department_results.compute_department_results(
            info.context, require_id(period_id)))
        return DepartmentResultsPayload(results=[DepartmentResult.of(r) for r in rows or []],
                                        user_errors=errors)

    @strawberry.mutation(description="调整（或录入）某部门本周期的考核结果，须说明理由，记入审计日志")
    async def adjust_department_result(self, info: GInfo,
                                       input: Annotated[
                                           AdjustDepartmentResultInput,
                                           strawberry.argument(description=INPUT_DOC)]
                                       ) -> DepartmentResultPayload:
        row, errors = await attempt(info, lambda: department_results.adjust_department_result(
            info.context, require_id(input.period_id), require_id(input.unit_id),
            input.reason, input.level, input.score))
        return DepartmentResultPayload(result=DepartmentResult.of(row) if row else None,
                                       user_errors=errors)
