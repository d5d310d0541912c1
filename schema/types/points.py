"""GraphQL types of commendations, error notices, conduct findings and credit claims."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from resolvers.execution.commendations import (
    BoardEntry,
    CategoryTotal,
    IndicatorTotal,
    PointSummary,
    sign,
)
from schema.ids import gid
from vocab.plans import IndicatorKind, RecordStatus

KIND_LABELS = {IndicatorKind.credit: "点赞加分", IndicatorKind.deduction: "错情减分",
               IndicatorKind.conduct_standard: "政治素质负面清单扣分"}


@strawberry.type(description="加分、减分或负面清单记录")
class PointRecord:
    id: strawberry.ID
    kind: str
    kind_label: str
    indicator_code: str
    indicator_name: str
    person_id: strawberry.ID | None
    unit_id: strawberry.ID | None
    subject: str
    occurred_on: date
    points: Decimal
    signed_points: Decimal
    reason: str
    evidence: str
    status: str
    status_label: str

    @classmethod
    def of(cls, entry: BoardEntry) -> PointRecord:
        r, n = entry.record, entry.node
        return cls(id=strawberry.ID(str(r.id)), kind=n.kind,
                   kind_label=KIND_LABELS.get(IndicatorKind(n.kind), n.kind),
                   indicator_code=n.code, indicator_name=n.name, person_id=gid(r.person_id),
                   unit_id=gid(r.unit_id), subject=entry.subject, occurred_on=r.occurred_on,
                   points=r.points, signed_points=sign(n) * r.points, reason=r.reason,
                   evidence=r.evidence, status=r.status,
                   status_label=RecordStatus(r.status).label)


@strawberry.type(description=(
    "一个指标的加减分：raw 为原始合计；counted 不超过本指标上限，也不超过所属类别计入得分的合计"
    "（类别内只有本指标时即为得分所计）；类别内有多个指标时，得分所计为 categoryCountedTotal"))
class PointTotal:
    indicator_code: str
    indicator_name: str
    kind: str
    raw: Decimal
    counted: Decimal
    cap: Decimal | None
    category_code: str | None = None
    category_name: str | None = None
    category_cap: Decimal | None = None
    category_raw_total: Decimal | None = strawberry.field(
        default=None, description="所属类别的原始合计")
    category_counted_total: Decimal | None = strawberry.field(
        default=None, description="所属类别计入得分的合计（已按类别上限截取）")

    @classmethod
    def of(cls, indicator: IndicatorTotal, category: CategoryTotal) -> PointTotal:
        n = indicator.node
        return cls(indicator_code=n.code, indicator_name=n.name, kind=n.kind,
                   raw=indicator.raw, counted=indicator.counted, cap=n.cap,
                   category_code=category.code, category_name=category.name,
                   category_cap=category.cap, category_raw_total=category.raw,
                   category_counted_total=category.counted)


@strawberry.type(description="一个加分或减分类别：原始合计与计入得分的合计（按上限截取，与得分一致）")
class PointCategoryTotal:
    kind: str
    code: str
    name: str
    cap: Decimal | None
    raw_total: Decimal
    counted_total: Decimal
    indicators: list[PointTotal]

    @classmethod
    def of(cls, c: CategoryTotal) -> PointCategoryTotal:
        return cls(kind=c.kind, code=c.code, name=c.name, cap=c.cap, raw_total=c.raw,
                   counted_total=c.counted, indicators=[PointTotal.of(i, c)
                                                        for i in c.indicators])


@strawberry.type(description=(
    "某人的加减分汇总：原始合计（raw）与计入得分的合计（counted，按指标及类别上限截取）。"
    "指定考核周期时与该周期得分所计完全一致"))
class PersonPointSummary:
    period_id: strawberry.ID | None
    credit_raw_total: Decimal
    credit_counted_total: Decimal
    deduction_raw_total: Decimal
    deduction_counted_total: Decimal
    conduct_raw_total: Decimal = strawberry.field(description="政治素质负面清单扣分原始合计")
    conduct_counted_total: Decimal = strawberry.field(description="政治素质负面清单计入的扣分")
    categories: list[PointCategoryTotal]

    @classmethod
    def of(cls, s: PointSummary) -> PersonPointSummary:
        return cls(period_id=gid(s.period.id) if s.period else None,
                   credit_raw_total=s.credits_raw, credit_counted_total=s.credits_counted,
                   deduction_raw_total=s.deductions_raw,
                   deduction_counted_total=s.deductions_counted,
                   conduct_raw_total=s.conduct_raw, conduct_counted_total=s.conduct_counted,
                   categories=[PointCategoryTotal.of(c) for c in s.categories])


@strawberry.input(description="记分记录")
class PointRecordInput:
    indicator_id: strawberry.ID
    occurred_on: date
    reason: str
    person_id: strawberry.ID | None = None
    unit_id: strawberry.ID | None = None
    points: Decimal | None = strawberry.field(default=None, description="默认为指标的每项分值")
    evidence: str = ""
    external_id: str | None = None
