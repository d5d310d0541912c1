"""The care list of a quarter and what the tenant records for the people on it.

The flags come from ``rules.care`` over the results of the quarter and of the quarters before it
that the rules look at, with the fit ratings the interviews recorded. The ranking is the
tenant-wide one, or each comparison group's when the tenant grades the groups separately.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Select, and_, select

from authz import Permission, ReadScope, Target
from authz.scopes import person_rows
from models import CareAction, FeedbackInterview, Period, Person, PersonResult
from resolvers import audit
from resolvers.appraisal.periods import get_period
from resolvers.context import Context
from resolvers.errors import ErrorCode, Problem, UserFacingError, fail, not_found
from resolvers.feedback import post_history
from resolvers.feedback.interviews import load_person, refusal
from resolvers.tenant_config import tenant_config
from rules.care import (
    CareFlag,
    CarePolicy,
    Quarter,
    QuarterRecord,
    care_list,
    fill_positions,
    quarter_index,
)
from tenants.config import TenantConfig
from vocab.feedback import CareActionKind, CareFlagKind
from vocab.grades import ResultStatus
from vocab.org import PersonStatus
from vocab.periods import PeriodKind


def care_policy(config: TenantConfig) -> CarePolicy:
    c = config.care
    return CarePolicy(bottom_share=Decimal(c.bottom_share), regression_steps=c.regression_steps,
                      rank_drop=c.rank_drop, rank_drop_share=Decimal(c.rank_drop_share),
                      low_fit_threshold=c.low_fit_threshold,
                      poor_count=c.poor_count, poor_window=c.poor_window)


def record_of(result: PersonResult, quarter: Quarter, config: TenantConfig,
              fit: int | None = None) -> QuarterRecord:
    separately = config.grading.compare_groups_separately
    return QuarterRecord(
        person_id=result.person_id, quarter=quarter, grade=result.grade,
        rank=result.group_rank if separately else result.rank,
        group=result.comparison_group if separately else "", fit=fit, result_id=result.id)


@dataclass
class CareEntry:
    person: Person
    flags: tuple[CareFlag, ...]
    actions: list[CareAction]


async def _window(ctx: Context, period: Period, quarters: int) -> dict[uuid.UUID, Quarter]:
    """The quarter periods of the ``quarters`` calendar quarters ending with ``period``."""
    assert period.quarter is not None
    end = quarter_index((period.year, period.quarter))
    rows = (await ctx.session.execute(
        select(Period.id, Period.year, Period.quarter).where(
            Period.kind == PeriodKind.quarter.value,
            Period.year.between(period.year - (quarters + 3) // 4, period.year)))).all()
    return {pid: (y, q) for pid, y, q in rows
            if q is not None and end - quarters < quarter_index((y, q)) <= end}


async def quarter_records(ctx: Context, periods: dict[uuid.UUID, Quarter],
                          config: TenantConfig) -> list[QuarterRecord]:
    """Everyone's results of the periods with fit ratings, positions filled (whole rankings)."""
    every = (await ctx.session.scalars(select(PersonResult).where(
        PersonResult.period_id.in_(periods)))).all()
    # Unrated (未评价) and by-the-level-above (由上级考核) results are not fed to the rules.
    results = [r for r in every if r.status == ResultStatus.appraised]
    outside = {(r.person_id, r.period_id) for r in every if r.status != ResultStatus.appraised}
    fits = {(pid, per): fit for pid, per, fit in (await ctx.session.execute(
        select(FeedbackInterview.person_id, FeedbackInterview.period_id,
               FeedbackInterview.fit_rating).where(
            FeedbackInterview.period_id.in_(periods)))).all()}
    records = [record_of(r, periods[r.period_id], config, fits.pop((r.person_id, r.period_id),
                                                                    None)) for r in results]
    # An interview without a result still carries its fit rating.
    records += [QuarterRecord(person_id=pid, quarter=periods[per], fit=fit)
                for (pid, per), fit in fits.items() if (pid, per) not in outside]
    return fill_positions(records)


def _care_scope(ctx: Context) -> ReadScope:
    scope = ctx.authz.read_scope(Permission.care_list_read)
    if scope.nothing:
        raise fail(ErrorCode.FORBIDDEN, "无权执行此操作")
    return scope


def readable_care_list(ctx: Context) -> Select[Person]:
    """The people whose place on the care list the caller may read (refused without reach)."""
    return select(Person).where(person_rows(_care_scope(ctx), ctx.me.person_id, Person.id,
                                            Person.unit_id))


def readable_care_actions(ctx: Context) -> Select[CareAction]:
    """Care actions the caller may read, joined to their person (refused without reach)."""
    return (select(CareAction)
            .join(Person, and_(Person.tenant_id == CareAction.tenant_id,
                               Person.id == CareAction.person_id))
            .where(person_rows(_care_scope(ctx), ctx.me.person_id, Person.id, Person.unit_id)))


async def care_list_of(ctx: Context, period_id: uuid.UUID) -> list[CareEntry]:
    _care_scope(ctx)  # refused before any work
    period = await get_period(ctx, period_id)
    if period.kind != PeriodKind.quarter or period.quarter is None:
        raise fail(ErrorCode.INVALID, "关心帮助名单按季度生成，请选择季度考核周期", "periodId")
    config = await tenant_config(ctx)
    policy = care_policy(config)
    await post_history.apply_due(ctx)  # the list shows people with their current post
    periods = await _window(ctx, period, max(policy.poor_window, 2))
    flagged = care_list(await quarter_records(ctx, periods, config),
                        (period.year, period.quarter), policy)
    if not flagged:
        return []
    people = (await ctx.session.scalars(readable_care_list(ctx).where(
        Person.id.in_(list(flagged)), Person.status == PersonStatus.active.value
    ).order_by(Person.employee_no))).all()
    actions = await actions_by_person(ctx, [p.id for p in people])
    return [CareEntry(p, flagged[p.id], actions.get(p.id, [])) for p in people]


async def actions_by_person(ctx: Context, person_ids: Sequence[uuid.UUID]
                            ) -> dict[uuid.UUID, list[CareAction]]:
    rows = (await ctx.session.scalars(select(CareAction).where(
        CareAction.person_id.in_(person_ids)).order_by(CareAction.starts_on,
                                                      CareAction.created_at))).all()
    out: dict[uuid.UUID, list[CareAction]] = defaultdict(list)
    for row in rows:
        out[row.person_id].append(row)
    return dict(out)


async def list_actions(ctx: Context, person_id: uuid.UUID | None) -> Sequence[CareAction]:
    stmt = readable_care_actions(ctx).order_by(CareAction.starts_on, CareAction.created_at)
    if person_id is not None:
        stmt = stmt.where(CareAction.person_id == person_id)
    return (await ctx.session.scalars(stmt)).all()


@dataclass(frozen=True)
class CareActionInput:
    kind: str
    person_id: uuid.UUID
    starts_on: date
    mentor_id: uuid.UUID | None = None
    ends_on: date | None = None
    note: str = ""
    flags: Sequence[str] = ()
    post_id: uuid.UUID | None = None  # post adjustment: the new post, from ``starts_on``
    basis: Sequence[uuid.UUID] = ()  # post adjustment: the results it rests on (default: latest)


def _care_target(person: Person) -> Target:
    return Target(kind="care_action", id=person.id, person_id=person.id, unit_id=person.unit_id)


def _check_action(data: CareActionInput, config: TenantConfig) -> list[Problem]:
    problems = []
    if data.kind not in set(CareActionKind):
        problems.append(Problem(ErrorCode.INVALID, "帮扶措施类型无效", "kind"))
    if (data.kind == CareActionKind.mentoring) != (data.mentor_id is not None):
        problems.append(Problem(ErrorCode.INVALID, "结对帮带须指定帮带人；其他措施不指定帮带人",
                                "mentorId"))
    if data.mentor_id is not None and data.mentor_id == data.person_id:
        problems.append(Problem(ErrorCode.INVALID, "帮带人不能是本人", "mentorId"))
    if (data.kind == CareActionKind.post_adjustment) != (data.post_id is not None):
        problems.append(Problem(ErrorCode.INVALID, "岗位调整须指定调整后的岗位；其他措施不指定岗位",
                                "postId"))
    if data.ends_on is not None and data.ends_on < data.starts_on:
        problems.append(Problem(ErrorCode.INVALID, "结束日期不能早于开始日期", "endsOn"))
    if len(data.note.strip()) > config.feedback.text_max_length:
        problems.append(Problem(ErrorCode.INVALID, "说明过长", "note"))
    bad = [f for f in data.flags if f not in set(CareFlagKind)]
    if bad:
        problems.append(Problem(ErrorCode.INVALID, f"未知的关心帮助情形：{'、'.join(bad)}",
                                "flags"))
    return problems


async def record_action(ctx: Context, data: CareActionInput) -> CareAction:
    """Records a mentoring pair, a post adjustment or a follow-up interview for a person.

    A post adjustment also changes the person's post from ``starts_on`` and writes the
    results-use ledger (``resolvers.feedback.post_history``).
    """
    ctx.authz  # noqa: B018 - refuses anonymous callers
    person = await load_person(ctx, data.person_id)
    if not ctx.can(Permission.care_action_write, _care_target(person)):
        raise refusal(ctx, person)
    config = await tenant_config(ctx)
    problems = _check_action(data, config)
    if problems:
        raise UserFacingError(*problems)
    if data.mentor_id is not None:
        await load_person(ctx, data.mentor_id)
    action = CareAction(tenant_id=ctx.me.tenant_id, kind=data.kind, person_id=person.id,
                        mentor_id=data.mentor_id, starts_on=data.starts_on, ends_on=data.ends_on,
                        note=data.note.strip(), flags=list(dict.fromkeys(data.flags)),
                        recorded_by=ctx.me.subject)
    ctx.session.add(action)
    await ctx.session.flush()
    audit.record(ctx, "care_action.record", "care_action", action.id,
                 after=audit.snapshot(action))
    if data.post_id is not None:
        await post_history.record_adjustment(ctx, person, data.post_id, data.starts_on,
                                             action.note, data.basis, action.id)
    return action


async def end_action(ctx: Context, action_id: uuid.UUID, ends_on: date,
                     note: str = "", outcome: str = "") -> CareAction:
    """Ends a mentoring pair with its outcome (帮带成效), or dates the end of another action."""
    ctx.authz  # noqa: B018
    action = await ctx.session.get(CareAction, (ctx.me.tenant_id, action_id))
    if action is None:
        raise not_found("帮扶措施")
    person = await load_person(ctx, action.person_id)
    if not ctx.can(Permission.care_action_write, _care_target(person)):
        if ctx.can(Permission.care_list_read, Target(kind="care_list", person_id=person.id,
                                                     unit_id=person.unit_id)):
            raise fail(ErrorCode.FORBIDDEN, "无权执行此操作")
        raise not_found("帮扶措施")
    if ends_on < action.starts_on:
        raise fail(ErrorCode.INVALID, "结束日期不能早于开始日期", "endsOn")
    config = await tenant_config(ctx)
    if len(note.strip()) > config.feedback.text_max_length:
        raise fail(ErrorCode.INVALID, "说明过长", "note")
    if len(outcome.strip()) > config.feedback.text_max_length:
        raise fail(ErrorCode.INVALID, "成效说明过长", "outcome")
    if action.kind == CareActionKind.mentoring and not outcome.strip():
        raise fail(ErrorCode.INVALID, "结束结对帮带须填写帮带成效", "outcome")
    before = audit.snapshot(action)
    action.ends_on = ends_on
    if outcome.strip():
        action.outcome = outcome.strip()
    if note.strip():
        action.note = f"{action.note}\n{note.strip()}".strip()
    audit.record(ctx, "care_action.end", "care_action", action.id, before,
                 audit.snapshot(action))
    return action

