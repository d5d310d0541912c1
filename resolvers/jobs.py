"""Background jobs: create the row, enqueue the message after commit, let callers follow it.

The message is ``(tenant_id, job_id)`` and nothing else: a worker reads the job's inputs from its
row, under the tenant's row-level security. It is sent by ``ctx.defer``, i.e. only once the
request's transaction has committed (never for a rolled-back request, and never before the row
is visible to the worker). The API enqueues by actor name (``models.jobs.JOB_ACTORS``), so it
does not import the workers.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Sequence
from typing import Any

import dramatiq
import redis
from dramatiq.brokers.redis import RedisBroker
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import select

from authz import Permission
from models import Job, ReportFile
from models.jobs import JOB_ACTORS
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail
from vocab.jobs import JobKind, JobStatus

log = logging.getLogger("jixiao.jobs")

MAX_JOBS_LISTED = 100


@functools.cache
def _broker(url: str) -> dramatiq.Broker:
    # Not installed as the global broker: the API only enqueues. Short timeouts and no retries:
    # the send runs after the commit, on the request's path; if Redis is unreachable the job
    # stays queued and the workers' sweeper sends it later.
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5,
                                  retry=Retry(NoBackoff(), 0))
    return RedisBroker(client=client)  # type: ignore[no-untyped-call]


def send(redis_url: str, kind: JobKind, tenant_id: uuid.UUID, job_id: uuid.UUID) -> None:
    queue, actor = JOB_ACTORS[kind]
    enqueue(redis_url, queue, actor, tenant_id, job_id)


def enqueue(redis_url: str, queue: str, actor: str, tenant_id: uuid.UUID,
            row_id: uuid.UUID) -> None:
    """Sends the message ``(tenant_id, row_id)`` to an actor by name (the API never imports the
    workers). Raises when Redis is unreachable."""
    message: dramatiq.Message[Any] = dramatiq.Message(queue_name=queue, actor_name=actor,
                               args=(str(tenant_id), str(row_id)), kwargs={}, options={})
    _broker(redis_url).enqueue(message)


def queue_length(redis_url: str, kind: JobKind) -> int:
    """Messages waiting in the kind's queue (not those a worker already holds)."""
    queue, _ = JOB_ACTORS[kind]
    broker = _broker(redis_url)
    return int(broker.client.llen(f"{broker.namespace}:{queue}"))  # type: ignore[attr-defined]


def _send_quietly(redis_url: str, kind: JobKind, tenant_id: uuid.UUID,
                  job_id: uuid.UUID) -> None:
    try:
        send(redis_url, kind, tenant_id, job_id)
    except Exception:  # the request has committed: the job stays queued, and the worker's
        # sweeper (workers/sweeper.py) sends it once Redis answers again
        log.exception("could not enqueue job %s of tenant %s", job_id, tenant_id)


async def create_job(ctx: Context, kind: JobKind, params: dict[str, Any], *,
                     done: bool = False) -> Job:
    """Adds a queued job and enqueues it once the request commits. Never commits.

    ``done``: the job's result is already there (a cached report): it is created done and
    nothing is enqueued."""
    job = Job(tenant_id=ctx.me.tenant_id, id=uuid.uuid4(), kind=kind.value,
              status=JobStatus.queued.value, progress=0, params=params,
              created_by=ctx.me.subject, attempts=0)
    if done:
        now = ctx.now()
        job.status, job.progress, job.started_at, job.finished_at = (
            JobStatus.done.value, 100, now, now)
    ctx.session.add(job)
    await ctx.session.flush()
    if done:
        return job
    url, tenant_id, job_id = ctx.settings.redis_url, job.tenant_id, job.id
    ctx.defer(lambda: _send_quietly(url, kind, tenant_id, job_id))
    return job


def visible(ctx: Context, job: Job) -> bool:
    return job.created_by == ctx.me.subject or ctx.can(Permission.job_read)


async def find_job(ctx: Context, job_id: uuid.UUID) -> Job | None:
    """The job if the caller started it (or may read every job); else None, like a missing id."""
    ctx.authz  # noqa: B018 - refuses anonymous callers
    job = await ctx.session.get(Job, (ctx.me.tenant_id, job_id))
    if job is None or not visible(ctx, job):
        return None
    return job


async def get_job(ctx: Context, job_id: uuid.UUID) -> Job:
    job = await find_job(ctx, job_id)
    if job is None:
        raise fail(ErrorCode.NOT_FOUND, "未找到该任务")
    return job


async def list_jobs(ctx: Context, first: int = 20) -> Sequence[Job]:
    """The caller's own jobs, newest first (every job of the unit for the tenant admin)."""
    ctx.authz  # noqa: B018
    stmt = select(Job).order_by(Job.created_at.desc(), Job.id).limit(
        min(max(first, 1), MAX_JOBS_LISTED))
    if not ctx.can(Permission.job_read):
        stmt = stmt.where(Job.created_by == ctx.me.subject)
    return (await ctx.session.scalars(stmt)).all()


async def files_by_job(ctx: Context, job_ids: Sequence[uuid.UUID]
                       ) -> list[list[tuple[str, str, int, int | None]]]:
    """(format, filename, size, pages) of each job's files, without their content."""
    rows = (await ctx.session.execute(
        select(ReportFile.job_id, ReportFile.format, ReportFile.filename, ReportFile.size,
               ReportFile.pages)
        .where(ReportFile.job_id.in_(job_ids)).order_by(ReportFile.format))).all()
    found: dict[uuid.UUID, list[tuple[str, str, int, int | None]]] = {}
    for job_id, fmt, filename, size, pages in rows:
        found.setdefault(job_id, []).append((fmt, filename, size, pages))
    return [found.get(j, []) for j in job_ids]
