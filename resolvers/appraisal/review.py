"""Review (综合研判): the tenant admin (organization department) and the principal leader confirm
or change the proposed grades while the period is in "综合研判" (reviewing).

* Confirming a grade as it stands needs no reason; changing it needs one.
* A change that breaks a rule is refused, listing every rule it breaks: for a quarter the quota
  of 好 (and any configured limit), the top half ("入围择优": 好 only for
  ``rank <= max(1, floor(n * shortlist_share))``), the conduct-breach cap and score bands; for the
  year the 优秀 quota, the top half, the eligibility from the quarters and a 较差 quarter blocking
  称职 (``rules.grading.check_review_change`` / ``rules.annual.check_review_change``).
* An explicit override (``override = true``) with the reason applies such a change anyway: the
  audit entry (``grade.override``) keeps the broken rules beside the reason, and the person's
  reasons say the committee decided it.
* Every confirmation and change is audited with before and after; a changed grade's reason is
  added to the person's reasons (publicity shows them).
* A result flagged "并列跨线，须研判" (``tie_review``: a tie cut by the 好 quota or the top-50%
  line) is decided only by ``review_grade`` with a reason, even to keep the proposed grade;
  ``confirm_grades`` refuses, naming them, while any such result it would confirm is undecided.
* The period cannot be publicized until every result is confirmed (a period guard).
* Under a sign-off chain (逐级审核, ``review.signoff_chain``) other than the default one level,
  ``review_grade`` is the current level's change of a grade (same reasons and checks, no
  confirmation; resolvers/appraisal/signoff.py), ``confirm_grades`` is refused and the last
  level's pass confirms; confirming itself lives in resolvers/appraisal/confirmation.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select

from authz import Permission
from models import Period, Person, PersonResult
from resolvers import audit
from resolvers.appraisal.annual import review_violations
from resolvers.appraisal.confirmation import confirm, refuse_undecided_ties, snapshot
from resolvers.appraisal.grading import (
    employee_numbers,
    grading_policy,
    rank_input,
    results_of,
    scope_of,
    scopes,
    tie_keys,
)
from resolvers.appraisal.periods import GUARDS, ensure_open, get_period
from resolvers.appraisal.raters import has_assignments
from resolvers.appraisal.signoff import Level, acting_level, chain_of, is_default
from resolvers.context import Context
from resolvers.errors import ErrorCode, Problem, UserFacingError, fail, not_found
from resolvers.tenant_config import tenant_config
from rules.errors import RuleError
from rules.grading import RuleViolation, check_review_change
from tenants.config import TenantConfig
from vocab.grades import GRADE_LABELS, AnnualGrade, QuarterlyGrade, ResultStatus
from vocab.org import PersonStatus
from vocab.periods import PeriodKind, PeriodState


async def _reviewable(ctx: Context, period_id: uuid.UUID, *, chain_aware: bool = False
                      ) -> tuple[Period, list[PersonResult]]:
    """``chain_aware``: a level of the sign-off chain may act too (it checks whose turn)."""
    if not (ctx.can(Permission.grade_review)
            or (chain_aware and ctx.can(Permission.grade_signoff))):
        ctx.require(Permission.grade_review)
    period = await get_period(ctx, period_id, for_update=True)
    ensure_open(period)
    if period.state != PeriodState.reviewing:
        raise fail(ErrorCode.RULE_VIOLATION, "只能在“综合研判”阶段确认或调整等次")
    rows = await results_of(ctx, period.id, lock=True)
    if not rows:
        raise fail(ErrorCode.RULE_VIOLATION, "尚未计算得分和拟定等次，不能综合研判")
    # Unrated (未评价) and by-the-level-above (由上级考核) results carry no grade to review.
    return period, [r for r in rows if r.status == ResultStatus.appraised]


def _valid_grade(period: Period, grade: str) -> str:
    allowed = QuarterlyGrade if period.kind == PeriodKind.quarter else AnnualGrade
    if grade not in {g.value for g in allowed}:
        kind = "季度考核" if period.kind == PeriodKind.quarter else "年度考核"
        raise fail(ErrorCode.INVALID, f"“{GRADE_LABELS.get(grade, grade)}”不是{kind}的等次",
                   "grade")
    return grade


async def _violations(ctx: Context, period: Period, rows: Sequence[PersonResult],
                      row: PersonResult, grade: str, config: TenantConfig
                      ) -> tuple[RuleViolation, ...]:
    if period.kind != PeriodKind.quarter:
        return await review_violations(ctx, period, rows, row, AnnualGrade(grade), config)
    separately = config.grading.compare_groups_separately
    numbers = await employee_numbers(ctx, rows)
    inputs = [rank_input(r, config.rating.rounding_places, numbers.get(r.person_id, ""))
              for r in rows]
    entries = scope_of(scopes(inputs, separately, tie_keys(config.grading)), str(row.person_id))
    members = {e.person_id for e in entries}
    current = {str(r.person_id): QuarterlyGrade(r.grade or r.proposed_grade or "fairly_good")
               for r in rows if str(r.person_id) in members}
    breaches = {str(r.person_id): r.serious_conduct_breach for r in rows}
    try:
        return check_review_change(current, entries, str(row.person_id), QuarterlyGrade(grade),
                                   serious_breach=breaches,
                                   policy=grading_policy(config.grading))
    except RuleError as exc:
        raise fail(ErrorCode.CONFLICT, f"考核结果不一致，请重新计算：{exc}") from exc


async def review_grade(ctx: Context, period_id: uuid.UUID, person_id: uuid.UUID, grade: str,
                       reason: str = "", override: bool = False) -> PersonResult:
    """Confirms (same grade) or changes (reason required) one person's grade.

    Under a sign-off chain other than the default, the current level of the person's scope
    changes the grade (same reasons and rule checks; only unit levels override a rule) and
    nothing is confirmed before the last level passes (resolvers/appraisal/signoff.py)."""
    period, rows = await _reviewable(ctx, period_id, chain_aware=True)
    row = next((r for r in rows if r.person_id == person_id), None)
    if row is None:
        raise not_found("考核结果")
    level = await acting_level(ctx, period, rows, row)
    if level is None:
        ctx.require(Permission.grade_review)
    grade = _valid_grade(period, grade)
    reason = reason.strip()
    current = row.grade or row.proposed_grade
    before = snapshot(row, current)
    by = "综合研判" if level is None else level.name
    confirmed_at = ctx.now() if level is None else None
    if row.tie_review and row.confirmed_at is None and grade == current and (
            level is None or row.grade is None):
        if not reason:
            raise fail(ErrorCode.INVALID, "并列跨线，须研判：确定此人的等次须说明理由", "reason")
        row.grade, row.confirmed_at = grade, confirmed_at
        row.reasons = [*row.reasons, f"{by}（并列跨线）：确定为{GRADE_LABELS[grade]}，"
                                     f"理由：{reason}"]
        audit.record(ctx, "grade.confirm" if level is None else "grade.change",
                     "person_result", row.id, before,
                     {**snapshot(row, row.grade), "tie_decided": True}, reason)
        return row
    if grade == current:
        if level is not None:  # kept as it stands: the last level's pass confirms it
            return row
        row.grade, row.confirmed_at = grade, ctx.now()
        audit.record(ctx, "grade.confirm", "person_result", row.id, before,
                     snapshot(row, row.grade), reason)
        return row
    return await change_grade(ctx, period, rows, row, grade, reason, override, by=by,
                              level=level)


async def change_grade(ctx: Context, period: Period, rows: Sequence[PersonResult],
                       row: PersonResult, grade: str, reason: str, override: bool = False, *,
                       by: str = "综合研判", extra: dict[str, Any] | None = None,
                       level: Level | None = None) -> PersonResult:
    """Changes ``row``'s grade under the review's rules: the reason is required; a change that
    breaks a rule is refused unless ``override``; the person's reasons say who decided it
    (``by``: 综合研判, a sign-off level, 异议复核) and the audit keeps before and after
    (``grade.change`` or ``grade.override``, ``extra`` added to after). ``rows``: the period's
    appraised results, locked. The review, a sign-off level (``level``: the change waits for
    the chain's last level to be confirmed) and answering an objection
    (resolvers.appraisal.objections) share it."""
    grade = _valid_grade(period, grade)
    reason = reason.strip()
    current = row.grade or row.proposed_grade
    before = snapshot(row, current)
    if grade == current:
        raise fail(ErrorCode.INVALID, f"等次已是{GRADE_LABELS[grade]}，无须调整", "grade")
    if not reason:
        raise fail(ErrorCode.INVALID, "调整等次须说明理由", "reason")
    config = await tenant_config(ctx)
    broken = await _violations(ctx, period, rows, row, grade, config)
    if broken and override and level is not None and level.per_department:
        raise fail(ErrorCode.RULE_VIOLATION,
                   f"{level.name}不能突破规则调整等次，如确需突破，请在提交上一级时说明",
                   "override")
    if broken and not override:
        raise UserFacingError(
            *(Problem(ErrorCode.RULE_VIOLATION, v.message, "grade") for v in broken),
            Problem(ErrorCode.RULE_VIOLATION,
                    "如经集体研究确需突破上述规则，请选择突破规则调整（override）并说明理由",
                    "override"))
    row.grade, row.confirmed_at = grade, ctx.now() if level is None else None
    text = (f"{by}：由{GRADE_LABELS.get(current or '', '未定')}调整为{GRADE_LABELS[grade]}，"
            f"理由：{reason}")
    if broken:
        text += f"（经集体研究突破规则：{'；'.join(v.message for v in broken)}）"
    row.reasons = [*row.reasons, text]
    after = {**snapshot(row, row.grade), **(extra or {}), "override": bool(broken),
             "violations": [{"code": v.code.value, "message": v.message} for v in broken]}
    if level is not None:
        after["signoff_level"] = level.name
    audit.record(ctx, "grade.override" if broken else "grade.change", "person_result", row.id,
                 before, after, reason)
    return row


async def confirm_grades(ctx: Context, period_id: uuid.UUID,
                         person_ids: Sequence[uuid.UUID] | None = None) -> list[PersonResult]:
    """Confirms the proposed grade of everyone not yet confirmed (or of the given people).

    Under a sign-off chain other than the default, only the chain's last level confirms."""
    period, rows = await _reviewable(ctx, period_id)
    levels = await chain_of(ctx, period)
    if not is_default(levels):
        raise fail(ErrorCode.RULE_VIOLATION,
                   f"本单位实行逐级审核（{'→'.join(lv.name for lv in levels)}），"
                   f"等次在“{levels[-1].name}”审核通过后确认")
    wanted = set(person_ids) if person_ids is not None else None
    if wanted is not None and wanted - {r.person_id for r in rows}:
        raise not_found("考核结果")
    await refuse_undecided_ties(
        ctx, [r for r in rows if wanted is None or r.person_id in wanted])
    return confirm(ctx, [r for r in rows if wanted is None or r.person_id in wanted])


NAMED_IN_ERROR = 30  # a refusal names at most this many people, then counts the rest


async def _named(ctx: Context, ids: Select[uuid.UUID]) -> str:
    """"姓名（编号）、…" of the people whose ids the statement selects, by employee number."""
    found = (await ctx.session.execute(select(Person.name, Person.employee_no).where(
        Person.id.in_(ids)).order_by(Person.employee_no))).all()
    names = "、".join(f"{name}（{no}）" for name, no in found[:NAMED_IN_ERROR])
    return names + (f"……等共{len(found)}人" if len(found) > NAMED_IN_ERROR else "")


async def publicity_guard(ctx: Context, period: Period, to: PeriodState) -> list[Problem]:
    """No publicity before every appraised person has a confirmed grade.

    A period that was never appraised in the platform (no raters, no results) is not held.
    """
    if to != PeriodState.publicizing:
        return []
    total, open_ = (await ctx.session.execute(
        select(func.count(), func.count().filter(
            PersonResult.confirmed_at.is_(None), PersonResult.status == ResultStatus.appraised))
        .where(PersonResult.period_id == period.id))).one()
    if not total:
        if await has_assignments(ctx, period.id):
            return [Problem(ErrorCode.RULE_VIOLATION, "尚未计算得分和拟定等次，不能进入公示",
                            "toState")]
        return []
    problems = []
    if open_:
        names = await _named(ctx, select(PersonResult.person_id).where(
            PersonResult.period_id == period.id, PersonResult.confirmed_at.is_(None),
            PersonResult.status == ResultStatus.appraised))
        problems.append(Problem(ErrorCode.RULE_VIOLATION,
                                f"还有{open_}人的等次未经综合研判确认，不能进入公示：{names}",
                                "toState"))
    # appraised people left out of the computation (people added since are not held)
    first = select(func.min(PersonResult.created_at)).where(
        PersonResult.period_id == period.id).scalar_subquery()
    left_out = select(Person.id).where(
        Person.appraised.is_(True), Person.status == PersonStatus.active,
        Person.created_at < first,
        Person.id.not_in(select(PersonResult.person_id).where(
            PersonResult.period_id == period.id)))
    missing = await ctx.session.scalar(select(func.count()).select_from(left_out.subquery()))
    if missing:
        problems.append(Problem(ErrorCode.RULE_VIOLATION,
                                f"有{missing}名参加考核的人员没有考核结果，请重新计算后再公示："
                                f"{await _named(ctx, left_out)}", "toState"))
    return problems


GUARDS.append(publicity_guard)
