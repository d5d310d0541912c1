"""Allocating the unit's 好 places to departments by department result (optional setting).

The unit-wide quota ``Q`` (``rules.grading``) is split among the departments of one ranking by
the highest-averages method of Sainte-Laguë: each department weighs
``headcount x coefficient(level)``, and the places go one by one to the department with the
highest ``weight / (2 x places so far + 1)``, never beyond its headcount. Equal priorities go to
the better coefficient, then to the department listed first (the org tree's order).

Why this method: it is proportional without favouring big departments (as D'Hondt would), a
department never loses a place because its own result improved (no "population paradox" of the
largest remainder method), and the places always sum to ``Q`` (the headcounts sum to n >= Q).

Grading then gives 好 in ranking order only while both the unit-wide quota and the person's
department places have room, so the unit-wide quota and the top-50% rule still hold; a
department's place its people cannot use (none eligible) stays unused.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from rules.errors import RuleError

__all__ = ["DepartmentPlaces", "DepartmentShare", "allocate_good_places"]


@dataclass(frozen=True)
class DepartmentShare:
    department_id: str
    name: str
    headcount: int  # people of the department in this ranking
    coefficient: Decimal  # from its result level (a better result: a larger coefficient)
    level: str = ""


def allocate_good_places(total: int, departments: Sequence[DepartmentShare]) -> dict[str, int]:
    """Places per department id: sum to ``total``, each at most its headcount."""
    ids = [d.department_id for d in departments]
    if len(set(ids)) != len(ids):
        raise RuleError("部门名额分配：部门重复")
    for d in departments:
        if d.headcount < 0 or not d.coefficient.is_finite() or d.coefficient < 0:
            raise RuleError(f"部门「{d.name}」的人数或系数有误")
    if not 0 <= total <= sum(d.headcount for d in departments):
        raise RuleError(f"好等次名额 {total} 个超过参与分配的人数")
    places = {d.department_id: 0 for d in departments}
    order = {d.department_id: i for i, d in enumerate(departments)}
    weight = {d.department_id: Fraction(d.coefficient) * d.headcount for d in departments}
    coefficient = {d.department_id: Fraction(d.coefficient) for d in departments}
    open_ = [d for d in departments if d.headcount > 0]
    for _ in range(total):
        best = max(
            (d for d in open_ if places[d.department_id] < d.headcount),
            key=lambda d: (weight[d.department_id] / (2 * places[d.department_id] + 1),
                           coefficient[d.department_id], -order[d.department_id]))
        places[best.department_id] += 1
    return places


@dataclass(frozen=True)
class DepartmentPlaces:
    """The places of one ranking, handed to ``rules.grading.propose_quarterly_grades``."""

    department_of: Mapping[str, str]  # person id -> department id
    places: Mapping[str, int]  # department id -> 好 places
    names: Mapping[str, str]  # department id -> name (for the reasons people read)

    def claim(self, person_id: str, used: Counter[str]) -> str | None:
        """Takes a place of the person's department (counted in ``used``); when it is full,
        returns the reason a person reads instead."""
        department = self.department_of.get(person_id, "")
        limit = self.places.get(department, 0)
        if used[department] >= limit:
            name = self.names.get(department, department)
            return (f"所在部门「{name}」按部门考核结果分配的好等次名额已满"
                    f"（{used[department]}/{limit}）")
        used[department] += 1
        return None
