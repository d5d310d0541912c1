"""The job sweeper: the job row is the outbox, so no job is lost with its message.

The API sends a job's message only after its transaction committed, and a failed send is logged,
not raised (``resolvers/jobs.py``): the row says ``queued`` and nothing is on the queue. A worker
killed mid-run leaves its row ``running``. Every worker process runs this sweeper in a thread
(a Dramatiq middleware, started with the worker); one sweep at a time holds a database-wide
advisory lock, so several workers never sweep together. A sweep sends the message again for:

- a job still ``queued`` ``resend_after`` seconds after it was created, while its Redis queue is
  empty (a waiting message would be in that queue; a backlog is not duplicated, and a lost
  message is sent once the queue has drained);
- a job ``running`` whose run holds no lock: ``run_job`` holds the job's advisory lock for the
  whole run, and PostgreSQL drops it the moment the worker's connection goes, so a free lock
  means the worker stopped. No heartbeat timeout to wait for.

Each round it also beats the liveness file the container's probe checks (workers/liveness.py).
The same thread purges audit records past each tenant's retention, once a day
(``workers/audit_purge.py``), and runs the pass of the rules on pushed data once an hour
(``workers/push_rules.py``).

Re-sending is harmless: ``run_job`` leaves a job that is finished or being run alone. Rows are
read ``FOR UPDATE SKIP LOCKED``: a job being claimed right now is not a lost one.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import dramatiq
from sqlalchemy import Boolean, ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from models import Job, Tenant
from resolvers.jobs import queue_length, send
from tenants.db import Scope, make_engine, make_sessionmaker, tenant_transaction
from vocab.jobs import JobKind, JobStatus
from workers.audit_purge import purge_audit_logs
from workers.liveness import beat
from workers.push_rules import PASS_CHECK_SECONDS, local_today, run_pass
from workers.settings import WorkerSettings

log = logging.getLogger("jixiao.workers.sweeper")

SWEEP_LOCK = "jixiao:job-sweeper"
# How often a worker looks for tenants whose audit log is due a purge (each is purged at most
# once a day: rules/audit_retention.py).
AUDIT_PURGE_CHECK_SECONDS = 3600.0


@dataclass(frozen=True)
class Lost:
    tenant_id: uuid.UUID
    job_id: uuid.UUID
    kind: JobKind
    status: JobStatus


def _lock(key: str) -> ColumnElement[bool]:
    return func.pg_try_advisory_xact_lock(func.hashtextextended(key, 0), type_=Boolean)


async def find_lost(sessionmaker: async_sessionmaker[AsyncSession], resend_after: float,
                    queue_empty: Callable[[JobKind], bool]) -> list[Lost] | None:
    """The jobs to send again; None when another worker is sweeping."""
    async with tenant_transaction(sessionmaker, None, Scope.platform) as outer:
        if not await outer.scalar(select(_lock(SWEEP_LOCK))):
            return None
        tenants = (await outer.scalars(select(Tenant.id))).all()
        lost: list[Lost] = []
        empty: dict[JobKind, bool] = {}
        for tenant_id in tenants:
            lost += await _lost_in(sessionmaker, tenant_id, resend_after, empty, queue_empty)
        return lost


async def _lost_in(sessionmaker: async_sessionmaker[AsyncSession], tenant_id: uuid.UUID,
                   resend_after: float, empty: dict[JobKind, bool],
                   queue_empty: Callable[[JobKind], bool]) -> list[Lost]:
    lost: list[Lost] = []
    async with tenant_transaction(sessionmaker, tenant_id) as session:
        jobs = (await session.scalars(select(Job).where(or_(
            (Job.status == JobStatus.queued)
            & (Job.created_at < func.now() - timedelta(seconds=resend_after)),
            Job.status == JobStatus.running,
        )).order_by(Job.created_at).with_for_update(skip_locked=True))).all()
        for job in jobs:
            kind, status = JobKind(job.kind), JobStatus(job.status)
            if status == JobStatus.queued:
                if kind not in empty:
                    empty[kind] = queue_empty(kind)
                if not empty[kind]:
                    continue
            # Running: a live run holds the job's lock; a free lock means its worker stopped.
            elif not await session.scalar(select(_lock(f"job:{job.id}"))):
                continue
            lost.append(Lost(tenant_id, job.id, kind, status))
    # The probe's locks end with the transaction above, before anything is sent.
    return lost


async def sweep(settings: WorkerSettings, sessionmaker: async_sessionmaker[AsyncSession]
                ) -> list[Lost]:
    """One sweep: finds the lost jobs and sends each once more. Returns what it sent."""
    url = settings.redis_url
    lost = await find_lost(sessionmaker, settings.job_resend_after_seconds,
                           lambda kind: queue_length(url, kind) == 0)
    for job in lost or []:
        log.warning("job %s of tenant %s (%s, %s) lost its message: sent again", job.job_id,
                    job.tenant_id, job.kind, job.status)
        send(url, job.kind, job.tenant_id, job.job_id)
    return lost or []


class JobSweeper(dramatiq.Middleware):
    """Runs ``sweep`` every ``job_sweep_interval_seconds`` in a thread of the worker process."""

    def __init__(self, settings: WorkerSettings) -> None:
        self.settings = settings
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        if self.settings.job_sweep_interval_seconds <= 0:
            return
        self.thread = threading.Thread(target=self._run, name="job-sweeper", daemon=True)
        self.thread.start()

    def before_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        self.stopped.set()
        if self.thread is not None:
            self.thread.join(timeout=10)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        engine: AsyncEngine = make_engine(self.settings.database_url, pooled=False)
        sessionmaker = make_sessionmaker(engine)
        next_purge = next_pass = time.monotonic()
        beat()
        try:
            while not self.stopped.wait(self.settings.job_sweep_interval_seconds):
                beat()  # the liveness probe's sign of life (workers/liveness.py)
                try:
                    loop.run_until_complete(sweep(self.settings, sessionmaker))
                except Exception:  # Redis or the database is down: try again next round
                    log.exception("job sweep failed")
                if time.monotonic() >= next_purge:
                    next_purge = time.monotonic() + AUDIT_PURGE_CHECK_SECONDS
                    try:
                        loop.run_until_complete(
                            purge_audit_logs(sessionmaker, datetime.now(UTC)))
                    except Exception:  # the database is down: try again at the next check
                        log.exception("audit log purge failed")
                if time.monotonic() >= next_pass:
                    next_pass = time.monotonic() + PASS_CHECK_SECONDS
                    try:
                        loop.run_until_complete(
                            run_pass(sessionmaker, local_today(datetime.now(UTC))))
                    except Exception:  # the database is down: try again at the next check
                        log.exception("push rules pass failed")
        finally:
            loop.run_until_complete(engine.dispose())
            loop.close()
