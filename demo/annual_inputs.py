"""The annual 述职 and 民主测评 of the demo's workflow unit (demo.workflow.WORKFLOW_UNIT), in the
past year's annual period while it declares (6 to 9 January): the admin asks everyone appraised
for a 述职报告 by the 9th and most write one (texts by position, demo.texts); the admin opens a
民主测评 among the whole unit, about 70% of the voters cast a ballot (their choices follow the
candidate's quarters: mostly 称职, 优秀 for those rated 好 most often), and closes it on the 9th.
The unit's rule includes the vote (``annual.include_democratic_vote``, demo.workflow), so the
annual explanation computed afterwards lists each person's counts."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import and_, select

from authz import Permission, Target
from demo.texts import duty_report_text
from demo.workflow import WORKFLOW_UNIT
from models import (
    DemocraticVoteCount,
    DemocraticVoteVoter,
    DutyReport,
    Period,
    Person,
    PersonResult,
)
from resolvers.appraisal import annual_inputs, democratic_votes
from vocab.annual_inputs import VoteState
from vocab.grades import AnnualGrade, QuarterlyGrade
from vocab.periods import PeriodKind

if TYPE_CHECKING:
    from demo.year import DemoYear

MISSING_EVERY = 8  # one person in eight does not write a report
TURNOUT_OF_TEN = 7  # seven voters in ten cast a ballot


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


async def duty_reports_and_vote(run: DemoYear, period_id: uuid.UUID, year: int) -> None:
    if run.demo.code != WORKFLOW_UNIT:
        return
    first = date(year + 1, 1, 6)
    last = date(year + 1, 1, 9)
    admin = run.as_("admin")
    run.clock = _at(first, 11)
    await annual_inputs.request_duty_reports(admin, period_id, last)
    reports = (await run.session.execute(
        select(DutyReport, Person).join(Person, and_(
            Person.tenant_id == DutyReport.tenant_id, Person.id == DutyReport.person_id))
        .where(DutyReport.period_id == period_id).order_by(Person.employee_no))).all()
    for n, (_, person) in enumerate(reports):
        actor = run.by_person.get(person.id)
        if actor is None or n % MISSING_EVERY == MISSING_EVERY - 1:
            continue
        ctx = run.ctx(actor)
        if not ctx.can(Permission.duty_report_write, Target(
                kind="duty_report", person_id=person.id, unit_id=person.unit_id)):
            continue  # e.g. the admin's account of a person: it administers, it does not write
        run.clock = _at(date(year + 1, 1, 7 + n % 3), 9 + n % 8)
        await annual_inputs.submit_duty_report(ctx, annual_inputs.DutyReportInput(
            period_id, duty_report_text(person, n)))
    run.clock = _at(date(year + 1, 1, 7), 9)
    vote = (await democratic_votes.open_democratic_vote(admin, period_id)).vote
    goods = await _goods(run, year)
    candidates = [c for c, _ in (await run.session.execute(select(
        Person.id, Person.employee_no).distinct().join(DemocraticVoteCount, and_(
            DemocraticVoteCount.tenant_id == Person.tenant_id,
            DemocraticVoteCount.candidate_id == Person.id)).where(
        DemocraticVoteCount.vote_id == vote.id).order_by(Person.employee_no))).all()]
    voters = (await run.session.scalars(select(Person).join(DemocraticVoteVoter, and_(
        DemocraticVoteVoter.tenant_id == Person.tenant_id,
        DemocraticVoteVoter.person_id == Person.id)).where(
        DemocraticVoteVoter.vote_id == vote.id).order_by(Person.employee_no))).all()
    for i, voter in enumerate(voters):
        actor = run.by_person.get(voter.id)
        if actor is None or i % 10 >= TURNOUT_OF_TEN:
            continue
        ctx = run.ctx(actor)
        if not ctx.can(Permission.democratic_vote_cast):
            continue
        run.clock = _at(date(year + 1, 1, 7 + i % 2), 10 + i % 7)
        await democratic_votes.cast_ballot(ctx, vote.id, [
            (c, _choice(goods.get(c, 0), i + k).value) for k, c in enumerate(candidates)])
    run.clock = _at(last, 17)
    if vote.state == VoteState.open:
        await democratic_votes.close_democratic_vote(admin, vote.id)


async def _goods(run: DemoYear, year: int) -> Counter[uuid.UUID]:
    """How many of the year's quarters rated each person 好."""
    return Counter((await run.session.scalars(select(PersonResult.person_id).join(
        Period, and_(Period.tenant_id == PersonResult.tenant_id,
                     Period.id == PersonResult.period_id)).where(
        Period.year == year, Period.kind == PeriodKind.quarter,
        PersonResult.grade == QuarterlyGrade.good.value))).all())


def _choice(goods: int, k: int) -> AnnualGrade:
    """A voter's choice for a candidate rated 好 in ``goods`` quarters (``k``: position)."""
    if (goods >= 3 and k % 5 != 0) or (goods == 2 and k % 3 == 0):
        return AnnualGrade.excellent
    if goods == 0 and k % 9 == 0:
        return AnnualGrade.basically_competent
    return AnnualGrade.competent
