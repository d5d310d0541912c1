"""Who counts for which department, at which grade, and who is left out and why.

Each person's department is the nearest unit, from the unit of their result (else their current
unit) upwards, that has a department result in the period: sub-units share their department's
money. People without a grade are excluded with a note, or paid at the configured grade; people
without a department result are excluded with a note, or their own unit takes the configured
level. The result is the allocation's input (``DepartmentInput`` per department).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from rules.bonus.lines import DepartmentInput, PersonInput
from rules.bonus.params import BonusRunParams
from rules.errors import RuleError
from rules.org_tree import OrgTree
from vocab.grades import GRADE_LABELS
from vocab.jobs import MissingResult

NO_GRADE_NOTE = "无本周期考核等次，未参与分配"
NO_DEPARTMENT_NOTE = "所在部门无本周期部门考核结果，未参与分配"


@dataclass(frozen=True, slots=True)
class PersonRow:
    person_id: str  # the person's id as text (as the run reads it and writes it back)
    employee_no: str
    name: str
    unit_id: uuid.UUID  # the unit of the result, else the person's current unit
    result_grade: str | None


@dataclass
class Snapshot:
    """What a run reads from the period: the tree, the departments' results, the people."""

    tree: OrgTree[uuid.UUID]
    names: dict[uuid.UUID, str]
    levels: dict[uuid.UUID, str]  # unit -> its department result (UnitResult.level)
    people: list[PersonRow]


@dataclass
class PlannedLine:
    person: PersonRow
    department: uuid.UUID | None
    grade: str | None
    note: str = ""

    @property
    def included(self) -> bool:
        return self.department is not None and self.grade is not None


@dataclass
class Plan:
    lines: list[PlannedLine]
    # department unit -> its result level
    departments: dict[uuid.UUID, str] = field(default_factory=dict)
    inputs: list[DepartmentInput] = field(default_factory=list)


def plan(snapshot: Snapshot, params: BonusRunParams) -> Plan:
    """Who is paid through which department at which grade; who is left out and why."""
    found: dict[uuid.UUID, uuid.UUID | None] = {}  # one walk up per unit, not per person
    levels, tree = snapshot.levels, snapshot.tree
    unrated = params.unrated_department_level
    assumed = params.missing_grade if params.missing_result == MissingResult.assume else None
    assumed_note = (f"无本周期考核等次，按「{GRADE_LABELS.get(assumed or '', assumed)}」参与分配"
                    if assumed is not None else "")
    unrated_note = f"所在部门无部门考核结果，按「{unrated}」计算部门系数"
    result = Plan([])
    lines = result.lines
    members: dict[uuid.UUID, list[PersonInput]] = {}
    for person in snapshot.people:  # 100,000 in a large run: no work that is not needed
        unit = person.unit_id
        try:
            department = found[unit]
        except KeyError:
            department = found[unit] = tree.nearest(unit, levels.__contains__)
        level = levels.get(department) if department is not None else None
        note = ""
        if department is None and unrated is not None:
            department, level, note = unit, unrated, unrated_note
        grade = person.result_grade
        if grade is None and assumed is not None:
            grade = assumed
            note = f"{note}；{assumed_note}" if note else assumed_note
        if department is None or level is None:
            lines.append(PlannedLine(person, None, grade, NO_DEPARTMENT_NOTE))
            continue
        if grade is None:
            lines.append(PlannedLine(person, department, None, NO_GRADE_NOTE))
            continue
        result.departments[department] = level
        people = members.get(department)
        if people is None:
            people = members[department] = []
        people.append(PersonInput(person.person_id, grade, name=person.name))
        lines.append(PlannedLine(person, department, grade, note))
    bases = params.configured_bases
    for department, level in result.departments.items():
        base: Decimal | None = None
        if bases is not None:
            if department not in bases:
                raise RuleError(f"部门「{snapshot.names.get(department, department)}」"
                                "未配置分配基数")
            base = bases[department]
        result.inputs.append(DepartmentInput(
            department_id=str(department), result=level, people=tuple(members[department]),
            base=base, name=snapshot.names.get(department, "")))
    return result


def missing_department_results(snapshot: Snapshot, params: BonusRunParams
                               ) -> dict[uuid.UUID, int]:
    """Units whose people would be paid but have no department result above them (the unit
    -> how many such people); empty when a level for them is configured.

    The first level splits the pool "by department result": such people would silently fall
    out of the run, so the use case refuses to start and names the units instead.
    """
    if params.unrated_department_level is not None:
        return {}
    missing: dict[uuid.UUID, int] = {}
    for person in snapshot.people:
        paid = person.result_grade is not None or params.missing_result == MissingResult.assume
        if paid and snapshot.tree.nearest(person.unit_id, snapshot.levels.__contains__) is None:
            missing[person.unit_id] = missing.get(person.unit_id, 0) + 1
    return missing


def configured_base(params: BonusRunParams, unit: uuid.UUID) -> Decimal | None:
    """The base a department line records as configured (None when the headcount is used)."""
    bases: Mapping[uuid.UUID, Decimal] | None = params.configured_bases
    return bases.get(unit) if bases is not None else None


__all__ = [
    "NO_DEPARTMENT_NOTE",
    "NO_GRADE_NOTE",
    "PersonRow",
    "Plan",
    "PlannedLine",
    "Snapshot",
    "configured_base",
    "missing_department_results",
    "plan",
]
