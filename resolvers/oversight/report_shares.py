"""Reports a unit shares with the city (报送市委组织部): exactly those, nothing else.

A unit's admin or principal leader shares one rendered export (a finished export job they may
download) under a name; they may withdraw it. The city lists the shared reports of every unit
and downloads their files only through the platform functions of migration 0008
(``platform_shared_reports``, ``platform_shared_report_file``), which read one tenant at a time
under its row-level security and only through a share row.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text

from authz import Permission
from models import ReportShare, Tenant
from models.jobs import REPORT_CONTENT_TYPES
from resolvers import audit, jobs
from resolvers.context import Context
from resolvers.errors import ErrorCode, UserFacingError, fail, not_found
from resolvers.reports import ExportParams, spec_of
from resolvers.reports.exports import Download
from vocab.jobs import JobKind, JobStatus, ReportFormat
from vocab.org import TenantKind

TITLE_MAX = 200
NOTE_MAX = 2000


async def share(ctx: Context, job_id: uuid.UUID, title: str, note: str = "") -> ReportShare:
    ctx.require(Permission.report_share_write)
    job = await jobs.find_job(ctx, job_id)
    if job is None or job.kind != JobKind.export:
        raise not_found("报表")
    params = ExportParams.from_json(job.params)
    try:  # only a report the caller may download
        await spec_of(params.report).authorize(ctx, params)
    except UserFacingError:
        raise not_found("报表") from None
    if job.status != JobStatus.done:
        raise fail(ErrorCode.CONFLICT, "报表尚未生成完成，不能报送")
    name = title.strip() or spec_of(params.report).label
    if len(name) > TITLE_MAX or len(note.strip()) > NOTE_MAX:
        raise fail(ErrorCode.INVALID, f"名称不超过{TITLE_MAX}字，说明不超过{NOTE_MAX}字", "title")
    if await ctx.session.scalar(select(ReportShare.id).where(ReportShare.job_id == job.id)):
        raise fail(ErrorCode.DUPLICATE, "该报表已报送市委组织部", "jobId")
    row = ReportShare(tenant_id=ctx.me.tenant_id, id=uuid.uuid4(), job_id=job.id, title=name,
                      note=note.strip(), shared_by=ctx.me.subject)
    ctx.session.add(row)
    await ctx.session.flush()
    audit.record(ctx, "report.share", "report_share", row.id, after=audit.snapshot(row))
    return row


async def withdraw(ctx: Context, share_id: uuid.UUID) -> uuid.UUID:
    ctx.require(Permission.report_share_write)
    row = await ctx.session.get(ReportShare, (ctx.me.tenant_id, share_id))
    if row is None:
        raise not_found("报送记录")
    audit.record(ctx, "report.unshare", "report_share", row.id, before=audit.snapshot(row))
    await ctx.session.delete(row)
    await ctx.session.flush()
    return share_id


async def own_shares(ctx: Context) -> Sequence[ReportShare]:
    ctx.require(Permission.report_share_write)
    return (await ctx.session.scalars(select(ReportShare).order_by(
        ReportShare.created_at.desc(), ReportShare.id))).all()


# --- the city ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SharedFile:
    format: str
    filename: str
    size: int
    pages: int | None


@dataclass(frozen=True)
class SharedReport:
    tenant_id: uuid.UUID
    tenant_code: str
    tenant_name: str
    id: uuid.UUID
    title: str
    note: str
    report: str
    shared_at: datetime
    files: tuple[SharedFile, ...]


def _files(data: Any) -> tuple[SharedFile, ...]:
    return tuple(SharedFile(f["format"], f["filename"], int(f["size"]), f.get("pages"))
                 for f in data or [])


async def city_shared(ctx: Context, tenant_ids: Sequence[uuid.UUID] | None = None
                      ) -> list[SharedReport]:
    ctx.require(Permission.shared_report_read)
    tenants = {tid: (code, name) for tid, code, name in (await ctx.session.execute(
        select(Tenant.id, Tenant.code, Tenant.name).where(
            Tenant.kind != TenantKind.organization_department.value))).all()}
    wanted = [t for t in tenant_ids if t in tenants] if tenant_ids is not None else list(tenants)
    rows = (await ctx.session.execute(text(
        "SELECT tenant, share_id, title, note, shared_at, report, files "
        "FROM platform_shared_reports(CAST(:t AS uuid[]))"), {"t": wanted})).all()
    out = [SharedReport(tenant, *tenants[tenant], sid, title, note, report or "", shared_at,
                        _files(files))
           for tenant, sid, title, note, shared_at, report, files in rows]
    out.sort(key=lambda r: (r.shared_at, str(r.id)), reverse=True)
    return out


async def city_download(ctx: Context, tenant_id: uuid.UUID, share_id: uuid.UUID,
                        fmt: str) -> Download:
    """A shared file for the city; anything else (another id, a withdrawn share) is not found."""
    if not ctx.can(Permission.shared_report_read):
        raise not_found("报表")
    if fmt not in set(ReportFormat):
        raise not_found("报表文件")
    tenant = await ctx.session.get(Tenant, tenant_id)
    if tenant is None or tenant.kind == TenantKind.organization_department:
        raise not_found("报表")
    found = (await ctx.session.execute(text(
        "SELECT filename, content FROM platform_shared_report_file(:t, :s, :f)"),
        {"t": tenant_id, "s": share_id, "f": fmt})).first()
    if found is None:
        raise not_found("报表文件")
    return Download(found[0], REPORT_CONTENT_TYPES[ReportFormat(fmt)], found[1])
