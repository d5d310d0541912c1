"""Objections (异议) after publicity (issue 17, part 2).

* The publicity states its period (公示期): ``publicity.objection_working_days`` working days
  (Monday to Friday, ``rules.working_days``) from the day of publication (``published_at`` in
  Beijing time), and how to object (``publicity.how_to_object``).
* Within it, any person of the unit with an account raises an objection to one published result
  (one on the publicity, or their own) with reasons, optionally naming themselves to the
  committee ("仅向考核委员会署名"). Afterwards it is refused (``OBJECTION_WINDOW_CLOSED``) naming
  the last day.
* The committee (the review's roles: tenant admin, principal leader) lists and answers them; an
  answer may change the grade, through the review's rules, reason and audit
  (``resolvers.appraisal.review.change_grade``) — the only way a grade changes after the review.
* Who raised it: the raiser reads their own objections; the committee reads the name only when
  the raiser named themselves; nobody else ever (the publicity and the objected person read the
  outcome only: ``outcomes_by_result``). The audit log, read by administrators who are not the
  committee (the audit administrator), never holds it: the raise is recorded under the subject
  ``objector`` (``OBJECTOR``), not the raiser's account, and no entry's before or after holds
  ``raised_by_person_id``; the objection row is the one record of who raised it.
* A period cannot close while an objection is open (a period guard naming them).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Row, Select, and_, select
from sqlalchemy.orm import aliased

from authz import Permission
from models import Objection, OrgUnit, Period, Person, PersonResult
from resolvers import audit
from resolvers.appraisal.grading import results_of
from resolvers.appraisal.periods import GUARDS, ensure_open, get_period
from resolvers.appraisal.publicity import TOP_GRADE
from resolvers.appraisal.results import PUBLISHED
from resolvers.appraisal.review import change_grade
from resolvers.context import Context
from resolvers.errors import ErrorCode, Problem, fail, not_found
from resolvers.notifications.send import notify
from resolvers.tenant_config import tenant_config
from rules.working_days import publicity_days
from vocab.grades import GRADE_LABELS, ResultStatus
from vocab.notifications import NotificationEvent
from vocab.objections import ObjectionStatus
from vocab.periods import PeriodKind, PeriodState

MIN_REASONS = 5  # characters: a reason, not a click
ANSWER_MAX = 2000
ANSWERABLE = (PeriodState.publicizing, PeriodState.feedback)
# The audit subject of a raise: who raised an objection is the objection row's alone (see above).
OBJECTOR = "objector"


def _snapshot(row: Objection) -> dict[str, Any] | None:
    """An objection as the audit log keeps it: without who raised it."""
    return audit.snapshot(row, exclude=("raised_by_person_id",))


@dataclass(frozen=True)
class PublicityWindow:
    """The publicity period of a published period; the days are None before publication."""

    working_days: int
    how_to_object: str
    first_day: date | None
    last_day: date | None
    closes_at: datetime | None  # the end of the last day, Beijing time
    open: bool  # objections may be raised now


def _window(period: Period, working_days: int, how_to_object: str, now: datetime
            ) -> PublicityWindow:
    if period.published_at is None or period.state not in PUBLISHED:
        return PublicityWindow(working_days, how_to_object, None, None, None, False)
    published_on = period.published_at.astimezone(audit.LOCAL_TIME).date()
    first, last = publicity_days(published_on, working_days)
    closes_at = datetime.combine(last + timedelta(days=1), time.min, audit.LOCAL_TIME)
    return PublicityWindow(working_days, how_to_object, first, last, closes_at,
                           period.state != PeriodState.closed and now < closes_at)


async def publicity_window(ctx: Context, period_id: uuid.UUID) -> PublicityWindow:
    ctx.require(Permission.publicity_read)
    period = await get_period(ctx, period_id)
    config = (await tenant_config(ctx)).publicity
    return _window(period, config.objection_working_days, config.how_to_object, ctx.now())


def _day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


async def raise_objection(ctx: Context, result_id: uuid.UUID, reasons: str,
                          named_to_committee: bool = False) -> Objection:
    ctx.require(Permission.objection_raise)
    result = await ctx.session.get(PersonResult, (ctx.me.tenant_id, result_id))
    if result is None:
        raise not_found("考核结果")
    if ctx.me.person_id is None:
        raise fail(ErrorCode.FORBIDDEN, "只有本单位人员（账号关联到人员）才能提出异议")
    period = await get_period(ctx, result.period_id)
    published = (period.state in PUBLISHED and result.status == ResultStatus.appraised
                 and (result.grade == TOP_GRADE[PeriodKind(period.kind)]
                      or result.person_id == ctx.me.person_id))
    if not published:  # the same answer as a missing result: nothing to object to here
        raise not_found("考核结果")
    config = (await tenant_config(ctx)).publicity
    window = _window(period, config.objection_working_days, config.how_to_object, ctx.now())
    if not window.open:
        if window.last_day is None or period.state == PeriodState.closed:
            raise fail(ErrorCode.OBJECTION_WINDOW_CLOSED,
                       f"{period.name}的考核结果已关闭，不能再提出异议")
        raise fail(ErrorCode.OBJECTION_WINDOW_CLOSED,
                   f"公示期已于{_day(window.last_day)}结束（{config.objection_working_days}"
                   "个工作日），不能再提出异议")
    text = reasons.strip()
    if len(text) < MIN_REASONS:
        raise fail(ErrorCode.INVALID, f"请写明异议的事实和理由（至少{MIN_REASONS}个字）",
                   "reasons")
    if len(text) > config.objection_max_length:
        raise fail(ErrorCode.LIMIT_EXCEEDED,
                   f"异议理由不能超过{config.objection_max_length}个字（现有{len(text)}个字）",
                   "reasons")
    pending = await ctx.session.scalar(select(Objection.id).where(
        Objection.person_result_id == result.id,
        Objection.raised_by_person_id == ctx.me.person_id,
        Objection.status == ObjectionStatus.open))
    if pending is not None:
        raise fail(ErrorCode.DUPLICATE, "你对此结果的异议尚未答复，请勿重复提出", "resultId")
    row = Objection(tenant_id=ctx.me.tenant_id, id=uuid.uuid4(), period_id=period.id,
                    person_result_id=result.id, person_id=result.person_id,
                    raised_by_person_id=ctx.me.person_id,
                    named_to_committee=bool(named_to_committee), reasons=text,
                    status=ObjectionStatus.open.value, created_at=ctx.now())
    ctx.session.add(row)
    await ctx.session.flush()
    audit.record(ctx, "objection.raise", "objection", row.id, after={
        "period_id": period.id, "person_result_id": result.id, "person_id": result.person_id,
        "named_to_committee": row.named_to_committee, "reasons": text}, actor=OBJECTOR)
    return row


async def answer_objection(ctx: Context, objection_id: uuid.UUID, answer: str,
                           grade: str | None = None, grade_reason: str = "",
                           override: bool = False) -> Objection:
    """Answers an open objection; with ``grade`` (different from the grade in force) the
    result's grade changes under the review's rules (reason required, audited)."""
    ctx.require(Permission.objection_manage)
    row = await ctx.session.get(Objection, (ctx.me.tenant_id, objection_id),
                                with_for_update=True)
    if row is None:
        raise not_found("异议")
    period = await get_period(ctx, row.period_id, for_update=True)
    ensure_open(period)
    if period.state not in ANSWERABLE:
        raise fail(ErrorCode.CONFLICT, "只能在公示或反馈阶段答复异议")
    if row.status != ObjectionStatus.open:
        raise fail(ErrorCode.CONFLICT, "此异议已答复")
    text = answer.strip()
    if not 2 <= len(text) <= ANSWER_MAX:
        raise fail(ErrorCode.INVALID, f"请填写答复（2到{ANSWER_MAX}个字）", "answer")
    results = [r for r in await results_of(ctx, period.id, lock=True)
               if r.status == ResultStatus.appraised]
    result = next((r for r in results if r.id == row.person_result_id), None)
    if result is None:
        raise fail(ErrorCode.CONFLICT, "异议所针对的考核结果已不存在")
    before = _snapshot(row)
    row.grade_before = result.grade
    if grade is not None and grade != result.grade:
        ctx.require(Permission.grade_review)
        await change_grade(ctx, period, results, result, grade, grade_reason, override,
                           by="异议复核", extra={"objection_id": str(row.id)})
    row.grade_after = result.grade
    row.status, row.answer = ObjectionStatus.answered.value, text
    row.answered_at, row.answered_by = ctx.now(), ctx.me.subject
    audit.record(ctx, "objection.answer", "objection", row.id, before, _snapshot(row),
                 grade_reason.strip())
    await notify(ctx, NotificationEvent.objection_answered, person_ids=[row.raised_by_person_id],
                 title=f"{period.name}：您提出的异议已答复",
                 body=f"答复：{text}", link="/publicity")
    return row


@dataclass(frozen=True)
class ObjectionLine:
    """One objection as its reader may see it: ``raiser_name`` only for the committee when the
    raiser named themselves, or for the raiser."""

    objection: Objection
    person_name: str
    employee_no: str
    unit_name: str
    period_name: str
    raiser_name: str | None
    mine: bool
    current_grade: str | None  # the grade of the result objected to, now


def _lines_stmt() -> Select[Objection, str, str, str, str, str, str | None]:
    raiser = aliased(Person)
    return (select(Objection, Person.name, Person.employee_no, OrgUnit.name, Period.name,
                   raiser.name, PersonResult.grade)
            .join(Person, and_(Person.tenant_id == Objection.tenant_id,
                               Person.id == Objection.person_id))
            .join(OrgUnit, and_(OrgUnit.tenant_id == Person.tenant_id,
                                OrgUnit.id == Person.unit_id))
            .join(Period, and_(Period.tenant_id == Objection.tenant_id,
                               Period.id == Objection.period_id))
            .join(raiser, and_(raiser.tenant_id == Objection.tenant_id,
                               raiser.id == Objection.raised_by_person_id))
            .join(PersonResult, and_(PersonResult.tenant_id == Objection.tenant_id,
                                     PersonResult.id == Objection.person_result_id)))


def _line(row: Row[Objection, str, str, str, str, str, str | None], me: uuid.UUID | None, *,
          committee: bool) -> ObjectionLine:
    o, name, no, unit, period_name, raiser, grade = row
    mine = o.raised_by_person_id == me
    shown = raiser if mine or (committee and o.named_to_committee) else None
    return ObjectionLine(o, name, no, unit, period_name, shown, mine, grade)


async def objection_line(ctx: Context, objection: Objection, *, committee: bool
                         ) -> ObjectionLine:
    """The line of an objection the caller just raised (``committee=False``) or answered."""
    row = (await ctx.session.execute(_lines_stmt().where(Objection.id == objection.id))).one()
    return _line(row, ctx.me.person_id, committee=committee)


async def list_objections(ctx: Context, period_id: uuid.UUID, status: str | None = None
                          ) -> list[ObjectionLine]:
    """The period's objections for the committee, open first, oldest first (one query)."""
    ctx.require(Permission.objection_manage)
    period = await get_period(ctx, period_id)
    if status is not None and status not in set(ObjectionStatus):
        raise fail(ErrorCode.INVALID, "异议状态只能是 open（待答复）或 answered（已答复）",
                   "status")
    stmt = _lines_stmt().where(Objection.period_id == period.id)
    if status is not None:
        stmt = stmt.where(Objection.status == status)
    rows = (await ctx.session.execute(stmt.order_by(
        Objection.status.desc(), Objection.created_at, Objection.id))).all()
    return [_line(row, ctx.me.person_id, committee=True) for row in rows]


async def my_objections(ctx: Context, period_id: uuid.UUID | None = None) -> list[ObjectionLine]:
    """The objections the caller raised, newest first."""
    ctx.require(Permission.objection_raise)
    if ctx.me.person_id is None:
        return []
    stmt = _lines_stmt().where(Objection.raised_by_person_id == ctx.me.person_id)
    if period_id is not None:
        stmt = stmt.where(Objection.period_id == period_id)
    rows = (await ctx.session.execute(stmt.order_by(Objection.created_at.desc(),
                                                    Objection.id))).all()
    return [_line(row, ctx.me.person_id, committee=False) for row in rows]


@dataclass(frozen=True)
class ObjectionOutcome:
    """What the publicity and the objected person read of an objection: never who raised it
    nor their reasons (which could tell who it was)."""

    objection_id: uuid.UUID
    status: str
    raised_at: datetime
    answer: str | None
    answered_at: datetime | None
    grade_before: str | None
    grade_after: str | None

    @property
    def summary(self) -> str:
        if self.status == ObjectionStatus.open:
            return "收到异议，正在核实"
        if self.grade_before != self.grade_after:
            return (f"异议已答复：经复核，等次由{GRADE_LABELS.get(self.grade_before or '', '未定')}"
                    f"调整为{GRADE_LABELS.get(self.grade_after or '', '未定')}")
        return "异议已答复：经复核，维持原等次"


async def outcomes_by_result(ctx: Context, result_ids: Sequence[uuid.UUID]
                             ) -> list[list[ObjectionOutcome]]:
    """Batch function: the outcomes of the objections to each result (callers have checked
    that the result itself is readable)."""
    found: dict[uuid.UUID, list[ObjectionOutcome]] = defaultdict(list)
    for o in (await ctx.session.scalars(select(Objection).where(
            Objection.person_result_id.in_(set(result_ids)))
            .order_by(Objection.created_at, Objection.id))).all():
        found[o.person_result_id].append(ObjectionOutcome(
            o.id, o.status, o.created_at, o.answer, o.answered_at, o.grade_before,
            o.grade_after))
    return [found.get(r, []) for r in result_ids]


async def open_objections_guard(ctx: Context, period: Period, to: PeriodState) -> list[Problem]:
    """Results cannot be closed while an objection is open."""
    if to != PeriodState.closed:
        return []
    rows = (await ctx.session.execute(
        select(Person.name, Person.employee_no).join(Objection, and_(
            Objection.tenant_id == Person.tenant_id, Objection.person_id == Person.id))
        .where(Objection.period_id == period.id, Objection.status == ObjectionStatus.open)
        .order_by(Person.employee_no))).all()
    if not rows:
        return []
    named = "、".join(f"{name}（{no}）" for name, no in rows[:30])
    more = f"……等共{len(rows)}件" if len(rows) > 30 else ""
    return [Problem(ErrorCode.RULE_VIOLATION,
                    f"还有{len(rows)}件异议未答复，不能关闭考核结果：对{named}{more}的异议，"
                    "请先在“异议处理”中答复", "toState")]


GUARDS.append(open_objections_guard)
