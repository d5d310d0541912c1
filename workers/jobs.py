"""Running one job message: idempotent, tenant-scoped, with progress.

``run_job`` is what every actor calls with its ``(tenant_id, job_id)``:

1. It opens the job's transaction T, as the application role with the job's tenant set (RLS),
   and takes a transaction-scoped advisory lock on the job: a second delivery of the same
   message while the first is still at work finds the lock taken and leaves.
2. It claims the job in a short transaction of its own: a job already ``done`` or ``failed``
   is left alone (a redelivered message never writes a second result); otherwise it becomes
   ``running`` and ``attempts`` counts the delivery.
3. The actor's body reads and writes in T (an export reads on the read replica when one is
   configured, once it has replayed the primary's WAL position recorded when the job started:
   ``JobRun.reading``, tenants/replica.py); progress goes through short transactions of their
   own, so callers see it while T is still open.
4. T marks the job ``done`` (with the result's id) and commits: the result and "done" become
   visible together, or not at all. A worker killed mid-run leaves T uncommitted; PostgreSQL
   rolls it back when the connection drops, the job stays ``running``, and the redelivered
   message starts again from the inputs.

Expected failures (``RuleError``, ``UserFacingError``) mark the job ``failed`` with their Chinese
message; anything else is logged and marks it failed with a generic Chinese message.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Job
from resolvers.context import Context
from resolvers.errors import UserFacingError
from resolvers.notifications.send import notify
from rules.errors import RuleError
from tenants.db import make_engine, make_sessionmaker, tenant_transaction
from tenants.replica import ReadReplica, primary_position, read_transaction
from vocab.jobs import JobKind, JobStatus
from vocab.notifications import NotificationEvent
from workers.settings import WorkerSettings

log = logging.getLogger("jixiao.workers")

INTERNAL_ERROR = "任务执行出错（服务器内部错误），请稍后重试或联系管理员"


@dataclass
class JobRun:
    """What a body gets besides its session: the settings, progress reporting, pauses."""

    settings: WorkerSettings
    sessionmaker: async_sessionmaker[AsyncSession]
    tenant_id: uuid.UUID
    job_id: uuid.UUID
    replica: ReadReplica | None = None
    # The primary's WAL position when the job started (after it was queued): what the replica
    # must have replayed before the job reads there.
    position: str | None = None

    @asynccontextmanager
    async def reading(self, session: AsyncSession) -> AsyncIterator[AsyncSession]:
        """Where the body reads: the replica (read-only, same tenant) once it has caught up,
        else ``session``, the job's own transaction on the primary."""
        async with read_transaction(session, self.replica, position=self.position) as reading:
            yield reading

    async def progress(self, percent: int) -> None:
        async with tenant_transaction(self.sessionmaker, self.tenant_id) as session:
            await session.execute(update(Job).where(
                Job.id == self.job_id, Job.status == JobStatus.running
            ).values(progress=max(0, min(99, percent))))

    async def pause(self) -> None:
        # Test hook: a test slows the job down to kill its worker mid-run.
        if self.settings.job_test_delay_seconds > 0:
            await asyncio.sleep(self.settings.job_test_delay_seconds)


Body = Callable[[JobRun, AsyncSession, Job], Awaitable[uuid.UUID | None]]


def execute(settings: WorkerSettings, tenant_id: str, job_id: str, kind: JobKind,
            body: Body) -> str:
    """The synchronous entry point for an actor (each message gets its own event loop)."""
    return asyncio.run(run_job(settings, uuid.UUID(tenant_id), uuid.UUID(job_id), kind, body))


class _FinishedError(Exception):
    """The job was finished elsewhere in the meantime: roll back this run's writes."""


async def run_job(settings: WorkerSettings, tenant_id: uuid.UUID, job_id: uuid.UUID, kind: JobKind,
                  body: Body) -> str:
    """Returns the outcome: "done", "failed", "skipped" (already finished) or "busy"."""
    engine = make_engine(settings.database_url, pooled=True)
    sessionmaker = make_sessionmaker(engine)
    replica = (ReadReplica.connect(settings.read_database_url, settings.read_max_wait_seconds,
                                   pooled=False) if settings.read_database_url else None)
    run = JobRun(settings, sessionmaker, tenant_id, job_id, replica)
    after_commit: list[Callable[[], None]] = []
    try:
        try:
            async with tenant_transaction(sessionmaker, tenant_id) as session:
                if not await session.scalar(select(func.pg_try_advisory_xact_lock(
                        func.hashtextextended(f"job:{job_id}", 0)))):
                    log.info("job %s is being run by another worker", job_id)
                    return "busy"
                job = await _claim(sessionmaker, tenant_id, job_id, kind)
                if job is None:
                    return "skipped"
                if replica is not None:
                    run.position = await primary_position(session)
                result_id = await body(run, session, job)
                done = await session.execute(update(Job).where(
                    Job.id == job_id, Job.status == JobStatus.running
                ).values(status=JobStatus.done.value, progress=100, error=None,
                         result_id=result_id, finished_at=func.now()))
                if done.rowcount != 1:  # type: ignore[attr-defined]
                    raise _FinishedError
                await tell_starter(session, settings, job, None, after_commit)
            for send in after_commit:
                send()
            log.info("job %s (%s) done", job_id, kind)
            return "done"
        except _FinishedError:
            return "skipped"
        except (RuleError, UserFacingError) as exc:
            await _fail(sessionmaker, tenant_id, job_id, str(exc), settings)
            return "failed"
        except Exception:
            log.exception("job %s (%s) failed", job_id, kind)
            await _fail(sessionmaker, tenant_id, job_id, INTERNAL_ERROR, settings)
            return "failed"
    finally:
        await engine.dispose()
        if replica is not None:
            await replica.dispose()


async def _claim(sessionmaker: async_sessionmaker[AsyncSession], tenant_id: uuid.UUID,
                 job_id: uuid.UUID, kind: JobKind) -> Job | None:
    async with tenant_transaction(sessionmaker, tenant_id) as session:
        job = await session.get(Job, (tenant_id, job_id), with_for_update=True)
        if job is None or job.kind != kind:
            log.warning("job %s of tenant %s not found", job_id, tenant_id)
            return None
        if job.status in (JobStatus.done, JobStatus.failed):
            log.info("job %s already %s: message ignored", job_id, job.status)
            return None
        job.status = JobStatus.running.value
        job.attempts += 1
        job.progress = 0
        job.error = None
        job.started_at = datetime.now(UTC)
        await session.flush()
        await session.refresh(job)
        return job


async def _fail(sessionmaker: async_sessionmaker[AsyncSession], tenant_id: uuid.UUID,
                job_id: uuid.UUID, message: str, settings: WorkerSettings | None = None) -> None:
    after_commit: list[Callable[[], None]] = []
    async with tenant_transaction(sessionmaker, tenant_id) as session:
        failed = await session.execute(update(Job).where(
            Job.id == job_id, Job.status.in_([JobStatus.queued, JobStatus.running])
        ).values(status=JobStatus.failed.value, error=message[:2000], finished_at=func.now()))
        job = await session.get(Job, (tenant_id, job_id))
        if settings is not None and job is not None and failed.rowcount == 1:  # type: ignore[attr-defined]
            await tell_starter(session, settings, job, message, after_commit)
    for send in after_commit:
        send()


JOB_NAMES = {JobKind.bonus_run: "奖金分配计算", JobKind.export: "报表导出"}


async def tell_starter(session: AsyncSession, settings: WorkerSettings, job: Job,
                       error: str | None, after_commit: list[Callable[[], None]]) -> None:
    """The account that started the job learns it finished (a job started by an API token,
    or rendering a report for the cache alone, tells nobody)."""
    kind, _, account = job.created_by.partition(":")
    if kind != "account" or (job.params or {}).get("cache_only"):
        return
    ctx = Context(session=session, settings=settings.use_cases, after_commit=after_commit)
    name = JOB_NAMES.get(JobKind(job.kind), "后台任务")
    link = "/bonus" if job.kind == JobKind.bonus_run else "/reports"
    if error is None:
        title, body = f"{name}已完成", f"您发起的{name}已完成，可以查看结果。"
    else:
        title, body = f"{name}失败", f"您发起的{name}未能完成：{error}"
    await notify(ctx, NotificationEvent.job_finished, account_ids=[uuid.UUID(account)],
                 link=link, title=title, body=body)
