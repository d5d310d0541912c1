"""Mutations of declarations: save (draft) and submit."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.appraisal import declarations
from schema.context import GraphQLContext
from schema.descriptions import USER_ERRORS_DOC, PeriodId
from schema.errors import UserError, attempt
from schema.ids import parse_id, require_id
from schema.types.declarations import Declaration, DeclarationItemInput

GInfo = Info[GraphQLContext, None]


@strawberry.type(description="保存或提交实绩申报的结果")
class DeclarationPayload:
    declaration: Declaration | None = strawberry.field(description="保存后的申报；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type
class DeclarationMutation:
    @strawberry.mutation(description="保存我的实绩申报（草稿；截止前可修改），最多5项，每项须注明任务来源")
    async def save_declaration(self, info: GInfo,
                               period_id: PeriodId,
                               items: Annotated[list[DeclarationItemInput], strawberry.argument(
                                   description="各项实绩（至多 5 项，整体替换）"
                                               "")]) -> DeclarationPayload:
        row, errors = await attempt(info, lambda: declarations.save(
            info.context, require_id(period_id), [declarations.ItemInput(
                title=i.title, content=i.content, self_assessment=i.self_assessment,
                task_id=parse_id(i.task_id), indicator_id=parse_id(i.indicator_id))
                for i in items]))
        return DeclarationPayload(declaration=Declaration.of(row) if row else None,
                                  user_errors=errors)

    @strawberry.mutation(description="提交我的实绩申报（截止时间前）")
    async def submit_declaration(self, info: GInfo,
                                 period_id: PeriodId) -> DeclarationPayload:
        row, errors = await attempt(info, lambda: declarations.submit(
            info.context, require_id(period_id)))
        return DeclarationPayload(declaration=Declaration.of(row) if row else None,
                                  user_errors=errors)
