"""Target tasks (目标任务): created from their source, decomposed tenant -> unit -> person.

A tenant-level task is the unit's own target (from 中央/省委/市委决策部署, 全会工作安排 or
临时交办). Decomposing it gives department tasks (考事), and decomposing those gives the
people's tasks (考人); every child keeps its parent, so a department's task stays linked to the
people's tasks that carry it. Who may do what (authz/policy.csv, "task"):

* create a tenant-level task: tenant admin, principal leader, office;
* assign or decompose to a unit or a person, edit or cancel such a task: only inside the units
  one manages (department head, supervising leader), anywhere (principal leader, admin);
* report progress (status, milestones): the assignee, their managers, the office, the admin;
* read: every member reads the tenant's and departments' tasks; a person's tasks are read by
  the person, whoever manages them, the office and the admin.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.exc import IntegrityError

from authz import Permission, Target
from authz.scopes import person_rows
from models import OrgUnit, Person, SchemeNode, SchemeVersion, Task, TaskMilestone
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, Problem, UserFacingError, fail, forbidden, not_found
from resolvers.org.tree import units_below
from resolvers.plans.schemes import scheme_of_year, today
from rules.task_status import milestone_overdue, task_overdue
from vocab.plans import IndicatorKind, TaskLevel, TaskSource, TaskStatus

MAX_TITLE = 300


@dataclass(frozen=True)
class MilestoneInput:
    title: str
    due_on: date
    done_on: date | None = None


@dataclass(frozen=True)
class TaskInput:
    year: int
    title: str
    source_kind: str = TaskSource.ad_hoc.value
    source_text: str = ""
    description: str = ""
    code: str = ""
    unit_id: uuid.UUID | None = None
    person_id: uuid.UUID | None = None
    due_on: date | None = None
    indicator_codes: tuple[str, ...] = ()
    milestones: tuple[MilestoneInput, ...] = ()
    parent_id: uuid.UUID | None = None


@dataclass(frozen=True)
class TaskFilter:
    year: int | None = None
    level: str | None = None
    unit_id: uuid.UUID | None = None
    person_id: uuid.UUID | None = None
    parent_id: uuid.UUID | None = None
    status: str | None = None
    source_kind: str | None = None
    search: str | None = None
    overdue_on: date | None = None


@dataclass(frozen=True)
class PartInput:
    """One part of a decomposition: to a unit or to a person."""

    unit_id: uuid.UUID | None = None
    person_id: uuid.UUID | None = None
    title: str = ""
    due_on: date | None = None
    milestones: tuple[MilestoneInput, ...] = field(default_factory=tuple)


# --- rights ----------------------------------------------------------------------------------


def target_of(level: str, unit_id: uuid.UUID | None, person: Person | None,
              task_id: uuid.UUID | None = None) -> Target:
    if level == TaskLevel.person and person is not None:
        return Target(kind="task", id=task_id, person_id=person.id, unit_id=person.unit_id)
    if level == TaskLevel.unit:
        return Target(kind="task", id=task_id, unit_id=unit_id)
    return Target(kind="task", id=task_id)


async def _target(ctx: Context, task: Task) -> Target:
    person = (await ctx.session.get(Person, (ctx.me.tenant_id, task.person_id))
              if task.person_id else None)
    return target_of(task.level, task.unit_id, person, task.id)


async def _require_plan_change(ctx: Context, task: Task) -> None:
    """Editing, cancelling: tenant-level tasks by who creates them, others by who assigns."""
    if task.level == TaskLevel.tenant:
        ctx.require(Permission.task_create)
    else:
        ctx.require(Permission.task_assign, await _target(ctx, task))


def readable_tasks(ctx: Context) -> Select[Task]:
    """The tasks the caller may read: the tenant's and departments' tasks for every member
    (``task_plan:read``); a person's tasks by the read scope of ``task:read``."""
    org = Task.level != TaskLevel.person if ctx.can(Permission.task_plan_read) else false()
    scope = ctx.authz.read_scope(Permission.task_read)
    personal = and_(Task.level == TaskLevel.person,
                    person_rows(scope, ctx.me.person_id, Task.person_id, Person.unit_id))
    return (select(Task)
            .outerjoin(Person, and_(Person.tenant_id == Task.tenant_id,
                                    Person.id == Task.person_id))
            .where(or_(org, personal)))


# --- reading ---------------------------------------------------------------------------------


async def list_tasks(ctx: Context, flt: TaskFilter) -> Sequence[Task]:
    stmt = readable_tasks(ctx)
    if flt.year is not None:
        stmt = stmt.where(Task.year == flt.year)
    if flt.level:
        stmt = stmt.where(Task.level == flt.level)
    if flt.unit_id is not None:
        stmt = stmt.where(Task.unit_id.in_(await units_below(ctx, flt.unit_id)))
    if flt.person_id is not None:
        stmt = stmt.where(Task.person_id == flt.person_id)
    if flt.parent_id is not None:
        stmt = stmt.where(Task.parent_id == flt.parent_id)
    if flt.status:
        stmt = stmt.where(Task.status == flt.status)
    if flt.source_kind:
        stmt = stmt.where(Task.source_kind == flt.source_kind)
    if flt.search:
        like = f"%{flt.search.strip()}%"
        stmt = stmt.where(or_(Task.title.ilike(like), Task.code.ilike(like),
                              Task.source_text.ilike(like)))
    if flt.overdue_on is not None:
        late_milestone = select(TaskMilestone.task_id).where(
            TaskMilestone.done_on.is_(None), TaskMilestone.due_on < flt.overdue_on)
        stmt = stmt.where(Task.status.not_in([TaskStatus.done, TaskStatus.cancelled]),
                          or_(Task.due_on < flt.overdue_on, Task.id.in_(late_milestone)))
    return (await ctx.session.scalars(stmt.order_by(Task.year, Task.code))).all()


async def get_task(ctx: Context, task_id: uuid.UUID) -> Task:
    task = await ctx.session.scalar(readable_tasks(ctx).where(Task.id == task_id))
    if task is None:
        raise not_found("任务")
    return task


async def tasks_by_ids(ctx: Context, ids: Sequence[uuid.UUID]) -> list[Task | None]:
    rows = (await ctx.session.scalars(readable_tasks(ctx).where(Task.id.in_(ids)))).all()
    by_id = {t.id: t for t in rows}
    return [by_id.get(i) for i in ids]


async def children_by_task(ctx: Context, ids: Sequence[uuid.UUID]) -> list[list[Task]]:
    rows = (await ctx.session.scalars(readable_tasks(ctx).where(Task.parent_id.in_(ids))
                                      .order_by(Task.code))).all()
    out: dict[uuid.UUID, list[Task]] = defaultdict(list)
    for row in rows:
        if row.parent_id is not None:
            out[row.parent_id].append(row)
    return [out.get(i, []) for i in ids]


async def milestones_by_task(ctx: Context, ids: Sequence[uuid.UUID]
                             ) -> list[list[TaskMilestone]]:
    """Milestones of tasks the caller reads (the ids come from readable tasks)."""
    rows = (await ctx.session.scalars(
        select(TaskMilestone).where(TaskMilestone.task_id.in_(
            readable_tasks(ctx).where(Task.id.in_(ids)).with_only_columns(Task.id)))
        .order_by(TaskMilestone.sort_order, TaskMilestone.due_on))).all()
    out: dict[uuid.UUID, list[TaskMilestone]] = defaultdict(list)
    for row in rows:
        out[row.task_id].append(row)
    return [out.get(i, []) for i in ids]


async def my_tasks(ctx: Context, year: int) -> Sequence[Task]:
    """The caller's own tasks and the tasks of the caller's department."""
    me = ctx.me.person_id
    if me is None:
        return []
    person = await ctx.session.get(Person, (ctx.me.tenant_id, me))
    if person is None:
        return []
    return (await ctx.session.scalars(readable_tasks(ctx).where(
        Task.year == year, or_(Task.person_id == me,
                               and_(Task.level == TaskLevel.unit,
                                    Task.unit_id == person.unit_id))
    ).order_by(Task.code))).all()


def is_overdue(task: Task, on: date) -> bool:
    return task_overdue(task.status, task.due_on, on)


def milestone_is_overdue(task: Task, milestone: TaskMilestone, on: date) -> bool:
    return milestone_overdue(task.status, milestone.due_on, milestone.done_on, on)


# --- writing ---------------------------------------------------------------------------------


def check_task_fields(title: str, source_kind: str, due_on: date | None,
                      milestones: Sequence[MilestoneInput]) -> list[Problem]:
    problems = []
    if not title.strip():
        problems.append(Problem(ErrorCode.INVALID, "任务名称不能为空", "title"))
    elif len(title.strip()) > MAX_TITLE:
        problems.append(Problem(ErrorCode.INVALID, f"任务名称不能超过{MAX_TITLE}个字", "title"))
    if source_kind not in set(TaskSource):
        problems.append(Problem(ErrorCode.INVALID, "任务来源无效", "sourceKind"))
    for m in milestones:
        if not m.title.strip():
            problems.append(Problem(ErrorCode.INVALID, "时间节点名称不能为空", "milestones"))
        if due_on is not None and m.due_on > due_on:
            problems.append(Problem(ErrorCode.INVALID,
                                    f"时间节点“{m.title}”不能晚于完成时限{due_on.isoformat()}",
                                    "milestones"))
    return problems


async def check_indicator_codes(ctx: Context, year: int, codes: Sequence[str]) -> list[str]:
    """The codes that are not indicators of the year's scheme (its latest version)."""
    if not codes:
        return []
    scheme = await scheme_of_year(ctx, year)
    if scheme is None:
        return list(codes)
    known = set((await ctx.session.scalars(
        select(SchemeNode.code).join(SchemeVersion, SchemeVersion.id == SchemeNode.version_id)
        .where(SchemeVersion.scheme_id == scheme.id,
               SchemeNode.kind != IndicatorKind.category))).all())
    return [c for c in codes if c not in known]


async def _placement(ctx: Context, data: TaskInput) -> tuple[str, Person | None]:
    """The level and assignee of a new task, checked against its parent."""
    person = None
    if data.person_id is not None:
        person = await ctx.session.get(Person, (ctx.me.tenant_id, data.person_id))
        if person is None:
            raise not_found("人员")
        level = TaskLevel.person
    elif data.unit_id is not None:
        if await ctx.session.get(OrgUnit, (ctx.me.tenant_id, data.unit_id)) is None:
            raise not_found("部门")
        level = TaskLevel.unit
    else:
        level = TaskLevel.tenant
    return level, person


async def _check_parent(ctx: Context, parent: Task, level: str, unit_id: uuid.UUID | None,
                        person: Person | None) -> None:
    if parent.level == TaskLevel.person:
        raise fail(ErrorCode.INVALID, "个人任务不能再分解", "parentId")
    if parent.level == TaskLevel.tenant:
        if level != TaskLevel.unit:
            raise fail(ErrorCode.INVALID, "单位任务先分解到部门，再由部门分解到个人", "unitId")
        return
    assert parent.unit_id is not None
    below = await units_below(ctx, parent.unit_id)
    where = person.unit_id if person is not None else unit_id
    if where not in below or (level == TaskLevel.unit and unit_id == parent.unit_id):
        raise fail(ErrorCode.INVALID, "部门任务只能分解给本部门（含下级部门）的人员或下级部门",
                   "personId" if person is not None else "unitId")


async def _next_code(ctx: Context, year: int, parent: Task | None) -> str:
    if parent is not None:
        base = parent.code
        count = await ctx.session.scalar(select(func.count()).select_from(Task)
                                         .where(Task.parent_id == parent.id))
    else:
        base = f"RW{year}"
        count = await ctx.session.scalar(select(func.count()).select_from(Task).where(
            Task.year == year, Task.parent_id.is_(None)))
    n = int(count or 0) + 1
    while True:
        code = f"{base}-{n:02d}" if parent is None else f"{base}-{n}"
        if not await ctx.session.scalar(select(Task.id).where(Task.year == year,
                                                              Task.code == code)):
            return code
        n += 1


async def create_task(ctx: Context, data: TaskInput) -> Task:
    """A task at the level its assignee implies: tenant (none), unit, or person."""
    level, person = await _placement(ctx, data)
    unit_id = person.unit_id if person is not None else data.unit_id
    if level == TaskLevel.tenant:
        ctx.require(Permission.task_create)
    else:
        ctx.require(Permission.task_assign, target_of(level, unit_id, person))
    parent = None
    if data.parent_id is not None:
        parent = await get_task(ctx, data.parent_id)
        await _check_parent(ctx, parent, level, unit_id, person)
        if parent.year != data.year:
            raise fail(ErrorCode.INVALID, "分解的任务与上级任务须在同一年度", "year")
    problems = check_task_fields(data.title, data.source_kind, data.due_on, data.milestones)
    unknown = await check_indicator_codes(ctx, data.year, data.indicator_codes)
    if unknown:
        problems.append(Problem(ErrorCode.INVALID, f"关联指标“{'、'.join(unknown)}”不在"
                                f"{data.year}年度指标体系中", "indicatorCodes"))
    if problems:
        raise UserFacingError(*problems)
    code = data.code.strip() or await _next_code(ctx, data.year, parent)
    task = Task(tenant_id=ctx.me.tenant_id, year=data.year, code=code,
                title=data.title.strip(), description=data.description.strip(),
                source_kind=data.source_kind, source_text=data.source_text.strip(),
                level=level, parent_id=parent.id if parent else None, unit_id=unit_id,
                person_id=person.id if person else None, due_on=data.due_on,
                status=TaskStatus.not_started, indicator_codes=list(data.indicator_codes))
    ctx.session.add(task)
    try:
        await ctx.session.flush()
    except IntegrityError as exc:
        raise fail(ErrorCode.DUPLICATE, f"任务编号“{code}”在{data.year}年度已存在",
                   "code") from exc
    ctx.session.add_all(_milestone_rows(ctx, task, data.milestones))
    await ctx.session.flush()
    audit.record(ctx, "task.create", "task", task.id, None, audit.snapshot(task))
    return task


def _milestone_rows(ctx: Context, task: Task,
                    milestones: Sequence[MilestoneInput]) -> list[TaskMilestone]:
    return [TaskMilestone(tenant_id=ctx.me.tenant_id, task_id=task.id, title=m.title.strip(),
                          due_on=m.due_on, done_on=m.done_on, sort_order=i)
            for i, m in enumerate(milestones)]


async def decompose_task(ctx: Context, task_id: uuid.UUID, parts: Sequence[PartInput]
                         ) -> list[Task]:
    """Children of a task, one per part; each inherits source, due date and indicators."""
    parent = await get_task(ctx, task_id)
    if not parts:
        raise fail(ErrorCode.INVALID, "请至少指定一个分解对象", "parts")
    out = []
    for part in parts:
        out.append(await create_task(ctx, TaskInput(
            year=parent.year, title=part.title.strip() or parent.title,
            source_kind=parent.source_kind, source_text=parent.source_text,
            description=parent.description, unit_id=part.unit_id, person_id=part.person_id,
            due_on=part.due_on or parent.due_on, indicator_codes=tuple(parent.indicator_codes),
            milestones=part.milestones, parent_id=parent.id)))
    return out


@dataclass(frozen=True)
class TaskUpdate:
    title: str
    source_kind: str
    source_text: str = ""
    description: str = ""
    due_on: date | None = None
    indicator_codes: tuple[str, ...] = ()
    milestones: tuple[MilestoneInput, ...] | None = None  # None keeps them


async def update_task(ctx: Context, task_id: uuid.UUID, data: TaskUpdate) -> Task:
    task = await get_task(ctx, task_id)
    await _require_plan_change(ctx, task)
    problems = check_task_fields(data.title, data.source_kind, data.due_on,
                                 data.milestones or ())
    unknown = await check_indicator_codes(ctx, task.year, data.indicator_codes)
    if unknown:
        problems.append(Problem(ErrorCode.INVALID, f"关联指标“{'、'.join(unknown)}”不在"
                                f"{task.year}年度指标体系中", "indicatorCodes"))
    if problems:
        raise UserFacingError(*problems)
    before = audit.snapshot(task)
    task.title, task.source_kind = data.title.strip(), data.source_kind
    task.source_text, task.description = data.source_text.strip(), data.description.strip()
    task.due_on, task.indicator_codes = data.due_on, list(data.indicator_codes)
    if data.milestones is not None:
        old = (await ctx.session.scalars(select(TaskMilestone).where(
            TaskMilestone.task_id == task.id))).all()
        for row in old:
            await ctx.session.delete(row)
        ctx.session.add_all(_milestone_rows(ctx, task, data.milestones))
    await ctx.session.flush()
    audit.record(ctx, "task.update", "task", task.id, before, audit.snapshot(task))
    return task


async def set_status(ctx: Context, task_id: uuid.UUID, status: str) -> Task:
    """Progress by the assignee or supervisors; cancelling is a change of the plan."""
    task = await get_task(ctx, task_id)
    if status not in set(TaskStatus):
        raise fail(ErrorCode.INVALID, "任务状态无效", "status")
    if status == TaskStatus.cancelled or task.level == TaskLevel.tenant:
        await _require_plan_change(ctx, task)
    elif not ctx.can(Permission.task_progress, await _target(ctx, task)):
        raise forbidden()
    before = audit.snapshot(task)
    task.status = status
    task.completed_on = today(ctx) if status == TaskStatus.done else None
    await ctx.session.flush()
    audit.record(ctx, "task.status", "task", task.id, before, audit.snapshot(task))
    return task


async def set_milestone_done(ctx: Context, milestone_id: uuid.UUID, done_on: date | None
                             ) -> TaskMilestone:
    milestone = await ctx.session.get(TaskMilestone, (ctx.me.tenant_id, milestone_id))
    if milestone is None:
        raise not_found("时间节点")
    task = await get_task(ctx, milestone.task_id)
    if task.level == TaskLevel.tenant:
        await _require_plan_change(ctx, task)
    elif not ctx.can(Permission.task_progress, await _target(ctx, task)):
        raise forbidden()
    before = audit.snapshot(milestone)
    milestone.done_on = done_on
    await ctx.session.flush()
    audit.record(ctx, "task.milestone", "task_milestone", milestone.id, before,
                 audit.snapshot(milestone))
    return milestone


__all__ = ["MilestoneInput", "PartInput", "TaskFilter", "TaskInput", "TaskUpdate",
           "create_task", "decompose_task", "get_task", "list_tasks", "milestone_overdue",
           "my_tasks", "set_milestone_done", "set_status", "task_overdue", "update_task"]
