"""Feedback interviews (反馈谈话): recorded by whoever manages the person, acknowledged by the
person, counted per unit; a quarter cannot close while some are missing (unless turned off).

Who is to be interviewed in a quarter: the active people with a result (``PersonResult``) in
it, i.e. those appraised in the quarter. Interviews are recorded once the results are confirmed
(from the publicity step on) and until the period closes; recording again edits the record,
which then waits for the person's acknowledgement again.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, and_, or_, select, true

from authz import Permission, ReadScope, Target
from authz.scopes import person_rows
from models import FeedbackInterview, OrgUnit, Period, Person, PersonResult
from resolvers import audit
from resolvers.appraisal.periods import GUARDS, ensure_open, get_period
from resolvers.context import Context
from resolvers.errors import ErrorCode, Problem, UserFacingError, fail, forbidden, not_found
from resolvers.notifications.send import notify
from resolvers.tenant_config import tenant_config
from tenants.config import TenantConfig
from vocab.feedback import INTERVIEW_TOPIC_LABELS, InterviewTopic
from vocab.grades import ResultStatus
from vocab.notifications import NotificationEvent
from vocab.org import PersonStatus
from vocab.periods import PeriodKind, PeriodState

# Results are confirmed after the review: interviews follow, until the period closes.
INTERVIEW_STATES = frozenset({PeriodState.publicizing, PeriodState.feedback})
MAX_PLAN_ITEMS = 20
NAMED_IN_ERROR = 30  # the closing guard names at most this many people, then counts the rest


def interview_target(person: Person, kind: str = "feedback_interview") -> Target:
    return Target(kind=kind, id=person.id, person_id=person.id, unit_id=person.unit_id)


def delegated(ctx: Context, config: TenantConfig) -> bool:
    """Whether the actor holds a role the tenant granted to record interviews."""
    granted = set(config.feedback.recorder_roles)
    return any(role.value in granted for role in ctx.me.roles)


def may_read(ctx: Context, person: Person, config: TenantConfig) -> bool:
    if ctx.can(Permission.interview_read, interview_target(person)):
        return True
    return delegated(ctx, config) and person.id != ctx.me.person_id


def may_record(ctx: Context, person: Person, config: TenantConfig) -> bool:
    if ctx.can(Permission.interview_record, interview_target(person)):
        return True
    return delegated(ctx, config) and person.id != ctx.me.person_id


async def load_person(ctx: Context, person_id: uuid.UUID) -> Person:
    person = await ctx.session.get(Person, (ctx.me.tenant_id, person_id))
    if person is None:
        raise not_found("人员")
    return person


def refusal(ctx: Context, person: Person) -> UserFacingError:
    """Forbidden for someone the actor may see; otherwise the same answer as a missing id."""
    if ctx.can(Permission.person_read, Target(kind="person", id=person.id,
                                              person_id=person.id, unit_id=person.unit_id)):
        return forbidden()
    return not_found("人员")


# --- input ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanItem:
    action: str
    follow_up_on: date


@dataclass(frozen=True)
class TopicNote:
    topic: str
    covered: bool
    notes: str


@dataclass(frozen=True)
class InterviewInput:
    period_id: uuid.UUID
    person_id: uuid.UUID
    held_on: date
    result_told: str
    strengths: str
    weaknesses: str
    root_causes: str
    improvement_plan: Sequence[PlanItem]
    topics: Sequence[TopicNote]
    praise: str
    critique: str
    encouragement: str
    fit_rating: int


TEXT_FIELDS = (
    ("result_told", "resultTold", "告知的考核结果"),
    ("strengths", "strengths", "优势"),
    ("weaknesses", "weaknesses", "短板"),
    ("root_causes", "rootCauses", "问题根源"),
    ("praise", "praise", "肯定成绩（正）"),
    ("critique", "critique", "分析不足（负）"),
    ("encouragement", "encouragement", "明确方向（正）"),
)


def check_interview(data: InterviewInput, config: TenantConfig, today: date) -> list[Problem]:
    limit = config.feedback.text_max_length
    problems = []
    for attr, name, label in TEXT_FIELDS:
        value = str(getattr(data, attr)).strip()
        if not value:
            problems.append(Problem(ErrorCode.INVALID, f"{label}不能为空", name))
        elif len(value) > limit:
            problems.append(Problem(ErrorCode.INVALID, f"{label}不能超过{limit}字", name))
    if data.held_on > today:
        problems.append(Problem(ErrorCode.INVALID, "谈话日期不能晚于今天", "heldOn"))
    if not 1 <= data.fit_rating <= 5:
        problems.append(Problem(ErrorCode.INVALID, "人岗契合度须为1到5分", "fitRating"))
    if not data.improvement_plan:
        problems.append(Problem(ErrorCode.INVALID, "须商定至少一项改进措施及跟进时间",
                                "improvementPlan"))
    if len(data.improvement_plan) > MAX_PLAN_ITEMS:
        problems.append(Problem(ErrorCode.INVALID, f"改进措施不超过{MAX_PLAN_ITEMS}项",
                                "improvementPlan"))
    for i, item in enumerate(data.improvement_plan, 1):
        if not item.action.strip() or len(item.action.strip()) > limit:
            problems.append(Problem(ErrorCode.INVALID, f"第{i}项改进措施不能为空或过长",
                                    "improvementPlan"))
        if item.follow_up_on < data.held_on:
            problems.append(Problem(ErrorCode.INVALID, f"第{i}项改进措施的跟进时间不能早于谈话日期",
                                    "improvementPlan"))
    problems += _check_topics(data.topics, config)
    return problems


def _check_topics(topics: Sequence[TopicNote], config: TenantConfig) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for note in topics:
        if note.topic not in set(InterviewTopic):
            problems.append(Problem(ErrorCode.INVALID, f"未知的谈话内容：{note.topic}", "topics"))
        elif note.topic in seen:
            problems.append(Problem(ErrorCode.INVALID,
                                    f"“{INTERVIEW_TOPIC_LABELS[InterviewTopic(note.topic)]}”重复",
                                    "topics"))
        elif len(note.notes.strip()) > config.feedback.text_max_length:
            problems.append(Problem(ErrorCode.INVALID, "谈话内容记录过长", "topics"))
        seen.add(note.topic)
    if config.feedback.require_all_topics:
        by_topic = {n.topic: n for n in topics}
        missing = [label for topic, label in INTERVIEW_TOPIC_LABELS.items()
                   if topic not in by_topic or not by_topic[topic].covered
                   or not by_topic[topic].notes.strip()]
        if missing:
            problems.append(Problem(ErrorCode.INVALID,
                                    f"“四必谈”须逐项谈到并记录要点，尚缺：{'、'.join(missing)}",
                                    "topics"))
    return problems


# --- use cases ---------------------------------------------------------------------------------


async def _interview_period(ctx: Context, period_id: uuid.UUID, open_only: bool = True) -> Period:
    # Locked: a period cannot close while an interview of it is being written.
    period = await get_period(ctx, period_id, for_update=True)
    if open_only:
        ensure_open(period)
    if period.kind != PeriodKind.quarter:
        raise fail(ErrorCode.INVALID, "反馈谈话按季度进行，请选择季度考核周期", "periodId")
    return period


async def find_interview(ctx: Context, period_id: uuid.UUID,
                         person_id: uuid.UUID) -> FeedbackInterview | None:
    return await ctx.session.scalar(select(FeedbackInterview).where(
        FeedbackInterview.period_id == period_id, FeedbackInterview.person_id == person_id))


async def record_interview(ctx: Context, data: InterviewInput) -> FeedbackInterview:
    """Creates or edits the interview of a person in a quarter (whoever manages records it)."""
    ctx.authz  # noqa: B018 - refuses anonymous callers
    period = await _interview_period(ctx, data.period_id)
    if period.state not in INTERVIEW_STATES:
        raise fail(ErrorCode.RULE_VIOLATION,
                   "考核结果确定后（实绩公示、反馈谈话阶段）才能记录反馈谈话", "periodId")
    person = await load_person(ctx, data.person_id)
    config = await tenant_config(ctx)
    if not may_record(ctx, person, config):
        raise refusal(ctx, person)
    problems = check_interview(data, config, ctx.now().date())
    if problems:
        raise UserFacingError(*problems)
    result_id = await ctx.session.scalar(select(PersonResult.id).where(
        PersonResult.period_id == period.id, PersonResult.person_id == person.id))
    interview = await find_interview(ctx, period.id, person.id)
    before = audit.snapshot(interview)
    if interview is None:
        interview = FeedbackInterview(tenant_id=ctx.me.tenant_id, period_id=period.id,
                                      person_id=person.id)
    else:
        interview.updated_at = ctx.now()
        # The person acknowledges what was recorded: a changed record waits for them again.
        interview.acknowledged_at = None
    interview.unit_id = person.unit_id
    interview.person_result_id = result_id
    interview.interviewer_id = ctx.me.person_id
    interview.recorded_by = ctx.me.subject
    interview.held_on = data.held_on
    for attr, _, _ in TEXT_FIELDS:
        setattr(interview, attr, str(getattr(data, attr)).strip())
    interview.improvement_plan = [
        {"action": i.action.strip(), "follow_up_on": i.follow_up_on.isoformat()}
        for i in data.improvement_plan]
    interview.topics = {n.topic: {"covered": n.covered, "notes": n.notes.strip()}
                        for n in data.topics}
    interview.fit_rating = data.fit_rating
    ctx.session.add(interview)
    await ctx.session.flush()
    audit.record(ctx, "interview.record" if before is None else "interview.edit",
                 "feedback_interview", interview.id, before, audit.snapshot(interview))
    await notify(ctx, NotificationEvent.interview_recorded, person_ids=[person.id],
                 link="/my-interviews",
                 title=f"{period.name}反馈谈话记录{'已记录' if before is None else '已修改'}",
                 body=f"{period.name}与您的反馈谈话记录{'已记录' if before is None else '已修改'}，"
                      "请查看并确认。")
    return interview


async def acknowledge(ctx: Context, period_id: uuid.UUID, comment: str = "") -> FeedbackInterview:
    """The person acknowledges their own interview of the quarter and may add a comment.

    Also once the quarter is closed: the acknowledgement is the person's receipt of what was
    said, it changes no result, and a person away when the quarter closed still gives it."""
    ctx.authz  # noqa: B018 - refuses anonymous callers
    period = await _interview_period(ctx, period_id, open_only=False)
    if ctx.me.person_id is None:
        raise not_found("反馈谈话记录")
    interview = await find_interview(ctx, period.id, ctx.me.person_id)
    if interview is None:
        raise not_found("反馈谈话记录")
    person = await load_person(ctx, interview.person_id)
    ctx.require(Permission.interview_acknowledge, interview_target(person))
    config = await tenant_config(ctx)
    if len(comment.strip()) > config.feedback.text_max_length:
        raise fail(ErrorCode.INVALID, f"意见不能超过{config.feedback.text_max_length}字",
                   "comment")
    before = audit.snapshot(interview)
    interview.acknowledged_at = ctx.now()
    interview.person_comment = comment.strip()
    audit.record(ctx, "interview.acknowledge", "feedback_interview", interview.id, before,
                 audit.snapshot(interview))
    return interview


async def get_interview(ctx: Context, period_id: uuid.UUID,
                        person_id: uuid.UUID) -> FeedbackInterview | None:
    """The interview, or None when there is none or the caller may not read it."""
    ctx.authz  # noqa: B018
    person = await ctx.session.get(Person, (ctx.me.tenant_id, person_id))
    if person is None or not may_read(ctx, person, await tenant_config(ctx)):
        return None
    return await find_interview(ctx, period_id, person_id)


def readable_interviews(ctx: Context, config: TenantConfig) -> Select[FeedbackInterview]:
    """Interviews the caller may read (joined to the person): the read scope, and everyone but
    themselves for a role the tenant delegated the recording to."""
    scope = ctx.authz.read_scope(Permission.interview_read)
    me = ctx.me.person_id
    readable = person_rows(scope, me, Person.id, Person.unit_id)
    if delegated(ctx, config):
        readable = or_(readable, Person.id != me if me is not None else true())
    return select(FeedbackInterview).join(Person, and_(
        Person.tenant_id == FeedbackInterview.tenant_id, Person.id == FeedbackInterview.person_id)
    ).where(readable)


async def list_interviews(ctx: Context, period_id: uuid.UUID) -> Sequence[FeedbackInterview]:
    await get_period(ctx, period_id)
    stmt = readable_interviews(ctx, await tenant_config(ctx))
    return (await ctx.session.scalars(stmt.where(FeedbackInterview.period_id == period_id)
                                      .order_by(Person.employee_no))).all()


# --- completion and the closing guard ----------------------------------------------------------


@dataclass
class Interviewee:
    person_id: uuid.UUID
    name: str
    employee_no: str
    unit_id: uuid.UUID
    unit_name: str
    interviewed: bool
    acknowledged: bool


@dataclass
class UnitCompletion:
    unit_id: uuid.UUID
    unit_name: str
    people: list[Interviewee] = field(default_factory=list)

    @property
    def required(self) -> int:
        return len(self.people)

    @property
    def done(self) -> int:
        return sum(p.interviewed for p in self.people)

    @property
    def acknowledged(self) -> int:
        return sum(p.acknowledged for p in self.people)

    @property
    def missing(self) -> list[Interviewee]:
        return [p for p in self.people if not p.interviewed]


async def interviewees(ctx: Context, period_id: uuid.UUID,
                       scope: ReadScope | None = None) -> list[Interviewee]:
    """The people to interview in the quarter (active, with a result), with their status."""
    stmt = (select(Person.id, Person.name, Person.employee_no, PersonResult.unit_id,
                   OrgUnit.name, FeedbackInterview.id, FeedbackInterview.acknowledged_at)
            .join(Person, and_(Person.tenant_id == PersonResult.tenant_id,
                               Person.id == PersonResult.person_id))
            .join(OrgUnit, and_(OrgUnit.tenant_id == PersonResult.tenant_id,
                                OrgUnit.id == PersonResult.unit_id))
            .outerjoin(FeedbackInterview, and_(
                FeedbackInterview.tenant_id == PersonResult.tenant_id,
                FeedbackInterview.period_id == PersonResult.period_id,
                FeedbackInterview.person_id == PersonResult.person_id))
            .where(PersonResult.period_id == period_id,
                   Person.status == PersonStatus.active.value,
                   # appraised by the level above (由上级考核): not interviewed in the unit
                   PersonResult.status != ResultStatus.by_higher_level.value)
            .order_by(OrgUnit.sort_order, OrgUnit.code, Person.employee_no))
    if scope is not None:
        # By the unit of each person's result: completion is counted per unit of the quarter.
        stmt = stmt.where(person_rows(scope, ctx.me.person_id, Person.id, PersonResult.unit_id))
    rows = (await ctx.session.execute(stmt)).all()
    return [Interviewee(pid, name, no, unit_id, unit_name, interview_id is not None,
                        acknowledged_at is not None)
            for pid, name, no, unit_id, unit_name, interview_id, acknowledged_at in rows]


async def completion(ctx: Context, period_id: uuid.UUID) -> list[UnitCompletion]:
    """Interview completion per unit (the unit of each person's result)."""
    scope = ctx.authz.read_scope(Permission.interview_completion_read)
    if scope.nothing:
        raise forbidden()
    period = await get_period(ctx, period_id)
    if period.kind != PeriodKind.quarter:
        return []
    units: dict[uuid.UUID, UnitCompletion] = {}
    for person in await interviewees(ctx, period.id, scope):
        units.setdefault(person.unit_id, UnitCompletion(person.unit_id, person.unit_name))
        units[person.unit_id].people.append(person)
    return list(units.values())


def missing_message(missing: Sequence[Interviewee]) -> str:
    by_unit: dict[str, list[str]] = defaultdict(list)
    for p in missing[:NAMED_IN_ERROR]:
        by_unit[p.unit_name].append(f"{p.name}（{p.employee_no}）")
    named = "；".join(f"{unit}：{'、'.join(names)}" for unit, names in by_unit.items())
    more = f"……等共{len(missing)}人" if len(missing) > NAMED_IN_ERROR else ""
    return (f"尚有{len(missing)}人未完成反馈谈话，不能关闭周期。{named}{more}"
            "（如确需关闭，可在单位设置中取消此要求）")


async def interviews_guard(ctx: Context, period: Period, to: PeriodState) -> list[Problem]:
    """Registered in ``periods.GUARDS``: a quarter closes only when everyone was interviewed."""
    if to != PeriodState.closed or period.kind != PeriodKind.quarter:
        return []
    config = await tenant_config(ctx)
    if not config.periods.require_interviews_to_close:
        return []
    missing = [p for p in await interviewees(ctx, period.id) if not p.interviewed]
    if not missing:
        return []
    return [Problem(ErrorCode.RULE_VIOLATION, missing_message(missing), "interviews")]


if interviews_guard not in GUARDS:
    GUARDS.append(interviews_guard)


async def periods_by_ids(ctx: Context, ids: Sequence[uuid.UUID]) -> list[Period | None]:
    """Batch loader of periods (every member of the tenant reads periods)."""
    if not ctx.can(Permission.period_read):
        return [None] * len(ids)
    rows = (await ctx.session.scalars(select(Period).where(Period.id.in_(ids)))).all()
    by_id = {p.id: p for p in rows}
    return [by_id.get(i) for i in ids]
