"""GraphQL types of supervision (督办)."""

from __future__ import annotations

import uuid
from datetime import date

import strawberry
from strawberry.types import Info

from models import TaskProgress as ProgressRow
from resolvers.org import structure as org
from rules.supervision import OverdueItem as OverdueValue
from rules.supervision import UnitSummary
from schema.context import GraphQLContext, loader_for
from schema.descriptions import ID_DOC
from schema.ids import gid
from schema.types.org import OrgUnit, load_unit

GInfo = Info[GraphQLContext, None]


@strawberry.type(description="滞后事项：超过时间节点未完成，整改前一直保留")
class OverdueItem:
    task_id: strawberry.ID = strawberry.field(description="任务 id")
    milestone_id: strawberry.ID | None = strawberry.field(
        description="滞后的时间节点 id；任务本身滞后为 null")
    title: str = strawberry.field(description="任务或时间节点名称")
    due_on: date = strawberry.field(description="期限")
    days_overdue: int = strawberry.field(description="已滞后天数（截至查询日或完成日）")
    done_late: bool = strawberry.field(description="已完成但超过期限（仍须整改）")
    unit_id: strawberry.ID | None = strawberry.field(description="责任部门")
    person_id: strawberry.ID | None = strawberry.field(description="责任人（个人任务）")

    @strawberry.field(description="责任部门")
    async def unit(self, info: GInfo) -> OrgUnit | None:
        return await load_unit(info, self.unit_id)

    @strawberry.field(description="责任部门名称")
    async def unit_name(self, info: GInfo) -> str | None:
        unit = await load_unit(info, self.unit_id)
        return unit.name if unit else None

    @strawberry.field(description="责任人姓名（个人任务）")
    async def person_name(self, info: GInfo) -> str | None:
        if self.person_id is None:
            return None
        found = await loader_for(info.context, org.manager_names).load(uuid.UUID(self.person_id))
        return found[0] if found else None

    @classmethod
    def of(cls, item: OverdueValue) -> OverdueItem:
        return cls(task_id=strawberry.ID(str(item.task_id)), milestone_id=gid(
            item.milestone_id if isinstance(item.milestone_id, uuid.UUID) else None),
            title=item.title, due_on=item.due_on, days_overdue=item.days_overdue,
            done_late=item.done_late, unit_id=gid(_uuid(item.unit_id)),
            person_id=gid(_uuid(item.person_id)))


def _uuid(value: object) -> uuid.UUID | None:
    # The rules keep ids opaque (Hashable); here they are the rows' uuids.
    return value if isinstance(value, uuid.UUID) else None


@strawberry.type(description="一个部门的督办汇总：完成情况、存在问题、滞后事项")
class UnitSupervision:
    unit_id: strawberry.ID | None = strawberry.field(description="部门 id；单位本级任务为 null")
    tasks: int = strawberry.field(description="任务总数")
    done: int = strawberry.field(description="已完成数")
    in_progress: int = strawberry.field(description="进行中数")
    not_started: int = strawberry.field(description="未开始数")
    completion_rate: float = strawberry.field(description="完成率（0–1）")
    problems: list[str] = strawberry.field(description="进展记录中反映的问题")
    overdue_items: list[OverdueItem] = strawberry.field(description="未整改的滞后事项")

    @strawberry.field(description="部门；单位本级为 null")
    async def unit(self, info: GInfo) -> OrgUnit | None:
        return await load_unit(info, self.unit_id)

    @classmethod
    def of(cls, s: UnitSummary) -> UnitSupervision:
        return cls(unit_id=gid(s.unit_id if isinstance(s.unit_id, uuid.UUID) else None),
                   tasks=s.tasks, done=s.done, in_progress=s.in_progress,
                   not_started=s.not_started, completion_rate=round(s.completion_rate, 4),
                   problems=s.problems, overdue_items=[OverdueItem.of(i) for i in s.overdue])


@strawberry.type(description="任务进展记录")
class TaskProgress:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    task_id: strawberry.ID = strawberry.field(description="任务 id")
    milestone_id: strawberry.ID | None = strawberry.field(
        description="对应的时间节点 id；没有为 null")
    recorded_on: date = strawberry.field(description="记录日期")
    percent: int | None = strawberry.field(description="完成百分比（0–100）；未填写为 null")
    note: str = strawberry.field(description="进展情况")
    problems: str = strawberry.field(description="存在的问题；没有为空串")

    @classmethod
    def of(cls, row: ProgressRow) -> TaskProgress:
        return cls(id=strawberry.ID(str(row.id)), task_id=strawberry.ID(str(row.task_id)),
                   milestone_id=gid(row.milestone_id), recorded_on=row.recorded_on,
                   percent=row.percent, note=row.note, problems=row.problems)


@strawberry.input(description="任务进展（督办）")
class TaskProgressInput:
    task_id: strawberry.ID = strawberry.field(description="任务 id")
    recorded_on: date = strawberry.field(description="记录日期")
    milestone_id: strawberry.ID | None = strawberry.field(
        default=None, description="对应的时间节点 id；可不传")
    percent: int | None = strawberry.field(default=None, description="完成百分比（0–100）；可不传")
    note: str = strawberry.field(default="", description="进展情况")
    problems: str = strawberry.field(default="", description="存在的问题；可为空串")
    milestone_done: bool = strawberry.field(default=False, description="该时间节点已完成")
    task_done: bool = strawberry.field(default=False, description="任务已完成")
