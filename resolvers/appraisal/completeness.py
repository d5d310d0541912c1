"""Rating completeness of a period (``rules.completeness``): who is appraised in the unit, who
has rated whom, who is missing; the refusal of computing and of leaving "rating" while anybody
lacks a rater role; the completion view (per rater, per unit, per rated person).

* In the unit's appraisal: active people with ``appraised = True`` whom somebody active manages
  inside the tenant. The others (the principal leader) are appraised by the level above
  (由上级考核) unless the tenant setting ``rating.appraise_unmanaged_in_unit`` is on.
* The completion view reads through the one read scope (``Permission.rating_completion_read``):
  the admin every assignment, a leader those of the people they manage; one statement for the
  assignments whatever their number.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import aliased

from authz import Permission, ReadScope
from authz.scopes import person_rows
from models import OrgUnit, Period, Person, RaterAssignment
from resolvers.appraisal.periods import GUARDS, get_period
from resolvers.context import Context
from resolvers.errors import ErrorCode, Problem, forbidden
from resolvers.org.structure import management_index
from resolvers.tenant_config import tenant_config
from rules.completeness import AssignmentState, MissingRole, Tally, missing_roles, tally
from vocab.org import PersonStatus
from vocab.periods import PeriodState
from vocab.rating import RATER_ROLE_LABELS, RaterRole

NAMED_IN_ERROR = 30  # the refusal names at most this many people, then counts the rest


@dataclass(frozen=True)
class Named:
    """A person as the view and the messages show them."""

    id: uuid.UUID
    name: str
    employee_no: str
    unit_id: uuid.UUID
    unit_name: str


@dataclass(frozen=True)
class Gap:
    """An assignment not done: ``rater`` has not rated ``person`` in ``role``."""

    person: Named
    rater: Named
    role: str


@dataclass(frozen=True)
class CompletionRow:
    """Assigned, done and missing assignments of one rater, unit or rated person."""

    id: uuid.UUID
    name: str
    assigned: int
    done: int
    missing: list[Gap]


@dataclass(frozen=True)
class Completion:
    period_id: uuid.UUID
    by_rater: list[CompletionRow]
    by_unit: list[CompletionRow]
    by_person: list[CompletionRow]


async def unmanaged_ids(ctx: Context, people: Sequence[Person]) -> set[uuid.UUID]:
    """The given people whom nobody active manages inside the tenant (the principal leader)."""
    index = await management_index(ctx)
    active = set((await ctx.session.scalars(select(Person.id).where(
        Person.status == PersonStatus.active))).all())
    return {p.id for p in people
            if not any(link.manager_id in active for link in index.managers_of(p))}


async def higher_level_ids(ctx: Context, people: Sequence[Person]) -> set[uuid.UUID]:
    """The given people appraised by the level above (empty when the tenant appraises them)."""
    if (await tenant_config(ctx)).rating.appraise_unmanaged_in_unit:
        return set()
    return await unmanaged_ids(ctx, people)


# (assignment, rated person, rater, rated person's unit name, rater's unit name)
_Rows = Select[RaterAssignment, Person, Person, str, str]


def _assignments(ctx: Context, period_id: uuid.UUID, scope: ReadScope | None = None
                 ) -> _Rows:
    """The period's assignments (those of the people ``scope`` admits) with the rated person,
    the rater and their units' names (one statement)."""
    ratee, rater = aliased(Person), aliased(Person)
    ratee_unit, rater_unit = aliased(OrgUnit), aliased(OrgUnit)
    # Whether a value is saved is the assignment's ``rated`` flag (migration 0028): no count
    # of ratings per row, whose plan depended on statistics that are stale inside a long load.
    stmt = (select(RaterAssignment, ratee, rater, ratee_unit.name, rater_unit.name)
            .join(ratee, and_(ratee.tenant_id == RaterAssignment.tenant_id,
                              ratee.id == RaterAssignment.person_id))
            .join(rater, and_(rater.tenant_id == RaterAssignment.tenant_id,
                              rater.id == RaterAssignment.rater_id))
            .join(ratee_unit, and_(ratee_unit.tenant_id == ratee.tenant_id,
                                   ratee_unit.id == ratee.unit_id))
            .join(rater_unit, and_(rater_unit.tenant_id == rater.tenant_id,
                                   rater_unit.id == rater.unit_id))
            .where(RaterAssignment.period_id == period_id)
            .order_by(ratee_unit.sort_order, ratee_unit.code, ratee.employee_no,
                      RaterAssignment.role, rater.employee_no))
    if scope is not None:
        stmt = stmt.where(person_rows(scope, ctx.me.person_id, ratee.id, ratee.unit_id))
    return stmt


def _named(person: Person, unit_name: str) -> Named:
    return Named(person.id, person.name, person.employee_no, person.unit_id, unit_name)


@dataclass(frozen=True)
class _Loaded:
    states: list[AssignmentState]
    named: dict[str, Named]


async def _load(ctx: Context, stmt: _Rows, skip: set[uuid.UUID]) -> _Loaded:
    states: list[AssignmentState] = []
    named: dict[str, Named] = {}
    for a, ratee, rater, ratee_unit, rater_unit in (await ctx.session.execute(stmt)).all():
        if a.person_id in skip:
            continue
        named.setdefault(str(ratee.id), _named(ratee, ratee_unit))
        named.setdefault(str(rater.id), _named(rater, rater_unit))
        states.append(AssignmentState(str(a.person_id), str(a.rater_id), a.role, a.rated))
    return _Loaded(states, named)


async def in_unit_people(ctx: Context) -> list[Person]:
    """The people the unit appraises itself (see the module doc), by employee number."""
    people = list((await ctx.session.scalars(select(Person).where(
        Person.appraised.is_(True), Person.status == PersonStatus.active)
        .order_by(Person.employee_no))).all())
    higher = await higher_level_ids(ctx, people)
    return [p for p in people if p.id not in higher]


async def missing_in(ctx: Context, period_id: uuid.UUID, people: Sequence[Person]
                     ) -> tuple[list[MissingRole], dict[str, Named]]:
    """Who of ``people`` lacks a counted rater role in the period, with names to show."""
    loaded = await _load(ctx, _assignments(ctx, period_id), set())
    if not loaded.states:  # never rated in the platform: nothing to hold
        return [], {}
    weights = (await tenant_config(ctx)).rating.role_weights
    counted = {role for role, weight in weights.items() if weight > 0}
    wanted = {str(p.id) for p in people}
    missing = list(missing_roles([str(p.id) for p in people],
                                 [s for s in loaded.states if s.person_id in wanted], counted,
                                 [r.value for r in RaterRole]))
    named = dict(loaded.named)
    for p in people:
        named.setdefault(str(p.id), Named(p.id, p.name, p.employee_no, p.unit_id, ""))
    return missing, named


def missing_text(missing: Sequence[MissingRole], named: dict[str, Named]) -> str:
    """Who lacks which rater role and which raters have not rated, per person (Chinese)."""
    by_person: dict[str, list[str]] = {}
    for m in missing:
        if m.role is None:
            by_person.setdefault(m.person_id, []).append("未安排评价人")
            continue
        raters = "、".join(named[r].name for r in m.raters if r in named)
        by_person.setdefault(m.person_id, []).append(
            f"缺{RATER_ROLE_LABELS.get(m.role, m.role)}评价（{raters}未评）")
    shown = list(by_person.items())[:NAMED_IN_ERROR]
    parts = [f"{named[p].name}（{named[p].employee_no}）：{'，'.join(gaps)}" for p, gaps in shown]
    more = (f"……等共{len(by_person)}人（完整名单见“评价进度”）"
            if len(by_person) > NAMED_IN_ERROR else "")
    return f"尚有{len(by_person)}人评价未完成：{'；'.join(parts)}{more}"


def incomplete(missing: Sequence[MissingRole], named: dict[str, Named], then: str,
               field: str) -> Problem:
    return Problem(ErrorCode.RATINGS_INCOMPLETE, f"{missing_text(missing, named)}。{then}", field)


async def ratings_guard(ctx: Context, period: Period, to: PeriodState) -> list[Problem]:
    """Registered in ``periods.GUARDS``: "rating" -> "reviewing" only when ratings are complete
    (tenant setting ``periods.require_ratings_to_review``). A period without assignments (never
    rated in the platform) is not held."""
    if to != PeriodState.reviewing:
        return []
    if not (await tenant_config(ctx)).periods.require_ratings_to_review:
        return []
    missing, named = await missing_in(ctx, period.id, await in_unit_people(ctx))
    if not missing:
        return []
    return [incomplete(missing, named, "不能进入“综合研判”；请督促评价人完成评价"
                       "（如确需进入，可在单位设置中取消此要求）", "toState")]


if ratings_guard not in GUARDS:
    GUARDS.append(ratings_guard)


def _rows(tallies: Sequence[Tally[str]], named: dict[str, Named], names: dict[str, str]
          ) -> list[CompletionRow]:
    return [CompletionRow(uuid.UUID(t.key), names[t.key], t.assigned, t.done,
                          [Gap(named[a.person_id], named[a.rater_id], a.role)
                           for a in t.missing]) for t in tallies]


async def completion(ctx: Context, period_id: uuid.UUID) -> Completion:
    """The completion view the caller may read (everything for the admin, the people they
    manage for a leader)."""
    scope = ctx.authz.read_scope(Permission.rating_completion_read)
    if scope.nothing:
        raise forbidden()
    period = await get_period(ctx, period_id)
    everyone = list((await ctx.session.scalars(select(Person).where(
        Person.appraised.is_(True), Person.status == PersonStatus.active))).all())
    loaded = await _load(ctx, _assignments(ctx, period.id, scope),
                         await higher_level_ids(ctx, everyone))
    named = loaded.named
    people = {k: v.name for k, v in named.items()}
    units = {str(v.unit_id): v.unit_name for v in named.values()}
    return Completion(
        period.id,
        by_rater=_rows(tally(loaded.states, lambda a: a.rater_id), named, people),
        by_unit=_rows(tally(loaded.states, lambda a: str(named[a.person_id].unit_id)), named,
                      units),
        by_person=_rows(tally(loaded.states, lambda a: a.person_id), named, people))


async def rated_ids(ctx: Context, period_id: uuid.UUID) -> set[uuid.UUID]:
    """The people somebody has rated in the period (at least one value saved: the assignment's
    ``rated`` flag, set by the database when its first value is written, migration 0028)."""
    return set((await ctx.session.scalars(
        select(RaterAssignment.person_id).distinct()
        .where(RaterAssignment.period_id == period_id, RaterAssignment.rated))).all())
