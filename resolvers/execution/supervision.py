"""Supervision (督办): progress at milestones, overdue items, rectification, the summary."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from authz import Permission, Target
from models import Rectification, Task, TaskMilestone, TaskProgress
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail, forbidden, not_found
from resolvers.pagination import MAX_PAGE, Page, check_page_size, list_page
from rules.supervision import (
    MilestoneFact,
    OverdueItem,
    TaskFact,
    UnitSummary,
    overdue_items,
    summarize,
)
from vocab.plans import TaskStatus


def task_target(task: Task) -> Target:
    return Target(kind="supervision", id=task.id, person_id=task.person_id,
                  unit_id=task.unit_id)


async def get_task(ctx: Context, task_id: uuid.UUID) -> Task:
    task = await ctx.session.get(Task, (ctx.me.tenant_id, task_id))
    if task is None or not ctx.can(Permission.supervision_read, task_target(task)):
        raise not_found("任务")
    return task


@dataclass(frozen=True)
class ProgressInput:
    task_id: uuid.UUID
    milestone_id: uuid.UUID | None
    recorded_on: date
    percent: int | None = None
    note: str = ""
    problems: str = ""
    milestone_done: bool = False
    task_done: bool = False


async def record_progress(ctx: Context, data: ProgressInput) -> TaskProgress:
    """The office records progress at a milestone; it may mark the milestone or task done."""
    task = await get_task(ctx, data.task_id)
    ctx.require(Permission.supervision_write, task_target(task))
    if data.percent is not None and not 0 <= data.percent <= 100:
        raise fail(ErrorCode.INVALID, "完成进度须在0到100之间", "percent")
    if not (data.note.strip() or data.problems.strip() or data.milestone_done
            or data.task_done or data.percent is not None):
        raise fail(ErrorCode.INVALID, "请填写进展情况", "note")
    milestone = None
    if data.milestone_id is not None:
        milestone = await ctx.session.get(TaskMilestone, (ctx.me.tenant_id, data.milestone_id))
        if milestone is None or milestone.task_id != task.id:
            raise not_found("时间节点")
    row = TaskProgress(tenant_id=ctx.me.tenant_id, task_id=task.id,
                       milestone_id=data.milestone_id, recorded_on=data.recorded_on,
                       percent=data.percent, note=data.note.strip(),
                       problems=data.problems.strip(), recorded_by=ctx.me.subject)
    ctx.session.add(row)
    before = audit.snapshot(task)
    if data.milestone_done and milestone is not None and milestone.done_on is None:
        milestone.done_on = data.recorded_on
    if data.task_done and task.status != TaskStatus.done:
        task.status, task.completed_on = TaskStatus.done, data.recorded_on
    elif task.status == TaskStatus.not_started:
        task.status = TaskStatus.in_progress
    await ctx.session.flush()
    audit.record(ctx, "supervision.progress", "task", task.id, before,
                 {**(audit.snapshot(task) or {}), "progress": audit.snapshot(row)})
    return row


async def rectify(ctx: Context, task_id: uuid.UUID, milestone_id: uuid.UUID | None,
                  note: str, rectified_on: date) -> Rectification:
    task = await get_task(ctx, task_id)
    ctx.require(Permission.supervision_write, task_target(task))
    if len(note.strip()) < 4:
        raise fail(ErrorCode.INVALID, "整改须说明整改情况（至少4个字）", "note")
    open_items = {(i.task_id, i.milestone_id) for i in await overdue(ctx, rectified_on)}
    if (task_id, milestone_id) not in open_items:
        raise fail(ErrorCode.CONFLICT, "该事项不是未整改的滞后事项")
    row = Rectification(tenant_id=ctx.me.tenant_id, task_id=task_id, milestone_id=milestone_id,
                        rectified_on=rectified_on, note=note.strip(),
                        recorded_by=ctx.me.subject)
    ctx.session.add(row)
    await ctx.session.flush()
    audit.record(ctx, "supervision.rectify", "task", task_id, after=audit.snapshot(row))
    return row


@dataclass(frozen=True)
class Facts:
    tasks: list[TaskFact]
    milestones: list[MilestoneFact]
    rectified: list[tuple[uuid.UUID, uuid.UUID | None]]
    problems: dict[uuid.UUID, list[str]]


async def _facts(ctx: Context, year: int | None) -> Facts:
    """Unit-level and person-level tasks the caller may supervise (one query per table)."""
    scope = ctx.authz.read_scope(Permission.supervision_read)
    stmt = select(Task)
    if year is not None:
        stmt = stmt.where(Task.year == year)
    rows = [t for t in (await ctx.session.scalars(stmt)).all()
            if scope.everything or (scope.managed is not None
                                    and scope.managed.covers_unit(t.unit_id))]
    return await facts_of(ctx.session, rows)


async def facts_of(session: AsyncSession, rows: Sequence[Task]) -> Facts:
    """The facts of the given tasks, unscoped (the caller chose them): one query per table.

    Also what the rules on pushed data read (resolvers/execution/push_rules.py), where no
    person is asking."""
    ids = [t.id for t in rows]
    milestones = (await session.scalars(select(TaskMilestone).where(
        TaskMilestone.task_id.in_(ids)))).all() if ids else []
    fixes = (await session.execute(select(Rectification.task_id, Rectification.milestone_id)
                                   .where(Rectification.task_id.in_(ids)))).all() if ids else []
    notes = (await session.execute(select(TaskProgress.task_id, TaskProgress.problems)
                                   .where(TaskProgress.task_id.in_(ids),
                                          TaskProgress.problems != "")
                                   .order_by(TaskProgress.recorded_on))).all() if ids else []
    problems: dict[uuid.UUID, list[str]] = defaultdict(list)
    for task_id, text in notes:
        problems[task_id].append(text)
    return Facts(
        [TaskFact(t.id, t.unit_id, t.title, t.due_on, t.status, t.completed_on, t.person_id)
         for t in rows],
        [MilestoneFact(m.id, m.task_id, m.title, m.due_on, m.done_on) for m in milestones],
        [(a, b) for a, b in fixes], dict(problems))


def _require_scope(ctx: Context) -> None:
    """Lists need some reach: everything, or the units one manages."""
    if ctx.authz.read_scope(Permission.supervision_read).nothing:
        raise forbidden()


async def overdue(ctx: Context, as_of: date, year: int | None = None) -> list[OverdueItem]:
    _require_scope(ctx)
    facts = await _facts(ctx, year)
    return overdue_items(facts.tasks, facts.milestones, facts.rectified, as_of)


async def summary(ctx: Context, as_of: date, year: int | None = None) -> list[UnitSummary]:
    """Completion, problems and overdue items per unit: what the office circulates."""
    _require_scope(ctx)
    facts = await _facts(ctx, year)
    items = overdue_items(facts.tasks, facts.milestones, facts.rectified, as_of)
    return summarize(facts.tasks, items, facts.problems)


def overdue_cursor(item: OverdueItem) -> str:
    """Earliest due first (the longest overdue), then the task and milestone: unique."""
    return f"{item.due_on.isoformat()}|{item.task_id}|{item.milestone_id or ''}"


async def overdue_page(ctx: Context, as_of: date, year: int | None, first: int,
                       after: str | None, unit_id: uuid.UUID | None = None
                       ) -> Page[OverdueItem]:
    """One page of the open items; ``unit_id`` keeps one department's (the office's filter)."""
    check_page_size(first, MAX_PAGE)
    items = await overdue(ctx, as_of, year)
    if unit_id is not None:
        items = [i for i in items if i.unit_id == unit_id]
    return list_page(items, overdue_cursor, first, after)


def progress_cursor(row: TaskProgress) -> str:
    return f"{row.recorded_on.isoformat()}|{row.id}"


async def progress_of(ctx: Context, task_ids: Sequence[uuid.UUID]) -> list[list[TaskProgress]]:
    """Batch function: each task's progress records, oldest first, for whoever may supervise
    the task (others get none); one query for all the tasks."""
    rows = (await ctx.session.execute(
        select(TaskProgress, Task).join(Task, and_(Task.tenant_id == TaskProgress.tenant_id,
                                                   Task.id == TaskProgress.task_id))
        .where(TaskProgress.task_id.in_(task_ids)))).all()
    out: dict[uuid.UUID, list[TaskProgress]] = defaultdict(list)
    for row, task in rows:
        if ctx.can(Permission.supervision_read, task_target(task)):
            out[row.task_id].append(row)
    return [sorted(out.get(i, []), key=progress_cursor) for i in task_ids]


def progress_page(rows: Sequence[TaskProgress], first: int,
                  after: str | None) -> Page[TaskProgress]:
    check_page_size(first, MAX_PAGE)
    return list_page(rows, progress_cursor, first, after)
