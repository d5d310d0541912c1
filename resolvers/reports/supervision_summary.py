"""The supervision summary (督办通报): completion and problems per unit, and the overdue items
that stay open until rectified — what the office circulates to every cadre."""

from __future__ import annotations

import uuid
from datetime import date
from typing import NamedTuple

from sqlalchemy import select

from authz import Permission
from models import OrgUnit, Period
from reports import Column, Document, Table
from resolvers.appraisal.declarations import period_end
from resolvers.context import Context
from resolvers.errors import forbidden, not_found
from resolvers.execution import supervision
from resolvers.reports.registry import ExportParams, ReportKind, ReportSpec, register
from resolvers.reports.requester import requester_context


class UnitRow(NamedTuple):
    unit: str
    tasks: int
    done: int
    rate: float
    overdue: int
    problems: str


class ItemRow(NamedTuple):
    unit: str
    title: str
    due_on: date
    days: int
    state: str


UNIT_COLUMNS = (
    Column("部门", lambda r: r.unit, width=16),
    Column("任务数", lambda r: r.tasks, width=6, align="right"),
    Column("已完成", lambda r: r.done, width=6, align="right"),
    Column("完成率", lambda r: r.rate, text=lambda v: f"{v:.0%}" if isinstance(v, float) else "",
           width=7,
           align="right", number_format="0%"),
    Column("滞后事项", lambda r: r.overdue, width=7, align="right"),
    Column("存在问题", lambda r: r.problems, width=30),
)
ITEM_COLUMNS = (
    Column("部门", lambda r: r.unit, width=14),
    Column("滞后事项", lambda r: r.title, width=34),
    Column("时间节点", lambda r: r.due_on, width=10, align="center", number_format="yyyy-mm-dd"),
    Column("滞后天数", lambda r: r.days, width=7, align="right"),
    Column("状态", lambda r: r.state, width=10, align="center"),
)


def as_of(period: Period, today: date) -> date:
    return min(period_end(period), today)


async def authorize(ctx: Context, params: ExportParams) -> None:
    period_id = params.required(params.period_id, "考核周期", "periodId")
    if not ctx.authz.read_scope(Permission.supervision_read).everything:
        raise forbidden()
    if await ctx.session.get(Period, (ctx.me.tenant_id, period_id)) is None:
        raise not_found("考核周期")


async def load(job: Context, params: ExportParams) -> Document:
    ctx = await requester_context(job, params)
    assert params.period_id is not None
    period = await ctx.session.get(Period, (ctx.me.tenant_id, params.period_id))
    if period is None:
        raise not_found("考核周期")
    day = as_of(period, ctx.now().date())
    summaries = await supervision.summary(ctx, day, period.year)
    names: dict[uuid.UUID, str] = dict((await ctx.session.execute(
        select(OrgUnit.id, OrgUnit.name))).all())

    def unit_name(unit_id: object) -> str:
        return names.get(unit_id, "单位整体") if isinstance(unit_id, uuid.UUID) else "单位整体"

    units = [UnitRow(unit_name(s.unit_id), s.tasks, s.done, s.completion_rate, len(s.overdue),
                     "；".join(s.problems)) for s in summaries]
    items = [ItemRow(unit_name(s.unit_id), i.title, i.due_on, i.days_overdue,
                     "已完成（逾期）待整改" if i.done_late else "未完成")
             for s in summaries for i in s.overdue]
    return Document(
        title=f"{period.name}督办情况通报", subtitle=f"截至{day:%Y年%m月%d日}",
        template="", context={},
        tables=(Table("各部门任务完成情况", UNIT_COLUMNS, units),
                Table("滞后事项清单", ITEM_COLUMNS, items, empty_text="无滞后事项")),
        summary=(("统计截至", f"{day:%Y-%m-%d}"), ("任务数", str(sum(u.tasks for u in units))),
                 ("滞后事项", str(len(items)))))


SPEC = register(ReportSpec(ReportKind.supervision_summary, "督办情况通报", authorize, load))
