"""GraphQL types of achievement declarations."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import strawberry
from strawberry.types import Info

from models import Declaration as DeclarationRow
from models import DeclarationItem as ItemRow
from models import SchemeNode, Task
from resolvers.appraisal import declarations
from resolvers.org import structure as org
from schema.context import GraphQLContext, loader_for
from schema.ids import gid
from schema.types.org import Person
from vocab.plans import TASK_SOURCE_LABELS, TaskSource
from vocab.rating import DeclarationStatus as StatusValue

GInfo = Info[GraphQLContext, None]
DeclarationStatus = strawberry.enum(StatusValue, name="DeclarationStatus")


@strawberry.type(description="可作为实绩来源的目标任务")
class TaskSourceOption:
    id: strawberry.ID
    code: str
    title: str
    source_label: str
    due_on: date | None

    @classmethod
    def of(cls, row: Task) -> TaskSourceOption:
        return cls(id=strawberry.ID(str(row.id)), code=row.code, title=row.title,
                   source_label=TASK_SOURCE_LABELS[TaskSource(row.source_kind)],
                   due_on=row.due_on)


@strawberry.type(description="可作为实绩来源的考核指标")
class IndicatorSourceOption:
    id: strawberry.ID
    code: str
    name: str
    target: str

    @classmethod
    def of(cls, row: SchemeNode, target: str = "") -> IndicatorSourceOption:
        return cls(id=strawberry.ID(str(row.id)), code=row.code, name=row.name, target=target)


@strawberry.type(description="申报表可选的任务来源：本人的目标任务和考核指标")
class DeclarationSources:
    tasks: list[TaskSourceOption]
    indicators: list[IndicatorSourceOption]
    max_items: int = strawberry.field(description="本单位每季度最多申报的实绩项数")
    title_max_length: int = strawberry.field(description="每项标题的最多字数")
    content_max_length: int = strawberry.field(description="每项内容的最多字数")
    self_assessment_max_length: int = strawberry.field(description="每项自我评价的最多字数")


@strawberry.type(description="一项实绩")
class DeclarationItem:
    position: int
    title: str
    content: str
    self_assessment: str
    task_id: strawberry.ID | None
    indicator_id: strawberry.ID | None

    @strawberry.field(description="任务来源的说明，例如“市委决策部署：……”")
    async def source_label(self, info: GInfo) -> str:
        if self.task_id is not None:
            task = await loader_for(info.context, declarations.tasks_by_ids).load(
                uuid.UUID(self.task_id))
            if task is not None:
                return f"{TASK_SOURCE_LABELS[TaskSource(task.source_kind)]}：{task.title}"
        if self.indicator_id is not None:
            node = await loader_for(info.context, declarations.nodes_by_ids).load(
                uuid.UUID(self.indicator_id))
            if node is not None:
                return f"考核指标：{node.code} {node.name}"
        return ""

    @classmethod
    def of(cls, row: ItemRow) -> DeclarationItem:
        return cls(position=row.position, title=row.title, content=row.content,
                   self_assessment=row.self_assessment, task_id=gid(row.task_id),
                   indicator_id=gid(row.node_id))


@strawberry.type(description="实绩申报")
class Declaration:
    id: strawberry.ID
    period_id: strawberry.ID
    person_id: strawberry.ID
    status: DeclarationStatus  # type: ignore[valid-type]
    submitted_at: datetime | None
    updated_at: datetime | None

    @strawberry.field
    async def items(self, info: GInfo) -> list[DeclarationItem]:
        rows = await loader_for(info.context, declarations.items_by_declaration).load(
            uuid.UUID(self.id))
        return [DeclarationItem.of(r) for r in rows]

    @strawberry.field
    async def person(self, info: GInfo) -> Person | None:
        row = await loader_for(info.context, org.people_by_ids).load(uuid.UUID(self.person_id))
        return Person.of(row) if row else None

    @classmethod
    def of(cls, row: DeclarationRow) -> Declaration:
        return cls(id=strawberry.ID(str(row.id)), period_id=strawberry.ID(str(row.period_id)),
                   person_id=strawberry.ID(str(row.person_id)), status=row.status,
                   submitted_at=row.submitted_at, updated_at=row.updated_at)


@strawberry.type
class DeclarationConnection:
    nodes: list[Declaration]
    total_count: int


@strawberry.input(description="实绩申报筛选条件")
class DeclarationFilter:
    unit_id: strawberry.ID | None = None
    include_subunits: bool = True
    indicator_code: str | None = None
    status: DeclarationStatus | None = None  # type: ignore[valid-type]
    search: str | None = strawberry.field(default=None, description="在标题和内容中搜索")


@strawberry.input(description="一项实绩")
class DeclarationItemInput:
    title: str
    content: str
    self_assessment: str = ""
    task_id: strawberry.ID | None = None
    indicator_id: strawberry.ID | None = None
