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
from schema.descriptions import ID_DOC
from schema.ids import gid
from vocab.plans import IndicatorKind, RecordStatus

KIND_LABELS = {IndicatorKind.credit: "点赞加分", IndicatorKind.deduction: "错情减分",
               IndicatorKind.conduct_standard: "政治素质负面清单扣分"}


@strawberry.type(description="加分、减分或负面清单记录")
class PointRecord:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    kind: str = strawberry.field(
        description="credit 加分、deduction 减分或 conduct_standard 负面清单")
    kind_label: str = strawberry.field(description="类型的中文名")
    indicator_code: str = strawberry.field(description="指标编码")
    indicator_name: str = strawberry.field(description="指标名称")
    person_id: strawberry.ID | None = strawberry.field(
        description="记分的人员 id；记给部门时为 null")
    unit_id: strawberry.ID | None = strawberry.field(description="记分的部门 id；记给个人时为 null")
    subject: str = strawberry.field(description="记分对象（人员姓名或部门名称）")
    occurred_on: date = strawberry.field(description="事项发生日期（决定计入哪个考核周期）")
    points: Decimal = strawberry.field(description="分值（正数）")
    signed_points: Decimal = strawberry.field(description="对得分的影响（加分为正，减分为负）")
    reason: str = strawberry.field(description="事由")
    evidence: str = strawberry.field(description="依据或佐证材料的说明；没有为空串")
    status: str = strawberry.field(
        description="状态：claimed 待确认、confirmed 已确认（计入得分）、"
                    "rejected 未通过、withdrawn 已撤回")
    status_label: str = strawberry.field(description="状态的中文名")

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
    indicator_code: str = strawberry.field(description="指标编码")
    indicator_name: str = strawberry.field(description="指标名称")
    kind: str = strawberry.field(
        description="credit 加分、deduction 减分或 conduct_standard 负面清单")
    raw: Decimal = strawberry.field(description="原始合计（分）")
    counted: Decimal = strawberry.field(description="计入的合计（按本指标及类别上限截取）")
    cap: Decimal | None = strawberry.field(description="本指标上限；不限为 null")
    category_code: str | None = strawberry.field(
        default=None, description="所属类别编码；不属于类别为 null")
    category_name: str | None = strawberry.field(
        default=None, description="所属类别名称；不属于类别为 null")
    category_cap: Decimal | None = strawberry.field(
        default=None, description="所属类别的上限；不限或无类别为 null")
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
    kind: str = strawberry.field(
        description="credit 加分、deduction 减分或 conduct_standard 政治素质负面清单")
    code: str = strawberry.field(description="类别编码")
    name: str = strawberry.field(description="类别名称")
    cap: Decimal | None = strawberry.field(description="类别上限（分）；不限为 null")
    raw_total: Decimal = strawberry.field(description="原始合计（分）")
    counted_total: Decimal = strawberry.field(description="计入得分的合计（按上限截取）")
    indicators: list[PointTotal] = strawberry.field(description="类别内各指标的合计")

    @classmethod
    def of(cls, c: CategoryTotal) -> PointCategoryTotal:
        return cls(kind=c.kind, code=c.code, name=c.name, cap=c.cap, raw_total=c.raw,
                   counted_total=c.counted, indicators=[PointTotal.of(i, c)
                                                        for i in c.indicators])


@strawberry.type(description=(
    "某人的加减分汇总：原始合计（raw）与计入得分的合计（counted，按指标及类别上限截取）。"
    "指定考核周期时与该周期得分所计完全一致"))
class PersonPointSummary:
    period_id: strawberry.ID | None = strawberry.field(
        description="按哪个考核周期汇总；不按周期（全部记录）为 null")
    credit_raw_total: Decimal = strawberry.field(description="加分原始合计（分）")
    credit_counted_total: Decimal = strawberry.field(description="计入得分的加分（按上限截取）")
    deduction_raw_total: Decimal = strawberry.field(description="减分原始合计（分）")
    deduction_counted_total: Decimal = strawberry.field(description="计入得分的减分（按上限截取）")
    conduct_raw_total: Decimal = strawberry.field(description="政治素质负面清单扣分原始合计")
    conduct_counted_total: Decimal = strawberry.field(description="政治素质负面清单计入的扣分")
    categories: list[PointCategoryTotal] = strawberry.field(description="各加分、减分类别的合计")

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
    indicator_id: strawberry.ID = strawberry.field(description="加减分指标 id")
    occurred_on: date = strawberry.field(description="事项发生日期")
    reason: str = strawberry.field(description="事由（必填）")
    person_id: strawberry.ID | None = strawberry.field(
        default=None, description="记给的人员 id（与 unitId 二选一）")
    unit_id: strawberry.ID | None = strawberry.field(
        default=None, description="记给的部门 id（与 personId 二选一）")
    points: Decimal | None = strawberry.field(default=None, description="默认为指标的每项分值")
    evidence: str = strawberry.field(default="", description="依据或佐证材料的说明；可为空串")
    external_id: str | None = strawberry.field(
        default=None, description="外部系统中的编号（防重复推送）；可不传")
