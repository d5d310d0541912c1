"""The demo year's end and the current quarter: the annual appraisal from the four closed
quarters, department results, the confirmed two-level bonus run of 金牛区西华街道, then the
current quarter in the declaration stage with open items for the portal's flows (a pending
credit claim awaiting the office; tasks with milestones and overdue ones come from demo.plans).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select, update

from demo.annual_inputs import duty_reports_and_vote
from demo.pushes import pushed_overdue
from demo.year import DemoYear, _at, current_quarter, quarter_end, review_and_confirm
from models import IndicatorScheme, Job, Person, SchemeNode, SchemeVersion, UnitResult
from resolvers.appraisal import periods
from resolvers.appraisal.annual import compute_annual
from resolvers.appraisal.department_results import compute_department_results
from resolvers.bonus.compute import compute_bonus_run
from resolvers.bonus.runs import confirm_bonus_run, start_bonus_run
from resolvers.execution.point_records import RecordInput, add_record
from rules.bonus.params import BonusRunParams
from vocab.jobs import JobStatus
from vocab.periods import PeriodKind, PeriodState
from vocab.plans import SchemeStatus

BONUS_TENANT = "xhjd"  # 金牛区西华街道: two-level differentiated bonus (DOMAIN.md)
BONUS_POOL_CENTS = 60_000_000  # 60万元
# Level one: department result -> coefficient (A above B above C).
LEVEL_COEFFICIENTS = {"A": Decimal("1.2"), "B": Decimal("1.0"), "C": Decimal("0.8"),
                      "D": Decimal("0.6")}
CLAIMANT = "ganbu2"  # the staff member whose credit claim waits for the office


async def annual_and_bonus(run: DemoYear, year: int) -> None:
    admin = run.as_("admin")
    run.clock = _at(date(year + 1, 1, 5))
    period = await periods.create_period(admin, periods.PeriodInput(PeriodKind.year.value, year))
    for state, day in ((PeriodState.executing, 5), (PeriodState.declaring, 6)):
        await run.advance(period.id, state, date(year + 1, 1, day))
    await duty_reports_and_vote(run, period.id, year)  # 述职 and 民主测评 (demo.workflow)
    for state, day in ((PeriodState.rating, 10), (PeriodState.reviewing, 15)):
        await run.advance(period.id, state, date(year + 1, 1, day))
    await compute_annual(run.as_("admin"), period.id)
    await review_and_confirm(run, period.id, date(year + 1, 1, 16))
    await compute_department_results(run.as_("admin"), period.id)
    if run.demo.code == BONUS_TENANT:
        await _bonus(run, period.id, date(year + 1, 1, 18))
    for state, day in ((PeriodState.publicizing, 20), (PeriodState.feedback, 28),
                       (PeriodState.closed, 31)):
        await run.advance(period.id, state, date(year + 1, 1, day))


async def _bonus(run: DemoYear, period_id: uuid.UUID, day: date) -> None:
    """Starts the run, computes it as the worker would (in this transaction), confirms it."""
    run.clock = _at(day)
    admin = run.as_("admin")
    levels = set((await run.session.scalars(select(UnitResult.level).distinct().where(
        UnitResult.period_id == period_id))).all())
    params = BonusRunParams(period_id=period_id,
                            pool_cents=BONUS_POOL_CENTS,
                            department_coefficients={level: LEVEL_COEFFICIENTS.get(
                                level, Decimal("1.0")) for level in {*levels, "B"} if level},
                            unrated_department_level="B",  # 领导班子: no department result
                            note="年度考核奖两级分配（演示）")
    job = await start_bonus_run(admin, params)

    async def progress(percent: int) -> None:
        return None

    bonus = await compute_bonus_run(run.session, admin, job, progress)
    await run.session.execute(update(Job).where(Job.id == job.id).values(
        status=JobStatus.done.value, progress=100, result_id=bonus.id,
        started_at=func.now(), finished_at=func.now()))
    run.clock = _at(day + timedelta(days=1))
    await confirm_bonus_run(run.as_("admin"), bonus.id, "经街道党工委会议研究确认")


async def open_items(run: DemoYear, today: date) -> None:
    """The current quarter, open for declarations until ten days after it ends, and a credit
    claim of a staff member that waits for the office to confirm it."""
    quarter = current_quarter(today)
    end = quarter_end(today.year, quarter)
    admin = run.as_("admin")
    run.clock = _at(end - timedelta(days=85))
    period = await periods.create_period(admin, periods.PeriodInput(
        PeriodKind.quarter.value, today.year, quarter,
        {PeriodState.declaring.value: _at(end + timedelta(days=10), 18)}))
    await run.advance(period.id, PeriodState.executing, end - timedelta(days=85))
    from resolvers.appraisal.raters import generate_assignments
    await generate_assignments(run.as_("admin"), period.id)
    await run.advance(period.id, PeriodState.declaring, min(today, end))
    await _claim(run, today)
    await pushed_overdue(run, today)


async def _claim(run: DemoYear, today: date) -> None:
    claimant = run.by_username.get(CLAIMANT)
    if claimant is None or claimant.person_id is None:
        return
    node = await run.session.scalar(
        select(SchemeNode).join(SchemeVersion, SchemeVersion.id == SchemeNode.version_id)
        .join(IndicatorScheme, IndicatorScheme.id == SchemeVersion.scheme_id)
        .where(SchemeNode.needs_confirmation.is_(True),
               SchemeVersion.status == SchemeStatus.published,
               IndicatorScheme.year == today.year)
        .order_by(SchemeNode.code).limit(1))
    person = await run.session.get(Person, (run.tenant.id, claimant.person_id))
    if node is None or person is None:
        return
    run.clock = _at(today - timedelta(days=3))
    await add_record(run.ctx(claimant), RecordInput(
        node_id=node.id, occurred_on=today - timedelta(days=5), person_id=person.id,
        reason="牵头完成的专项工作获市级通报表扬，申请加分",
        evidence="市级通报文件（见附件）"))
