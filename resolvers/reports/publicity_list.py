"""The publicity list (实绩公示): who was rated 好 (优秀) and why, with their achievements."""

from __future__ import annotations

from typing import NamedTuple

from authz import Permission
from reports import Column, Document, Table
from resolvers.appraisal.periods import get_period
from resolvers.appraisal.publicity import publicity
from resolvers.appraisal.results import PUBLISHED
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail
from resolvers.reports.registry import ExportParams, ReportKind, ReportSpec, register
from resolvers.reports.requester import requester_context
from vocab.grades import GRADE_LABELS


class Row(NamedTuple):
    name: str
    unit: str
    grade: str
    achievements: str
    reasons: str


COLUMNS = (
    Column("姓名", lambda r: r.name, width=8),
    Column("部门", lambda r: r.unit, width=14),
    Column("等次", lambda r: r.grade, width=5, align="center"),
    Column("工作实绩", lambda r: r.achievements, width=40),
    Column("评定理由", lambda r: r.reasons, width=26),
)


async def authorize(ctx: Context, params: ExportParams) -> None:
    period_id = params.required(params.period_id, "考核周期", "periodId")
    ctx.require(Permission.publicity_read)
    period = await get_period(ctx, period_id)
    if period.state not in PUBLISHED:
        raise fail(ErrorCode.RULE_VIOLATION, f"{period.name}尚未进入实绩公示阶段")


async def load(job: Context, params: ExportParams) -> Document:
    ctx = await requester_context(job, params)
    assert params.period_id is not None
    period = await get_period(ctx, params.period_id)
    entries = await publicity(ctx, period.id)
    rows = [Row(e.name, e.unit_name, GRADE_LABELS.get(e.grade, e.grade),
                "\n".join(f"{i.position}. {i.title}：{i.content}" for i in e.achievements),
                "；".join(e.reasons)) for e in entries]
    return Document(
        title=f"{period.name}实绩公示", subtitle="谁评为好、为什么好", template="", context={},
        tables=(Table("公示名单", COLUMNS, rows, empty_text="本期无评为好的人员"),),
        summary=(("考核周期", period.name), ("公示人数", str(len(rows)))), landscape=True)


SPEC = register(ReportSpec(ReportKind.publicity_list, "实绩公示名单", authorize, load))
