"""Query of the sign-off chain (逐级审核, issue 17)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers.appraisal import signoff
from resolvers.appraisal.signoff import SignoffState
from resolvers.context import Context
from schema.context import GraphQLContext
from schema.descriptions import PeriodId
from schema.ids import require_id
from schema.types.signoff import SignoffChain, SignoffLevel, SignoffScope

GInfo = Info[GraphQLContext, None]


def chain_of(ctx: Context, state: SignoffState) -> SignoffChain:
    return SignoffChain(
        period_id=strawberry.ID(str(state.period.id)),
        levels=[SignoffLevel.of(level) for level in state.levels],
        scopes=[SignoffScope.of(state, scope, signoff.may_act(ctx, state, scope))
                for scope in state.scopes],
        done=state.done, is_default=signoff.is_default(state.levels))


@strawberry.type
class SignoffQuery:
    @strawberry.field(description=(
        "本周期的逐级审核：各级、各范围（部门、全单位）当前级别和审核记录（谁、何时、意见或"
        "退回理由）；组织人事部门、主要领导、分管领导和部门负责人可查看；周期不存在或无权查看时"
        "为 null 并返回错误"))
    async def signoff_chain(self, info: GInfo, period_id: PeriodId) -> SignoffChain | None:
        state = await signoff.signoff_state(info.context, require_id(period_id))
        return chain_of(info.context, state)
