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
from schema.ids import gid
from schema.types.org import OrgUnit, load_unit

GInfo = Info[GraphQLContext, None]


@strawberry.type(description="滞后事项：超过时间节点未完成，整改前一直保留")
class OverdueItem:
    task_id: strawberry.ID
    milestone_id: strawberry.ID | None
    title: str
    due_on: date
    days_overdue: int
    done_late: bool
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
    unit_id: strawberry.ID | None
    tasks: int
    done: int
    in_progress: int
    not_started: int
    completion_rate: float
    problems: list[str]
    overdue_items: list[OverdueItem]

    @strawberry.field
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
    id: strawberry.ID
    task_id: strawberry.ID
    milestone_id: strawberry.ID | None
    recorded_on: date
    percent: int | None
    note: str
    problems: str

    @classmethod
    def of(cls, row: ProgressRow) -> TaskProgress:
        return cls(id=strawberry.ID(str(row.id)), task_id=strawberry.ID(str(row.task_id)),
                   milestone_id=gid(row.milestone_id), recorded_on=row.recorded_on,
                   percent=row.percent, note=row.note, problems=row.problems)


@strawberry.input(description="任务进展（督办）")
class TaskProgressInput:
    task_id: strawberry.ID
    recorded_on: date
    milestone_id: strawberry.ID | None = None
    percent: int | None = None
    note: str = ""
    problems: str = ""
    milestone_done: bool = False
    task_done: bool = False
