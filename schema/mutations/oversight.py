"""Mutations of the city's oversight: experience reports and answers, shares, the city report."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.oversight import comparison as oversight
from resolvers.oversight import experience, report_shares
from resolvers.reports import ExportParams, ReportKind, exports
from schema.context import GraphQLContext
from schema.descriptions import INPUT_DOC, USER_ERRORS_DOC
from schema.errors import UserError, attempt
from schema.ids import require_id
from schema.mutations.bonus import JobPayload
from schema.query_oversight import OversightPeriodInput, unit_ids
from schema.types.jobs import Job, ReportFormat
from schema.types.oversight import (
    CityExperienceReport,
    CycleStage,
    ExperienceKind,
    ExperienceReport,
    OversightSettings,
    ReportShare,
)
from vocab.jobs import ReportFormat as FormatValue

GInfo = Info[GraphQLContext, None]


@strawberry.input(description="经验做法或问题建议")
class ExperienceReportInput:
    kind: ExperienceKind = strawberry.field(  # type: ignore[valid-type]
        description="经验做法或问题建议")
    stage: CycleStage = strawberry.field(description="涉及的环节")  # type: ignore[valid-type]
    title: str = strawberry.field(description="标题")
    body: str = strawberry.field(description="正文")


@strawberry.type(description="报送经验做法或问题建议的结果")
class ExperienceReportPayload:
    report: ExperienceReport | None = strawberry.field(description="报送的内容；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="市委组织部阅处、答复、标记典型经验的结果")
class CityExperienceReportPayload:
    report: CityExperienceReport | None = strawberry.field(
        description="操作后的报送；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="报送报表的结果")
class ReportSharePayload:
    share: ReportShare | None = strawberry.field(description="报送记录；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="撤回报送的结果")
class WithdrawReportSharePayload:
    deleted_id: strawberry.ID | None = strawberry.field(
        description="已撤回的报送 id；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="修改平台设置的结果")
class OversightSettingsPayload:
    settings: OversightSettings | None = strawberry.field(description="修改后的设置；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.input(description="横向比较报表：单位（不填为全部试点单位）和期次")
class CityReportInput:
    periods: list[OversightPeriodInput] = strawberry.field(description="比较的期次")
    tenant_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="比较的单位 id；不传为全部试点单位")
    formats: list[ReportFormat] = strawberry.field(  # type: ignore[valid-type]
        description="生成哪些格式",
        default_factory=lambda: [FormatValue.pdf, FormatValue.xlsx])

    def domain(self) -> ExportParams:
        # Checked by the report's authorize (after the permission).
        return ExportParams(report=ReportKind.city_comparison,
                            formats=tuple(dict.fromkeys(FormatValue(f) for f in self.formats)),
                            tenant_ids=tuple(unit_ids(self.tenant_ids) or ()),
                            periods=tuple(dict.fromkeys(p.domain().key for p in self.periods)))


@strawberry.type
class OversightMutation:
    @strawberry.mutation(description="报送经验做法或问题建议（单位组织人事部门、主要领导）")
    async def submit_experience_report(self, info: GInfo,
                                       input: Annotated[ExperienceReportInput, strawberry.argument(
                                           description=INPUT_DOC)]
                                       ) -> ExperienceReportPayload:
        row, errors = await attempt(info, lambda: experience.submit(
            info.context, experience.ExperienceInput(input.kind, input.stage, input.title,
                                                     input.body)))
        return ExperienceReportPayload(report=ExperienceReport.of(row) if row else None,
                                       user_errors=errors)

    @strawberry.mutation(description="答复报送材料、标记典型经验（仅市委组织部）")
    async def review_experience_report(self, info: GInfo,
                                       tenant_id: Annotated[strawberry.ID, strawberry.argument(
                                           description="报送单位的 id")],
                                       report_id: Annotated[strawberry.ID, strawberry.argument(
                                           description="报送材料的 id")],
                                       comment: Annotated[str, strawberry.argument(
                                           description="答复内容（可为空）")] = "",
                                       good_practice: Annotated[bool | None, strawberry.argument(
                                           description="标记（true）或取消（false）典型经验；"
                                                       "不传不改")] = None
                                       ) -> CityExperienceReportPayload:
        row, errors = await attempt(info, lambda: experience.review(
            info.context, require_id(tenant_id), require_id(report_id), comment,
            good_practice))
        return CityExperienceReportPayload(
            report=CityExperienceReport.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="把本单位已生成的报表报送市委组织部（市委组织部只能看到报送的报表）")
    async def share_report_with_city(self, info: GInfo,
                                     job_id: Annotated[strawberry.ID, strawberry.argument(
                                         description="已完成的导出任务 id")],
                                     title: Annotated[str, strawberry.argument(
                                         description="标题")] = "",
                                     note: Annotated[str, strawberry.argument(
                                         description="说明")] = "") -> ReportSharePayload:
        row, errors = await attempt(info, lambda: report_shares.share(
            info.context, require_id(job_id), title, note))
        return ReportSharePayload(share=ReportShare.of(row) if row else None,
                                  user_errors=errors)

    @strawberry.mutation(description="撤回报送的报表")
    async def withdraw_report_share(self, info: GInfo,
                                    id: Annotated[strawberry.ID, strawberry.argument(
                                        description="报送记录 id")]
                                    ) -> WithdrawReportSharePayload:
        deleted, errors = await attempt(info, lambda: report_shares.withdraw(
            info.context, require_id(id)))
        return WithdrawReportSharePayload(
            deleted_id=strawberry.ID(str(deleted)) if deleted else None, user_errors=errors)

    @strawberry.mutation(description="生成横向比较报表（PDF / XLSX，后台任务；仅市委组织部）")
    async def start_city_report(self, info: GInfo,
                                input: Annotated[CityReportInput, strawberry.argument(
                                    description=INPUT_DOC)]) -> JobPayload:
        row, errors = await attempt(info, lambda: exports.start_export(
            info.context, input.domain()))
        return JobPayload(job=Job.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="设置最小统计人数（仅市委组织部；记入审计日志）")
    async def set_oversight_min_group_size(self, info: GInfo,
                                           value: Annotated[int, strawberry.argument(
                                               description="最小统计人数（正整数）")],
                                           reason: Annotated[str, strawberry.argument(
                                               description="修改理由（记入审计日志）")]
                                           ) -> OversightSettingsPayload:
        row, errors = await attempt(info, lambda: oversight.set_min_group_size(
            info.context, value, reason))
        return OversightSettingsPayload(settings=OversightSettings.of(row) if row else None,
                                        user_errors=errors)
