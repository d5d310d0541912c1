"""The demo's year (issue 14 point 7): the past year closed, the current quarter open.

"The past year" is the last full calendar year before the current quarter (``today.year - 1``):
its four quarters go through the whole cycle (declarations, ratings by every rater role,
results computed, reviewed and confirmed, publicity, feedback interviews, closed), then its
annual appraisal; the current quarter is opened and left in the declaration stage.

Everything is written through the use cases of ``resolvers/`` as the demo accounts (the admin
runs the period, each person declares, each rater saves one grid, each manager records the
interviews), so the data obeys every rule the API enforces. The use cases' clock
(``Context.now``) is set to plausible dates of the past year. Ratings come from a random
generator seeded per tenant and quarter (deterministic), around a per-person level, so the
grades vary (好, 较好, 一般) within the quotas the grading applies.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from authz import Actor, Permission
from authz.loading import load_account_actor
from demo import workflow
from demo.catalog import DemoTenant
from demo.signoff import decide_ties, sign_off_levels
from demo.texts import declaration_items, interview_input
from models import Account, OrgUnit, Person, PersonResult, RaterAssignment, Tenant
from resolvers.appraisal import declarations, periods, rating_grid, review
from resolvers.appraisal.grading import compute_results
from resolvers.appraisal.ratings import CellInput
from resolvers.appraisal.scoring import load_period_scheme
from resolvers.context import Context
from resolvers.feedback import interviews
from resolvers.org.structure import management_index
from resolvers.settings import UseCaseSettings
from tenants.plan_setup import apply_template
from tenants.templates import template_for_demo
from vocab.org import ManagementKind
from vocab.periods import PeriodKind, PeriodState

# Whose interview of the last closed quarter stays unacknowledged (the portal's flow to try):
# these accounts and everyone of these departments (a department slow to sign).
UNACKNOWLEDGED = ("ganbu",)
UNACKNOWLEDGED_UNITS = ("平安建设办公室",)
# Who records a person's interview, in order of preference: the nearest manager.
MANAGER_ORDER = (ManagementKind.department_head, ManagementKind.supervising_leader,
                 ManagementKind.principal_leader)


def past_year(today: date) -> int:
    """The last full calendar year before the current quarter."""
    return today.year - 1


def current_quarter(today: date) -> int:
    return (today.month - 1) // 3 + 1


def quarter_end(year: int, quarter: int) -> date:
    return date(year + quarter // 4, quarter % 4 * 3 + 1, 1) - timedelta(days=1)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@dataclass
class DemoYear:
    """The accounts of one tenant as actors, and a clock the use cases read."""

    session: AsyncSession
    settings: UseCaseSettings
    tenant: Tenant
    demo: DemoTenant
    by_username: dict[str, Actor] = field(default_factory=dict)
    by_person: dict[uuid.UUID, Actor] = field(default_factory=dict)
    clock: datetime = datetime(2000, 1, 1, tzinfo=UTC)
    # One context per actor for the whole load: its authorizer (a casbin enforcer) and org
    # tree are built once, not once per call (the tree does not change while loading).
    contexts: dict[Actor, Context] = field(default_factory=dict)
    # What each person's declaration form offers, read in the first quarter: the year's tasks
    # and the scheme do not change while loading (save checks the items against them anyway).
    offered: dict[uuid.UUID, declarations.Sources] = field(default_factory=dict)

    def ctx(self, actor: Actor) -> Context:
        if actor not in self.contexts:
            self.contexts[actor] = Context(session=self.session, settings=self.settings,
                                           actor=actor, now=lambda: self.clock)
        return self.contexts[actor]

    def as_(self, username: str) -> Context:
        return self.ctx(self.by_username[username])

    async def load_actors(self) -> None:
        for account in (await self.session.scalars(select(Account))).all():
            actor = await load_account_actor(self.session, self.tenant.id, account.id)
            assert actor is not None
            self.by_username[account.username] = actor
            if account.person_id is not None:
                self.by_person[account.person_id] = actor

    async def advance(self, period_id: uuid.UUID, to: PeriodState, day: date) -> None:
        self.clock = _at(day)
        await periods.advance(self.as_("admin"), period_id, to.value)


async def close_past_quarters(session: AsyncSession, settings: UseCaseSettings, tenant: Tenant,
                              demo: DemoTenant, today: date) -> DemoYear:
    """The past year's four quarters, closed, for one appraised tenant (session with the tenant
    set); demo.annual continues with the year's end and the current quarter."""
    year = past_year(today)
    template = template_for_demo(demo.code, demo.kind)
    if template is not None:
        await apply_template(session, tenant.id, year, template, publish=True,
                             actor="system:demo", now=_at(date(year, 1, 5), 9))
    run = DemoYear(session, settings, tenant, demo)
    await run.load_actors()
    await workflow.before_year(run, year)
    people = (await session.scalars(select(Person).order_by(Person.employee_no))).all()
    level = _levels(demo.code, people)
    for quarter in (1, 2, 3, 4):
        await _quarter(run, year, quarter, people, level)
    return run


def _levels(code: str, people: Sequence[Person]) -> dict[uuid.UUID, float]:
    """Each person's usual standard (seeded): most are solid, some excel, a few lag."""
    rng = random.Random(f"jixiao-demo-year/{code}")
    return {p.id: min(98.0, max(62.0, rng.gauss(86.0, 6.0))) for p in people}


async def _quarter(run: DemoYear, year: int, quarter: int, people: Sequence[Person],
                   level: dict[uuid.UUID, float]) -> None:
    end = quarter_end(year, quarter)
    admin = run.as_("admin")
    run.clock = _at(end - timedelta(days=80))
    period = await periods.create_period(admin, periods.PeriodInput(
        PeriodKind.quarter.value, year, quarter,
        {PeriodState.declaring.value: _at(end + timedelta(days=7), 18)}))
    await run.advance(period.id, PeriodState.executing, end - timedelta(days=80))
    from resolvers.appraisal.raters import generate_assignments
    await generate_assignments(run.as_("admin"), period.id)
    await run.advance(period.id, PeriodState.declaring, end)
    await _declare(run, period.id, people, end + timedelta(days=3))
    await run.advance(period.id, PeriodState.rating, end + timedelta(days=8))
    await _rate(run, period.id, level, random.Random(f"jixiao-demo-year/{run.demo.code}/{quarter}"),
                end + timedelta(days=12))
    await run.advance(period.id, PeriodState.reviewing, end + timedelta(days=15))
    await compute_results(run.as_("admin"), period.id)
    await review_and_confirm(run, period.id, end + timedelta(days=16), quarter)
    await run.advance(period.id, PeriodState.publicizing, end + timedelta(days=17))
    await workflow.publicity_objections(run, period.id, quarter, end + timedelta(days=17))
    await _interview(run, period.id, end + timedelta(days=20),
                     acknowledge_all=quarter != 4)
    await run.advance(period.id, PeriodState.feedback, end + timedelta(days=25))
    await run.advance(period.id, PeriodState.closed, end + timedelta(days=30))


async def _declare(run: DemoYear, period_id: uuid.UUID, people: Sequence[Person],
                   day: date) -> None:
    run.clock = _at(day)
    for n, person in enumerate(people):
        actor = run.by_person.get(person.id)
        if actor is None or not person.appraised:
            continue
        ctx = run.ctx(actor)
        # e.g. the admin's account: its one role (tenant_admin) does not declare
        if not ctx.can(Permission.declaration_write, declarations.declaration_target(person)):
            continue
        offered = run.offered.get(person.id) or await declarations.sources(ctx, period_id)
        run.offered[person.id] = offered
        items = declaration_items(offered.indicators, offered.tasks, n)
        if not items:
            continue
        await declarations.save(ctx, period_id, items)
        await declarations.submit(ctx, period_id)


async def _rate(run: DemoYear, period_id: uuid.UUID, level: dict[uuid.UUID, float],
                rng: random.Random, day: date) -> None:
    """Every rater saves their whole grid in one call (checked and written as the API does;
    the forms are not read back, and the period's scheme is read once for all raters)."""
    run.clock = _at(day)
    admin = run.as_("admin")
    period = await periods.get_period(admin, period_id)
    scheme = await load_period_scheme(admin, period)
    people = {p.id: p for p in (await run.session.scalars(select(Person))).all()}
    grids: dict[uuid.UUID, dict[uuid.UUID, str]] = defaultdict(dict)
    for assignment in (await run.session.scalars(select(RaterAssignment).where(
            RaterAssignment.period_id == period_id))).all():
        grids[assignment.rater_id][assignment.person_id] = assignment.role  # one per pair
    # Raters in a stable order (not by their random ids), so the seeded ratings, and every
    # ranking and care list built on them, are the same on each load.
    for rater in sorted(grids, key=lambda rater_id: people[rater_id].employee_no):
        ctx = run.ctx(run.by_person[rater])
        # a lenient rater's offset (demo.workflow): added after the draws, which stay the same
        lenient = workflow.leniency(run.demo.code, people[rater].employee_no)
        rows = []
        for person_id, role in sorted(grids[rater].items(),
                                      key=lambda item: people[item[0]].employee_no):
            base = level[person_id] + rng.uniform(-3.0, 3.0) + lenient
            cells = [CellInput(indicator.id, dimension.code,
                               Decimal(str(round(min(100.0, max(50.0, base + rng.uniform(
                                   -2.5, 2.5))), 1))))
                     for indicator in scheme.rated_for(people[person_id])
                     for dimension in scheme.dimensions_for(role)]
            rows.append(rating_grid.GridRow(person_id, cells))
        await rating_grid.write_grid(ctx, period, rows, scheme)


async def review_and_confirm(run: DemoYear, period_id: uuid.UUID, day: date,
                             quarter: int | None = None) -> None:
    """The committee decides the ties that straddle a line, then confirms every grade; in the
    unit with a sign-off chain, the chain's levels pass it (demo.signoff; ``quarter`` None:
    the year)."""
    if run.demo.code == workflow.SIGNOFF_UNIT:
        await sign_off_levels(run, period_id, day, quarter)
        return
    run.clock = _at(day)
    admin = run.as_("admin")
    await decide_ties(run, admin, period_id)
    await review.confirm_grades(admin, period_id)


async def _interview(run: DemoYear, period_id: uuid.UUID, day: date,
                     acknowledge_all: bool) -> None:
    """Every person's nearest manager records the interview; the person acknowledges it."""
    run.clock = _at(day)
    index = await management_index(run.as_("admin"))
    people = {p.id: p for p in (await run.session.scalars(select(Person))).all()}
    results = {r.person_id: r for r in (await run.session.scalars(select(PersonResult).where(
        PersonResult.period_id == period_id))).all()}
    pending = {run.by_username[u].person_id for u in UNACKNOWLEDGED if u in run.by_username}
    slow = {u.id for u in (await run.session.scalars(select(OrgUnit).where(
        OrgUnit.name.in_(UNACKNOWLEDGED_UNITS)))).all()}
    pending |= {p.id for p in people.values() if p.unit_id in slow}
    by_manager: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for entry in await interviews.interviewees(run.as_("admin"), period_id):
        links = index.managers_of(people[entry.person_id])
        ranked = sorted(links, key=lambda link: MANAGER_ORDER.index(
            ManagementKind(link.kind)) if link.kind in set(ManagementKind) else 9)
        if ranked:
            by_manager[ranked[0].manager_id].append(entry.person_id)
    for manager, person_ids in by_manager.items():
        ctx = run.ctx(run.by_person[manager])
        for person_id in person_ids:
            await interviews.record_interview(ctx, interview_input(
                period_id, people[person_id], results.get(person_id), day))
    run.clock = _at(day + timedelta(days=2))
    for person_ids in by_manager.values():
        for person_id in person_ids:
            ctx = run.ctx(run.by_person[person_id])
            if (person_id in pending and not acknowledge_all) or not ctx.can(
                    Permission.interview_acknowledge,
                    interviews.interview_target(people[person_id])):
                continue
            await interviews.acknowledge(ctx, period_id, "已知悉，将按改进措施抓好落实")
