"""The sign-off chain (逐级审核): grades confirmed level by level.

The tenant configures the chain (``review.signoff_chain`` in tenants/config.py): levels, first
first, each with a Chinese name and the role that acts at it:

* ``department_head`` (科室负责人): a department head, for the departments they manage;
* ``supervising_leader`` (分管领导): a supervising leader, for the departments they supervise;
* ``committee`` (考核委员会): whoever reviews today (the tenant admin or the principal leader);
* ``principal_leader`` (主要领导): the principal leader.

Department levels come first and act per department; the unit levels (committee, principal
leader) act once for the whole unit; the last level is a unit level. The default chain is one
unit level (综合研判 by the committee): ``reviewGrade`` and ``confirmGrades`` work as before.

Scopes and state (folded from the append-only ``signoff_steps``, one row per step):

* a department scope per department (the nearest unit of kind department above a result's
  unit) that has an appraised result; it starts at level 0 and reaches ``D`` (the number of
  department levels) when its last department level passed it;
* the unit scope starts at level ``D``; it waits until every department scope reached ``D``
  (people outside any department are reviewed only at the unit levels);
* each step records the level that acted, the level the scope is at afterwards, who, when, and
  the note (passing) or the required reason (returning).

Acting: ``sign_off`` passes the scope at its current level on to the next; ``return_sign_off``
sends it back to the level before with a reason (the first unit level returns one department,
named as the scope, to its last department level; the first level cannot return). Only the
current level's role acts (``NOT_YOUR_TURN``: "当前应由分管领导审核"), and for a department
level only for the departments that person manages.

Grades: while the chain runs (a chain other than the default), the current level of a person's
scope may change their grade through ``review.review_grade`` (the same reasons and rule checks;
only unit levels may override a rule); a change is not a confirmation. When the last level
passes, every appraised result is confirmed (ties cut by a line must have been decided), which
is what the publicity guard waits for. Every step is audited (``signoff.pass`` /
``signoff.return`` on ``signoff_step``); each confirmation as ``grade.confirm``.

A period keeps the chain of its first step (stored on every step), whatever the tenant changes
later.

Recomputing (``computeResults``, the annual computation: any replacement of the proposed grades)
while the chain is under way sends every scope back to its first level: the levels decided on
numbers that no longer hold. One ``restarted`` step (unit scope, by whoever recomputed) records
it, audited as ``signoff.restart``, and every account that passed or returned since the chain
last started is told (``signoff_restarted``). A chain nobody acted on yet is left alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from authz import Permission
from models import Account, OrgUnit, Period, Person, PersonResult, SignoffStep
from resolvers import audit
from resolvers.appraisal.confirmation import confirm, refuse_undecided_ties
from resolvers.appraisal.grading import AFTER_RECOMPUTE, results_of
from resolvers.appraisal.periods import ensure_open, get_period
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail, not_found
from resolvers.notifications.send import notify
from resolvers.org.tree import org_tree
from resolvers.tenant_config import tenant_config
from vocab.grades import ResultStatus
from vocab.notifications import NotificationEvent
from vocab.org import Role, UnitKind
from vocab.periods import PeriodState
from vocab.signoff import DEPARTMENT_ROLES, SignoffAction, SignoffRole

UNIT_SCOPE_NAME = "全单位"


@dataclass(frozen=True)
class Level:
    index: int
    name: str
    role: SignoffRole

    @property
    def per_department(self) -> bool:
        return self.role in DEPARTMENT_ROLES


@dataclass
class Scope:
    """A department (``department_id``) or the whole unit (None) and where it is in the chain."""

    department_id: uuid.UUID | None
    name: str
    level: int  # the level that acts next; len(chain): passed by the last level
    waiting: bool = False  # the unit scope while a department is still at a department level
    people: int = 0  # appraised results in the scope
    history: list[SignoffStep] = field(default_factory=list)

    @property
    def returned(self) -> SignoffStep | None:
        """The last step when it returned the scope (the level now acting reads its reason)."""
        last = self.history[-1] if self.history else None
        return last if last is not None and last.action == SignoffAction.returned else None


@dataclass
class SignoffState:
    period: Period
    levels: list[Level]
    scopes: list[Scope]  # departments by the org tree's order, then the unit

    @property
    def department_levels(self) -> int:
        return sum(1 for level in self.levels if level.per_department)

    @property
    def unit(self) -> Scope:
        return self.scopes[-1]

    @property
    def done(self) -> bool:
        return self.unit.level >= len(self.levels)

    def scope(self, department_id: uuid.UUID | None) -> Scope:
        found = next((s for s in self.scopes if s.department_id == department_id), None)
        if found is None:
            raise not_found("审核范围")
        return found

    def current(self, scope: Scope) -> Level | None:
        """The level that acts on the scope now (None when done or waiting)."""
        if scope.waiting or scope.level >= len(self.levels):
            return None
        return self.levels[scope.level]


def levels_of(chain: Sequence[dict[str, Any]]) -> list[Level]:
    return [Level(i, str(level["name"]).strip(), SignoffRole(level["role"]))
            for i, level in enumerate(chain)]


def is_default(levels: Sequence[Level]) -> bool:
    """The one-level chain of the committee: today's review, confirmGrades confirms at once."""
    return len(levels) == 1 and levels[0].role == SignoffRole.committee


async def chain_of(ctx: Context, period: Period) -> list[Level]:
    """The period's chain: the one its first step was taken under, else the tenant's."""
    first = await ctx.session.scalar(
        select(SignoffStep.chain).where(SignoffStep.period_id == period.id)
        .order_by(SignoffStep.created_at, SignoffStep.id).limit(1))
    if first is not None:
        return levels_of(first)
    return levels_of((await tenant_config(ctx)).review.signoff_chain)


async def _departments(ctx: Context) -> tuple[dict[uuid.UUID, str], list[uuid.UUID]]:
    """The departments (units of kind department below the root, as for department results)
    by id, and their order in the org tree."""
    rows = (await ctx.session.execute(select(OrgUnit.id, OrgUnit.name).where(
        OrgUnit.kind == UnitKind.department, OrgUnit.parent_id.is_not(None)))).all()
    tree = await org_tree(ctx)
    names = {uid: name for uid, name in rows}
    order = sorted(names, key=lambda u: (tree.position(u) is None, tree.position(u) or 0))
    return names, order


async def department_of_results(ctx: Context, rows: Sequence[PersonResult]
                                ) -> dict[uuid.UUID, uuid.UUID | None]:
    """person id -> the department their result counts in (None: outside any department)."""
    names, _ = await _departments(ctx)
    tree = await org_tree(ctx)
    return {r.person_id: (None if r.unit_id is None or r.unit_id not in tree
                          else tree.nearest(r.unit_id, names.__contains__))
            for r in rows}


async def state_of(ctx: Context, period: Period,
                   rows: Sequence[PersonResult] | None = None) -> SignoffState:
    levels = await chain_of(ctx, period)
    if rows is None:
        rows = await results_of(ctx, period.id)
    appraised = [r for r in rows if r.status == ResultStatus.appraised]
    first_unit = sum(1 for level in levels if level.per_department)
    names, order = await _departments(ctx)
    counts: dict[uuid.UUID | None, int] = {}
    for department in (await department_of_results(ctx, appraised)).values():
        counts[department] = counts.get(department, 0) + 1
    steps = (await ctx.session.scalars(select(SignoffStep).where(
        SignoffStep.period_id == period.id).order_by(SignoffStep.created_at,
                                                     SignoffStep.id))).all()
    scopes: list[Scope] = []
    if first_unit:
        stepped = {s.department_id for s in steps if s.department_id is not None}
        for department in order:
            if counts.get(department) or department in stepped:
                scopes.append(Scope(department, names[department], 0,
                                    people=counts.get(department, 0)))
    unit = Scope(None, UNIT_SCOPE_NAME, first_unit, people=sum(counts.values()))
    scopes.append(unit)
    by_department = {s.department_id: s for s in scopes}
    for step in steps:
        if step.action == SignoffAction.restarted:  # every scope back to its first level
            for each in scopes:
                each.history.append(step)
                each.level = first_unit if each is unit else 0
            continue
        scope = by_department.get(step.department_id)
        if scope is None:  # a department no longer of that kind: keep its history
            scope = Scope(step.department_id, "（已调整的部门）", 0)
            scopes.insert(len(scopes) - 1, scope)
            by_department[step.department_id] = scope
        scope.history.append(step)
        scope.level = step.to_level
    unit.waiting = any(s.level < first_unit for s in scopes if s is not unit)
    return SignoffState(period, levels, scopes)


def _holds(ctx: Context, level: Level, department_id: uuid.UUID | None) -> bool:
    """Whether the caller may act at ``level`` (for the department, at a department level)."""
    roles = ctx.me.roles
    if level.role == SignoffRole.committee:
        return bool(roles & {Role.tenant_admin, Role.principal_leader})
    if level.role == SignoffRole.principal_leader:
        return Role.principal_leader in roles
    role = Role.department_head if level.role == SignoffRole.department_head \
        else Role.supervising_leader
    return role in roles and ctx.me.managed.covers_unit(department_id)


def _turn_problem(state: SignoffState, scope: Scope) -> str:
    level = state.current(scope)
    if level is None and scope.waiting:
        pending = [s for s in state.scopes
                   if s.department_id is not None and s.level < state.department_levels]
        first = pending[0]
        return (f"{'、'.join(s.name for s in pending)}尚未完成部门审核，"
                f"当前应由{state.levels[first.level].name}审核")
    if level is None:
        return f"{scope.name}已完成逐级审核"
    return f"当前应由{level.name}审核"


def may_act(ctx: Context, state: SignoffState, scope: Scope) -> tuple[bool, bool]:
    """(may pass, may return) the scope now, for the caller."""
    level = state.current(scope)
    if level is not None:
        if not _holds(ctx, level, scope.department_id):
            return False, False
        first_unit = state.department_levels
        # the first unit level returns a department, not the unit
        return True, level.index > 0 and not (scope.department_id is None
                                               and level.index == first_unit)
    unit_level = state.current(state.unit)
    returns_department = (scope.department_id is not None and unit_level is not None
                          and unit_level.index == state.department_levels
                          and scope.level >= state.department_levels
                          and _holds(ctx, unit_level, None))
    return False, returns_department


def require_turn(ctx: Context, state: SignoffState, scope: Scope) -> Level:
    """The scope's current level, if the caller holds it; else NOT_YOUR_TURN in Chinese."""
    level = state.current(scope)
    if level is None or not _holds(ctx, level, scope.department_id):
        raise fail(ErrorCode.NOT_YOUR_TURN, _turn_problem(state, scope), "scope")
    return level


async def acting_level(ctx: Context, period: Period, rows: Sequence[PersonResult],
                       row: PersonResult) -> Level | None:
    """For a grade change in the review: None under the default chain (today's review), else
    the level the caller acts at for this person (NOT_YOUR_TURN when it is not theirs)."""
    state = await state_of(ctx, period, rows)
    if is_default(state.levels):
        return None
    department = (await department_of_results(ctx, [row]))[row.person_id]
    scope = state.unit
    if department is not None:
        own = state.scope(department)
        if own.level < state.department_levels:
            scope = own
    return require_turn(ctx, state, scope)


async def _who(ctx: Context) -> str:
    me = ctx.me
    if me.person_id is not None:
        name = await ctx.session.scalar(select(Person.name).where(Person.id == me.person_id))
        if name:
            return str(name)
    if me.account_id is not None:
        account = await ctx.session.get(Account, (me.tenant_id, me.account_id))
        if account is not None:
            return account.display_name or account.username
    return "接口调用"


async def _open(ctx: Context, period_id: uuid.UUID) -> tuple[Period, list[PersonResult]]:
    ctx.require(Permission.grade_signoff)
    period = await get_period(ctx, period_id, for_update=True)
    ensure_open(period)
    if period.state != PeriodState.reviewing:
        raise fail(ErrorCode.RULE_VIOLATION, "只能在“综合研判”阶段逐级审核")
    rows = list(await results_of(ctx, period.id, lock=True))
    if not rows:
        raise fail(ErrorCode.RULE_VIOLATION, "尚未计算得分和拟定等次，不能逐级审核")
    return period, rows


async def _step(ctx: Context, state: SignoffState, scope: Scope, level: Level, to_level: int,
                action: SignoffAction, note: str,
                department_id: uuid.UUID | None = None) -> SignoffStep:
    step = SignoffStep(period_id=state.period.id,
                       department_id=department_id if department_id else scope.department_id,
                       level=level.index, to_level=to_level, action=action.value,
                       actor=ctx.me.subject, actor_name=await _who(ctx), note=note,
                       created_at=ctx.now(),
                       chain=[{"name": lv.name, "role": lv.role.value} for lv in state.levels])
    ctx.session.add(step)
    await ctx.session.flush()
    audit.record(ctx, "signoff.pass" if action == SignoffAction.passed
                 else "signoff.return" if action == SignoffAction.returned
                 else "signoff.restart",
                 "signoff_step", step.id,
                 {"period_id": state.period.id, "scope": str(step.department_id or "unit"),
                  "level": level.index},
                 {"level": to_level, "level_name": level.name, "note": note},
                 "" if action == SignoffAction.passed else note)
    return step


async def sign_off(ctx: Context, period_id: uuid.UUID, department_id: uuid.UUID | None,
                   note: str = "") -> SignoffState:
    """Passes the scope on from its current level; the last level confirms every grade."""
    period, rows = await _open(ctx, period_id)
    state = await state_of(ctx, period, rows)
    scope = state.scope(department_id)
    level = require_turn(ctx, state, scope)
    final = level.index + 1 == len(state.levels)
    if final:
        appraised = [r for r in rows if r.status == ResultStatus.appraised]
        await refuse_undecided_ties(ctx, appraised, chained=not is_default(state.levels),
                                    field="scope")
        confirm(ctx, appraised)
    await _step(ctx, state, scope, level, level.index + 1, SignoffAction.passed, note.strip())
    return await state_of(ctx, period, rows)


async def return_sign_off(ctx: Context, period_id: uuid.UUID, department_id: uuid.UUID | None,
                          reason: str) -> SignoffState:
    """Returns the scope to the level before with a reason. At the first unit level the scope
    named is a department that goes back to its last department level."""
    period, rows = await _open(ctx, period_id)
    reason = reason.strip()
    if not reason:
        raise fail(ErrorCode.INVALID, "退回须说明理由", "reason")
    state = await state_of(ctx, period, rows)
    first_unit = state.department_levels
    if department_id is not None and state.scope(department_id).level >= first_unit:
        # a department done with its levels is returned by the first unit level
        level = require_turn(ctx, state, state.unit)
        if level.index != first_unit:
            raise fail(ErrorCode.RULE_VIOLATION,
                       f"{level.name}只能退回{state.levels[level.index - 1].name}（全单位）",
                       "scope")
        await _step(ctx, state, state.unit, level, first_unit - 1, SignoffAction.returned,
                    reason, department_id)
        return await state_of(ctx, period, rows)
    scope = state.scope(department_id)
    level = require_turn(ctx, state, scope)
    if level.index == 0:
        raise fail(ErrorCode.RULE_VIOLATION, f"{level.name}是第一级，没有可退回的上一级",
                   "scope")
    if department_id is None and level.index == first_unit:
        before = state.levels[level.index - 1].name
        raise fail(ErrorCode.INVALID, f"{level.name}退回时须选择退回的部门（退回其{before}）",
                   "scope")
    await _step(ctx, state, scope, level, level.index - 1, SignoffAction.returned, reason)
    return await state_of(ctx, period, rows)


def since_start(state: SignoffState) -> list[SignoffStep]:
    """The steps taken since the chain last (re)started, oldest first."""
    steps = sorted({s.id: s for scope in state.scopes for s in scope.history}.values(),
                   key=lambda s: (s.created_at, str(s.id)))
    restarts = [i for i, s in enumerate(steps) if s.action == SignoffAction.restarted]
    return steps[restarts[-1] + 1:] if restarts else steps


async def restart_chain(ctx: Context, period: Period) -> None:
    """Registered in ``grading.AFTER_RECOMPUTE``: proposals recomputed while levels had acted
    send every scope back to the first level, audited, and those levels are told."""
    state = await state_of(ctx, period)
    acted = since_start(state)
    if not acted or state.done:
        return
    reached = max(s.level for s in state.scopes)
    first = state.levels[0]
    note = (f"得分和拟定等次已重新计算，此前各级的审核依据已变化，逐级审核回到第一级"
            f"（{first.name}）重新开始")
    await _step(ctx, state, state.unit, state.levels[min(reached, len(state.levels) - 1)], 0,
                SignoffAction.restarted, note)
    told = sorted({uuid.UUID(s.actor.partition(":")[2]) for s in acted
                   if s.actor.startswith("account:")})
    await notify(ctx, NotificationEvent.signoff_restarted, account_ids=told,
                 link="/signoff", title=f"{period.name}逐级审核重新开始",
                 body=f"{period.name}的得分和拟定等次已重新计算，您此前的审核所依据的数据已变化。"
                      f"逐级审核已回到第一级（{first.name}），请按新的结果重新审核。")


if restart_chain not in AFTER_RECOMPUTE:
    AFTER_RECOMPUTE.append(restart_chain)


async def signoff_state(ctx: Context, period_id: uuid.UUID) -> SignoffState:
    """What the review page shows: the chain, each scope's level and history."""
    ctx.require(Permission.grade_signoff)
    period = await get_period(ctx, period_id)
    return await state_of(ctx, period)

