"""Scores, ranking and grade proposal of a quarter (平时考核): the use case that turns the
period's ratings and records into ``PersonResult`` rows, and what the review reads back.

* When: in "综合研判" (reviewing), after rating closed, until the first grade is confirmed.
* Who is appraised: active people with ``appraised = True``; those nobody manages inside the
  unit are listed as appraised by the level above (由上级考核) unless the tenant appraises them
  (``resolvers.appraisal.completeness``). Computing refuses while anybody lacks a rater role,
  unless the admin proceeds; then whoever has no rating at all is listed as unrated (未评价).
  Both get no score, rank or grade and stay out of the ranking, the quotas and the top half.
* Ranking (``rules.ranking``): ``rank`` within the tenant and ``group_rank`` within the person's
  comparison group (leaders, staff). Tie rule: equal scores share the best rank ("1224");
  the display order is the tenant's tie-break steps (``grading.tie_keys``, default: higher rated
  part, then fewer deductions (ordinary and conduct), then the lower employee number).
* Grade proposal (``rules.grading``): in the whole tenant, or in each comparison group when the
  tenant setting ``grading.compare_groups_separately`` is on. Top half ("入围择优"): the first
  ``max(1, floor(n * shortlist_share))`` places; 好 at most
  ``max(1, floor(n * good_quota_share))``; a serious conduct breach caps the grade; score bands
  (default 好 >= 90, 较好 80-89.99, 一般 60-79.99, 较差 < 60). A tie cut by a line is flagged
  ``PersonResult.tie_review`` ("并列跨线，须研判", decided in the review) unless the tenant
  settles ties automatically (``grading.tie_settlement``). Each person's reasons, ending with the
  rule that decided the grade, are stored in ``PersonResult.reasons``.

``PersonResult.explanation`` stores the lines of ``rules.scoring`` (conduct first, rater roles,
indicators, credits, deductions, caps, rounding) as ``{kind, source, delta, text}``, plus
``exact: "p/q"`` when the line's exact value has no finite decimal form (``delta`` is then that
value rounded far below display precision), then one line per rating dimension
``{kind: "dimension", source: code, score: "0..100", text: name}``
(training needs read them). The review rebuilds the ranking from the lines exactly.
``PersonResult.score`` holds the final rounded score, never an intermediate value.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import select

from authz import Permission
from models import Period, Person, PersonResult
from resolvers import audit
from resolvers.appraisal.completeness import higher_level_ids, incomplete, missing_in, rated_ids
from resolvers.appraisal.department_quota import good_places_planner
from resolvers.appraisal.periods import ensure_open, get_period
from resolvers.appraisal.raters import has_assignments
from resolvers.appraisal.scoring import PersonScore, load_period_scheme, score_period
from resolvers.context import Context
from resolvers.errors import ErrorCode, UserFacingError, fail
from resolvers.tenant_config import tenant_config
from rules.completeness import result_status
from rules.errors import RuleError
from rules.grading import GradingPolicy, propose_quarterly_grades
from rules.ranking import DEFAULT_TIE_KEYS, RankedEntry, RankInput, rank, rank_by_group
from rules.scoring import RoundingMode, RoundingRule, decimal_of, exact_text
from tenants.config import GradingConfig, TenantConfig
from vocab.grades import QuarterlyGrade, ResultStatus
from vocab.org import PersonStatus
from vocab.periods import PeriodKind, PeriodState
from vocab.ties import TieKey, TieSettlement

DIMENSION_LINE = "dimension"
NORMALISATION_LINE = "normalization"
_RATED = ("rater_role",)
_DEDUCTED = ("deduction", "deduction_cap", "conduct", "conduct_cap")


def grading_policy(config: GradingConfig) -> GradingPolicy:
    try:
        return GradingPolicy(
            good_quota_share=Decimal(config.good_quota_share),
            shortlist_share=Decimal(config.shortlist_share),
            breach_cap=QuarterlyGrade(config.breach_cap),
            score_bands=tuple((Decimal(t), QuarterlyGrade(g)) for t, g in config.score_bands),
            tie_settlement=TieSettlement(config.tie_settlement),
            tie_keys=tie_keys(config))
    except (RuleError, ValueError, ArithmeticError) as exc:
        raise fail(ErrorCode.INVALID, f"等次评定规则设置有误：{exc}") from exc


def tie_keys(config: GradingConfig) -> tuple[TieKey, ...]:
    return tuple(TieKey(k) for k in config.tie_keys)


def rounding_of(config: TenantConfig) -> RoundingRule:
    return RoundingRule(config.rating.rounding_places, RoundingMode(config.rating.rounding_mode))


def explanation_json(score: PersonScore, rounding: RoundingRule,
                     dimension_labels: Mapping[str, str]) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    for line in score.result.explanation:
        stored = {"kind": line.kind.value, "source": line.source, "delta": str(line.delta),
                  "text": line.text}
        if line.value != line.delta:  # no finite decimal form: keep the exact value too
            stored["exact"] = str(line.value)
        lines.append(stored)
    lines += normalisation_lines(score)
    for code, value in score.dimension_scores:  # the shape resolvers.results_use reads
        lines.append({"kind": DIMENSION_LINE, "source": code, "delta": "0",
                      "score": str(rounding.apply(value)),
                      "text": dimension_labels.get(code, code)})
    return lines


def normalisation_lines(score: PersonScore) -> list[dict[str, Any]]:
    """When the tenant normalises ratings: a line saying so, then one per rating with the value
    given and the value scored (``{kind: "normalization", source, delta: "0", text}``, the
    source naming the rater only as e.g. 同级评价人2: raters stay anonymous to the person; they
    change no total, the rater-role lines already count the normalised values)."""
    if score.normalised is None:
        return []
    lines = [{"kind": NORMALISATION_LINE, "source": "calibration", "delta": "0",
              "text": "本周期评分已按评价人校准：每名评价人的评分换算到本单位同类评价主体的"
                      "平均分和离散程度（校准分 = 单位平均分 +（原评分 − 该评价人平均分）"
                      "× 单位标准差 ÷ 该评价人标准差，限定在0至100分），再计算得分"}]
    for item in score.normalised:
        rating = item.rating
        after = (f"校准后 {exact_text(rating.value)}" if item.applied
                 else "该评价人评分过少，未校准")
        lines.append({"kind": NORMALISATION_LINE, "source": item.rater_label, "delta": "0",
                      "text": f"{item.rater_label}「{item.indicator_name}」"
                              f"{item.dimension_name}：原评分 {item.given:f}，{after}"})
    return lines


def rank_input(row: PersonResult, places: int, employee_no: str = "") -> RankInput:
    """The ranking input of a stored result (same as at computation: see the module doc).

    The employee number is the person's (``employee_numbers``), a tie-break step."""
    lines = row.explanation or []
    # The exact rated part (as at computation, ``ScoreResult.rated``): "exact" when stored.
    rated = decimal_of(sum((Fraction(line.get("exact", line["delta"])) for line in lines
                            if line["kind"] in _RATED), Fraction(0)))
    deducted = -sum((Decimal(line["delta"]) for line in lines if line["kind"] in _DEDUCTED),
                    Decimal(0))
    score = (row.score or Decimal(0)).quantize(Decimal(1).scaleb(-places))
    return RankInput(str(row.person_id), score, rated, deducted, row.comparison_group,
                     employee_no)


async def employee_numbers(ctx: Context, rows: Sequence[PersonResult]) -> dict[uuid.UUID, str]:
    ids = [r.person_id for r in rows]
    found = await ctx.session.execute(select(Person.id, Person.employee_no).where(
        Person.id.in_(ids)))
    return {pid: no for pid, no in found.all()}


def scopes(inputs: Sequence[RankInput], separately: bool,
           keys: Sequence[TieKey] = DEFAULT_TIE_KEYS) -> dict[str, tuple[RankedEntry, ...]]:
    """The rankings grades are proposed in: per comparison group, or the whole tenant ("")."""
    return rank_by_group(inputs, keys) if separately else {"": rank(inputs, keys)}


def scope_of(entries_by_scope: Mapping[str, tuple[RankedEntry, ...]],
             person_id: str) -> tuple[RankedEntry, ...]:
    for entries in entries_by_scope.values():
        if any(e.person_id == person_id for e in entries):
            return entries
    return ()


async def results_of(ctx: Context, period_id: uuid.UUID, *, lock: bool = False
                     ) -> list[PersonResult]:
    """Every stored result of a period (no authorization: callers check)."""
    stmt = select(PersonResult).where(PersonResult.period_id == period_id)
    if lock:
        stmt = stmt.with_for_update()
    return list((await ctx.session.scalars(stmt)).all())


async def appraised_people(ctx: Context) -> list[Person]:
    return list((await ctx.session.scalars(select(Person).where(
        Person.appraised.is_(True), Person.status == PersonStatus.active)
        .order_by(Person.employee_no))).all())


# Reactions to a recomputation of a period's proposals, in its transaction, after the rows are
# written (e.g. the sign-off chain going back to its first level, resolvers/appraisal/signoff.py).
# Registered from their own modules, like ``periods.AFTER_TRANSITION``.
Recomputed = Callable[[Context, Period], Awaitable[None]]
AFTER_RECOMPUTE: list[Recomputed] = []


async def after_recompute(ctx: Context, period: Period) -> None:
    """Called by every use case that replaces a period's proposed grades."""
    for reaction in AFTER_RECOMPUTE:
        await reaction(ctx, period)


def refuse_if_confirmed(rows: Sequence[PersonResult]) -> None:
    if any(r.confirmed_at is not None for r in rows):
        raise fail(ErrorCode.CONFLICT, "已有等次经综合研判确认，不能重新计算")


async def compute_results(ctx: Context, period_id: uuid.UUID, proceed: bool = False
                          ) -> list[PersonResult]:
    """Scores, ranks and proposed grades of everyone appraised; replaces earlier proposals.
    ``proceed``: compute although raters are missing (see the module doc)."""
    ctx.require(Permission.result_compute)
    period = await get_period(ctx, period_id, for_update=True)
    ensure_open(period)
    if period.kind != PeriodKind.quarter:
        raise fail(ErrorCode.INVALID, "年度考核等次请按年度计算（依据四个季度的等次）")
    if period.state != PeriodState.reviewing:
        raise fail(ErrorCode.RULE_VIOLATION,
                   "评价结束、进入“综合研判”阶段后才能计算得分和拟定等次")
    existing = {r.person_id: r for r in await results_of(ctx, period.id, lock=True)}
    refuse_if_confirmed(list(existing.values()))
    if not await has_assignments(ctx, period.id):
        raise fail(ErrorCode.RULE_VIOLATION, f"{period.name}尚未生成评价关系，无法计算得分")
    people = await appraised_people(ctx)
    higher = await higher_level_ids(ctx, people)
    in_unit = [p for p in people if p.id not in higher]
    missing, named = await missing_in(ctx, period.id, in_unit)
    if missing and not proceed:
        raise UserFacingError(incomplete(
            missing, named, "不能计算得分；如确需按已有评价计算，请选择继续计算（proceed），"
            "未获任何评价的人员列为“未评价”，不计得分、排名和等次", "proceed"))
    rated = await rated_ids(ctx, period.id)
    config = await tenant_config(ctx)
    scheme = await load_period_scheme(ctx, period)
    scores = await score_period(ctx, scheme, [p for p in in_unit if p.id in rated])
    inputs = [RankInput.from_score(str(s.person.id), s.result, s.person.comparison_group,
                                   s.person.employee_no) for s in scores]
    policy = grading_policy(config.grading)
    keys = policy.tie_keys
    tenant = {e.person_id: e for e in rank(inputs, keys)}
    groups = {e.person_id: e for entries in rank_by_group(inputs, keys).values() for e in entries}
    breaches = {str(s.person.id): s.result.serious_conduct_breach for s in scores}
    # Optional: the 好 quota allocated to departments by department result (default off).
    places = await good_places_planner(ctx, period, config.department_results,
                                       {str(s.person.id): s.person.unit_id for s in scores})
    proposals = {p.person_id: p for entries in
                 scopes(inputs, config.grading.compare_groups_separately, keys).values()
                 for p in propose_quarterly_grades(entries, breaches, policy,
                                                   places(entries, policy)).proposals}
    rounding = rounding_of(config)
    labels = {d.code: d.name for d in scheme.dimensions}
    before = {str(pid): {"score": r.score, "proposed_grade": r.proposed_grade,
                         "status": r.status, "tie_review": r.tie_review}
              for pid, r in existing.items()}
    rows: list[PersonResult] = []
    for s in scores:
        pid = str(s.person.id)
        row = existing.pop(s.person.id, None)
        if row is None:
            row = PersonResult(tenant_id=ctx.me.tenant_id, period_id=period.id,
                               person_id=s.person.id)
            ctx.session.add(row)
        row.unit_id, row.comparison_group = s.person.unit_id, s.person.comparison_group
        row.score = s.result.total
        row.rank, row.group_rank = tenant[pid].rank, groups[pid].rank
        row.proposed_grade, row.grade, row.confirmed_at = proposals[pid].grade.value, None, None
        row.serious_conduct_breach = s.result.serious_conduct_breach
        row.reasons = list(proposals[pid].reasons)
        row.tie_review = proposals[pid].tie_review
        row.explanation = explanation_json(s, rounding, labels)
        row.status = ResultStatus.appraised
        rows.append(row)
    for person in people:  # listed, with no score, rank or grade: never 0
        if person.id in rated and person.id not in higher:
            continue
        # ``higher`` already holds the tenant setting (empty when the unit appraises them).
        status = result_status(managed_in_unit=person.id not in higher,
                               appraised_in_unit_anyway=False, has_ratings=False)
        rows.append(unscored_result(ctx, existing.pop(person.id, None), period.id, person, status))
    for gone in existing.values():  # no longer appraised
        await ctx.session.delete(gone)
    await ctx.session.flush()
    audit.record(ctx, "results.compute", "period", period.id, before,
                 {str(r.person_id): {"score": r.score, "proposed_grade": r.proposed_grade,
                                     "status": r.status, "tie_review": r.tie_review}
                  for r in rows},
                 "评价未完成，经确认继续计算" if missing else "")
    await after_recompute(ctx, period)
    last = len(tenant)
    return sorted(rows, key=lambda r: (tenant[str(r.person_id)].position
                                       if str(r.person_id) in tenant else last))


def unscored_result(ctx: Context, row: PersonResult | None, period_id: uuid.UUID, person: Person,
              status: ResultStatus) -> PersonResult:
    """The result of someone not scored here: their status, no score, rank or grade."""
    if row is None:
        row = PersonResult(tenant_id=ctx.me.tenant_id, period_id=period_id, person_id=person.id)
        ctx.session.add(row)
    row.unit_id, row.comparison_group = person.unit_id, person.comparison_group
    row.score = row.rank = row.group_rank = None
    row.proposed_grade = row.grade = row.confirmed_at = None
    row.serious_conduct_breach = row.tie_review = False
    row.reasons = [status.label if status == ResultStatus.by_higher_level
                   else f"{status.label}：本季度没有任何评价人评分，不计得分、排名和等次"]
    row.explanation = []
    row.status = status
    return row
