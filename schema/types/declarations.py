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
from schema.descriptions import ID_DOC, UPDATED_AT_DOC
from schema.enums import labelled_enum
from schema.ids import gid
from schema.types.org import Person
from vocab.plans import TASK_SOURCE_LABELS, TaskSource
from vocab.rating import DeclarationStatus as StatusValue

GInfo = Info[GraphQLContext, None]
DeclarationStatus = labelled_enum(StatusValue, "DeclarationStatus", "实绩申报状态", {
    "draft": "草稿（可修改）", "submitted": "已提交"})


@strawberry.type(description="可作为实绩来源的目标任务")
class TaskSourceOption:
    id: strawberry.ID = strawberry.field(description="任务 id（填入 taskId）")
    code: str = strawberry.field(description="任务编号")
    title: str = strawberry.field(description="任务名称")
    source_label: str = strawberry.field(description="任务来源的中文名")
    due_on: date | None = strawberry.field(description="完成时限；未设置为 null")

    @classmethod
    def of(cls, row: Task) -> TaskSourceOption:
        return cls(id=strawberry.ID(str(row.id)), code=row.code, title=row.title,
                   source_label=TASK_SOURCE_LABELS[TaskSource(row.source_kind)],
                   due_on=row.due_on)


@strawberry.type(description="可作为实绩来源的考核指标")
class IndicatorSourceOption:
    id: strawberry.ID = strawberry.field(description="指标 id（填入 indicatorId）")
    code: str = strawberry.field(description="指标编码")
    name: str = strawberry.field(description="指标名称")
    target: str = strawberry.field(description="岗位责任书中的目标；没有为空串")

    @classmethod
    def of(cls, row: SchemeNode, target: str = "") -> IndicatorSourceOption:
        return cls(id=strawberry.ID(str(row.id)), code=row.code, name=row.name, target=target)


@strawberry.type(description="申报表可选的任务来源：本人的目标任务和考核指标")
class DeclarationSources:
    tasks: list[TaskSourceOption] = strawberry.field(description="本人的目标任务")
    indicators: list[IndicatorSourceOption] = strawberry.field(description="本人适用的考核指标")
    max_items: int = strawberry.field(description="本单位每季度最多申报的实绩项数")
    title_max_length: int = strawberry.field(description="每项标题的最多字数")
    content_max_length: int = strawberry.field(description="每项内容的最多字数")
    self_assessment_max_length: int = strawberry.field(description="每项自我评价的最多字数")


@strawberry.type(description="一项实绩")
class DeclarationItem:
    position: int = strawberry.field(description="序号（从 1 起）")
    title: str = strawberry.field(description="实绩标题")
    content: str = strawberry.field(description="实绩内容（简明扼要）")
    self_assessment: str = strawberry.field(description="自我评价")
    task_id: strawberry.ID | None = strawberry.field(
        description="来源目标任务的 id；来源为指标时为 null")
    indicator_id: strawberry.ID | None = strawberry.field(
        description="来源考核指标的 id；来源为任务时为 null")

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
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    period_id: strawberry.ID = strawberry.field(description="考核周期 id")
    person_id: strawberry.ID = strawberry.field(description="申报人 id")
    status: DeclarationStatus = strawberry.field(  # type: ignore[valid-type]
        description="草稿或已提交")
    submitted_at: datetime | None = strawberry.field(description="提交时间；草稿为 null")
    updated_at: datetime | None = strawberry.field(description=UPDATED_AT_DOC)

    @strawberry.field(description="各项实绩（至多 5 项，按顺序）")
    async def items(self, info: GInfo) -> list[DeclarationItem]:
        rows = await loader_for(info.context, declarations.items_by_declaration).load(
            uuid.UUID(self.id))
        return [DeclarationItem.of(r) for r in rows]

    @strawberry.field(description="申报人")
    async def person(self, info: GInfo) -> Person | None:
        row = await loader_for(info.context, org.people_by_ids).load(uuid.UUID(self.person_id))
        return Person.of(row) if row else None

    @classmethod
    def of(cls, row: DeclarationRow) -> Declaration:
        return cls(id=strawberry.ID(str(row.id)), period_id=strawberry.ID(str(row.period_id)),
                   person_id=strawberry.ID(str(row.person_id)), status=row.status,
                   submitted_at=row.submitted_at, updated_at=row.updated_at)


@strawberry.type(description="实绩申报的分页列表")
class DeclarationConnection:
    nodes: list[Declaration] = strawberry.field(description="本页的实绩申报")
    total_count: int = strawberry.field(description="符合条件的总条数")


@strawberry.input(description="实绩申报筛选条件")
class DeclarationFilter:
    unit_id: strawberry.ID | None = strawberry.field(
        default=None, description="只看此部门人员的申报")
    include_subunits: bool = strawberry.field(default=True, description="是否包括下级部门")
    indicator_code: str | None = strawberry.field(
        default=None, description="只看来源为此指标的申报")
    status: DeclarationStatus | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="只看此状态")
    search: str | None = strawberry.field(default=None, description="在标题和内容中搜索")


@strawberry.input(description="一项实绩")
class DeclarationItemInput:
    title: str = strawberry.field(description="实绩标题")
    content: str = strawberry.field(description="实绩内容（不超过单位规定的字数）")
    self_assessment: str = strawberry.field(default="", description="自我评价")
    task_id: strawberry.ID | None = strawberry.field(
        default=None, description="来源目标任务的 id（与 indicatorId 至少填一个）")
    indicator_id: strawberry.ID | None = strawberry.field(
        default=None, description="来源考核指标的 id（与 taskId 至少填一个）")
