"""The bonus distribution table of a run: level 1 (departments) and level 2 (people).

It lists everybody's money, so it follows ``bonus_run:read`` (the admin, the principal leader).
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select

from authz import Permission
from models import BonusDepartment, BonusLine, BonusRun
from reports import Column, Document, Table
from resolvers.bonus.runs import EXPLANATION_COLUMNS, find_run, line_explanation
from resolvers.context import Context
from resolvers.errors import forbidden, not_found
from resolvers.reports.registry import ExportParams, ReportKind, ReportSpec, register
from rules.bonus import format_yuan
from rules.bonus.params import BonusRunParams
from vocab.grades import GRADE_LABELS
from vocab.jobs import (
    BONUS_BASE_LABELS,
    BONUS_RUN_STATUS_LABELS,
    BonusBase,
    BonusRunStatus,
    MissingResult,
)


def yuan(cents: int) -> Decimal:
    return Decimal(cents) / 100


def _money(value: object) -> str:
    return format_yuan(int(value * 100)) if isinstance(value, Decimal) else ""


def _coefficient(value: object) -> str:
    return f"{value.normalize():f}" if isinstance(value, Decimal) else ""


class PersonRow(NamedTuple):
    department: str
    employee_no: str
    name: str
    grade: str | None
    coefficient: Decimal | None
    cents: int
    explanation: str


DEPARTMENT_COLUMNS = (
    Column("部门", lambda d: d.name, width=14),
    Column("部门结果", lambda d: d.result, width=6, align="center"),
    Column("部门系数", lambda d: d.coefficient, text=_coefficient, width=6, align="right"),
    Column("分配基数", lambda d: d.base, text=_coefficient, width=6, align="right"),
    Column("人数", lambda d: d.people_count, width=5, align="right"),
    Column("部门金额（元）", lambda d: yuan(d.cents), text=_money, width=10, align="right",
           number_format="#,##0.00"),
    Column("计算说明", lambda d: d.explanation, width=46),
)

PERSON_COLUMNS = (
    Column("部门", lambda r: r.department, width=12),
    Column("工号", lambda r: r.employee_no, width=8),
    Column("姓名", lambda r: r.name, width=8),
    Column("等次", lambda r: GRADE_LABELS.get(r.grade, r.grade) if r.grade else "无",
           width=6, align="center"),
    Column("系数", lambda r: r.coefficient, text=_coefficient, width=5, align="right"),
    Column("金额（元）", lambda r: yuan(r.cents), text=_money, width=9, align="right",
           number_format="#,##0.00"),
    Column("计算说明", lambda r: r.explanation, width=52),
)


async def authorize(ctx: Context, params: ExportParams) -> None:
    run_id = params.required(params.run_id, "奖金分配", "runId")
    if not ctx.can(Permission.bonus_run_read):
        raise forbidden()
    if await find_run(ctx, run_id) is None:
        raise not_found("奖金分配")


def _pairs(table: dict[str, str], labels: dict[str, str] | None = None) -> str:
    return "；".join(f"{(labels or {}).get(k, k)} {v}" for k, v in table.items())


async def load(ctx: Context, params: ExportParams) -> Document:
    session = ctx.session
    run = (await session.scalars(select(BonusRun).where(BonusRun.id == params.run_id))).one()
    inputs = BonusRunParams.from_json(run.inputs)
    departments = (await session.scalars(select(BonusDepartment).where(
        BonusDepartment.run_id == run.id).order_by(BonusDepartment.sort_order))).all()
    order = {d.unit_id: (d.sort_order, d.name) for d in departments}
    by_unit = {d.unit_id: d for d in departments}
    lines = list(await session.execute(
        select(BonusLine.employee_no, BonusLine.name, *EXPLANATION_COLUMNS)
        .where(BonusLine.run_id == run.id)))
    last = (1 << 30, "—")
    lines.sort(key=lambda r: (order.get(r.unit_id, last) if r.unit_id else last, r.employee_no))
    people = [PersonRow(order.get(r.unit_id, last)[1] if r.unit_id else "—", r.employee_no,
                        r.name, r.grade, r.coefficient, r.cents,
                        line_explanation(r, by_unit.get(r.unit_id) if r.unit_id else None))
              for r in lines]
    status = BONUS_RUN_STATUS_LABELS[BonusRunStatus(run.status)]
    period = str(run.inputs.get("period_name", ""))
    cap = "不封顶" if inputs.cap_cents is None else f"{format_yuan(inputs.cap_cents)} 元"
    assumed = GRADE_LABELS.get(inputs.missing_grade or "", inputs.missing_grade)
    missing = ("不参与分配" if inputs.missing_result == MissingResult.exclude
               else f"按「{assumed}」参与分配")
    return Document(
        title=f"{period}奖金分配表（{status}）",
        subtitle="两级差异化分配：部门间 + 部门内",
        template="bonus_distribution.html",
        context={
            "base_label": BONUS_BASE_LABELS[BonusBase(inputs.base)],
            "department_coefficients": _pairs({k: _coefficient(v) for k, v in
                                               inputs.department_coefficients.items()}),
            "grade_coefficients": _pairs({k: _coefficient(v) for k, v in
                                          inputs.grade_coefficients.items()}, GRADE_LABELS),
            "floor_cap": f"保底 {format_yuan(inputs.floor_cents)} 元；{cap}",
            "missing": missing, "note": inputs.note},
        tables=(Table("第一级：部门间分配", DEPARTMENT_COLUMNS, departments),
                Table("第二级：部门内个人分配", PERSON_COLUMNS, people)),
        summary=(("奖金池", f"{format_yuan(run.pool_cents)} 元"), ("状态", status),
                 ("部门数", str(run.department_count)), ("人数", str(run.people_count)),
                 ("未参与分配", str(run.excluded_count))),
        landscape=True,
    )


SPEC = register(ReportSpec(ReportKind.bonus_distribution, "奖金分配表", authorize, load))
