"""The requester's context inside the worker: reports that reuse the use cases read with the
rights of whoever started the export (checked again, as they are now, when the job runs)."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from authz.loading import load_subject_actor
from resolvers.context import Context
from resolvers.errors import forbidden
from resolvers.reports.registry import ExportParams


async def requester_context(job: Context, params: ExportParams) -> Context:
    """``job`` is the worker's context (its session, no actor)."""
    session = job.session
    tenant = await session.scalar(text("SELECT current_setting('app.tenant_id', true)"))
    if not params.requested_by or not tenant:
        raise forbidden()
    actor = await load_subject_actor(session, uuid.UUID(str(tenant)), params.requested_by)
    if actor is None:
        raise forbidden()
    return Context(session=session, settings=job.settings, actor=actor)
