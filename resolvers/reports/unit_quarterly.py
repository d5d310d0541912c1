"""The results of a unit for a period: the grade distribution (a bar chart), the ranked table
and the departments' results (组织绩效, 考事; issue 12).

Read from ``PersonResult`` of the period, for the people whose result was computed in the unit or
one of its sub-units (the whole tenant when no unit is given). Everyone's score and grade is in
it, so it is for the admin and for leaders who manage the whole unit (``unit_report:export``).
"""

from __future__ import annotations

import uuid
from collections import Counter
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select

from authz import Permission
from authz.loading import load_org_tree
from models import OrgUnit, Period, Person, PersonResult, Tenant, UnitResult
from reports import Column, Document, Table
from reports.charts import bar_chart
from resolvers.context import Context
from resolvers.errors import forbidden, not_found
from resolvers.org.identity import subject_names
from resolvers.reports.registry import ExportParams, ReportKind, ReportSpec, register
from vocab.grades import GRADE_LABELS, AnnualGrade, QuarterlyGrade, ResultStatus
from vocab.org import ComparisonGroup
from vocab.periods import PeriodKind

UNGRADED = "未定等次"


class ResultRow(NamedTuple):
    rank: int | None
    group_rank: int | None
    employee_no: str
    name: str
    unit: str
    group: str
    score: Decimal | None
    grade: str | None
    status: str = ResultStatus.appraised.value


def _grade(row: ResultRow) -> str:
    """The grade, else why there is none: 未评价 / 由上级考核 (no score is printed for them)."""
    if row.status != ResultStatus.appraised:
        return ResultStatus(row.status).label
    return GRADE_LABELS.get(row.grade, row.grade) if row.grade else UNGRADED


def _score(value: object) -> str:
    return "" if value is None else f"{value:.2f}" if isinstance(value, Decimal) else str(value)


COLUMNS = (
    Column("排名", lambda r: r.rank, width=5, align="center"),
    Column("组内排名", lambda r: r.group_rank, width=6, align="center"),
    Column("工号", lambda r: r.employee_no, width=9),
    Column("姓名", lambda r: r.name, width=9),
    Column("部门", lambda r: r.unit, width=16),
    Column("类别", lambda r: ComparisonGroup(r.group).label, width=5, align="center"),
    Column("得分", lambda r: r.score, text=_score, width=7, align="right",
           number_format="0.00"),
    Column("等次", _grade, width=7, align="center"),
)


class DepartmentRow(NamedTuple):
    unit: str
    score: Decimal | None
    level: str
    computed: str
    adjustment: str


DEPARTMENT_COLUMNS = (
    Column("部门", lambda r: r.unit, width=16),
    Column("得分", lambda r: r.score, text=_score, width=7, align="right",
           number_format="0.00"),
    Column("档次", lambda r: r.level, width=6, align="center"),
    Column("计算结果", lambda r: r.computed, width=12),
    Column("调整及理由", lambda r: r.adjustment, width=30),
)


async def _department_rows(ctx: Context, period_id: uuid.UUID,
                           units: frozenset[uuid.UUID] | None, unit_names: dict[uuid.UUID, str],
                           order: dict[uuid.UUID, int]) -> list[DepartmentRow]:
    stmt = select(UnitResult).where(UnitResult.period_id == period_id)
    if units is not None:
        stmt = stmt.where(UnitResult.unit_id.in_(units))
    rows = sorted((await ctx.session.scalars(stmt)).all(),
                  key=lambda r: order.get(r.unit_id, 0))
    who = await subject_names(ctx, [r.adjusted_by for r in rows if r.adjusted_by])
    return [DepartmentRow(
        unit_names.get(r.unit_id, ""), r.score, r.level,
        "" if r.computed_score is None else f"{r.computed_score:.2f} 分，{r.computed_level}",
        f"由{who.get(r.adjusted_by or '', '')}调整：{r.adjust_reason}" if r.adjusted_at else "")
        for r in rows]


async def authorize(ctx: Context, params: ExportParams) -> None:
    period_id = params.required(params.period_id, "考核周期", "periodId")
    scope = ctx.authz.read_scope(Permission.unit_report_export)
    managed = scope.managed
    if params.unit_id is not None:
        if await ctx.session.get(OrgUnit, (ctx.me.tenant_id, params.unit_id)) is None:
            raise not_found("部门")
        allowed = scope.everything or (managed is not None and managed.covers_unit(
            params.unit_id))
    else:
        allowed = scope.everything or (managed is not None and managed.whole_tenant)
    if not allowed:
        raise forbidden()
    if await ctx.session.get(Period, (ctx.me.tenant_id, period_id)) is None:
        raise not_found("考核周期")


async def load(ctx: Context, params: ExportParams) -> Document:
    session = ctx.session
    assert params.period_id is not None
    period = (await session.scalars(select(Period).where(Period.id == params.period_id))).one()
    tenant = (await session.scalars(select(Tenant.name))).one()
    stmt = (select(PersonResult.rank, PersonResult.group_rank, PersonResult.person_id,
                   PersonResult.unit_id, PersonResult.comparison_group, PersonResult.score,
                   PersonResult.grade, PersonResult.status)
            .where(PersonResult.period_id == period.id)
            .order_by(PersonResult.rank.asc().nulls_last(), PersonResult.id))
    unit_name = ""
    tree = await load_org_tree(session)
    units: frozenset[uuid.UUID] | None = None
    if params.unit_id is not None:
        unit = (await session.scalars(select(OrgUnit).where(OrgUnit.id == params.unit_id))).one()
        units = frozenset(tree.subtree(unit.id))
        stmt = stmt.where(PersonResult.unit_id.in_(units))
        unit_name = "" if unit.parent_id is None else unit.name
    results = (await session.execute(stmt)).all()
    # Names by plain scans, joined here: linear whatever the planner's statistics.
    people = {pid: (no, name) for pid, no, name in (await session.execute(
        select(Person.id, Person.employee_no, Person.name))).all()}
    unit_names: dict[uuid.UUID, str] = {u: n for u, n in (await session.execute(
        select(OrgUnit.id, OrgUnit.name))).all()}
    rows = [ResultRow(rank, group_rank, *people.get(pid, ("", "")), unit_names.get(uid, ""),
                      group, score, grade, status)
            for rank, group_rank, pid, uid, group, score, grade, status in results]
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.employee_no))
    departments = await _department_rows(ctx, period.id, units, unit_names, {
        u: tree.position(u) or 0 for u in unit_names})
    grades = [g.value for g in (QuarterlyGrade if period.kind == PeriodKind.quarter
                                else AnnualGrade)]
    # Those appraised by the level above are listed but outside the unit's distribution.
    counted = [r for r in rows if r.status != ResultStatus.by_higher_level]
    counts = Counter(r.grade if r.status == ResultStatus.appraised else r.status
                     for r in counted)
    bars = [(GRADE_LABELS[g], counts.get(g, 0)) for g in grades]
    ungraded = sum(n for g, n in counts.items()
                   if g not in grades and g != ResultStatus.unrated)
    if ungraded:
        bars.append((UNGRADED, ungraded))
    if counts.get(ResultStatus.unrated):
        bars.append((ResultStatus.unrated.label, counts[ResultStatus.unrated]))
    total = len(counted)
    distribution = [(label, n, f"{100 * n / total:.1f}%" if total else "—") for label, n in bars]
    scope = f"{tenant}{unit_name}"
    title = f"{scope}{period.name}考核结果"
    return Document(
        title=title,
        subtitle="平时考核" if period.kind == PeriodKind.quarter else "年度考核",
        template="unit_quarterly.html",
        context={"distribution": distribution, "chart": bar_chart(bars), "total": total},
        tables=(Table("考核结果排名", COLUMNS, rows),
                Table("部门考核结果", DEPARTMENT_COLUMNS, departments)),
        summary=(("单位", scope), ("考核周期", period.name), ("参加考核人数", str(total))),
    )


SPEC = register(ReportSpec(ReportKind.unit_quarterly, "单位季度考核结果", authorize, load,
                           cacheable=True))
