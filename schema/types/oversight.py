"""GraphQL types of the city's oversight: comparison figures, experience reports, shared reports."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry.types import Info

from models import ExperienceComment as CommentRow
from models import ExperienceReport as ReportRow
from models import ReportShare as ShareRow
from resolvers.oversight import comparison as oversight
from resolvers.oversight import experience, report_shares
from resolvers.oversight.comparison import Figure, FigureValue, figure_definitions
from resolvers.reports import ReportKind, spec_of
from schema.context import GraphQLContext, loader_for
from schema.descriptions import ID_DOC, UPDATED_AT_DOC
from schema.enums import TenantKind as TenantKindEnum
from schema.enums import labelled_enum
from schema.types.periods import PeriodState
from vocab.org import TENANT_KIND_LABELS, TenantKind
from vocab.oversight import CYCLE_STAGE_LABELS, EXPERIENCE_KIND_LABELS
from vocab.oversight import CycleStage as CycleStageValue
from vocab.oversight import ExperienceKind as ExperienceKindValue
from vocab.oversight import UnitGroup as UnitGroupValue
from vocab.periods import PeriodState as PeriodStateValue

GInfo = Info[GraphQLContext, None]

ExperienceKind = labelled_enum(ExperienceKindValue, "ExperienceKind", "经验做法、问题建议")
CycleStage = labelled_enum(CycleStageValue, "CycleStage",
                           "环节：计划、执行、评价、反馈、结果运用")
UnitGroup = labelled_enum(UnitGroupValue, "UnitGroup",
                          "比较的单位类别：纪检监察机关、产业园区、县级机关单位、乡镇（街道）")


def _id(value: uuid.UUID) -> strawberry.ID:
    return strawberry.ID(str(value))


# --- comparison --------------------------------------------------------------------------------


@strawberry.type(description="横向比较指标的统一口径：每个指标只在一处定义")
class OversightFigureDefinition:
    code: str = strawberry.field(description="指标代码")
    name: str = strawberry.field(description="指标名称")
    category: str = strawberry.field(description="所属环节或类别")
    definition: str = strawberry.field(description="统计口径（中文）")
    unit: str = strawberry.field(description="计量单位（如 %、人、天、次/百人）")
    numerator: str = strawberry.field(description="分子的统计量代码")
    numerator_label: str = strawberry.field(description="分子的中文名")
    denominator: str | None = strawberry.field(description="分母的统计量代码；无：取分子值")
    denominator_label: str | None = strawberry.field(description="分母的中文名；无分母为 null")
    scale: Decimal = strawberry.field(description="乘数：百分比和每百人为100")
    places: int = strawberry.field(description="保留小数位数（四舍五入）")
    period_kinds: list[str] = strawberry.field(description="适用的期次：quarter、year")

    @classmethod
    def of(cls, f: Figure) -> OversightFigureDefinition:
        return cls(code=f.code, name=f.name, category=f.category, definition=f.definition,
                   unit=f.unit, numerator=f.numerator, numerator_label=f.numerator_label,
                   denominator=f.denominator, denominator_label=f.denominator_label,
                   scale=f.scale, places=f.places, period_kinds=sorted(f.period_kinds))


def definitions() -> list[OversightFigureDefinition]:
    return [OversightFigureDefinition.of(f) for f in figure_definitions()]


@strawberry.type(description="一个指标的数值；value 为空：样本不足已隐去（suppressed）、"
                             "不适用或无数据")
class OversightFigureValue:
    code: str = strawberry.field(description="指标代码（见 oversightFigureDefinitions）")
    value: Decimal | None = strawberry.field(description="数值；隐去、不适用或无数据时为 null")
    suppressed: bool = strawberry.field(description="样本不足，已隐去")
    numerator: Decimal | None = strawberry.field(description="分子；隐去或无数据为 null")
    denominator: Decimal | None = strawberry.field(description="分母；隐去、无分母或无数据为 null")

    @classmethod
    def of(cls, v: FigureValue) -> OversightFigureValue:
        return cls(code=v.code, value=v.value, suppressed=v.suppressed, numerator=v.numerator,
                   denominator=v.denominator)


@strawberry.type(description="考核期次（各单位按年度、季度对齐）")
class OversightPeriod:
    key: str = strawberry.field(description="期次代码，如 2025Q1（季度）或 2025（年度）")
    year: int = strawberry.field(description="年度")
    quarter: int | None = strawberry.field(description="季度；年度为 null")
    label: str = strawberry.field(description="期次的中文名")

    @classmethod
    def of(cls, p: oversight.PeriodRef) -> OversightPeriod:
        return cls(key=p.key, year=p.year, quarter=p.quarter, label=p.label)


@strawberry.type(description="参与比较的单位（只有单位信息，不含人员）")
class OversightUnit:
    id: strawberry.ID = strawberry.field(description="单位 id")
    code: str = strawberry.field(description="单位代码")
    name: str = strawberry.field(description="单位名称")
    kind: TenantKindEnum = strawberry.field(description="单位类型")  # type: ignore[valid-type]
    kind_label: str = strawberry.field(description="单位类型的中文名")
    group: UnitGroup | None = strawberry.field(  # type: ignore[valid-type]
        description="比较的单位类别；未归类为 null")
    group_label: str | None = strawberry.field(description="单位类别的中文名；未归类为 null")

    @classmethod
    def of(cls, u: oversight.Unit) -> OversightUnit:
        return cls(id=_id(u.id), code=u.code, name=u.name, kind=u.kind,
                   kind_label=TENANT_KIND_LABELS[TenantKind(u.kind)],
                   group=u.group, group_label=u.group.label if u.group else None)


@strawberry.type(description="一个单位（或一类单位的合计）在一个期次的各项指标")
class OversightRow:
    period: OversightPeriod = strawberry.field(description="期次")
    unit: OversightUnit | None = strawberry.field(description="单位；类别合计行为 null")
    group: UnitGroup | None = strawberry.field(  # type: ignore[valid-type]
        description="单位类别；单位未归类时为 null")
    group_label: str | None = strawberry.field(description="单位类别的中文名；未归类为 null")
    suppressed: bool = strawberry.field(description="人数少于最小统计人数，各项指标已隐去")
    unit_count: int = strawberry.field(description="计入的单位数（类别合计行）")
    figures: list[OversightFigureValue] = strawberry.field(description="各项指标的数值")
    period_state: PeriodState | None = strawberry.field(  # type: ignore[valid-type]
        description="单位行：该单位此期次考核周期所处阶段；单位没有此周期或类别合计行为 null")
    period_state_label: str | None = strawberry.field(
        description="考核周期所处阶段的中文名；没有时为 null")
    period_open: bool = strawberry.field(
        description="考核周期尚未关闭（数据仍可能变化）：单位行为该单位，类别合计行为其中任一单位")
    open_unit_count: int = strawberry.field(description="其中考核周期尚未关闭的单位数")

    @strawberry.field(description="按代码取一个指标")
    def figure(self,
               code: Annotated[str, strawberry.argument(
                   description="指标代码（见 oversightFigureDefinitions）"
                               "")]) -> OversightFigureValue | None:
        return next((f for f in self.figures if f.code == code), None)

    @classmethod
    def of(cls, row: oversight.Row) -> OversightRow:
        return cls(period=OversightPeriod.of(row.period),
                   unit=OversightUnit.of(row.unit) if row.unit else None, group=row.group,
                   group_label=row.group.label if row.group else None,
                   suppressed=row.suppressed, unit_count=row.units,
                   figures=[OversightFigureValue.of(f) for f in row.figures],
                   period_state=PeriodStateValue(row.state) if row.state else None,
                   period_state_label=PeriodStateValue(row.state).label if row.state else None,
                   period_open=row.open, open_unit_count=row.open_units)


@strawberry.type(description="横向比较：按单位、按单位类别")
class OversightComparison:
    min_group_size: int = strawberry.field(
        description="最小统计人数：人数少于此数的单位各项指标隐去")
    periods: list[OversightPeriod] = strawberry.field(description="比较的期次")
    units: list[OversightUnit] = strawberry.field(description="参与比较的单位")
    rows: list[OversightRow] = strawberry.field(description="按单位")
    groups: list[OversightRow] = strawberry.field(description="按单位类别（合计）")

    @classmethod
    def of(cls, c: oversight.Comparison) -> OversightComparison:
        return cls(min_group_size=c.min_group_size,
                   periods=[OversightPeriod.of(p) for p in c.periods],
                   units=[OversightUnit.of(u) for u in c.units],
                   rows=[OversightRow.of(r) for r in c.unit_rows],
                   groups=[OversightRow.of(r) for r in c.group_rows])


@strawberry.type(description="平台设置：最小统计人数")
class OversightSettings:
    min_group_size: int = strawberry.field(
        description="最小统计人数：人数少于此数的单位各项指标隐去")
    updated_at: datetime | None = strawberry.field(description=UPDATED_AT_DOC)

    @classmethod
    def of(cls, s: oversight.OversightSettings) -> OversightSettings:
        return cls(min_group_size=s.min_group_size, updated_at=s.updated_at)


# --- experience reports ------------------------------------------------------------------------


@strawberry.type(description="市委组织部的答复")
class ExperienceComment:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    body: str = strawberry.field(description="答复内容")
    author_name: str = strawberry.field(description="答复人姓名")
    created_at: datetime = strawberry.field(description="答复时间")

    @classmethod
    def of(cls, row: CommentRow | experience.CityComment) -> ExperienceComment:
        return cls(id=_id(row.id), body=row.body, author_name=row.author_name,
                   created_at=row.created_at)


def _kind_label(kind: str) -> str:
    return EXPERIENCE_KIND_LABELS[ExperienceKindValue(kind)]


def _stage_label(stage: str) -> str:
    return CYCLE_STAGE_LABELS[CycleStageValue(stage)]


@strawberry.type(description="本单位报送的经验做法或问题建议，及市委组织部的答复")
class ExperienceReport:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    kind: ExperienceKind = strawberry.field(  # type: ignore[valid-type]
        description="经验做法或问题建议")
    kind_label: str = strawberry.field(description="类型的中文名")
    stage: CycleStage = strawberry.field(description="涉及的环节")  # type: ignore[valid-type]
    stage_label: str = strawberry.field(description="环节的中文名")
    title: str = strawberry.field(description="标题")
    body: str = strawberry.field(description="正文")
    good_practice: bool = strawberry.field(description="被市委组织部标记为典型经验")
    created_at: datetime = strawberry.field(description="报送时间")
    reviewed_at: datetime | None = strawberry.field(description="市委组织部阅处时间；未阅处为 null")

    @strawberry.field(description="市委组织部的答复")
    async def comments(self, info: GInfo) -> list[ExperienceComment]:
        rows = await loader_for(info.context, experience.comments_by_report).load(
            uuid.UUID(self.id))
        return [ExperienceComment.of(r) for r in rows]

    @classmethod
    def of(cls, row: ReportRow) -> ExperienceReport:
        return cls(id=_id(row.id), kind=row.kind, kind_label=_kind_label(row.kind),
                   stage=row.stage, stage_label=_stage_label(row.stage), title=row.title,
                   body=row.body, good_practice=row.good_practice, created_at=row.created_at,
                   reviewed_at=row.reviewed_at)


@strawberry.type(description="各单位报送的经验做法和问题建议（市委组织部）")
class CityExperienceReport:
    tenant_id: strawberry.ID = strawberry.field(description="报送单位的 id")
    tenant_code: str = strawberry.field(description="报送单位的代码")
    tenant_name: str = strawberry.field(description="报送单位的名称")
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    kind: ExperienceKind = strawberry.field(  # type: ignore[valid-type]
        description="经验做法或问题建议")
    kind_label: str = strawberry.field(description="类型的中文名")
    stage: CycleStage = strawberry.field(description="涉及的环节")  # type: ignore[valid-type]
    stage_label: str = strawberry.field(description="环节的中文名")
    title: str = strawberry.field(description="标题")
    body: str = strawberry.field(description="正文")
    good_practice: bool = strawberry.field(description="已标记为典型经验")
    created_at: datetime = strawberry.field(description="报送时间")
    reviewed_at: datetime | None = strawberry.field(description="市委组织部阅处时间；未阅处为 null")
    comments: list[ExperienceComment] = strawberry.field(description="市委组织部的答复")

    @classmethod
    def of(cls, r: experience.CityExperience) -> CityExperienceReport:
        return cls(tenant_id=_id(r.tenant_id), tenant_code=r.tenant_code,
                   tenant_name=r.tenant_name, id=_id(r.id), kind=r.kind,
                   kind_label=_kind_label(r.kind), stage=r.stage,
                   stage_label=_stage_label(r.stage), title=r.title, body=r.body,
                   good_practice=r.good_practice, created_at=r.created_at,
                   reviewed_at=r.reviewed_at,
                   comments=[ExperienceComment.of(c) for c in r.comments])


# --- reports shared with the city -------------------------------------------------------------


def _report_label(kind: str) -> str:
    try:
        return spec_of(ReportKind(kind)).label
    except (ValueError, KeyError):
        return kind


@strawberry.type(description="本单位报送市委组织部的报表")
class ReportShare:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    job_id: strawberry.ID = strawberry.field(description="生成报表的导出任务 id")
    title: str = strawberry.field(description="标题")
    note: str = strawberry.field(description="说明；没有为空串")
    created_at: datetime = strawberry.field(description="报送时间")

    @classmethod
    def of(cls, row: ShareRow) -> ReportShare:
        return cls(id=_id(row.id), job_id=_id(row.job_id), title=row.title, note=row.note,
                   created_at=row.created_at)


@strawberry.type(description="报送的报表文件；下载：GET url（携带同样的 Bearer 令牌）")
class SharedReportFile:
    format: str = strawberry.field(description="文件格式（pdf、xlsx）")
    filename: str = strawberry.field(description="文件名")
    size: int = strawberry.field(description="文件大小（字节）")
    pages: int | None = strawberry.field(description="PDF 的页数；其他格式为 null")
    url: str = strawberry.field(description="下载地址（GET，携带同样的 Bearer 令牌）")


@strawberry.type(description="各单位报送市委组织部的报表（市委组织部）")
class SharedReport:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    tenant_id: strawberry.ID = strawberry.field(description="报送单位的 id")
    tenant_code: str = strawberry.field(description="报送单位的代码")
    tenant_name: str = strawberry.field(description="报送单位的名称")
    title: str = strawberry.field(description="标题")
    note: str = strawberry.field(description="说明；没有为空串")
    report: str = strawberry.field(description="报表种类（ReportKind 的值）")
    report_label: str = strawberry.field(description="报表种类的中文名")
    shared_at: datetime = strawberry.field(description="报送时间")
    files: list[SharedReportFile] = strawberry.field(description="报表文件")

    @classmethod
    def of(cls, r: report_shares.SharedReport) -> SharedReport:
        return cls(id=_id(r.id), tenant_id=_id(r.tenant_id), tenant_code=r.tenant_code,
                   tenant_name=r.tenant_name, title=r.title, note=r.note, report=r.report,
                   report_label=_report_label(r.report), shared_at=r.shared_at,
                   files=[SharedReportFile(
                       format=f.format, filename=f.filename, size=f.size, pages=f.pages,
                       url=f"/shared-reports/{r.tenant_id}/{r.id}?format={f.format}")
                       for f in r.files])
