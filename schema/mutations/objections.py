"""Mutations of objections (异议) after publicity (issue 17 part 2)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.appraisal import objections
from schema.context import GraphQLContext
from schema.descriptions import USER_ERRORS_DOC
from schema.errors import UserError, attempt
from schema.ids import require_id
from schema.types.objection_list import Objection
from schema.types.ratings import Grade

GInfo = Info[GraphQLContext, None]


@strawberry.type(description="提出或答复异议的结果")
class ObjectionPayload:
    objection: Objection | None = strawberry.field(description="操作后的异议；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type
class ObjectionMutation:
    @strawberry.mutation(description=(
        "对一项已公示的考核结果提出异议（公示期内，本单位人员）：写明事实和理由；可选择"
        "仅向考核委员会署名（否则匿名）。公示期过后返回 OBJECTION_WINDOW_CLOSED"))
    async def raise_objection(
            self, info: GInfo,
            result_id: Annotated[strawberry.ID, strawberry.argument(
                description="被异议的考核结果 id（实绩公示各条的 resultId，或本人的结果）")],
            reasons: Annotated[str, strawberry.argument(
                description="异议的事实和理由（至少5个字，上限见单位设置，默认1000字）")],
            named_to_committee: Annotated[bool, strawberry.argument(
                description="仅向考核委员会署名：考核委员会可见提出人；被异议人和其他人员始终看不到")]
            = False) -> ObjectionPayload:
        row, errors = await attempt(info, lambda: objections.raise_objection(
            info.context, require_id(result_id), reasons, named_to_committee))
        if row is None:
            return ObjectionPayload(objection=None, user_errors=errors)
        line = await objections.objection_line(info.context, row, committee=False)
        return ObjectionPayload(objection=Objection.of(line), user_errors=[])

    @strawberry.mutation(description=(
        "答复异议（考核委员会：组织人事部门、主要领导；公示或反馈阶段）。可同时调整等次："
        "与综合研判相同的规则、理由和审计；突破规则须 override 并说明理由"))
    async def answer_objection(
            self, info: GInfo,
            objection_id: Annotated[strawberry.ID, strawberry.argument(description="异议 id")],
            answer: Annotated[str, strawberry.argument(description="答复（2到2000字）")],
            grade: Annotated[Grade | None, strawberry.argument(  # type: ignore[valid-type]
                description="调整后的等次；不传或与现等次相同则维持原等次")] = None,
            grade_reason: Annotated[str, strawberry.argument(
                description="调整等次的理由（调整时必填）")] = "",
            override: Annotated[bool, strawberry.argument(
                description="经集体研究突破规则调整（须说明理由）")] = False
    ) -> ObjectionPayload:
        row, errors = await attempt(info, lambda: objections.answer_objection(
            info.context, require_id(objection_id), answer,
            grade.value if grade is not None else None, grade_reason, override))
        if row is None:
            return ObjectionPayload(objection=None, user_errors=errors)
        line = await objections.objection_line(info.context, row, committee=True)
        return ObjectionPayload(objection=Objection.of(line), user_errors=[])
