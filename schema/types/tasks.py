"""GraphQL types of target tasks (目标任务) and their milestones."""

from __future__ import annotations

import uuid
from datetime import date

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
from schema.enums import labelled_enum
from schema.ids import gid
from schema.types.org import OrgUnit, Person, load_unit
from schema.types.pagination import Connection
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
    id: strawberry.ID
    title: str
    due_on: date
    done_on: date | None
    task_status: strawberry.Private[str]

    @strawberry.field(description="截至某日（默认今天）是否滞后：已过期限且未完成")
    def overdue(self, info: GInfo, on: date | None = None) -> bool:
        return milestone_overdue(self.task_status, self.due_on, self.done_on,
                                 on or today(info.context))

    @classmethod
    def of(cls, row: MilestoneRow, task_status: str) -> TaskMilestone:
        return cls(id=strawberry.ID(str(row.id)), title=row.title, due_on=row.due_on,
                   done_on=row.done_on, task_status=task_status)


@strawberry.type(description="下级任务的完成情况（考事与考人的联动）")
class TaskRollup:
    total: int
    done: int
    overdue: int


@strawberry.type(description="目标任务")
class Task:
    id: strawberry.ID
    year: int
    code: str
    title: str
    description: str
    source_kind: TaskSource  # type: ignore[valid-type]
    source_text: str
    level: TaskLevel  # type: ignore[valid-type]
    parent_id: strawberry.ID | None
    unit_id: strawberry.ID | None
    person_id: strawberry.ID | None
    due_on: date | None
    status: TaskStatus  # type: ignore[valid-type]
    completed_on: date | None
    indicator_codes: list[str]

    @strawberry.field(description="任务来源的中文名")
    def source_label(self) -> str:
        return TASK_SOURCE_LABELS[TaskSourceValue(self.source_kind)]

    @strawberry.field(description="状态的中文名")
    def status_label(self) -> str:
        return TASK_STATUS_LABELS[TaskStatusValue(self.status)]

    @strawberry.field(description="截至某日（默认今天）是否逾期：已过完成时限且未完成")
    def overdue(self, info: GInfo, on: date | None = None) -> bool:
        return task_overdue(self.status, self.due_on, on or today(info.context))

    @strawberry.field
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

    @strawberry.field
    async def milestones(self, info: GInfo) -> list[TaskMilestone]:
        rows = await loader_for(info.context, tasks.milestones_by_task).load(uuid.UUID(self.id))
        return [TaskMilestone.of(r, self.status) for r in rows]

    @strawberry.field(description=(
        "进展记录（督办），按记录日期从早到晚，游标分页；只有可督办该任务者可见，其他人为空"))
    async def progress_history(self, info: GInfo, first: int = 50,
                               after: str | None = None) -> Connection[TaskProgress]:
        rows = await loader_for(info.context, supervision.progress_of).load(uuid.UUID(self.id))
        return Connection.of(supervision.progress_page(rows, first, after), TaskProgress.of)

    @strawberry.field(description="下级任务的完成情况：单位任务看部门任务，部门任务看个人任务")
    async def rollup(self, info: GInfo, on: date | None = None) -> TaskRollup:
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
    year: int | None = None
    level: TaskLevel | None = None  # type: ignore[valid-type]
    unit_id: strawberry.ID | None = None
    person_id: strawberry.ID | None = None
    parent_id: strawberry.ID | None = None
    status: TaskStatus | None = None  # type: ignore[valid-type]
    source_kind: TaskSource | None = None  # type: ignore[valid-type]
    search: str | None = None
    overdue_on: date | None = strawberry.field(default=None,
                                               description="只列出截至该日滞后的任务")
