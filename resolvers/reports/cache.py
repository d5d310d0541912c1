"""The report cache: a period's reports rendered once, when its results are confirmed, and
handed out at once while the data they show is unchanged (issue 16, item 4).

- **Filled** by the export job (workers/exports.py) for every report marked ``cacheable``: the
  files it rendered are kept in ``report_cache`` (one row per report, ids and format) with the
  digest of the document (``Document.digest``: every value the report shows). When a period's
  results are confirmed (the period enters 实绩公示), a job renders the whole unit's results
  report for the cache alone.
- **Used** by ``start_export``: it reads the report's data as the worker would (reading, not
  rendering: tens of milliseconds) and, when the cache holds every format asked for with the
  same digest, the export job is created done, its files copied from the cache in the database.
- **Invalidated** by any change of the data (the digest differs: the export renders as before
  and refreshes the cache) and, explicitly, when the period is reopened (its rows are deleted).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, func, insert, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models import CachedReport, Job, Period, ReportFile
from reports import Document
from resolvers import jobs
from resolvers.appraisal.periods import AFTER_TRANSITION
from resolvers.context import Context
from resolvers.reports.registry import ExportParams, ReportKind, spec_of
from vocab.jobs import JobKind
from vocab.periods import PeriodState


def cache_key(params: ExportParams) -> str | None:
    """The cache's name for the report and its ids; None when the report is not cached."""
    if not spec_of(params.report).cacheable or params.period_id is None:
        return None
    return f"{params.report.value}:{params.period_id}:{params.unit_id or 'all'}"


async def load_document(ctx: Context, params: ExportParams) -> Document:
    """The report's document, read as the export job reads it (without the caller's rights:
    cacheable reports are authorized before, by ``spec.authorize``)."""
    return await spec_of(params.report).load(
        Context(session=ctx.session, settings=ctx.settings, org_tree=ctx.org_tree), params)


async def cached_digest(ctx: Context, params: ExportParams) -> str | None:
    """The digest of the report's current data if the cache holds every format asked for
    rendered from exactly that data; else None."""
    key = cache_key(params)
    if key is None:
        return None
    stored: dict[str, str] = {fmt: digest for fmt, digest in (await ctx.session.execute(
        select(CachedReport.format, CachedReport.digest).where(
            CachedReport.cache_key == key,
            CachedReport.format.in_([f.value for f in params.formats])))).all()}
    if len(stored) < len(set(params.formats)) or len(set(stored.values())) != 1:
        return None
    digest = (await load_document(ctx, params)).digest()
    return digest if set(stored.values()) == {digest} else None


async def copy_files(session: AsyncSession, params: ExportParams, digest: str,
                     job_id: uuid.UUID) -> int:
    """The cached files become the job's (copied inside the database); returns how many."""
    key = cache_key(params)
    source = select(CachedReport.tenant_id, func.gen_random_uuid(), literal(job_id),
                    CachedReport.format, CachedReport.filename, CachedReport.size,
                    CachedReport.pages, CachedReport.content).where(
        CachedReport.cache_key == key, CachedReport.digest == digest,
        CachedReport.format.in_([f.value for f in params.formats]))
    copied = await session.scalars(insert(ReportFile).from_select(
        ["tenant_id", "id", "job_id", "format", "filename", "size", "pages", "content"],
        source).returning(ReportFile.format))
    return len(copied.all())


async def start_from_cache(ctx: Context, params: ExportParams) -> Job | None:
    """The export as a job already done, with the cached files; None on a miss."""
    digest = await cached_digest(ctx, params)
    if digest is None:
        return None
    job = await jobs.create_job(ctx, JobKind.export, params.to_json(), done=True)
    if await copy_files(ctx.session, params, digest, job.id) != len(set(params.formats)):
        raise RuntimeError("report cache changed while copying")  # same transaction: never
    return job


async def store(session: AsyncSession, params: ExportParams, digest: str,
                files: Sequence[ReportFile]) -> None:
    """Keeps the files just rendered (replacing the report's previous rendering)."""
    key = cache_key(params)
    if key is None or params.period_id is None:
        return
    for f in files:
        values = {"id": uuid.uuid4(), "cache_key": key, "period_id": params.period_id,
                  "digest": digest, "format": f.format, "filename": f.filename,
                  "size": f.size, "pages": f.pages, "content": f.content}
        stmt = pg_insert(CachedReport).values(values)
        await session.execute(stmt.on_conflict_do_update(
            index_elements=["tenant_id", "cache_key", "format"],
            set_={k: stmt.excluded[k] for k in values if k not in ("id", "cache_key", "format")}
            | {"created_at": func.now()}))


async def invalidate(session: AsyncSession, period_id: uuid.UUID) -> None:
    await session.execute(delete(CachedReport).where(CachedReport.period_id == period_id))


async def prerender(ctx: Context, period: Period) -> Job:
    """Renders the whole unit's results report of the period for the cache (a job)."""
    params = ExportParams(ReportKind.unit_quarterly, period_id=period.id, cache_only=True)
    return await jobs.create_job(ctx, JobKind.export, params.to_json())


async def _on_transition(ctx: Context, period: Period, before: PeriodState) -> None:
    if before == PeriodState.closed:  # reopened: its results may be corrected
        await invalidate(ctx.session, period.id)
    if period.state == PeriodState.publicizing and before == PeriodState.reviewing:
        await prerender(ctx, period)  # every result confirmed (review.publicity_guard)


AFTER_TRANSITION.append(_on_transition)
