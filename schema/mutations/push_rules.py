"""Mutations of the rules on pushed data, their proposals, and the pushed error notices."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.execution import push_rules
from schema.context import GraphQLContext
from schema.descriptions import INPUT_DOC, USER_ERRORS_DOC
from schema.errors import UserError, attempt
from schema.ids import require_id
from schema.mutations.supervision import PushPayload, push_payload
from schema.types.push_rules import PointProposal, PushRule, PushRuleInput

GInfo = Info[GraphQLContext, None]


def _rule_input(data: PushRuleInput) -> push_rules.RuleInput:
    return push_rules.RuleInput(name=data.name, kind=data.kind.value,
                                node_id=require_id(data.indicator_id), points=data.points,
                                min_days=data.min_days, active=data.active)


@strawberry.type(description="自动采集规则操作（新建、修改、停用）的结果")
class PushRulePayload:
    rule: PushRule | None = strawberry.field(description="操作后的规则；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="确认或退回自动采集的加减分的结果")
class PointProposalPayload:
    proposal: PointProposal | None = strawberry.field(description="操作后的建议；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


def _rule(entry: push_rules.RuleEntry | None, errors: list[UserError]) -> PushRulePayload:
    return PushRulePayload(rule=PushRule.of(entry) if entry else None, user_errors=errors)


def _proposal(entry: push_rules.ProposalEntry | None,
              errors: list[UserError]) -> PointProposalPayload:
    return PointProposalPayload(proposal=PointProposal.of(entry) if entry else None,
                                user_errors=errors)


@strawberry.type
class PushRuleMutation:
    @strawberry.mutation(description="新建自动采集规则（组织人事部门）")
    async def create_push_rule(self, info: GInfo,
                               input: Annotated[PushRuleInput, strawberry.argument(
                                   description=INPUT_DOC)]) -> PushRulePayload:
        entry, errors = await attempt(info, lambda: push_rules.create_rule(
            info.context, _rule_input(input)))
        return _rule(entry, errors)

    @strawberry.mutation(description="修改自动采集规则；已生成的建议不变")
    async def update_push_rule(self, info: GInfo,
                               id: Annotated[strawberry.ID, strawberry.argument(
                                   description="规则 id")],
                               input: Annotated[PushRuleInput, strawberry.argument(
                                   description=INPUT_DOC)]) -> PushRulePayload:
        entry, errors = await attempt(info, lambda: push_rules.update_rule(
            info.context, require_id(id), _rule_input(input)))
        return _rule(entry, errors)

    @strawberry.mutation(description="停用自动采集规则（不再生成建议；已生成的建议不变）")
    async def disable_push_rule(self, info: GInfo,
                                id: Annotated[strawberry.ID, strawberry.argument(
                                    description="规则 id")]) -> PushRulePayload:
        entry, errors = await attempt(info, lambda: push_rules.disable_rule(
            info.context, require_id(id)))
        return _rule(entry, errors)

    @strawberry.mutation(description=(
        "确认自动采集的加减分：生成与手工登记相同的记分记录，自此计入得分（办公室、组织人事部门）"))
    async def confirm_proposal(self, info: GInfo,
                               id: Annotated[strawberry.ID, strawberry.argument(
                                   description="建议 id")]) -> PointProposalPayload:
        entry, errors = await attempt(info, lambda: push_rules.confirm(
            info.context, require_id(id)))
        return _proposal(entry, errors)

    @strawberry.mutation(description="退回自动采集的加减分（须说明理由；退回的不计入得分）")
    async def refuse_proposal(self, info: GInfo,
                              id: Annotated[strawberry.ID, strawberry.argument(
                                  description="建议 id")],
                              reason: Annotated[str, strawberry.argument(
                                  description="退回理由（必填）")]) -> PointProposalPayload:
        entry, errors = await attempt(info, lambda: push_rules.refuse(
            info.context, require_id(id), reason))
        return _proposal(entry, errors)

    @strawberry.mutation(description=(
        "办公系统推送错情通报（按外部编号幂等）；启用的错情通报规则据此生成待确认的减分"))
    async def push_error_notice(self, info: GInfo,
                                external_id: Annotated[str, strawberry.argument(
                                    description="办公系统中的编号（重复推送同一编号不重复记录）")],
                                person_id: Annotated[strawberry.ID, strawberry.argument(
                                    description="被通报的人员 id")],
                                occurred_on: Annotated[date, strawberry.argument(
                                    description="错情发生日期")],
                                description: Annotated[str, strawberry.argument(
                                    description="错情内容（必填，不超过500个字）")]
                                ) -> PushPayload:
        result, errors = await attempt(info, lambda: push_rules.push_error_notice(
            info.context, external_id, push_rules.ErrorNoticeInput(
                require_id(person_id), occurred_on, description)))
        return push_payload(result, errors)
