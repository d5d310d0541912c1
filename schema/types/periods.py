"""GraphQL types of periods."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import Period as PeriodRow
from resolvers.appraisal.periods import label
from schema.descriptions import ID_DOC
from schema.enums import labelled_enum
from schema.types.ratings import Grade
from vocab.grades import AnnualGrade, QuarterlyGrade
from vocab.periods import PeriodKind as PeriodKindValue
from vocab.periods import PeriodState as PeriodStateValue

PeriodKind = labelled_enum(PeriodKindValue, "PeriodKind", "考核周期类型", {
    "quarter": "季度（平时考核）", "year": "年度（年度考核）"})
PeriodState = labelled_enum(PeriodStateValue, "PeriodState", "考核周期所处阶段")


@strawberry.type(description="阶段截止时间")
class Deadline:
    state: PeriodState = strawberry.field(description="阶段")  # type: ignore[valid-type]
    at: datetime = strawberry.field(description="该阶段的截止时间（带时区）")


@strawberry.input(description="一个阶段的截止时间")
class DeadlineInput:
    state: PeriodState = strawberry.field(description="阶段")  # type: ignore[valid-type]
    at: datetime = strawberry.field(description="截止时间（ISO 8601，带时区）")


@strawberry.type(description="考核周期的一个阶段（按先后顺序），用于显示阶段进度")
class PeriodStage:
    state: PeriodState = strawberry.field(description="阶段")  # type: ignore[valid-type]
    label: str = strawberry.field(description="阶段的中文名")
    deadline: datetime | None = strawberry.field(description="该阶段的截止时间；未设置为 null")


@strawberry.type(description="一个可评定的等次及其中文名")
class GradeOption:
    grade: Grade = strawberry.field(description="等次")  # type: ignore[valid-type]
    label: str = strawberry.field(description="等次的中文名")


@strawberry.type(description="考核周期：季度（平时考核）或年度")
class Period:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    kind: PeriodKind = strawberry.field(  # type: ignore[valid-type]
        description="季度（平时考核）或年度（年度考核）")
    year: int = strawberry.field(description="年度，如 2025")
    quarter: int | None = strawberry.field(description="季度 1–4；年度周期为 null")
    name: str = strawberry.field(description="周期名称，如“2025年第一季度”")
    state: PeriodState = strawberry.field(  # type: ignore[valid-type]
        description="当前阶段（计划→执行→申报→评价→研判→公示→反馈→关闭）")
    state_label: str = strawberry.field(description="当前阶段的中文名")
    deadlines: list[Deadline] = strawberry.field(
        description="各阶段的截止时间（未设置的阶段不列出）")
    published_at: datetime | None = strawberry.field(
        description="结果公布时间；尚未公布为 null（公布前干部看不到本人结果）")
    stages: list[PeriodStage] = strawberry.field(
        description="全部阶段（计划→…→关闭，按先后顺序）及各自的截止时间")
    grades: list[GradeOption] = strawberry.field(
        description="本周期可评定的等次（季度：好、较好、一般、较差；年度：优秀、称职、基本称职、"
                    "不称职、不定等次），从好到差")

    @classmethod
    def of(cls, row: PeriodRow) -> Period:
        deadlines = [Deadline(state=s, at=datetime.fromisoformat(v))
                     for s, v in sorted((row.deadlines or {}).items())]
        by_state = {d.state: d.at for d in deadlines}
        return cls(id=strawberry.ID(str(row.id)), kind=row.kind, year=row.year,
                   quarter=row.quarter, name=row.name, state=row.state,
                   state_label=label(row.state), deadlines=deadlines,
                   published_at=row.published_at,
                   stages=[PeriodStage(state=s.value, label=s.label,
                                       deadline=by_state.get(s.value))
                           for s in PeriodStateValue],
                   grades=[GradeOption(grade=g.value, label=g.label) for g in (
                       QuarterlyGrade if row.kind == PeriodKindValue.quarter else AnnualGrade)])
