"""Mutations of supervision and the pushes of integrating office systems."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from resolvers.execution import pushes, supervision
from schema.context import GraphQLContext
from schema.descriptions import INPUT_DOC, USER_ERRORS_DOC
from schema.errors import UserError, attempt
from schema.ids import parse_id, require_id
from schema.types.supervision import TaskProgress, TaskProgressInput

GInfo = Info[GraphQLContext, None]


def _progress(data: TaskProgressInput) -> supervision.ProgressInput:
    return supervision.ProgressInput(
        task_id=require_id(data.task_id), milestone_id=parse_id(data.milestone_id),
        recorded_on=data.recorded_on, percent=data.percent, note=data.note,
        problems=data.problems, milestone_done=data.milestone_done, task_done=data.task_done)


@strawberry.type(description="记录任务进展的结果")
class TaskProgressPayload:
    progress: TaskProgress | None = strawberry.field(description="记录的进展；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="滞后事项整改的结果")
class RectifyPayload:
    rectified: bool = strawberry.field(description="是否已标记为整改")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="推送结果；重复推送同一外部编号时 duplicate 为 true，不重复记录")
class PushPayload:
    external_id: str | None = strawberry.field(description="外部系统中的编号；未传为 null")
    duplicate: bool = strawberry.field(description="此编号已推送过（未重复记录）")
    result: JSON | None = strawberry.field(description="记录的内容（JSON）；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


def push_payload(result: pushes.PushResult | None, errors: list[UserError]) -> PushPayload:
    if result is None:
        return PushPayload(external_id=None, duplicate=False, result=None, user_errors=errors)
    return PushPayload(external_id=result.external_id, duplicate=result.duplicate,
                       result=result.result, user_errors=errors)  # type: ignore[arg-type]


@strawberry.type
class SupervisionMutation:
    @strawberry.mutation(description="记录任务在时间节点的进展（办公室督办）")
    async def record_task_progress(self, info: GInfo,
                                   input: Annotated[TaskProgressInput, strawberry.argument(
                                       description=INPUT_DOC)]) -> TaskProgressPayload:
        row, errors = await attempt(info, lambda: supervision.record_progress(
            info.context, _progress(input)))
        return TaskProgressPayload(progress=TaskProgress.of(row) if row else None,
                                   user_errors=errors)

    @strawberry.mutation(description="滞后事项整改销号（须说明整改情况）")
    async def rectify_overdue_item(self, info: GInfo,
                                   task_id: Annotated[strawberry.ID, strawberry.argument(
                                       description="任务 id")],
                                   note: Annotated[str, strawberry.argument(
                                       description="整改情况（必填）")],
                                   rectified_on: Annotated[date, strawberry.argument(
                                       description="整改完成日期")],
                                   milestone_id: Annotated[
                                       strawberry.ID | None, strawberry.argument(
                                           description="滞后的时间节点 id；任务滞后时不传")] = None,
                                   ) -> RectifyPayload:
        row, errors = await attempt(info, lambda: supervision.rectify(
            info.context, require_id(task_id), parse_id(milestone_id), note, rectified_on))
        return RectifyPayload(rectified=row is not None, user_errors=errors)

    @strawberry.mutation(description="办公系统推送任务完成（按外部编号幂等）")
    async def push_task_completion(self, info: GInfo,
                                   external_id: Annotated[str, strawberry.argument(
                                       description="办公系统中的编号（重复推送同一编号不重复记录）"
                                                   "")],
                                   task_id: Annotated[strawberry.ID, strawberry.argument(
                                       description="任务 id")],
                                   completed_on: Annotated[date, strawberry.argument(
                                       description="完成日期")],
                                   note: Annotated[str, strawberry.argument(
                                       description="说明")] = "") -> PushPayload:
        result, errors = await attempt(info, lambda: pushes.push_progress(
            info.context, external_id, pushes.completion(require_id(task_id), completed_on,
                                                         note)))
        return push_payload(result, errors)

    @strawberry.mutation(description="办公系统推送督办结果（按外部编号幂等）")
    async def push_supervision_result(self, info: GInfo,
                                      external_id: Annotated[str, strawberry.argument(
                                          description="办公系统中的编号（重复推送同一编号不重复记录"
                                                      "）")],
                                      input: Annotated[TaskProgressInput, strawberry.argument(
                                          description=INPUT_DOC)]) -> PushPayload:
        result, errors = await attempt(info, lambda: pushes.push_progress(
            info.context, external_id, _progress(input)))
        return push_payload(result, errors)
