"""Mutations of target tasks: create, decompose, edit, progress, import."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.plans import task_file, tasks
from schema.context import GraphQLContext
from schema.descriptions import INPUT_DOC, USER_ERRORS_DOC
from schema.errors import UserError, attempt
from schema.ids import parse_id, require_id
from schema.mutations.plans import SpreadsheetInput
from schema.types.tasks import Task, TaskMilestone, TaskSource, TaskStatus
from schema.uploads import uploaded_file

GInfo = Info[GraphQLContext, None]


@strawberry.input(description="时间节点")
class MilestoneInput:
    title: str = strawberry.field(description="节点名称")
    due_on: date = strawberry.field(description="节点期限")
    done_on: date | None = strawberry.field(default=None, description="完成日期；未完成不传")

    def domain(self) -> tasks.MilestoneInput:
        return tasks.MilestoneInput(self.title, self.due_on, self.done_on)


@strawberry.input(description="新任务：不指定部门和人员为单位任务，指定部门为部门任务，指定人员为个人任务")
class TaskInput:
    year: int = strawberry.field(description="年度")
    title: str = strawberry.field(description="任务名称")
    source_kind: TaskSource = strawberry.field(description="任务来源")  # type: ignore[valid-type]
    source_text: str = strawberry.field(default="", description="来源文件或会议的说明；可为空串")
    description: str = strawberry.field(default="", description="任务说明；可为空串")
    code: str = strawberry.field(default="", description="任务编号；为空时自动生成")
    unit_id: strawberry.ID | None = strawberry.field(
        default=None, description="责任部门 id；单位任务不传")
    person_id: strawberry.ID | None = strawberry.field(
        default=None, description="责任人 id；非个人任务不传")
    due_on: date | None = strawberry.field(default=None, description="完成时限；可不传")
    indicator_codes: list[str] = strawberry.field(
        default_factory=list, description="关联的考核指标编码")
    milestones: list[MilestoneInput] = strawberry.field(
        default_factory=list, description="时间节点")
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="上级任务 id；不分解自其他任务时不传")

    def domain(self) -> tasks.TaskInput:
        return tasks.TaskInput(
            year=self.year, title=self.title, source_kind=self.source_kind,
            source_text=self.source_text, description=self.description, code=self.code,
            unit_id=parse_id(self.unit_id), person_id=parse_id(self.person_id),
            due_on=self.due_on, indicator_codes=tuple(self.indicator_codes),
            milestones=tuple(m.domain() for m in self.milestones),
            parent_id=parse_id(self.parent_id))


@strawberry.input(description="修改任务内容（不改变责任部门和责任人）")
class TaskUpdateInput:
    title: str = strawberry.field(description="任务名称")
    source_kind: TaskSource = strawberry.field(description="任务来源")  # type: ignore[valid-type]
    source_text: str = strawberry.field(default="", description="来源文件或会议的说明；可为空串")
    description: str = strawberry.field(default="", description="任务说明；可为空串")
    due_on: date | None = strawberry.field(default=None, description="完成时限；不传为无时限")
    indicator_codes: list[str] = strawberry.field(
        default_factory=list, description="关联的考核指标编码")
    milestones: list[MilestoneInput] | None = strawberry.field(
        default=None, description="为 null 时保留原有时间节点")

    def domain(self) -> tasks.TaskUpdate:
        return tasks.TaskUpdate(
            title=self.title, source_kind=self.source_kind, source_text=self.source_text,
            description=self.description, due_on=self.due_on,
            indicator_codes=tuple(self.indicator_codes),
            milestones=None if self.milestones is None
            else tuple(m.domain() for m in self.milestones))


@strawberry.input(description="分解的一部分：给一个部门或一个人")
class TaskPartInput:
    unit_id: strawberry.ID | None = strawberry.field(
        default=None, description="分给的部门 id（与 personId 二选一）")
    person_id: strawberry.ID | None = strawberry.field(
        default=None, description="分给的人员 id（与 unitId 二选一）")
    title: str = strawberry.field(default="", description="这一部分的任务名称")
    due_on: date | None = strawberry.field(default=None, description="完成时限；不传沿用上级任务的")
    milestones: list[MilestoneInput] = strawberry.field(
        default_factory=list, description="时间节点")

    def domain(self) -> tasks.PartInput:
        return tasks.PartInput(unit_id=parse_id(self.unit_id),
                               person_id=parse_id(self.person_id), title=self.title,
                               due_on=self.due_on,
                               milestones=tuple(m.domain() for m in self.milestones))


@strawberry.type(description="任务操作的结果")
class TaskPayload:
    task: Task | None = strawberry.field(description="操作后的任务；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="分解任务的结果")
class DecomposeTaskPayload:
    tasks: list[Task] = strawberry.field(description="分解出的下级任务；失败时为空")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="时间节点操作的结果")
class TaskMilestonePayload:
    milestone: TaskMilestone | None = strawberry.field(
        description="操作后的时间节点；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="任务清单导入结果：全部成功或全部不导入")
class ImportTasksPayload:
    created: int = strawberry.field(description="新增的任务数")
    updated: int = strawberry.field(description="更新的任务数")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type
class TaskMutation:
    @strawberry.mutation(description="新建任务")
    async def create_task(self, info: GInfo,
                          input: Annotated[TaskInput, strawberry.argument(
                              description=INPUT_DOC)]) -> TaskPayload:
        row, errors = await attempt(info, lambda: tasks.create_task(info.context,
                                                                    input.domain()))
        return TaskPayload(task=Task.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="分解任务：单位任务分解到部门，部门任务分解到本部门人员")
    async def decompose_task(self, info: GInfo,
                             id: Annotated[strawberry.ID, strawberry.argument(
                                 description="被分解的任务 id")],
                             parts: Annotated[list[TaskPartInput], strawberry.argument(
                                 description="分解出的各部分（每部分给一个部门或一个人）"
                                             "")]) -> DecomposeTaskPayload:
        rows, errors = await attempt(info, lambda: tasks.decompose_task(
            info.context, require_id(id), [p.domain() for p in parts]))
        return DecomposeTaskPayload(tasks=[Task.of(r) for r in rows or []], user_errors=errors)

    @strawberry.mutation(description="修改任务")
    async def update_task(self, info: GInfo,
                          id: Annotated[strawberry.ID, strawberry.argument(
                              description="任务 id")],
                          input: Annotated[TaskUpdateInput, strawberry.argument(
                              description=INPUT_DOC)]) -> TaskPayload:
        row, errors = await attempt(info, lambda: tasks.update_task(
            info.context, require_id(id), input.domain()))
        return TaskPayload(task=Task.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="更新任务状态")
    async def set_task_status(self, info: GInfo,
                              id: Annotated[strawberry.ID, strawberry.argument(
                                  description="任务 id")],
                              status: Annotated[TaskStatus, strawberry.argument(  # type: ignore[valid-type]
                                  description="新状态")]) -> TaskPayload:
        row, errors = await attempt(info, lambda: tasks.set_status(
            info.context, require_id(id), status))
        return TaskPayload(task=Task.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="标记时间节点完成（doneOn 为 null 时取消完成）")
    async def set_milestone_done(self, info: GInfo,
                                 id: Annotated[strawberry.ID, strawberry.argument(
                                     description="时间节点 id")],
                                 done_on: Annotated[date | None, strawberry.argument(
                                     description="完成日期；为 null 时取消完成"
                                                 "")] = None) -> TaskMilestonePayload:
        async def run() -> TaskMilestone:
            row = await tasks.set_milestone_done(info.context, require_id(id), done_on)
            task = await tasks.get_task(info.context, row.task_id)
            return TaskMilestone.of(row, task.status)

        milestone, errors = await attempt(info, run)
        return TaskMilestonePayload(milestone=milestone, user_errors=errors)

    @strawberry.mutation(description="从 Excel 导入任务清单：有任何错误则全部不导入")
    async def import_tasks(self, info: GInfo,
                           year: Annotated[int, strawberry.argument(
                               description="年度（如 2025）")],
                           input: Annotated[SpreadsheetInput, strawberry.argument(
                               description=INPUT_DOC)]) -> ImportTasksPayload:
        async def run() -> task_file.TaskImportResult:
            return await task_file.import_tasks(info.context, year, await uploaded_file(
                input.filename, input.content_base64, input.file))

        result, errors = await attempt(info, run)
        return ImportTasksPayload(created=result.created if result else 0,
                                  updated=result.updated if result else 0, user_errors=errors)
