"""The 好 places of each department, when the tenant allocates the quota by department result.

Setting ``department_results.allocate_good_quota`` (default off). When on, computing grades
reads the period's department results (``unit_results``): a person belongs to the nearest unit
above them (or their own) that has a result; people under no result share places as one group
(``no_result_coefficient``). Each ranking the grades are proposed in gets its own allocation
of that ranking's quota (``rules.department_quota``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from models import OrgUnit, Period, UnitResult
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail
from resolvers.org.tree import org_tree
from rules.department_quota import DepartmentPlaces, DepartmentShare, allocate_good_places
from rules.errors import RuleError
from rules.grading import GradingPolicy
from rules.ranking import RankedEntry
from tenants.config import DepartmentResultConfig

NO_RESULT = ""
NO_RESULT_NAME = "未纳入部门考核的人员"

Planner = Callable[[Sequence[RankedEntry], GradingPolicy], DepartmentPlaces | None]


def _off(entries: Sequence[RankedEntry], policy: GradingPolicy) -> None:
    return None


async def good_places_planner(ctx: Context, period: Period, config: DepartmentResultConfig,
                              unit_of: Mapping[str, uuid.UUID]) -> Planner:
    """A function giving each ranking its departments' places (nothing when the setting is
    off). ``unit_of``: person id -> the unit the person is appraised in."""
    if not config.allocate_good_quota:
        return _off
    results: dict[uuid.UUID, str] = {unit: level for unit, level in (await ctx.session.execute(
        select(UnitResult.unit_id, UnitResult.level).where(
            UnitResult.period_id == period.id))).all()}
    if not results:
        raise fail(ErrorCode.RULE_VIOLATION,
                   f"已设置按部门考核结果分配好等次名额，但{period.name}尚无部门考核结果，"
                   "请先计算或录入部门考核结果")
    try:
        coefficients = {k: Decimal(v) for k, v in config.good_quota_coefficients.items()}
        no_result = Decimal(config.no_result_coefficient)
    except InvalidOperation as exc:
        raise fail(ErrorCode.INVALID, "好等次名额分配系数设置有误") from exc
    missing = sorted(set(results.values()) - set(coefficients))
    if missing:
        raise fail(ErrorCode.INVALID,
                   f"部门考核结果「{'、'.join(missing)}」未配置好等次名额分配系数")
    tree = await org_tree(ctx)
    names: dict[uuid.UUID, str] = {unit: name for unit, name in (await ctx.session.execute(
        select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(list(results))))).all()}
    department_of: dict[str, str] = {}
    for person, unit in unit_of.items():
        found = tree.nearest(unit, results.__contains__)
        department_of[person] = NO_RESULT if found is None else str(found)

    def plan(entries: Sequence[RankedEntry], policy: GradingPolicy) -> DepartmentPlaces:
        heads: dict[str, int] = {}
        for entry in entries:
            key = department_of.get(entry.person_id, NO_RESULT)
            heads[key] = heads.get(key, 0) + 1
        ordered = sorted(heads, key=lambda k: (
            k == NO_RESULT, (tree.position(uuid.UUID(k)) or 0) if k else 0))
        shares = [DepartmentShare(
            k, names.get(uuid.UUID(k), k) if k else NO_RESULT_NAME, heads[k],
            coefficients[results[uuid.UUID(k)]] if k else no_result,
            results[uuid.UUID(k)] if k else "") for k in ordered]
        try:
            places = allocate_good_places(policy.good_quota(len(entries)), shares)
        except RuleError as exc:
            raise fail(ErrorCode.INVALID, str(exc)) from exc
        return DepartmentPlaces(
            {e.person_id: department_of.get(e.person_id, NO_RESULT) for e in entries},
            places, {s.department_id: s.name for s in shares})

    return plan


__all__ = ["NO_RESULT_NAME", "Planner", "good_places_planner"]
