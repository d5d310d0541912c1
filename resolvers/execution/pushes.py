"""Automated data capture: an office system pushes task completions and supervision results.

Each push carries the caller's own id; the first push records, a retry with the same id (from
the same token) returns the recorded result and changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from authz import Permission
from models import ExternalPush
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail
from resolvers.execution import supervision

# Reactions to a recorded progress push, in its transaction (the rules on pushed data register
# theirs: resolvers/execution/push_rules.py); each returns the ids of what it proposed.
ProgressReaction = Callable[[Context, uuid.UUID], Awaitable[list[uuid.UUID]]]
AFTER_PROGRESS: list[ProgressReaction] = []


@dataclass(frozen=True)
class PushResult:
    external_id: str
    duplicate: bool
    result: dict[str, Any]


async def claim(ctx: Context, external_id: str, kind: str,
                 payload: dict[str, Any]) -> ExternalPush | None:
    """Inserts the push row; None when this id was already pushed (then nothing is done)."""
    if not external_id.strip() or len(external_id) > 200:
        raise fail(ErrorCode.INVALID, "外部编号不能为空且不超过200个字符", "externalId")
    inserted = await ctx.session.execute(
        insert(ExternalPush).values(
            tenant_id=ctx.me.tenant_id, id=uuid.uuid4(), source=ctx.me.subject,
            external_id=external_id, kind=kind, payload=payload, result={})
        .on_conflict_do_nothing(index_elements=["tenant_id", "source", "external_id"])
        .returning(ExternalPush.id))
    push_id = inserted.scalar()
    if push_id is None:
        return None
    return await ctx.session.get(ExternalPush, (ctx.me.tenant_id, push_id))


async def previous(ctx: Context, external_id: str) -> PushResult:
    row = await ctx.session.scalar(select(ExternalPush).where(
        ExternalPush.source == ctx.me.subject, ExternalPush.external_id == external_id))
    return PushResult(external_id, True, dict(row.result) if row else {})


async def push_progress(ctx: Context, external_id: str, data: supervision.ProgressInput
                        ) -> PushResult:
    ctx.require(Permission.supervision_push)
    payload = {"taskId": str(data.task_id), "milestoneId": str(data.milestone_id or ""),
               "recordedOn": data.recorded_on.isoformat(), "percent": data.percent,
               "note": data.note, "problems": data.problems,
               "milestoneDone": data.milestone_done, "taskDone": data.task_done}
    push = await claim(ctx, external_id, "progress", payload)
    if push is None:
        return await previous(ctx, external_id)
    row = await supervision.record_progress(ctx, data)
    proposed = [i for reaction in AFTER_PROGRESS for i in await reaction(ctx, data.task_id)]
    push.result = {"progressId": str(row.id)}
    if proposed:
        push.result["proposalIds"] = [str(i) for i in proposed]
    return PushResult(external_id, False, push.result)


def completion(task_id: uuid.UUID, completed_on: date, note: str) -> supervision.ProgressInput:
    return supervision.ProgressInput(task_id=task_id, milestone_id=None,
                                     recorded_on=completed_on, percent=100,
                                     note=note or "办公系统推送：任务完成", task_done=True)
