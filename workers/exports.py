"""The export job's body: ``export_report(tenant_id, job_id)`` (declared in workers/actors.py)
renders a registered report to PDF and XLSX and stores the files (``report_files``) in the job's
transaction."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import dramatiq
from sqlalchemy.ext.asyncio import AsyncSession

from models import Job, ReportFile
from reports import layout_pool
from reports.pdf import DEFAULT_CHUNK_ROWS, PdfRenderer, default_processes
from reports.xlsx import render_xlsx
from resolvers.context import Context
from resolvers.reports import ExportParams, spec_of
from resolvers.reports import cache as report_cache
from vocab.jobs import ReportFormat
from workers.jobs import JobRun
from workers.settings import WorkerSettings

LOCAL_TIME = ZoneInfo("Asia/Shanghai")


def layout_processes(settings: WorkerSettings) -> int:
    return settings.report_processes or default_processes()


class LayoutPoolWarmer(dramatiq.Middleware):
    """Dramatiq's hooks: the worker's layout processes (reports/layout_pool.py) started when it
    boots, so the first long report does not wait for them, and stopped once its jobs have
    stopped. (A Dramatiq worker process ends as a multiprocessing child: it joins its
    children before Python's exit hooks run, so a pool left running would keep it alive.)"""

    def __init__(self, settings: WorkerSettings) -> None:
        self.processes = layout_processes(settings)

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        if self.processes > 1:
            layout_pool.warm(self.processes)

    def after_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        layout_pool.shutdown()


async def _body(run: JobRun, session: AsyncSession, job: Job) -> uuid.UUID | None:
    params = ExportParams.from_json(job.params)
    async with run.reading(session) as reading:  # the read replica when configured
        document = await spec_of(params.report).load(
            Context(session=reading, settings=run.settings.use_cases), params)
    key = report_cache.cache_key(params)
    digest = document.digest() if key is not None else None
    stamp = datetime.now(LOCAL_TIME).strftime("%Y-%m-%d %H:%M")
    document = dataclasses.replace(document, generated_at=f"生成时间 {stamp}")
    await run.progress(10)
    files: list[ReportFile] = []

    def add(fmt: ReportFormat, content: bytes, pages: int | None = None) -> None:
        files.append(ReportFile(tenant_id=job.tenant_id, id=uuid.uuid4(), job_id=job.id,
                                format=fmt.value, filename=document.filename(fmt.value),
                                size=len(content), pages=pages, content=content))

    if ReportFormat.pdf in params.formats:
        chunk = run.settings.report_chunk_rows or DEFAULT_CHUNK_ROWS
        renderer = PdfRenderer(document, chunk_rows=chunk,
                               processes=layout_processes(run.settings))
        for done, total in renderer:
            await run.progress(10 + 80 * done // max(total, 1))
            await run.pause()
        add(ReportFormat.pdf, renderer.result(), renderer.pages)
    if ReportFormat.xlsx in params.formats:
        add(ReportFormat.xlsx, render_xlsx(document))
    if digest is not None:
        await report_cache.store(session, params, digest, files)
    if not params.cache_only:
        session.add_all(files)
    await session.flush()
    return None
