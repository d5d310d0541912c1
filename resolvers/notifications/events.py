"""The period's events that tell people (issue 17, part 1), registered in
``periods.AFTER_TRANSITION``: they run in the transition's transaction, so the messages exist
only if the period moved.

- declaring opens: every appraised person is asked to declare (实绩申报);
- rating opens: every rater is told how many ratings await them (my ratings are pending);
- publicizing opens: every appraised person is told the results are published;
- feedback opens: every appraised person is told the feedback interviews (反馈谈话) begin.

The recipients of a stage are also those its deadline reminders go to
(``resolvers.notifications.reminders``), while they still have something to do.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from models import Declaration, Period, Person, RaterAssignment
from resolvers.appraisal.periods import AFTER_TRANSITION, deadline
from resolvers.context import Context
from resolvers.notifications.send import notify
from vocab.notifications import NotificationEvent
from vocab.org import PersonStatus
from vocab.periods import PeriodState
from vocab.rating import DeclarationStatus

# The stages whose opening and deadline are announced, and where in the portal to go.
STAGE_LINKS: dict[PeriodState, str] = {
    PeriodState.declaring: "/declaration",
    PeriodState.rating: "/rating",
    PeriodState.publicizing: "/publicity",
    PeriodState.feedback: "/my-interviews",
}
REMINDED_STAGES = (PeriodState.declaring, PeriodState.rating, PeriodState.feedback)


@dataclass(frozen=True)
class Recipient:
    person_id: uuid.UUID
    # Ratings still to give (rating stage), else 0.
    pending: int = 0


async def appraised_people(ctx: Context) -> list[uuid.UUID]:
    return list((await ctx.session.scalars(select(Person.id).where(
        Person.appraised.is_(True), Person.status == PersonStatus.active))).all())


async def stage_recipients(ctx: Context, period: Period, stage: PeriodState, *,
                           only_unfinished: bool) -> list[Recipient]:
    """Who the stage concerns; ``only_unfinished``: only those who still have to act
    (declarations not submitted, ratings not given)."""
    if stage == PeriodState.rating:
        rows = (await ctx.session.execute(
            select(RaterAssignment.rater_id, func.count())
            .where(RaterAssignment.period_id == period.id, RaterAssignment.rated.is_(False))
            .group_by(RaterAssignment.rater_id))).all()
        return [Recipient(rater, int(n)) for rater, n in rows]
    people = await appraised_people(ctx)
    if stage == PeriodState.declaring and only_unfinished:
        done = set((await ctx.session.scalars(select(Declaration.person_id).where(
            Declaration.period_id == period.id,
            Declaration.status == DeclarationStatus.submitted))).all())
        people = [p for p in people if p not in done]
    return [Recipient(p) for p in people]


def _until(period: Period, stage: PeriodState) -> str:
    closes = deadline(period, stage)
    return f"，截止时间为{closes:%Y-%m-%d %H:%M}" if closes is not None else ""


async def announce_stage(ctx: Context, period: Period, stage: PeriodState) -> None:
    link = STAGE_LINKS[stage]
    if stage == PeriodState.rating:
        for pending, people in _by_pending(
                await stage_recipients(ctx, period, stage, only_unfinished=True)).items():
            await notify(ctx, NotificationEvent.ratings_pending, person_ids=people, link=link,
                         title=f"{period.name}评价已开始",
                         body=f"{period.name}进入评价阶段，您有{pending}项评价待完成"
                              f"{_until(period, stage)}。")
        return
    people = [r.person_id for r in
              await stage_recipients(ctx, period, stage, only_unfinished=False)]
    if stage == PeriodState.declaring:
        title, body = (f"{period.name}实绩申报已开始",
                       f"{period.name}进入实绩申报阶段，请填写并提交本人实绩"
                       f"{_until(period, stage)}。")
        event = NotificationEvent.stage_opened
    elif stage == PeriodState.publicizing:
        title, body = (f"{period.name}考核结果已公示",
                       f"{period.name}考核结果已确认并进入实绩公示，可查看本人考核结果。")
        event = NotificationEvent.results_published
    else:
        title, body = (f"{period.name}反馈谈话已开始",
                       f"{period.name}进入反馈谈话阶段，部门负责人将与您进行反馈谈话"
                       f"{_until(period, stage)}。")
        event = NotificationEvent.stage_opened
    await notify(ctx, event, person_ids=people, link=link, title=title, body=body)


def _by_pending(recipients: list[Recipient]) -> dict[int, list[uuid.UUID]]:
    grouped: dict[int, list[uuid.UUID]] = {}
    for r in recipients:
        grouped.setdefault(r.pending, []).append(r.person_id)
    return grouped


async def on_transition(ctx: Context, period: Period, before: PeriodState) -> None:
    state = PeriodState(period.state)
    if state in STAGE_LINKS and before != PeriodState.closed:
        await announce_stage(ctx, period, state)


if on_transition not in AFTER_TRANSITION:
    AFTER_TRANSITION.append(on_transition)
