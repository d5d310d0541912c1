"""GraphQL types of periods."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import Period as PeriodRow
from resolvers.appraisal.periods import label
from schema.enums import labelled_enum
from vocab.periods import PeriodKind as PeriodKindValue
from vocab.periods import PeriodState as PeriodStateValue

PeriodKind = labelled_enum(PeriodKindValue, "PeriodKind", "考核周期类型", {
    "quarter": "季度（平时考核）", "year": "年度（年度考核）"})
PeriodState = labelled_enum(PeriodStateValue, "PeriodState", "考核周期所处阶段")


@strawberry.type(description="阶段截止时间")
class Deadline:
    state: PeriodState  # type: ignore[valid-type]
    at: datetime


@strawberry.input
class DeadlineInput:
    state: PeriodState  # type: ignore[valid-type]
    at: datetime


@strawberry.type(description="考核周期：季度（平时考核）或年度")
class Period:
    id: strawberry.ID
    kind: PeriodKind  # type: ignore[valid-type]
    year: int
    quarter: int | None
    name: str
    state: PeriodState  # type: ignore[valid-type]
    state_label: str
    deadlines: list[Deadline]
    published_at: datetime | None

    @classmethod
    def of(cls, row: PeriodRow) -> Period:
        deadlines = [Deadline(state=s, at=datetime.fromisoformat(v))
                     for s, v in sorted((row.deadlines or {}).items())]
        return cls(id=strawberry.ID(str(row.id)), kind=row.kind, year=row.year,
                   quarter=row.quarter, name=row.name, state=row.state,
                   state_label=label(row.state), deadlines=deadlines,
                   published_at=row.published_at)
