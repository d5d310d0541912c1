"""Report exports: start one (a job) and download its files.

A download is authorized twice: the caller must see the job (they started it, or they read every
job of the unit) and must still be allowed to read the report's data (the report's own
``authorize``). Anything else reads as "not found", whoever asks and whatever the id.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from sqlalchemy import select

from models import Job, ReportFile
from models.jobs import REPORT_CONTENT_TYPES
from resolvers import jobs
from resolvers.context import Context
from resolvers.errors import ErrorCode, UserFacingError, fail, not_found
from resolvers.reports import ExportParams, spec_of
from resolvers.reports import cache as report_cache
from vocab.jobs import JobKind, JobStatus, ReportFormat


async def start_export(ctx: Context, params: ExportParams) -> Job:
    if not params.formats:
        raise fail(ErrorCode.INVALID, "请至少选择一种文件格式", "formats")
    await spec_of(params.report).authorize(ctx, params)
    params = replace(params, requested_by=ctx.me.subject, cache_only=False)
    cached = await report_cache.start_from_cache(ctx, params)
    if cached is not None:
        return cached
    return await jobs.create_job(ctx, JobKind.export, params.to_json())


@dataclass(frozen=True)
class Download:
    filename: str
    content_type: str
    content: bytes


async def download(ctx: Context, job_id: uuid.UUID, fmt: str) -> Download:
    job = await jobs.find_job(ctx, job_id)
    if job is None or job.kind != JobKind.export:
        raise not_found("报表")
    params = ExportParams.from_json(job.params)
    try:
        await spec_of(params.report).authorize(ctx, params)
    except UserFacingError:
        raise not_found("报表") from None
    if fmt not in set(ReportFormat):
        raise not_found("报表文件")
    if job.status != JobStatus.done:
        raise fail(ErrorCode.CONFLICT, "报表尚未生成完成，请稍后再试")
    found = (await ctx.session.execute(
        select(ReportFile.filename, ReportFile.content)
        .where(ReportFile.job_id == job.id, ReportFile.format == fmt))).first()
    if found is None:
        raise not_found("报表文件")
    return Download(found[0], REPORT_CONTENT_TYPES[ReportFormat(fmt)], found[1])
