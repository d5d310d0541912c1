"""Mutations of indicator schemes, dimensions, dynamic indicators and responsibility letters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from models import SchemeVersion as VersionRow
from resolvers.plans import indicators, scheme_file, scheme_nodes
from resolvers.plans import schemes as plans
from schema.context import GraphQLContext
from schema.descriptions import INPUT_DOC, USER_ERRORS_DOC, PeriodId
from schema.errors import UserError, attempt
from schema.ids import parse_id, require_id
from schema.mutations.org import DeletePayload
from schema.types.plans import (
    AppliesTo,
    Indicator,
    IndicatorKind,
    IndicatorScheme,
    LetterLine,
    SchemeVersion,
)
from schema.uploads import uploaded_file

GInfo = Info[GraphQLContext, None]


@strawberry.input(description="分类或指标")
class IndicatorInput:
    code: str = strawberry.field(description="指标编码（同一版本内唯一）")
    name: str = strawberry.field(description="名称")
    kind: IndicatorKind = strawberry.field(description="类型")  # type: ignore[valid-type]
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="上级分类 id；顶层不传")
    weight: int | None = strawberry.field(
        default=None, description="权重（百分比，同级合计 100）；加减分项不传")
    cap: Decimal | None = strawberry.field(
        default=None, description="分值上限（加减分项累计不超过）；不限不传")
    points: Decimal | None = strawberry.field(
        default=None, description="单项分值（每次加减多少分）")
    applies_to: AppliesTo = strawberry.field(  # type: ignore[valid-type]
        default=AppliesTo.everyone, description="全员适用，或仅岗位责任书列明的岗位适用")
    needs_confirmation: bool = strawberry.field(default=False, description="加分须经确认后才计入")
    confirmation_note: str = strawberry.field(default="", description="确认要求的说明；可为空串")
    serious: bool = strawberry.field(default=False, description="负面清单：属严重问题，限制等次")
    description: str = strawberry.field(default="", description="说明；可为空串")
    sort_order: int | None = strawberry.field(
        default=None, description="同级中的顺序；不传排在最后")

    def domain(self) -> scheme_nodes.NodeInput:
        return scheme_nodes.NodeInput(
            code=self.code, name=self.name, kind=self.kind, parent_id=parse_id(self.parent_id),
            weight=self.weight, cap=self.cap, points=self.points, applies_to=self.applies_to,
            needs_confirmation=self.needs_confirmation,
            confirmation_note=self.confirmation_note, serious=self.serious,
            description=self.description, sort_order=self.sort_order)


@strawberry.input(description="评价维度")
class RatingDimensionInput:
    code: str = strawberry.field(description="维度编码")
    name: str = strawberry.field(description="维度名称")
    weight: int = strawberry.field(description="权重（百分比，各维度合计 100）")
    rater_roles: list[str] = strawberry.field(
        default_factory=list, description="评价该维度的评价主体（RaterRole 的值）；为空表示全部")


@strawberry.input(description="岗位责任书中的一项：指标编码和目标")
class LetterLineInput:
    indicator_code: str = strawberry.field(description="指标编码（须在当前版本中）")
    target: str = strawberry.field(default="", description="该岗位在此指标上的目标；可为空串")


@strawberry.input(description="上传的 Excel(.xlsx) 或 CSV 文件")
class SpreadsheetInput:
    filename: str = strawberry.field(description="文件名，以 .xlsx 或 .csv 结尾")
    content_base64: str | None = strawberry.field(
        default=None, description="文件内容的 Base64 编码；与 file 二选一")
    file: Upload | None = strawberry.field(
        default=None, description="上传的文件（GraphQL multipart 请求）；与 contentBase64 二选一")


@strawberry.type(description="新建指标体系的结果")
class IndicatorSchemePayload:
    scheme: IndicatorScheme | None = strawberry.field(description="新建的指标体系；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="指标体系版本操作（新建草稿、发布）的结果")
class SchemeVersionPayload:
    version: SchemeVersion | None = strawberry.field(description="操作后的版本；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="保存指标的结果")
class IndicatorPayload:
    indicator: Indicator | None = strawberry.field(description="保存后的指标；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="保存岗位责任书的结果")
class ResponsibilityLetterPayload:
    lines: list[LetterLine] = strawberry.field(description="保存后的责任书各项")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="指标体系导入结果：全部成功或全部不导入")
class ImportSchemePayload:
    indicators: int = strawberry.field(description="导入的分类和指标数")
    dimensions: int = strawberry.field(description="导入的评价维度数")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


def _version(row: VersionRow | None) -> SchemeVersion | None:
    return SchemeVersion.of(row) if row is not None else None


@strawberry.type
class PlanMutation:
    @strawberry.mutation(description="新建某年度指标体系（默认按本单位类型的模板生成草稿）")
    async def create_indicator_scheme(self, info: GInfo,
                                      year: Annotated[int, strawberry.argument(
                                          description="年度（如 2025）")],
                                      name: Annotated[str, strawberry.argument(
                                          description="指标体系名称")] = "",
                                      from_template: Annotated[bool, strawberry.argument(
                                          description="是否按本单位类型的模板生成草稿"
                                                      "")] = True) -> IndicatorSchemePayload:
        row, errors = await attempt(info, lambda: plans.create_scheme(
            info.context, year, name, from_template))
        return IndicatorSchemePayload(scheme=IndicatorScheme.of(row) if row else None,
                                      user_errors=errors)

    @strawberry.mutation(description="新建版本：复制最新版本为草稿")
    async def create_scheme_version(self, info: GInfo,
                                    scheme_id: Annotated[strawberry.ID, strawberry.argument(
                                        description="指标体系 id")],
                                    note: Annotated[str, strawberry.argument(
                                        description="版本说明")] = "") -> SchemeVersionPayload:
        row, errors = await attempt(info, lambda: plans.new_version(
            info.context, require_id(scheme_id), note))
        return SchemeVersionPayload(version=_version(row), user_errors=errors)

    @strawberry.mutation(description="发布草稿版本（校验通过后冻结）")
    async def publish_scheme_version(self, info: GInfo,
                                     id: Annotated[strawberry.ID, strawberry.argument(
                                         description="草稿版本 id")]
                                     ) -> SchemeVersionPayload:
        row, errors = await attempt(info, lambda: plans.publish_version(
            info.context, require_id(id)))
        return SchemeVersionPayload(version=_version(row), user_errors=errors)

    @strawberry.mutation(description="新增或修改草稿版本中的分类或指标；已发布版本返回 FROZEN")
    async def save_indicator(self, info: GInfo,
                             version_id: Annotated[strawberry.ID, strawberry.argument(
                                 description="指标体系版本 id")],
                             input: Annotated[IndicatorInput, strawberry.argument(
                                 description=INPUT_DOC)],
                             id: Annotated[strawberry.ID | None, strawberry.argument(
                                 description="要修改的分类或指标 id；新增时不传")] = None
                             ) -> IndicatorPayload:
        row, errors = await attempt(info, lambda: scheme_nodes.save_node(
            info.context, require_id(version_id), input.domain(), parse_id(id)))
        return IndicatorPayload(indicator=Indicator.of(row) if row else None,
                                user_errors=errors)

    @strawberry.mutation(description="删除草稿版本中没有下级的分类或指标")
    async def delete_indicator(self, info: GInfo,
                               id: Annotated[strawberry.ID, strawberry.argument(
                                   description="分类或指标 id")]) -> DeletePayload:
        deleted, errors = await attempt(info, lambda: scheme_nodes.delete_node(
            info.context, require_id(id)))
        return DeletePayload(deleted_id=strawberry.ID(str(deleted)) if deleted else None,
                             user_errors=errors)

    @strawberry.mutation(description="设置草稿版本的评价维度及权重（合计100）")
    async def set_rating_dimensions(self, info: GInfo,
                                    version_id: Annotated[strawberry.ID, strawberry.argument(
                                        description="指标体系版本 id")],
                                    dimensions: Annotated[
                                        list[RatingDimensionInput],
                                        strawberry.argument(
                                            description="评价维度（整体替换，权重合计 100）")]
                                    ) -> SchemeVersionPayload:
        async def run() -> VersionRow:
            await scheme_nodes.set_dimensions(info.context, require_id(version_id), [
                scheme_nodes.DimensionInput(d.code, d.name, d.weight, tuple(d.rater_roles))
                for d in dimensions])
            return await plans.get_version(info.context, require_id(version_id))

        row, errors = await attempt(info, run)
        return SchemeVersionPayload(version=_version(row), user_errors=errors)

    @strawberry.mutation(description="向已发布的指标体系增设动态指标（加分或减分项），自生效日期起计分")
    async def add_dynamic_indicator(self, info: GInfo,
                                    version_id: Annotated[strawberry.ID, strawberry.argument(
                                        description="指标体系版本 id")],
                                    input: Annotated[IndicatorInput, strawberry.argument(
                                        description=INPUT_DOC)],
                                    effective_from: Annotated[date, strawberry.argument(
                                        description="生效日期（自此日起计分）")],
                                    reason: Annotated[str, strawberry.argument(
                                        description="设立理由（临时性、突击性任务）"
                                                    "")]) -> IndicatorPayload:
        row, errors = await attempt(info, lambda: scheme_nodes.add_dynamic_indicator(
            info.context, require_id(version_id), input.domain(), effective_from, reason))
        return IndicatorPayload(indicator=Indicator.of(row) if row else None,
                                user_errors=errors)

    @strawberry.mutation(description="从 Excel 导入指标体系到草稿版本：有任何错误则全部不导入")
    async def import_scheme(self, info: GInfo,
                            version_id: Annotated[strawberry.ID, strawberry.argument(
                                description="指标体系版本 id")],
                            input: Annotated[SpreadsheetInput, strawberry.argument(
                                description=INPUT_DOC)]) -> ImportSchemePayload:
        async def run() -> scheme_file.SchemeImportResult:
            return await scheme_file.import_scheme(
                info.context, require_id(version_id),
                await uploaded_file(input.filename, input.content_base64, input.file))

        result, errors = await attempt(info, run)
        return ImportSchemePayload(indicators=result.nodes if result else 0,
                                   dimensions=result.dimensions if result else 0,
                                   user_errors=errors)

    @strawberry.mutation(description="设置岗位责任书：该岗位适用的指标及目标（整体替换）")
    async def set_responsibility_letter(self, info: GInfo,
                                        post_id: Annotated[strawberry.ID, strawberry.argument(
                                            description="岗位 id")],
                                        year: Annotated[int, strawberry.argument(
                                            description="年度（如 2025）")],
                                        lines: Annotated[list[LetterLineInput], strawberry.argument(
                                            description="责任书各项（整体替换）")]
                                        ) -> ResponsibilityLetterPayload:
        rows, errors = await attempt(info, lambda: indicators.set_letter(
            info.context, require_id(post_id), year,
            [indicators.LetterLineInput(x.indicator_code, x.target) for x in lines]))
        return ResponsibilityLetterPayload(
            lines=[LetterLine(indicator_code=r.indicator_code, target=r.target)
                   for r in rows or []], user_errors=errors)

    @strawberry.mutation(description="为考核周期选定指标体系版本（默认本年度最新发布版本）")
    async def pin_period_scheme_version(self, info: GInfo,
                                        period_id: PeriodId,
                                        version_id: Annotated[
                                            strawberry.ID | None,
                                            strawberry.argument(
                                                description="选定的版本 id；"
                                                            "不传为本年度最新发布版本")] = None
                                        ) -> SchemeVersionPayload:
        async def run() -> VersionRow:
            link = await indicators.pin_period_version(info.context, require_id(period_id),
                                                       parse_id(version_id))
            return await plans.get_version(info.context, link.version_id)

        row, errors = await attempt(info, run)
        return SchemeVersionPayload(version=_version(row), user_errors=errors)
