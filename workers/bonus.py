"""The bonus run actor: ``run_bonus(tenant_id, job_id)``."""

from __future__ import annotations

import os
import uuid

import dramatiq
from sqlalchemy.ext.asyncio import AsyncSession

from models import Job
from models.jobs import JOB_ACTORS
from resolvers.bonus.compute import WRITE_CHUNK, compute_bonus_run
from resolvers.context import Context
from vocab.jobs import JobKind
from workers.broker import broker
from workers.jobs import JobRun, execute

QUEUE, ACTOR = JOB_ACTORS[JobKind.bonus_run]


async def _body(run: JobRun, session: AsyncSession, job: Job) -> uuid.UUID:
    ctx = Context(session=session, settings=run.settings)
    chunk = int(os.environ.get("JIXIAO_BONUS_WRITE_CHUNK") or WRITE_CHUNK)
    result = await compute_bonus_run(session, ctx, job, run.progress, chunk=chunk,
                                     pause=run.pause)
    return result.id


@dramatiq.actor(queue_name=QUEUE, actor_name=ACTOR, max_retries=3,
                time_limit=3_600_000, broker=broker)
def run_bonus(tenant_id: str, job_id: str) -> None:
    execute(tenant_id, job_id, JobKind.bonus_run, _body)
