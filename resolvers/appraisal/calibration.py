"""The calibration view of a period (校准分析, issue 17 part 3), for the roles of the review
(``Permission.grade_review``: the tenant admin and the principal leader), before grades are
confirmed (readable in any stage; the distributions need computed results).

* Per department: the grades in force (confirmed, else proposed) of the appraised people with a
  score (未评价, 由上级考核 and 不定等次 stay out, as in the review's counters), counted per grade,
  against the department's quota of the top grade (好 / 优秀) and against the whole unit's shares.
  The quota: when the tenant allocates the 好 quota by department result
  (``department_results.allocate_good_quota``, quarters only), the departments are those of
  that allocation and the quota is their places (``resolvers.appraisal.department_quota``);
  otherwise the departments are the people's units and the quota is the unit's rule applied to
  the department's headcount (``GradingPolicy.good_quota`` / ``AnnualPolicy.excellent_quota``),
  a yardstick only (the binding quota is the unit-wide one).
* Per rater and rater role: count, mean and standard deviation of the values given in the
  period, against the unit's values of the same role, flagged 宽松/严格 beyond
  ``calibration.flag_z`` standard deviations (``rules.calibration``); flagged raters first, then
  by rater role and name.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from authz import Permission
from models import OrgUnit, Period, Person, PersonResult
from resolvers.appraisal.annual import annual_policy
from resolvers.appraisal.department_quota import good_places_planner
from resolvers.appraisal.grading import grading_policy, results_of
from resolvers.appraisal.periods import get_period
from resolvers.appraisal.scoring import given_ratings, period_ratings
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail
from resolvers.org.tree import org_tree
from resolvers.tenant_config import tenant_config
from rules.calibration import (
    DepartmentDistribution,
    RaterCalibration,
    department_distributions,
    grade_counts,
    rater_calibration,
)
from rules.errors import RuleError
from rules.ranking import RankedEntry
from vocab.calibration import RaterTendency
from vocab.grades import AnnualGrade, QuarterlyGrade, ResultStatus
from vocab.periods import PeriodKind
from vocab.rating import RaterRole

QUOTA_BY_RESULT = "按部门考核结果分配的名额"
QUOTA_BY_SHARE = "按单位比例折算的名额（参考）"


@dataclass(frozen=True)
class DepartmentRow:
    department_id: str
    name: str
    distribution: DepartmentDistribution


@dataclass(frozen=True)
class RaterRow:
    person_id: uuid.UUID
    name: str
    calibration: RaterCalibration


@dataclass(frozen=True)
class Calibration:
    period: Period
    scale: tuple[str, ...]
    top_grade: str
    quota_basis: str
    unit_counts: dict[str, int]
    departments: list[DepartmentRow]
    raters: list[RaterRow]
    flag_z: Decimal
    min_ratings: int
    normalize: bool


def _in_force(row: PersonResult) -> str | None:
    return row.grade or row.proposed_grade


_ROLE_ORDER = {role.value: i for i, role in enumerate(RaterRole)}


def _rater_order(row: RaterRow) -> tuple[bool, int, str, str]:
    """Flagged raters first, then by rater role (as listed in ``RaterRole``), then by name."""
    tendency = row.calibration.tendency
    return (tendency not in (RaterTendency.lenient, RaterTendency.strict),
            _ROLE_ORDER.get(row.calibration.role, 99), row.name, str(row.person_id))


async def calibration(ctx: Context, period_id: uuid.UUID) -> Calibration:
    ctx.require(Permission.grade_review)
    period = await get_period(ctx, period_id)
    config = await tenant_config(ctx)
    quarter = period.kind == PeriodKind.quarter
    scale: tuple[str, ...] = (tuple(g.value for g in QuarterlyGrade) if quarter else
                              tuple(g.value for g in AnnualGrade if g != AnnualGrade.not_graded))
    top = QuarterlyGrade.good.value if quarter else AnnualGrade.excellent.value
    rows = [r for r in await results_of(ctx, period.id)
            if r.status == ResultStatus.appraised and r.score is not None
            and _in_force(r) in scale]
    members: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    quotas: dict[str, int] = {}
    if quarter and config.department_results.allocate_good_quota and rows:
        basis = QUOTA_BY_RESULT
        policy = grading_policy(config.grading)
        planner = await good_places_planner(ctx, period, config.department_results,
                                            {str(r.person_id): r.unit_id for r in rows})
        ordered = sorted(rows, key=lambda r: (r.rank or 0, str(r.person_id)))
        entries = [RankedEntry(str(r.person_id), r.score or Decimal(0), r.rank or 0, i + 1,
                               len(ordered)) for i, r in enumerate(ordered)]
        plan = planner(entries, policy)
        if plan is not None:
            for row in rows:
                department = plan.department_of.get(str(row.person_id), "")
                members[department].append(_in_force(row) or "")
            names, quotas = dict(plan.names), dict(plan.places)
    else:
        basis = QUOTA_BY_SHARE
        for row in rows:
            members[str(row.unit_id)].append(_in_force(row) or "")
        units = [uuid.UUID(k) for k in members]
        names = {str(unit): name for unit, name in (await ctx.session.execute(
            select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(units)))).all()}
        for department, grades in members.items():
            quotas[department] = (grading_policy(config.grading).good_quota(len(grades))
                                  if quarter else
                                  annual_policy(config.annual).excellent_quota(len(grades)))
    tree = await org_tree(ctx)

    def position(department: str) -> tuple[bool, int, str]:
        try:
            return (False, tree.position(uuid.UUID(department)) or 0, names.get(department, ""))
        except ValueError:  # the group of people under no department result
            return (True, 0, department)

    ordered_members = {k: members[k] for k in sorted(members, key=position)}
    calibration_config = config.calibration
    try:
        distributions = department_distributions(ordered_members, quotas, scale, top)
        unit_counts = grade_counts([g for gs in members.values() for g in gs], scale)
        flag_z = Decimal(calibration_config.flag_z)
        raters = rater_calibration(
            given_ratings((await period_ratings(ctx, period.id)).values()),
            flag_z=flag_z, min_ratings=calibration_config.min_ratings)
    except RuleError as exc:
        raise fail(ErrorCode.INVALID, f"校准分析无法计算：{exc}") from exc
    people = {pid: name for pid, name in (await ctx.session.execute(
        select(Person.id, Person.name).where(
            Person.id.in_({uuid.UUID(r.rater_id) for r in raters})))).all()}
    return Calibration(
        period=period, scale=scale, top_grade=top, quota_basis=basis, unit_counts=unit_counts,
        departments=[DepartmentRow(d.department_id, names.get(d.department_id, "未知部门"), d)
                     for d in distributions],
        raters=sorted((RaterRow(uuid.UUID(r.rater_id), people.get(uuid.UUID(r.rater_id), ""), r)
                       for r in raters), key=_rater_order),
        flag_z=flag_z, min_ratings=calibration_config.min_ratings,
        normalize=calibration_config.normalize)


__all__ = ["Calibration", "DepartmentRow", "RaterRow", "calibration"]
