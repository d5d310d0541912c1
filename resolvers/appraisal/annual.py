"""Annual grade (年度考核等次) of a year period, from the year's four quarters (``rules.annual``).

* Quarterly grades: the grades the review confirmed in each quarter period of the year; a
  quarter without a confirmed grade counts as not graded.
* The year's score: the mean of the person's quarterly scores of the year (the quarters that have
  one), rounded by the tenant's rule. The year's ranking ranks that score; ties share the rank
  and are ordered by person id.
* 不定等次: the people the tenant admin names (with a reason, e.g. joined late or long leave) and
  everyone without any quarterly score. They count in no quota and are not ranked.
* Proposal: 优秀 at most ``excellent_quota_share`` of those appraised (rounded half up, at least
  one), only from the top half of the ranking, only with 好 in more than half of the graded
  quarters and no 一般 or 较差; a 较差 quarter proposes 基本称职 for review; everyone else 称职.
  In each comparison group separately when ``grading.compare_groups_separately`` is on.

The review (``resolvers.review``) then confirms or changes the grades as for a quarter.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from authz import Permission
from models import Period, PersonResult
from resolvers import audit
from resolvers.appraisal.completeness import higher_level_ids
from resolvers.appraisal.democratic_votes import vote_lines
from resolvers.appraisal.grading import (
    after_recompute,
    appraised_people,
    employee_numbers,
    rank_input,
    refuse_if_confirmed,
    results_of,
    rounding_of,
    scopes,
    unscored_result,
)
from resolvers.appraisal.periods import QUARTER_NAMES, ensure_open, get_period
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail, not_found
from resolvers.tenant_config import tenant_config
from rules.annual import AnnualPolicy, AnnualRecord, check_review_change, propose_annual_grades
from rules.errors import RuleError
from rules.grading import RuleViolation
from rules.ranking import RankInput, rank, rank_by_group
from tenants.config import AnnualConfig, TenantConfig
from vocab.grades import AnnualGrade, QuarterlyGrade, ResultStatus
from vocab.periods import PeriodKind, PeriodState

NOT_GRADED_LINE = "not_graded"
NO_QUARTERS = "本年度没有季度考核得分"


def annual_policy(config: AnnualConfig) -> AnnualPolicy:
    try:
        return AnnualPolicy(excellent_quota_share=Decimal(config.excellent_quota_share),
                            shortlist_share=Decimal(config.shortlist_share),
                            good_quarters_share=Decimal(config.good_quarters_share))
    except (RuleError, ValueError, ArithmeticError) as exc:
        raise fail(ErrorCode.INVALID, f"年度等次规则设置有误：{exc}") from exc


@dataclass(frozen=True)
class NotGradedInput:
    person_id: uuid.UUID
    reason: str


@dataclass(frozen=True)
class Quarters:
    grades: tuple[QuarterlyGrade | None, ...]  # index 0 = Q1
    scores: tuple[tuple[int, Decimal], ...]  # (quarter, score)


async def quarters_of(ctx: Context, year: int) -> dict[uuid.UUID, Quarters]:
    rows = (await ctx.session.execute(
        select(Period.quarter, PersonResult)
        .join(Period, Period.id == PersonResult.period_id)
        .where(Period.kind == PeriodKind.quarter, Period.year == year))).all()
    grades: dict[uuid.UUID, list[QuarterlyGrade | None]] = defaultdict(lambda: [None] * 4)
    scores: dict[uuid.UUID, list[tuple[int, Decimal]]] = defaultdict(list)
    for quarter, result in rows:
        if quarter is None:
            continue
        grade = result.grade if result.confirmed_at is not None else None
        grades[result.person_id][quarter - 1] = QuarterlyGrade(grade) if grade else None
        if result.score is not None:
            scores[result.person_id].append((quarter, result.score))
    return {pid: Quarters(tuple(grades[pid]), tuple(sorted(scores[pid])))
            for pid in set(grades) | set(scores)}


def _record(person_id: uuid.UUID, quarters: Quarters | None, reason: str | None
            ) -> AnnualRecord:
    grades = quarters.grades if quarters else (None,) * 4
    return AnnualRecord(str(person_id), grades, reason is not None, reason or "")


def _not_graded_reason(row: PersonResult) -> str | None:
    for line in row.explanation or []:
        if line.get("kind") == NOT_GRADED_LINE:
            return str(line.get("text", ""))
    return None


def _explanation(quarters: Quarters | None, score: Decimal | None, reason: str | None,
                 config: TenantConfig) -> list[dict[str, Any]]:
    rounding = rounding_of(config)
    lines: list[dict[str, Any]] = []
    for quarter, value in quarters.scores if quarters else ():
        grade = quarters.grades[quarter - 1] if quarters else None
        shown = grade.label if grade else "未确定"
        lines.append({"kind": "quarter", "source": f"Q{quarter}", "delta": str(value),
                      "text": f"{QUARTER_NAMES[quarter]}：得分 {rounding.display(value)}，"
                              f"等次 {shown}"})
    if score is not None and quarters:
        lines.append({"kind": "annual_score", "source": "year", "delta": str(score),
                      "text": f"年度得分为{len(quarters.scores)}个季度得分的平均值："
                              f"{rounding.display(score)} 分"})
    if reason is not None:
        lines.append({"kind": NOT_GRADED_LINE, "source": "", "delta": "0", "text": reason})
    return lines


async def compute_annual(ctx: Context, period_id: uuid.UUID,
                         not_graded: Sequence[NotGradedInput] = ()) -> list[PersonResult]:
    ctx.require(Permission.result_compute)
    period = await get_period(ctx, period_id, for_update=True)
    ensure_open(period)
    if period.kind != PeriodKind.year:
        raise fail(ErrorCode.INVALID, "季度考核请计算季度得分和等次")
    if period.state != PeriodState.reviewing:
        raise fail(ErrorCode.RULE_VIOLATION, "进入“综合研判”阶段后才能拟定年度考核等次")
    existing = {r.person_id: r for r in await results_of(ctx, period.id, lock=True)}
    refuse_if_confirmed(list(existing.values()))
    config = await tenant_config(ctx)
    policy = annual_policy(config.annual)
    everyone = await appraised_people(ctx)
    # Appraised by the level above (由上级考核, the tenant's setting): listed, never graded here.
    higher = await higher_level_ids(ctx, everyone)
    people = [p for p in everyone if p.id not in higher]
    by_id = {p.id: p for p in people}
    flagged: dict[uuid.UUID, str] = {}
    for item in not_graded:
        if item.person_id not in by_id:
            raise not_found("人员")
        if not item.reason.strip():
            raise fail(ErrorCode.INVALID, f"请说明{by_id[item.person_id].name}不定等次的理由",
                       "notGraded")
        flagged[item.person_id] = item.reason.strip()
    quarters = await quarters_of(ctx, period.year)
    rounding = rounding_of(config)
    scores: dict[uuid.UUID, Decimal] = {}
    for person in people:
        mine = quarters.get(person.id)
        if mine is None or not mine.scores:
            flagged.setdefault(person.id, NO_QUARTERS)
            continue
        total = sum((value for _, value in mine.scores), Decimal(0))
        scores[person.id] = rounding.apply(total / len(mine.scores))
    inputs = [RankInput(str(p.id), scores[p.id], group=p.comparison_group,
                        employee_no=p.employee_no)  # equal scores: by employee number
              for p in people if p.id not in flagged]
    records = [_record(p.id, quarters.get(p.id), flagged.get(p.id)) for p in people]
    group_of = {str(p.id): p.comparison_group for p in people}
    separately = config.grading.compare_groups_separately
    proposals = {}
    for scope, entries in _scopes_with_everyone(inputs, separately, group_of).items():
        scoped = [r for r in records if not separately or group_of[r.person_id] == scope]
        for proposal in propose_annual_grades(entries, scoped, policy).proposals:
            proposals[proposal.person_id] = proposal
    tenant = {e.person_id: e.rank for e in rank(inputs)}
    groups = {e.person_id: e.rank for es in rank_by_group(inputs).values() for e in es}
    before = {str(pid): {"score": r.score, "proposed_grade": r.proposed_grade}
              for pid, r in existing.items()}
    # 民主测评 counts, when the tenant's rule includes them: shown, never scored.
    votes = await vote_lines(ctx, period.id, config)
    rows = []
    for person in people:
        pid = str(person.id)
        row = existing.pop(person.id, None)
        if row is None:
            row = PersonResult(tenant_id=ctx.me.tenant_id, period_id=period.id,
                               person_id=person.id)
            ctx.session.add(row)
        proposal = proposals[pid]
        row.unit_id, row.comparison_group = person.unit_id, person.comparison_group
        row.score = scores.get(person.id)
        row.rank, row.group_rank = tenant.get(pid), groups.get(pid)
        row.proposed_grade, row.grade, row.confirmed_at = proposal.grade.value, None, None
        row.serious_conduct_breach = False
        row.reasons = list(proposal.reasons)
        row.explanation = _explanation(quarters.get(person.id), scores.get(person.id),
                                       flagged.get(person.id), config
                                       ) + votes.get(person.id, [])
        row.status = ResultStatus.appraised
        rows.append(row)
    for person in everyone:
        if person.id in higher:
            rows.append(unscored_result(ctx, existing.pop(person.id, None), period.id, person,
                                        ResultStatus.by_higher_level))
    for gone in existing.values():
        await ctx.session.delete(gone)
    await ctx.session.flush()
    audit.record(ctx, "results.compute_annual", "period", period.id, before,
                 {str(r.person_id): {"score": r.score, "proposed_grade": r.proposed_grade}
                  for r in rows})
    await after_recompute(ctx, period)
    return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, str(r.person_id)))


def _scopes_with_everyone(inputs: Sequence[RankInput], separately: bool,
                          group_of: dict[str, str]) -> dict[str, tuple[Any, ...]]:
    """The ranking scopes, including groups whose members are all not graded."""
    found = dict(scopes(inputs, separately))
    if separately:
        for group in set(group_of.values()):
            found.setdefault(group, ())
    return found


async def review_violations(ctx: Context, period: Period, rows: Sequence[PersonResult],
                            row: PersonResult, grade: AnnualGrade, config: TenantConfig
                            ) -> tuple[RuleViolation, ...]:
    """What an annual review change would break (``rules.annual.check_review_change``)."""
    separately = config.grading.compare_groups_separately
    members = [r for r in rows
               if not separately or r.comparison_group == row.comparison_group]
    flagged = {r.person_id: _not_graded_reason(r) for r in members}
    quarters = await quarters_of(ctx, period.year)
    numbers = await employee_numbers(ctx, members)
    inputs = [rank_input(r, config.rating.rounding_places, numbers.get(r.person_id, ""))
              for r in members
              if flagged[r.person_id] is None and r.score is not None]
    entries = rank(inputs)
    records = [_record(r.person_id, quarters.get(r.person_id), flagged[r.person_id])
               for r in members]
    current = {str(r.person_id): AnnualGrade(r.grade or r.proposed_grade or "competent")
               for r in members}
    try:
        return check_review_change(current, entries, records, str(row.person_id), grade,
                                   policy=annual_policy(config.annual))
    except RuleError as exc:
        raise fail(ErrorCode.CONFLICT, f"年度考核结果与季度结果不一致，请重新计算：{exc}") from exc
