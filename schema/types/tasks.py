"""GraphQL types of target tasks (目标任务) and their milestones."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from models import Task as TaskRow
from models import TaskMilestone as MilestoneRow
from resolvers.execution import supervision
from resolvers.org import structure as org
from resolvers.plans import tasks
from resolvers.plans.schemes import today
from resolvers.plans.tasks import milestone_overdue, task_overdue
from schema.context import GraphQLContext, loader_for
from schema.descriptions import ID_DOC
from schema.enums import labelled_enum
from schema.ids import gid
from schema.types.org import OrgUnit, Person, load_unit
from schema.types.pagination import After, Connection, First
from schema.types.supervision import TaskProgress
from vocab.plans import TASK_SOURCE_LABELS, TASK_STATUS_LABELS
from vocab.plans import TaskLevel as TaskLevelValue
from vocab.plans import TaskSource as TaskSourceValue
from vocab.plans import TaskStatus as TaskStatusValue

GInfo = Info[GraphQLContext, None]

TaskSource = labelled_enum(TaskSourceValue, "TaskSource",
                           "任务来源：党中央、省委、市委决策部署，全会工作安排，临时交办")
TaskStatus = labelled_enum(TaskStatusValue, "TaskStatus", "任务状态")
TaskLevel = labelled_enum(TaskLevelValue, "TaskLevel",
                          "单位任务、部门任务（考事）、个人任务（考人）", {
    "tenant": "单位任务（组织绩效）", "unit": "部门任务（考事）", "person": "个人任务（考人）"})


@strawberry.type(description="任务的时间节点")
class TaskMilestone:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    title: str = strawberry.field(description="节点名称")
    due_on: date = strawberry.field(description="节点期限")
    done_on: date | None = strawberry.field(description="完成日期；未完成为 null")
    task_status: strawberry.Private[str]

    @strawberry.field(description="截至某日（默认今天）是否滞后：已过期限且未完成")
    def overdue(self, info: GInfo,
                on: Annotated[date | None, strawberry.argument(
                    description="截至哪一天（默认今天）")] = None) -> bool:
        return milestone_overdue(self.task_status, self.due_on, self.done_on,
                                 on or today(info.context))

    @classmethod
    def of(cls, row: MilestoneRow, task_status: str) -> TaskMilestone:
        return cls(id=strawberry.ID(str(row.id)), title=row.title, due_on=row.due_on,
                   done_on=row.done_on, task_status=task_status)


@strawberry.type(description="下级任务的完成情况（考事与考人的联动）")
class TaskRollup:
    total: int = strawberry.field(description="下级任务总数")
    done: int = strawberry.field(description="已完成的下级任务数")
    overdue: int = strawberry.field(description="滞后的下级任务数（截至参数 on，默认今天）")


@strawberry.type(description="目标任务")
class Task:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    year: int = strawberry.field(description="年度")
    code: str = strawberry.field(description="任务编号（本单位内唯一）")
    title: str = strawberry.field(description="任务名称")
    description: str = strawberry.field(description="任务说明；未填写为空串")
    source_kind: TaskSource = strawberry.field(  # type: ignore[valid-type]
        description="任务来源（党中央、省委、市委决策部署，全会工作安排，临时交办）")
    source_text: str = strawberry.field(description="来源文件或会议的说明；未填写为空串")
    level: TaskLevel = strawberry.field(  # type: ignore[valid-type]
        description="单位任务、部门任务（考事）或个人任务（考人）")
    parent_id: strawberry.ID | None = strawberry.field(
        description="上级任务 id；未分解自其他任务为 null")
    unit_id: strawberry.ID | None = strawberry.field(description="责任部门 id；单位任务为 null")
    person_id: strawberry.ID | None = strawberry.field(description="责任人 id；非个人任务为 null")
    due_on: date | None = strawberry.field(description="完成时限；未设置为 null")
    status: TaskStatus = strawberry.field(description="任务状态")  # type: ignore[valid-type]
    completed_on: date | None = strawberry.field(description="完成日期；未完成为 null")
    indicator_codes: list[str] = strawberry.field(description="关联的考核指标编码")

    @strawberry.field(description="任务来源的中文名")
    def source_label(self) -> str:
        return TASK_SOURCE_LABELS[TaskSourceValue(self.source_kind)]

    @strawberry.field(description="状态的中文名")
    def status_label(self) -> str:
        return TASK_STATUS_LABELS[TaskStatusValue(self.status)]

    @strawberry.field(description="截至某日（默认今天）是否逾期：已过完成时限且未完成")
    def overdue(self, info: GInfo,
                on: Annotated[date | None, strawberry.argument(
                    description="截至哪一天（默认今天）")] = None) -> bool:
        return task_overdue(self.status, self.due_on, on or today(info.context))

    @strawberry.field(description="责任部门；单位任务为 null")
    async def unit(self, info: GInfo) -> OrgUnit | None:
        return await load_unit(info, self.unit_id)

    @strawberry.field(description="责任人（调用者可查看时）")
    async def person(self, info: GInfo) -> Person | None:
        if self.person_id is None:
            return None
        row = await loader_for(info.context, org.people_by_ids).load(uuid.UUID(self.person_id))
        return Person.of(row) if row else None

    @strawberry.field(description="责任人姓名")
    async def person_name(self, info: GInfo) -> str | None:
        if self.person_id is None:
            return None
        found = await loader_for(info.context, org.manager_names).load(uuid.UUID(self.person_id))
        return found[0] if found else None

    @strawberry.field(description="上级任务")
    async def parent(self, info: GInfo) -> Task | None:
        if self.parent_id is None:
            return None
        row = await loader_for(info.context, tasks.tasks_by_ids).load(uuid.UUID(self.parent_id))
        return Task.of(row) if row else None

    @strawberry.field(description="分解出的下级任务（调用者可见的）")
    async def children(self, info: GInfo) -> list[Task]:
        rows = await loader_for(info.context, tasks.children_by_task).load(uuid.UUID(self.id))
        return [Task.of(r) for r in rows]

    @strawberry.field(description="时间节点（按期限）")
    async def milestones(self, info: GInfo) -> list[TaskMilestone]:
        rows = await loader_for(info.context, tasks.milestones_by_task).load(uuid.UUID(self.id))
        return [TaskMilestone.of(r, self.status) for r in rows]

    @strawberry.field(description=(
        "进展记录（督办），按记录日期从早到晚，游标分页；只有可督办该任务者可见，其他人为空"))
    async def progress_history(self, info: GInfo,
                               first: First = 50,
                               after: After = None) -> Connection[TaskProgress]:
        rows = await loader_for(info.context, supervision.progress_of).load(uuid.UUID(self.id))
        return Connection.of(supervision.progress_page(rows, first, after), TaskProgress.of)

    @strawberry.field(description="下级任务的完成情况：单位任务看部门任务，部门任务看个人任务")
    async def rollup(self, info: GInfo,
                     on: Annotated[date | None, strawberry.argument(
                         description="截至哪一天（默认今天）")] = None) -> TaskRollup:
        rows = await loader_for(info.context, tasks.children_by_task).load(uuid.UUID(self.id))
        day = on or today(info.context)
        return TaskRollup(
            total=len(rows), done=sum(r.status == TaskStatusValue.done for r in rows),
            overdue=sum(task_overdue(r.status, r.due_on, day) for r in rows))

    @classmethod
    def of(cls, row: TaskRow) -> Task:
        return cls(id=strawberry.ID(str(row.id)), year=row.year, code=row.code, title=row.title,
                   description=row.description, source_kind=row.source_kind,
                   source_text=row.source_text, level=row.level, parent_id=gid(row.parent_id),
                   unit_id=gid(row.unit_id), person_id=gid(row.person_id), due_on=row.due_on,
                   status=row.status, completed_on=row.completed_on,
                   indicator_codes=list(row.indicator_codes))


@strawberry.input(description="任务筛选条件")
class TaskFilterInput:
    year: int | None = strawberry.field(default=None, description="只看此年度")
    level: TaskLevel | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="只看此层级")
    unit_id: strawberry.ID | None = strawberry.field(default=None, description="只看此部门的任务")
    person_id: strawberry.ID | None = strawberry.field(default=None, description="只看此人的任务")
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="只看由此任务分解出的任务")
    status: TaskStatus | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="只看此状态")
    source_kind: TaskSource | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="只看此来源")
    search: str | None = strawberry.field(default=None, description="在编号和名称中搜索")
    overdue_on: date | None = strawberry.field(default=None,
                                               description="只列出截至该日滞后的任务")
