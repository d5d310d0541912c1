"""Mutations of the sign-off chain (逐级审核, issue 17)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.appraisal import signoff
from schema.context import GraphQLContext
from schema.descriptions import USER_ERRORS_DOC, PeriodId
from schema.errors import UserError, attempt
from schema.ids import require_id
from schema.query_signoff import chain_of
from schema.types.signoff import SignoffChain

GInfo = Info[GraphQLContext, None]

Scope = Annotated[strawberry.ID | None, strawberry.argument(
    description="审核范围：部门 id（按部门审核的级别），全单位为 null")]


@strawberry.type(description="逐级审核操作的结果")
class SignoffPayload:
    chain: SignoffChain | None = strawberry.field(
        description="操作后的逐级审核状态；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type
class SignoffMutation:
    @strawberry.mutation(description=(
        "逐级审核：当前级别通过该范围并提交上一级（可附意见）；最后一级通过时确认全部等次。"
        "不是当前级别的审核角色时返回 NOT_YOUR_TURN（如“当前应由分管领导审核”）；记入审计日志"))
    async def sign_off(self, info: GInfo, period_id: PeriodId, scope: Scope = None,
                       note: Annotated[str, strawberry.argument(
                           description="意见（可为空）")] = "") -> SignoffPayload:
        state, errors = await attempt(info, lambda: signoff.sign_off(
            info.context, require_id(period_id), require_id(scope) if scope else None, note))
        return SignoffPayload(chain=chain_of(info.context, state) if state else None,
                              user_errors=errors)

    @strawberry.mutation(description=(
        "逐级审核：把该范围退回上一级（须说明理由，上一级可见）。全单位的第一级退回某个部门"
        "（scope 为部门 id）到其最后一个按部门审核的级别；第一级不能退回；记入审计日志"))
    async def return_sign_off(self, info: GInfo, period_id: PeriodId,
                              reason: Annotated[str, strawberry.argument(
                                  description="退回理由（必填）")],
                              scope: Scope = None) -> SignoffPayload:
        state, errors = await attempt(info, lambda: signoff.return_sign_off(
            info.context, require_id(period_id), require_id(scope) if scope else None, reason))
        return SignoffPayload(chain=chain_of(info.context, state) if state else None,
                              user_errors=errors)
