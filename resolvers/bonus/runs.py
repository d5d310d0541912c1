"""Two-level bonus runs: start (a job), confirm (frozen, audited), and read them.

Who sees what:
- the tenant admin starts and confirms runs; the admin and the principal leader read whole runs,
  drafts included (``bonus_run:read``);
- everyone else sees confirmed runs only, and in them the lines ``bonus_line:read`` allows: their
  own line, and the lines of the people they manage (the org tree's "manages" relation).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Protocol

from sqlalchemy import Select, and_, false, select, tuple_

from authz import Permission, Target
from authz.scopes import person_rows
from models import BonusDepartment, BonusLine, BonusRun, OrgUnit, Period, Person, UnitResult
from models.jobs import Job
from resolvers import audit, jobs
from resolvers.bonus.compute import load_snapshot
from resolvers.bonus.params import check
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail, not_found
from resolvers.oversight import closed_figures
from resolvers.pagination import Page, check_page_size, empty_page, keyset_page
from rules.bonus.attribution import missing_department_results
from rules.bonus.explain import DepartmentFigures, excluded_explanation, person_explanation
from rules.bonus.params import BonusRunParams
from vocab.jobs import BonusBase, BonusRunStatus, JobKind
from vocab.periods import PeriodKind

MAX_PAGE = 500


# --- starting and confirming -------------------------------------------------------------------


async def start_bonus_run(ctx: Context, params: BonusRunParams) -> Job:
    """Checks the inputs and queues the computation (a rerun later replaces the draft)."""
    ctx.require(Permission.bonus_run_start)
    check(params)
    period = await ctx.session.get(Period, (ctx.me.tenant_id, params.period_id))
    if period is None:
        raise not_found("考核周期")
    if period.kind != PeriodKind.year:
        raise fail(ErrorCode.INVALID, "奖金分配须选择年度考核周期", "periodId")
    confirmed = await ctx.session.scalar(select(BonusRun.id).where(
        BonusRun.period_id == period.id, BonusRun.status == BonusRunStatus.confirmed))
    if confirmed is not None:
        raise fail(ErrorCode.FROZEN, f"{period.name}的奖金分配已确认，不能重新计算", "periodId")
    levels = set((await ctx.session.scalars(select(UnitResult.level).distinct().where(
        UnitResult.period_id == period.id))).all())
    missing = sorted(levels - set(params.department_coefficients))
    if missing:
        raise fail(ErrorCode.INVALID,
                   f"部门考核结果「{'、'.join(missing)}」未配置部门系数", "departmentCoefficients")
    await _require_department_results(ctx, period, params)
    if params.base == BonusBase.configured:
        ids = list(params.department_bases)
        found = set((await ctx.session.scalars(
            select(OrgUnit.id).where(OrgUnit.id.in_(ids)))).all())
        if found != set(ids):
            raise not_found("部门")
    data = params.to_json() | {"period_name": period.name}
    job = await jobs.create_job(ctx, JobKind.bonus_run, data)
    audit.record(ctx, "bonus_run.start", "job", job.id, after=data, reason=params.note)
    return job


async def _require_department_results(ctx: Context, period: Period,
                                      params: BonusRunParams) -> None:
    """Level one splits the pool by department result: name the departments without one."""
    snapshot = await load_snapshot(ctx, period.id)
    missing = missing_department_results(snapshot, params)
    if not missing:
        return
    units = sorted(missing, key=lambda u: snapshot.tree.position(u) or 0)
    listed = "、".join(f"「{snapshot.names.get(u, '')}」（{missing[u]}人）" for u in units)
    raise fail(ErrorCode.RULE_VIOLATION,
               f"以下部门无{period.name}的部门考核结果，无法按部门考核结果分配第一级奖金：{listed}。"
               "请先计算或录入部门考核结果，或设置无部门考核结果时采用的档次",
               "unratedDepartmentLevel")


async def confirm_bonus_run(ctx: Context, run_id: uuid.UUID, reason: str = "") -> BonusRun:
    ctx.require(Permission.bonus_run_confirm)
    run = await ctx.session.get(BonusRun, (ctx.me.tenant_id, run_id), with_for_update=True)
    if run is None:
        raise not_found("奖金分配")
    if run.status != BonusRunStatus.draft:
        raise fail(ErrorCode.FROZEN, "该奖金分配已确认，不能再次确认或修改")
    before = audit.snapshot(run)
    run.status = BonusRunStatus.confirmed.value
    run.confirmed_at = ctx.now()
    run.confirmed_by = ctx.me.subject
    await ctx.session.flush()
    audit.record(ctx, "bonus_run.confirm", "bonus_run", run.id, before, audit.snapshot(run),
                 reason=reason.strip())
    # The period's bonus figures changed: a closed period's city figures are stored anew
    # (the database forgot them when the run was confirmed).
    period = await ctx.session.get(Period, (ctx.me.tenant_id, run.period_id))
    if period is not None:
        await closed_figures.store_on_close(ctx, period)
    return run


# --- reading -----------------------------------------------------------------------------------


def reads_whole_runs(ctx: Context) -> bool:
    return ctx.can(Permission.bonus_run_read)


def _visible_runs(ctx: Context) -> Select[BonusRun]:
    stmt = select(BonusRun)
    if reads_whole_runs(ctx):
        return stmt
    if ctx.authz.read_scope(Permission.bonus_line_read).nothing:
        return stmt.where(false())
    return stmt.where(BonusRun.status == BonusRunStatus.confirmed)


async def list_runs(ctx: Context, period_id: uuid.UUID | None = None) -> Sequence[BonusRun]:
    stmt = _visible_runs(ctx).order_by(BonusRun.created_at.desc(), BonusRun.id)
    if period_id is not None:
        stmt = stmt.where(BonusRun.period_id == period_id)
    return (await ctx.session.scalars(stmt)).all()


async def find_run(ctx: Context, run_id: uuid.UUID) -> BonusRun | None:
    return await ctx.session.scalar(_visible_runs(ctx).where(BonusRun.id == run_id))


async def runs_by_ids(ctx: Context, ids: Sequence[uuid.UUID]) -> list[BonusRun | None]:
    rows = (await ctx.session.scalars(_visible_runs(ctx).where(BonusRun.id.in_(ids)))).all()
    by_id = {r.id: r for r in rows}
    return [by_id.get(i) for i in ids]


async def get_run(ctx: Context, run_id: uuid.UUID) -> BonusRun:
    run = await find_run(ctx, run_id)
    if run is None:
        raise not_found("奖金分配")
    return run


async def departments(ctx: Context, run_id: uuid.UUID) -> Sequence[BonusDepartment]:
    """Level 1 of a run: only for those who read whole runs."""
    if not reads_whole_runs(ctx):
        return []
    return (await ctx.session.scalars(select(BonusDepartment).where(
        BonusDepartment.run_id == run_id).order_by(BonusDepartment.sort_order))).all()


async def departments_by_key(ctx: Context, keys: Sequence[tuple[uuid.UUID, uuid.UUID]]
                             ) -> list[BonusDepartment | None]:
    """(run id, unit id) -> the department line; the caller has already seen a line of it."""
    rows = (await ctx.session.scalars(select(BonusDepartment).where(
        tuple_(BonusDepartment.run_id, BonusDepartment.unit_id).in_(list(keys))))).all()
    by_key = {(d.run_id, d.unit_id): d for d in rows}
    return [by_key.get(k) for k in keys]


def readable_bonus_lines(ctx: Context) -> Select[BonusLine]:
    """Person lines the caller may read (of any run: callers check the run), joined to the
    person."""
    scope = ctx.authz.read_scope(Permission.bonus_line_read)
    return (select(BonusLine)
            .join(Person, and_(Person.tenant_id == BonusLine.tenant_id,
                               Person.id == BonusLine.person_id))
            .where(person_rows(scope, ctx.me.person_id, Person.id, Person.unit_id)))


async def list_lines(ctx: Context, run_id: uuid.UUID, first: int = 100, after: str | None = None,
                     unit_id: uuid.UUID | None = None, search: str | None = None
                     ) -> Page[BonusLine]:
    """A run's person lines the caller may read, by employee number."""
    check_page_size(first, MAX_PAGE)
    run = await find_run(ctx, run_id)
    if run is None:
        return empty_page(BonusLine.employee_no)
    stmt = readable_bonus_lines(ctx).where(BonusLine.run_id == run.id)
    if unit_id is not None:
        stmt = stmt.where(BonusLine.unit_id == unit_id)
    if search:
        like = f"%{search.strip()}%"
        stmt = stmt.where(BonusLine.name.ilike(like) | BonusLine.employee_no.ilike(like))
    return await keyset_page(ctx.session, stmt, BonusLine.employee_no, first, after)


class LineNumbers(Protocol):
    """What ``line_explanation`` reads of a person line (a ``BonusLine`` or a row of its
    columns)."""

    @property
    def included(self) -> bool: ...
    @property
    def grade(self) -> str | None: ...
    @property
    def note(self) -> str: ...
    @property
    def unit_id(self) -> uuid.UUID | None: ...
    @property
    def coefficient(self) -> Decimal | None: ...
    @property
    def exact_cents(self) -> str: ...
    @property
    def cents(self) -> int: ...
    @property
    def rounding_cents(self) -> int: ...
    @property
    def floor_applied(self) -> bool: ...
    @property
    def cap_applied(self) -> bool: ...


# The columns ``line_explanation`` reads, for selects of a few columns.
EXPLANATION_COLUMNS = (BonusLine.included, BonusLine.grade, BonusLine.note, BonusLine.unit_id,
                       BonusLine.coefficient, BonusLine.exact_cents, BonusLine.cents,
                       BonusLine.rounding_cents, BonusLine.floor_applied, BonusLine.cap_applied)


def line_explanation(line: LineNumbers, department: BonusDepartment | None) -> str:
    """A person line's Chinese explanation, rendered from its numbers and those of its
    department line (``department``: the run's line of ``line.unit_id``; not needed for a line
    left out or at coefficient 0). Runs store no explanation per person."""
    if not line.included or line.grade is None:
        return excluded_explanation(line.note)
    figures = DepartmentFigures(0, 0, Fraction(0))
    if department is not None:
        figures = DepartmentFigures(department.cents, department.bound_cents,
                                    Fraction(department.free_coefficient))
    return person_explanation(figures, line.grade, Fraction(line.coefficient or 0),
                              Fraction(line.exact_cents), line.cents, line.rounding_cents,
                              floor=line.floor_applied, cap=line.cap_applied)


def needs_department(line: LineNumbers) -> bool:
    """Whether ``line_explanation`` reads the line's department."""
    return line.included and line.unit_id is not None and bool(line.coefficient)


async def own_line(ctx: Context, run_id: uuid.UUID) -> BonusLine | None:
    me = ctx.me.person_id
    if me is None or not ctx.can(Permission.bonus_line_read, Target(
            kind="bonus_line", person_id=me, unit_id=None)):
        return None
    if await find_run(ctx, run_id) is None:
        return None
    return await ctx.session.scalar(select(BonusLine).where(
        BonusLine.run_id == run_id, BonusLine.person_id == me))
