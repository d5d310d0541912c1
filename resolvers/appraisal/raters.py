"""Who rates whom in a period: generated from the management relations (``rules.raters``), then
adjusted by the tenant admin while the period is before "rating" (评价). Once rating opens the
assignments are fixed; only assigned raters may rate (``Permission.rating_write`` with the
``assigned`` relation), and nobody rates themselves (also a CHECK on the table).

Generating pins the period's scheme version (the year's latest published one) when none is pinned
yet, so the rating form and the scores use one version for good.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from authz import Permission
from models import Period, Person, RaterAssignment, RatingValue
from resolvers import audit
from resolvers.appraisal.completeness import higher_level_ids
from resolvers.appraisal.periods import GUARDS, ensure_open, get_period, label
from resolvers.context import Context
from resolvers.errors import ErrorCode, Problem, fail, not_found
from resolvers.org.structure import management_index
from resolvers.plans.indicators import pin_period_version, pinned_version
from resolvers.plans.schemes import latest_published
from resolvers.tenant_config import tenant_config
from rules.raters import MANAGER_ROLES, Candidate, RaterLimits, generate
from vocab.org import PersonStatus
from vocab.periods import PeriodState
from vocab.rating import RATER_ROLE_LABELS, AssignmentSource, RaterRole

ADJUSTABLE = (PeriodState.planning, PeriodState.executing, PeriodState.declaring)


async def _adjustable_period(ctx: Context, period_id: uuid.UUID) -> Period:
    ctx.require(Permission.rater_assignment_manage)
    period = await get_period(ctx, period_id, for_update=True)
    ensure_open(period)
    if period.state not in ADJUSTABLE:
        raise fail(ErrorCode.RULE_VIOLATION,
                   f"{period.name}已进入“{label(period.state)}”阶段，评价关系只能在评价开始前调整")
    return period


async def pin_if_needed(ctx: Context, period: Period) -> None:
    """Pins the year's latest published version when the period has none (and one exists)."""
    if await pinned_version(ctx, period.id) is None and \
            await latest_published(ctx, period.year) is not None:
        await pin_period_version(ctx, period.id, None)


async def generate_assignments(ctx: Context, period_id: uuid.UUID) -> list[RaterAssignment]:
    """Replaces the period's assignments (manual adjustments included) by generated ones."""
    period = await _adjustable_period(ctx, period_id)
    config = (await tenant_config(ctx)).rating
    people = (await ctx.session.scalars(
        select(Person).where(Person.status == PersonStatus.active))).all()
    index = await management_index(ctx)
    managers = {str(p.id): [(link.kind, str(link.manager_id)) for link in index.managers_of(p)]
                for p in people if p.appraised}
    # Appraised by the level above (由上级考核): nobody in the unit is generated to rate them.
    higher = {str(pid) for pid in await higher_level_ids(ctx, [p for p in people if p.appraised])}
    planned = tuple(a for a in generate(
        [Candidate(str(p.id), str(p.unit_id), p.appraised) for p in people], managers,
        config.role_weights,
        RaterLimits(config.peers_per_person, config.subordinates_per_person,
                    config.external_raters_per_person),
        seed=str(period.id)) if a.person_id not in higher)
    before = await _counts(ctx, period.id)
    await ctx.session.execute(delete(RaterAssignment).where(RaterAssignment.period_id == period.id))
    rows = [RaterAssignment(tenant_id=ctx.me.tenant_id, period_id=period.id,
                            person_id=uuid.UUID(a.person_id), rater_id=uuid.UUID(a.rater_id),
                            role=a.role.value, source=AssignmentSource.generated)
            for a in planned]
    ctx.session.add_all(rows)
    await ctx.session.flush()
    await pin_if_needed(ctx, period)
    audit.record(ctx, "raters.generate", "period", period.id, before,
                 dict(Counter(a.role.value for a in planned)))
    return rows


async def _counts(ctx: Context, period_id: uuid.UUID) -> dict[str, int]:
    rows = (await ctx.session.execute(
        select(RaterAssignment.role, func.count()).where(RaterAssignment.period_id == period_id)
        .group_by(RaterAssignment.role))).all()
    return {role: int(count) for role, count in rows}


async def add_assignment(ctx: Context, period_id: uuid.UUID, person_id: uuid.UUID,
                         rater_id: uuid.UUID, role: str) -> RaterAssignment:
    """Adds a rater. Manager roles must match a management relation ("谁管理谁评价")."""
    period = await _adjustable_period(ctx, period_id)
    if role not in set(RaterRole):
        raise fail(ErrorCode.INVALID, "评价主体类型无效", "role")
    person = await ctx.session.get(Person, (ctx.me.tenant_id, person_id))
    rater = await ctx.session.get(Person, (ctx.me.tenant_id, rater_id))
    if person is None or rater is None:
        raise not_found("人员")
    if person.id == rater.id:
        raise fail(ErrorCode.INVALID, "不能安排本人评价自己", "raterId")
    if not person.appraised or person.status != PersonStatus.active:
        raise fail(ErrorCode.INVALID, f"{person.name}不参加本单位考核，无需安排评价人", "personId")
    if rater.status != PersonStatus.active:
        raise fail(ErrorCode.INVALID, f"{rater.name}已不在本单位", "raterId")
    if role in MANAGER_ROLES:
        links = (await management_index(ctx)).managers_of(person)
        if not any(link.kind == role and link.manager_id == rater.id for link in links):
            raise fail(ErrorCode.INVALID,
                       f"{rater.name}不是{person.name}的{RATER_ROLE_LABELS[role]}", "role")
    row = RaterAssignment(tenant_id=ctx.me.tenant_id, period_id=period.id, person_id=person.id,
                          rater_id=rater.id, role=role, source=AssignmentSource.manual)
    ctx.session.add(row)
    try:
        await ctx.session.flush()
    except IntegrityError as exc:
        raise fail(ErrorCode.DUPLICATE, f"{rater.name}已是{person.name}的评价人", "raterId") \
            from exc
    await pin_if_needed(ctx, period)
    audit.record(ctx, "raters.add", "rater_assignment", row.id, None, audit.snapshot(row))
    return row


async def remove_assignment(ctx: Context, assignment_id: uuid.UUID) -> uuid.UUID:
    ctx.require(Permission.rater_assignment_manage)
    row = await ctx.session.get(RaterAssignment, (ctx.me.tenant_id, assignment_id))
    if row is None:
        raise not_found("评价关系")
    await _adjustable_period(ctx, row.period_id)
    before = audit.snapshot(row)
    await ctx.session.delete(row)
    await ctx.session.flush()
    audit.record(ctx, "raters.remove", "rater_assignment", assignment_id, before, None)
    return assignment_id


async def list_assignments(ctx: Context, period_id: uuid.UUID,
                           person_id: uuid.UUID | None = None) -> Sequence[RaterAssignment]:
    """Every assignment of the period (the admin), optionally of one rated person."""
    ctx.require(Permission.rater_assignment_read)
    await get_period(ctx, period_id)
    stmt = select(RaterAssignment).where(RaterAssignment.period_id == period_id)
    if person_id is not None:
        stmt = stmt.where(RaterAssignment.person_id == person_id)
    return (await ctx.session.scalars(stmt.order_by(
        RaterAssignment.person_id, RaterAssignment.role, RaterAssignment.rater_id))).all()


async def my_assignments(ctx: Context, period_id: uuid.UUID) -> Sequence[RaterAssignment]:
    """Whom the caller rates in the period."""
    await get_period(ctx, period_id)
    if ctx.me.person_id is None:
        return []
    return (await ctx.session.scalars(select(RaterAssignment).where(
        RaterAssignment.period_id == period_id, RaterAssignment.rater_id == ctx.me.person_id)
        .order_by(RaterAssignment.role, RaterAssignment.person_id))).all()


async def assignments_of(ctx: Context, period_id: uuid.UUID,
                         person_id: uuid.UUID) -> list[RaterAssignment]:
    """The raters of one person (no authorization: it feeds the authorization target)."""
    return list((await ctx.session.scalars(select(RaterAssignment).where(
        RaterAssignment.period_id == period_id,
        RaterAssignment.person_id == person_id))).all())


async def rated_counts(ctx: Context, ids: Sequence[uuid.UUID]) -> list[int]:
    """Loader: assignment id -> number of values given so far."""
    rows = (await ctx.session.execute(
        select(RatingValue.assignment_id, func.count()).where(RatingValue.assignment_id.in_(ids))
        .group_by(RatingValue.assignment_id))).all()
    counts = {assignment: int(count) for assignment, count in rows}
    return [counts.get(i, 0) for i in ids]


async def has_assignments(ctx: Context, period_id: uuid.UUID) -> bool:
    found = await ctx.session.scalar(select(RaterAssignment.id).where(
        RaterAssignment.period_id == period_id).limit(1))
    return found is not None


async def rating_guard(ctx: Context, period: Period, to: PeriodState) -> list[Problem]:
    """Rating needs the scheme version the form and the scores use."""
    if to != PeriodState.rating or not await has_assignments(ctx, period.id):
        return []
    if await pinned_version(ctx, period.id) is None:
        return [Problem(ErrorCode.RULE_VIOLATION,
                        "本周期尚未选定指标体系版本，不能开始评价", "toState")]
    return []


GUARDS.append(rating_guard)
