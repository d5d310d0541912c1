"""Mutations of the period lifecycle and tenant settings."""

from __future__ import annotations

from typing import Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from resolvers.appraisal import periods
from resolvers.org import tenant_settings
from schema.context import GraphQLContext
from schema.descriptions import INPUT_DOC, USER_ERRORS_DOC, PeriodId
from schema.errors import UserError, attempt
from schema.ids import require_id
from schema.types.periods import DeadlineInput, Period, PeriodKind, PeriodState

GInfo = Info[GraphQLContext, None]


@strawberry.input(description="新考核周期")
class PeriodInput:
    kind: PeriodKind = strawberry.field(description="季度或年度")  # type: ignore[valid-type]
    year: int = strawberry.field(description="年度，如 2025")
    quarter: int | None = strawberry.field(default=None, description="季度 1–4；年度周期不传")
    deadlines: list[DeadlineInput] = strawberry.field(
        default_factory=list, description="各阶段的截止时间（可稍后设置）")


@strawberry.type(description="考核周期操作的结果")
class PeriodPayload:
    period: Period | None = strawberry.field(description="操作后的周期；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="修改考核规则的结果")
class TenantSettingsPayload:
    settings: JSON | None = strawberry.field(
        description="修改后的完整设置（JSON，各项含义和默认值见 tenantSettings）；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type
class PeriodMutation:
    @strawberry.mutation(description="新建考核周期（季度或年度）")
    async def create_period(self, info: GInfo,
                            input: Annotated[PeriodInput, strawberry.argument(
                                description=INPUT_DOC)]) -> PeriodPayload:
        row, errors = await attempt(info, lambda: periods.create_period(
            info.context, periods.PeriodInput(
                kind=input.kind, year=input.year, quarter=input.quarter,
                deadlines={d.state: d.at for d in input.deadlines})))
        return PeriodPayload(period=Period.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="设置各阶段截止时间")
    async def set_period_deadlines(self, info: GInfo,
                                   id: PeriodId,
                                   deadlines: Annotated[list[DeadlineInput], strawberry.argument(
                                       description="各阶段的截止时间（覆盖同一阶段已有的）"
                                                   "")]) -> PeriodPayload:
        row, errors = await attempt(info, lambda: periods.set_deadlines(
            info.context, require_id(id), {d.state: d.at for d in deadlines}))
        return PeriodPayload(period=Period.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="推进到下一阶段（计划→执行→申报→评价→研判→公示→反馈→关闭）")
    async def advance_period(self, info: GInfo,
                             id: PeriodId,
                             to_state: Annotated[PeriodState, strawberry.argument(  # type: ignore[valid-type]
                                 description="推进到的阶段（须为下一阶段）")],
                             reason: Annotated[str, strawberry.argument(
                                 description="说明（可为空；记入审计日志）"
                                             "")] = "") -> PeriodPayload:
        row, errors = await attempt(info, lambda: periods.advance(
            info.context, require_id(id), to_state, reason))
        return PeriodPayload(period=Period.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="重新开启已关闭的周期（须说明理由，记入审计日志）")
    async def reopen_period(self, info: GInfo,
                            id: PeriodId,
                            reason: Annotated[str, strawberry.argument(
                                description="重新开启的理由（必填，记入审计日志）")],
                            to_state: Annotated[PeriodState, strawberry.argument(  # type: ignore[valid-type]
                                description="重新开启到哪个阶段（默认反馈）"
                                            "")] = PeriodState.feedback,
                            ) -> PeriodPayload:
        row, errors = await attempt(info, lambda: periods.reopen(
            info.context, require_id(id), reason, to_state))
        return PeriodPayload(period=Period.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="修改本单位的考核规则（部分更新，合并到现有设置）")
    async def update_tenant_settings(self, info: GInfo,
                                     settings: Annotated[JSON, strawberry.argument(
                                         description="要修改的设置项（JSON，部分更新；"
                                                     "各项见 tenantSettings）。Webhook 地址不传"
                                                     "或原样传回读到的“已设置（…）”则保留，"
                                                     "传空串则删除")],
                                     reason: Annotated[str, strawberry.argument(
                                         description="修改理由（记入审计日志）"
                                                     "")] = "") -> TenantSettingsPayload:
        document, errors = await attempt(info, lambda: tenant_settings.update(
            info.context, cast(dict[str, Any], settings), reason))
        return TenantSettingsPayload(settings=cast(JSON, document), user_errors=errors)
