"""The bonus run job's body: ``run_bonus(tenant_id, job_id)`` (declared in workers/actors.py)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from models import Job
from resolvers.bonus.compute import WRITE_CHUNK, compute_bonus_run
from resolvers.context import Context
from workers.jobs import JobRun


async def _body(run: JobRun, session: AsyncSession, job: Job) -> uuid.UUID:
    ctx = Context(session=session, settings=run.settings.use_cases)
    chunk = run.settings.bonus_write_chunk or WRITE_CHUNK
    result = await compute_bonus_run(session, ctx, job, run.progress, chunk=chunk,
                                     pause=run.pause)
    return result.id
