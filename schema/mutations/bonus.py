"""Mutations of bonus runs and report exports: both start a background job."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.bonus import runs as bonus
from resolvers.reports import ExportParams, exports
from rules.bonus.params import BonusRunParams
from schema.context import GraphQLContext
from schema.descriptions import INPUT_DOC, USER_ERRORS_DOC
from schema.errors import UserError, attempt
from schema.ids import parse_id, require_id
from schema.scalars import Cents
from schema.types.bonus import BonusBase, BonusRun, MissingResultPolicy
from schema.types.jobs import Job, ReportFormat, ReportKind
from vocab.jobs import BonusBase as BaseValue
from vocab.jobs import MissingResult
from vocab.jobs import ReportFormat as FormatValue

GInfo = Info[GraphQLContext, None]


@strawberry.input(description="系数表中的一项：键（部门考核结果，或等次如 good/excellent）与系数")
class CoefficientInput:
    key: str = strawberry.field(
        description="键：部门考核结果（档次），或等次的值（如 good、excellent）")
    coefficient: Decimal = strawberry.field(description="系数（非负）")


@strawberry.input(description="部门的分配基数（编制数等）")
class DepartmentBaseInput:
    unit_id: strawberry.ID = strawberry.field(description="部门 id")
    base: Decimal = strawberry.field(description="分配基数（如编制数）")


@strawberry.input(description="两级奖金分配的输入")
class StartBonusRunInput:
    period_id: strawberry.ID = strawberry.field(description="年度考核周期")
    pool_cents: Cents = strawberry.field(description="奖金池（分）")
    department_coefficients: list[CoefficientInput] = strawberry.field(
        description="部门考核结果 -> 部门系数，如 A 1.2、B 1.0")
    grade_coefficients: list[CoefficientInput] | None = strawberry.field(
        default=None,
        description="等次 -> 个人系数；不填用默认值（好 1.2 / 较好 1.0 / 一般 0.8 / 较差 0.5；"
                    "优秀 1.2 / 称职 1.0 / 基本称职 0.5 / 不称职、不定等次 0）")
    # The defaults shown in the schema are BonusRunParams' own (defined once, there).
    floor_cents: Cents = strawberry.field(default=Cents(BonusRunParams.floor_cents),
                                          description="个人保底（分）")
    cap_cents: Cents | None = strawberry.field(default=None, description="个人封顶（分）")
    base: BonusBase = strawberry.field(  # type: ignore[valid-type]
        default=BonusRunParams.base, description="部门分配基数的口径")
    department_bases: list[DepartmentBaseInput] = strawberry.field(
        description="各部门配置的基数（base 为 configured 时必填）",
        default_factory=list)
    missing_result: MissingResultPolicy = strawberry.field(  # type: ignore[valid-type]
        default=BonusRunParams.missing_result, description="无考核等次人员的处理")
    missing_grade: str | None = strawberry.field(
        default=None, description="按指定等次参与时采用的等次值；其他情况不传")
    unrated_department_level: str | None = strawberry.field(
        default=None, description="无考核结果的部门按哪个档次分配；不传则拒绝计算")
    note: str = strawberry.field(default=BonusRunParams.note, description="备注；可为空串")

    def domain(self) -> BonusRunParams:
        # Not given: the default coefficients, which BonusRunParams applies (nowhere else).
        grades = ({} if self.grade_coefficients is None else {"grade_coefficients": {
            c.key: c.coefficient for c in self.grade_coefficients}})
        return BonusRunParams(
            period_id=require_id(self.period_id), pool_cents=int(self.pool_cents),
            department_coefficients={c.key.strip(): c.coefficient
                                     for c in self.department_coefficients},
            **grades, floor_cents=int(self.floor_cents),
            cap_cents=int(self.cap_cents) if self.cap_cents is not None else None,
            base=BaseValue(self.base),
            department_bases={require_id(b.unit_id): b.base for b in self.department_bases},
            missing_result=MissingResult(self.missing_result), missing_grade=self.missing_grade,
            unrated_department_level=self.unrated_department_level, note=self.note)


@strawberry.input(description="导出报表：按报表类型填写所需的编号")
class StartExportInput:
    report: ReportKind = strawberry.field(description="报表种类")  # type: ignore[valid-type]
    period_id: strawberry.ID | None = strawberry.field(
        default=None, description="考核周期 id（按周期的报表必填）")
    unit_id: strawberry.ID | None = strawberry.field(
        default=None, description="单位季度考核结果：部门（含下级）；不填为全单位")
    run_id: strawberry.ID | None = strawberry.field(default=None, description="奖金分配表")
    person_id: strawberry.ID | None = strawberry.field(
        default=None, description="干部画像：人员 id")
    formats: list[ReportFormat] = strawberry.field(  # type: ignore[valid-type]
        description="生成哪些格式（默认 PDF 和 Excel）",
        default_factory=lambda: [FormatValue.pdf, FormatValue.xlsx])
    date_from: date | None = strawberry.field(
        default=None, description="审计日志：开始日期（北京时间，含当天）")
    date_to: date | None = strawberry.field(
        default=None, description="审计日志：结束日期（北京时间，含当天）")
    actor: str | None = strawberry.field(
        default=None, description="审计日志：操作人标识，如 account:<编号>")
    action: str | None = strawberry.field(
        default=None, description="审计日志：操作；以“.”结尾时按前缀筛选，如 login.")

    def domain(self) -> ExportParams:
        return ExportParams(report=self.report, period_id=parse_id(self.period_id),
                            unit_id=parse_id(self.unit_id), run_id=parse_id(self.run_id),
                            person_id=parse_id(self.person_id),
                            formats=tuple(dict.fromkeys(FormatValue(f) for f in self.formats)),
                            date_from=self.date_from, date_to=self.date_to, actor=self.actor,
                            action=self.action)


@strawberry.type(description="启动后台任务（奖金计算、报表导出）的结果")
class JobPayload:
    job: Job | None = strawberry.field(description="已排队的任务（用 job 查询进度）；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="确认奖金分配方案的结果")
class BonusRunPayload:
    bonus_run: BonusRun | None = strawberry.field(description="操作后的分配方案；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type
class BonusMutation:
    @strawberry.mutation(description="发起两级奖金分配计算（后台任务；重新计算替换草稿）")
    async def start_bonus_run(self, info: GInfo,
                              input: Annotated[StartBonusRunInput, strawberry.argument(
                                  description=INPUT_DOC)]) -> JobPayload:
        row, errors = await attempt(info, lambda: bonus.start_bonus_run(
            info.context, input.domain()))
        return JobPayload(job=Job.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="确认奖金分配：确认后冻结，记入审计日志")
    async def confirm_bonus_run(self, info: GInfo,
                                id: Annotated[strawberry.ID, strawberry.argument(
                                    description="奖金分配方案 id")],
                                reason: Annotated[str, strawberry.argument(
                                    description="说明（记入审计日志）")] = "") -> BonusRunPayload:
        row, errors = await attempt(info, lambda: bonus.confirm_bonus_run(
            info.context, require_id(id), reason))
        return BonusRunPayload(bonus_run=BonusRun.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="导出报表（后台生成 PDF / XLSX，完成后从任务的 files 下载）")
    async def start_export(self, info: GInfo,
                           input: Annotated[StartExportInput, strawberry.argument(
                               description=INPUT_DOC)]) -> JobPayload:
        row, errors = await attempt(info, lambda: exports.start_export(
            info.context, input.domain()))
        return JobPayload(job=Job.of(row) if row else None, user_errors=errors)
