"""The counters the review (综合研判) table shows beside the grades: per ranking the grades are
proposed in (the whole unit, or each comparison group when the tenant setting
``grading.compare_groups_separately`` is on), how many are appraised, the top-50% line
("入围择优": ranks up to ``rules.grading.shortlist_cutoff``), the quota of the top grade (好 for a
quarter, 优秀 for the year) and how many hold it now (confirmed grade, else the proposal).

Only appraised results with a score count (未评价 and 由上级考核 stay out of the ranking, the
quotas and the top half; so do those not graded in the year). The quota is the tenant's rule
(``GradingPolicy.good_quota`` / ``AnnualPolicy.excellent_quota``), never a copy of it.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass

from authz import Permission
from models import PersonResult
from resolvers.appraisal.annual import annual_policy
from resolvers.appraisal.grading import grading_policy, results_of
from resolvers.appraisal.periods import get_period
from resolvers.context import Context
from resolvers.tenant_config import tenant_config
from rules.grading import percent_text, shortlist_cutoff
from vocab.grades import AnnualGrade, QuarterlyGrade, ResultStatus
from vocab.org import ComparisonGroup
from vocab.periods import PeriodKind


@dataclass(frozen=True)
class QuotaCounter:
    """One ranking's counters (``group`` None: the whole unit)."""

    group: str | None
    group_label: str
    appraised: int
    shortlist_rank: int  # ranks up to this one are in the top half
    shortlist_share: str  # e.g. "50%"
    top_grade: str
    quota: int
    quota_share: str
    used: int
    grade_counts: dict[str, int]
    uses_group_rank: bool


def _in_force(row: PersonResult) -> str | None:
    return row.grade or row.proposed_grade


async def quota_counters(ctx: Context, period_id: uuid.UUID) -> list[QuotaCounter]:
    ctx.require(Permission.grade_review)
    period = await get_period(ctx, period_id)
    config = await tenant_config(ctx)
    separately = config.grading.compare_groups_separately
    rows = [r for r in await results_of(ctx, period.id)
            if r.status == ResultStatus.appraised and r.score is not None
            and _in_force(r) != AnnualGrade.not_graded]
    groups: dict[str | None, list[PersonResult]] = {}
    for row in rows:
        groups.setdefault(row.comparison_group if separately else None, []).append(row)
    counters = []
    for group in sorted(groups, key=lambda g: (g is not None, g or "")):
        members = groups[group]
        n = len(members)
        if period.kind == PeriodKind.quarter:
            policy = grading_policy(config.grading)
            top, quota, share = (QuarterlyGrade.good.value, policy.good_quota(n),
                                 policy.good_quota_share)
            shortlist = policy.shortlist_share
        else:
            annual = annual_policy(config.annual)
            top, quota, share = (AnnualGrade.excellent.value, annual.excellent_quota(n),
                                 annual.excellent_quota_share)
            shortlist = annual.shortlist_share
        counts = Counter(g for g in (_in_force(r) for r in members) if g)
        label = ("全单位" if group is None
                 else ComparisonGroup(group).label if group in set(ComparisonGroup) else group)
        counters.append(QuotaCounter(
            group=group, group_label=label, appraised=n,
            shortlist_rank=shortlist_cutoff(n, shortlist), shortlist_share=percent_text(shortlist),
            top_grade=top, quota=quota, quota_share=percent_text(share), used=counts[top],
            grade_counts=dict(counts), uses_group_rank=group is not None))
    return counters
