"""GraphQL types of the plan: schemes, versions, indicators, dimensions, letters."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

import strawberry
from strawberry.types import Info

from models import IndicatorScheme as SchemeRow
from models import SchemeDimension as DimensionRow
from models import SchemeNode as NodeRow
from models import SchemeVersion as VersionRow
from resolvers.plans import schemes as plans
from schema.context import GraphQLContext, loader_for
from schema.descriptions import ID_DOC
from schema.enums import labelled_enum
from schema.ids import gid
from schema.types.org import Post
from vocab.plans import AppliesTo as AppliesToValue
from vocab.plans import IndicatorKind as IndicatorKindValue
from vocab.plans import SchemeStatus as SchemeStatusValue

GInfo = Info[GraphQLContext, None]

IndicatorKind = labelled_enum(IndicatorKindValue, "IndicatorKind",
                              "分类、评价指标、加分项、减分项、政治素质负面清单")
SchemeStatus = labelled_enum(SchemeStatusValue, "SchemeStatus", "指标体系版本状态")
AppliesTo = labelled_enum(AppliesToValue, "AppliesTo",
                          "全员适用，或仅岗位责任书列明的岗位适用")


@strawberry.type(description="评价维度（任务完成情况、工作难度、创新程度、作风表现……）")
class RatingDimension:
    code: str = strawberry.field(description="维度编码")
    name: str = strawberry.field(description="维度名称（如工作难度）")
    weight: int = strawberry.field(description="权重（百分比，各维度合计 100）")
    rater_roles: list[str] = strawberry.field(
        description="评价该维度的评价主体；为空表示全部评价主体")

    @strawberry.field(description="评价主体的中文名")
    def rater_role_labels(self) -> list[str]:
        return [plans.role_label(r) for r in self.rater_roles]

    @classmethod
    def of(cls, row: DimensionRow) -> RatingDimension:
        return cls(code=row.code, name=row.name, weight=row.weight,
                   rater_roles=list(row.rater_roles))


@strawberry.type(description="指标体系中的分类或指标（属于某一版本）")
class Indicator:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    version_id: strawberry.ID = strawberry.field(description="所属指标体系版本的 id")
    parent_id: strawberry.ID | None = strawberry.field(description="上级分类的 id；顶层为 null")
    code: str = strawberry.field(description="指标编码（同一版本内唯一）")
    name: str = strawberry.field(description="名称")
    kind: IndicatorKind = strawberry.field(  # type: ignore[valid-type]
        description="类型：分类、评价指标、加分项、减分项、政治素质负面清单")
    description: str = strawberry.field(description="说明；未填写为空串")
    weight: int | None = strawberry.field(
        description="权重（百分比，同级合计 100）；加减分项和负面清单为 null")
    cap: Decimal | None = strawberry.field(description="分值上限")
    points: Decimal | None = strawberry.field(description="单项分值")
    applies_to: AppliesTo = strawberry.field(  # type: ignore[valid-type]
        description="全员适用，或仅岗位责任书列明的岗位适用")
    needs_confirmation: bool = strawberry.field(description="加分须经确认后计入")
    confirmation_note: str = strawberry.field(
        description="确认要求的说明（如须办公室确认）；无要求为空串")
    serious: bool = strawberry.field(description="负面清单：属严重问题，限制等次")
    dynamic: bool = strawberry.field(description="动态指标")
    effective_from: date | None = strawberry.field(description="动态指标的生效日期")
    dynamic_reason: str = strawberry.field(
        description="动态指标的设立理由（临时性、突击性任务）；非动态指标为空串")
    sort_order: int = strawberry.field(description="同级中的顺序（小的在前）")

    @strawberry.field(description="类型的中文名")
    def kind_label(self) -> str:
        return plans.kind_label(self.kind)

    @strawberry.field(description="下级分类和指标")
    async def children(self, info: GInfo) -> list[Indicator]:
        rows = await loader_for(info.context, plans.nodes_by_version).load(
            uuid.UUID(self.version_id))
        return [Indicator.of(r) for r in rows if r.parent_id == uuid.UUID(self.id)]

    @classmethod
    def of(cls, row: NodeRow) -> Indicator:
        return cls(id=strawberry.ID(str(row.id)), version_id=strawberry.ID(str(row.version_id)),
                   parent_id=gid(row.parent_id), code=row.code, name=row.name, kind=row.kind,
                   description=row.description, weight=row.weight, cap=row.cap,
                   points=row.points, applies_to=row.applies_to,
                   needs_confirmation=row.needs_confirmation,
                   confirmation_note=row.confirmation_note, serious=row.serious,
                   dynamic=row.dynamic, effective_from=row.effective_from,
                   dynamic_reason=row.dynamic_reason, sort_order=row.sort_order)


@strawberry.type(description="校验问题")
class SchemeProblem:
    field: str = strawberry.field(description="出问题的位置（指标编码或字段名）")
    message: str = strawberry.field(description="问题说明（中文）")


@strawberry.type(description="指标体系的一个版本：草稿可编辑，发布后冻结")
class SchemeVersion:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    scheme_id: strawberry.ID = strawberry.field(description="所属指标体系的 id")
    number: int = strawberry.field(description="版本号（从 1 起）")
    status: SchemeStatus = strawberry.field(description="草稿或已发布")  # type: ignore[valid-type]
    based_on_id: strawberry.ID | None = strawberry.field(
        description="复制自哪个版本；从头新建为 null")
    published_at: datetime | None = strawberry.field(description="发布时间；草稿为 null")
    note: str = strawberry.field(description="版本说明；未填写为空串")

    @strawberry.field(description="状态的中文名")
    def status_label(self) -> str:
        return SchemeStatusValue(self.status).label

    @strawberry.field(description="评价维度及权重")
    async def dimensions(self, info: GInfo) -> list[RatingDimension]:
        rows = await loader_for(info.context, plans.dimensions_by_version).load(
            uuid.UUID(self.id))
        return [RatingDimension.of(r) for r in rows]

    @strawberry.field(description="全部分类和指标（平铺，按顺序）")
    async def indicators(self, info: GInfo) -> list[Indicator]:
        rows = await loader_for(info.context, plans.nodes_by_version).load(uuid.UUID(self.id))
        return [Indicator.of(r) for r in rows]

    @strawberry.field(description="顶层分类和指标（逐级展开 children）")
    async def tree(self, info: GInfo) -> list[Indicator]:
        rows = await loader_for(info.context, plans.nodes_by_version).load(uuid.UUID(self.id))
        return [Indicator.of(r) for r in rows if r.parent_id is None]

    @strawberry.field(description="发布前须解决的问题（权重合计、编码重复等）；为空表示可以发布")
    async def problems(self, info: GInfo) -> list[SchemeProblem]:
        found = await plans.validate_version(info.context, uuid.UUID(self.id))
        return [SchemeProblem(field=p.field, message=p.message) for p in found]

    @classmethod
    def of(cls, row: VersionRow) -> SchemeVersion:
        return cls(id=strawberry.ID(str(row.id)), scheme_id=strawberry.ID(str(row.scheme_id)),
                   number=row.number, status=row.status, based_on_id=gid(row.based_on_id),
                   published_at=row.published_at, note=row.note)


@strawberry.type(description="某年度的指标体系")
class IndicatorScheme:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    year: int = strawberry.field(description="适用年度")
    name: str = strawberry.field(description="指标体系名称")

    @strawberry.field(description="全部版本（按版本号）")
    async def versions(self, info: GInfo) -> list[SchemeVersion]:
        rows = await loader_for(info.context, plans.versions_by_scheme).load(uuid.UUID(self.id))
        return [SchemeVersion.of(r) for r in rows]

    @strawberry.field(description="最新的已发布版本")
    async def current(self, info: GInfo) -> SchemeVersion | None:
        rows = await loader_for(info.context, plans.versions_by_scheme).load(uuid.UUID(self.id))
        published = [r for r in rows if r.status == SchemeStatusValue.published]
        return SchemeVersion.of(published[-1]) if published else None

    @strawberry.field(description="正在编辑的草稿版本")
    async def draft(self, info: GInfo) -> SchemeVersion | None:
        rows = await loader_for(info.context, plans.versions_by_scheme).load(uuid.UUID(self.id))
        drafts = [r for r in rows if r.status == SchemeStatusValue.draft]
        return SchemeVersion.of(drafts[0]) if drafts else None

    @classmethod
    def of(cls, row: SchemeRow) -> IndicatorScheme:
        return cls(id=strawberry.ID(str(row.id)), year=row.year, name=row.name)


@strawberry.type(description="岗位责任书中的一项指标及目标")
class LetterLine:
    indicator_code: str = strawberry.field(description="指标编码")
    target: str = strawberry.field(description="该岗位在此指标上的目标；未写明为空串")


@strawberry.type(description="岗位责任书：适用于该岗位（及其人员）的指标")
class ResponsibilityLetter:
    post: Post = strawberry.field(description="岗位")
    lines: list[LetterLine] = strawberry.field(description="责任书中的指标及目标")


@strawberry.type(description="某人在某日适用的一项指标")
class PersonIndicator:
    indicator: Indicator = strawberry.field(description="指标")
    target: str = strawberry.field(description="岗位责任书中的目标（如有）")


@strawberry.type(description="某人在某日适用的指标（我的指标）")
class PersonIndicators:
    person_id: strawberry.ID = strawberry.field(description="人员 id")
    on: date = strawberry.field(description="按哪一天适用（动态指标自生效日起适用）")
    version: SchemeVersion | None = strawberry.field(
        description="适用的指标体系版本；该年度尚无已发布版本时为 null")
    indicators: list[PersonIndicator] = strawberry.field(description="适用的指标（按顺序）")


@strawberry.type(description="导出的文件")
class FileExport:
    filename: str = strawberry.field(description="文件名")
    content_base64: str = strawberry.field(description="文件内容（Base64 编码）")
    mime_type: str = strawberry.field(description="文件的 MIME 类型")
