"""The audit log export (审计日志): the records a filter selects, as an XLSX sheet for the audit
administrator (GB/T 22239-2019: audit records are kept and can be analysed outside the system)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, NamedTuple

from authz import Permission
from models import AuditEntry
from reports import Column, Document, Table
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail
from resolvers.org.identity import subject_names
from resolvers.reports.registry import ExportParams, ReportKind, ReportSpec, register
from resolvers.reports.requester import requester_context
from vocab.audit import action_label, entity_label
from vocab.jobs import ReportFormat

# One export holds at most this many records (the newest); a longer range is split by dates.
MAX_EXPORT_ROWS = 100_000
CELL_LIMIT = 32_000  # Excel keeps at most 32,767 characters in a cell


class AuditRow(NamedTuple):
    at: datetime
    actor_name: str
    actor: str
    action: str
    entity: str
    entity_id: str
    before: str
    after: str
    reason: str


def _json(value: Any) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)[:CELL_LIMIT]


COLUMNS = (
    Column("时间", lambda r: r.at, width=17, number_format="yyyy-mm-dd hh:mm:ss"),
    Column("操作人", lambda r: r.actor_name, width=14),
    Column("操作人标识", lambda r: r.actor, width=24),
    Column("操作", lambda r: action_label(r.action), width=18),
    Column("操作代码", lambda r: r.action, width=18),  # stable, for analysis outside the system
    Column("对象", lambda r: entity_label(r.entity), width=12),
    Column("对象编号", lambda r: r.entity_id, width=24),
    Column("变更前", lambda r: r.before, width=40),
    Column("变更后", lambda r: r.after, width=40),
    Column("原因", lambda r: r.reason, width=20),
)


def _filter(params: ExportParams) -> audit.AuditFilter:
    return audit.AuditFilter(date_from=params.date_from, date_to=params.date_to,
                             actor=params.actor, action=params.action)


async def authorize(ctx: Context, params: ExportParams) -> None:
    ctx.require(Permission.audit_export)
    _filter(params).check()
    if ReportFormat.pdf in params.formats:
        raise fail(ErrorCode.INVALID, "审计日志只能导出为XLSX文件", "formats")


def _row(entry: AuditEntry, names: dict[str, str]) -> AuditRow:
    at = entry.at.astimezone(audit.LOCAL_TIME).replace(tzinfo=None)  # XLSX has no time zones
    return AuditRow(at, names.get(entry.actor, ""), entry.actor, entry.action, entry.entity,
                    entry.entity_id, _json(entry.before), _json(entry.after), entry.reason)


async def load(job: Context, params: ExportParams) -> Document:
    ctx = await requester_context(job, params)
    ctx.require(Permission.audit_export)
    entries = (await ctx.session.scalars(
        audit.filtered(_filter(params)).limit(MAX_EXPORT_ROWS + 1))).all()
    truncated = len(entries) > MAX_EXPORT_ROWS
    entries = entries[:MAX_EXPORT_ROWS]
    names = await subject_names(ctx, sorted({e.actor for e in entries}))
    rows = [_row(e, names) for e in entries]
    span = "至".join(d.isoformat() for d in (params.date_from, params.date_to) if d) or "全部"
    summary: tuple[tuple[str, str], ...] = (("日期范围", span), ("记录数", str(len(rows))))
    if truncated:
        summary += (("说明", f"只导出了最新的{MAX_EXPORT_ROWS}条，请缩小日期范围分批导出"),)
    return Document(title="审计日志", subtitle=span, template="", context={},
                    tables=(Table("审计日志", COLUMNS, rows, empty_text="无审计记录"),),
                    summary=summary)


SPEC = register(ReportSpec(ReportKind.audit_log, "审计日志", authorize, load))
