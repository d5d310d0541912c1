"""The bonus rule's department attribution and its parameters (pure: no database)."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from rules.bonus import DEFAULT_GRADE_COEFFICIENTS
from rules.bonus.attribution import (
    NO_DEPARTMENT_NOTE,
    NO_GRADE_NOTE,
    PersonRow,
    Snapshot,
    plan,
)
from rules.bonus.params import BonusRunParams
from rules.errors import RuleError
from rules.org_tree import OrgTree
from vocab.jobs import BonusBase, MissingResult

D = Decimal
STREET, OFFICE, TEAM, PATROL = (uuid.uuid4() for _ in range(4))
TREE = OrgTree([(STREET, None, 0), (OFFICE, STREET, 1), (TEAM, OFFICE, 0), (PATROL, None, 1)])
NAMES = {STREET: "街道", OFFICE: "党政办", TEAM: "文秘组", PATROL: "城管中队"}
PERIOD = uuid.uuid4()


def person(no: str, unit: uuid.UUID, grade: str | None) -> PersonRow:
    return PersonRow(str(uuid.uuid4()), no, f"人员{no}", unit, grade)


def params(**kw: object) -> BonusRunParams:
    base: dict[str, object] = {"period_id": PERIOD, "pool_cents": 100_000,
                               "department_coefficients": {"A": D("1.2"), "B": D(1)}}
    return BonusRunParams(**(base | kw))  # type: ignore[arg-type]


def test_people_count_for_their_nearest_rated_unit() -> None:
    people = [person("1", TEAM, "good"), person("2", OFFICE, "average"),
              person("3", STREET, "good"), person("4", PATROL, "good"),
              person("5", TEAM, None)]
    result = plan(Snapshot(TREE, NAMES, {OFFICE: "A", STREET: "B"}, people), params())
    assert [(line.department, line.grade, line.note) for line in result.lines] == [
        (OFFICE, "good", ""), (OFFICE, "average", ""), (STREET, "good", ""),
        (None, "good", NO_DEPARTMENT_NOTE), (OFFICE, None, NO_GRADE_NOTE)]
    assert result.departments == {OFFICE: "A", STREET: "B"}
    office = next(d for d in result.inputs if d.department_id == str(OFFICE))
    assert (office.name, office.result, len(office.people), office.base) == ("党政办", "A", 2, None)


def test_unrated_departments_and_missing_grades_by_configuration() -> None:
    people = [person("1", PATROL, None)]
    result = plan(Snapshot(TREE, NAMES, {}, people), params(
        unrated_department_level="B", missing_result=MissingResult.assume,
        missing_grade="competent"))
    (line,) = result.lines
    assert (line.department, line.grade, line.included) == (PATROL, "competent", True)
    assert line.note == ("所在部门无部门考核结果，按「B」计算部门系数；"
                         "无本周期考核等次，按「称职」参与分配")


def test_configured_bases_must_cover_every_department() -> None:
    snapshot = Snapshot(TREE, NAMES, {OFFICE: "A"}, [person("1", TEAM, "good")])
    done = plan(snapshot, params(base=BonusBase.configured, department_bases={OFFICE: D(7)}))
    assert done.inputs[0].base == D(7)
    with pytest.raises(RuleError, match="部门「党政办」未配置分配基数"):
        plan(snapshot, params(base=BonusBase.configured, department_bases={STREET: D(7)}))


def test_defaults_are_applied_once_and_survive_the_stored_form() -> None:
    given = params()
    assert given.grade_coefficients == DEFAULT_GRADE_COEFFICIENTS
    assert (given.floor_cents, given.cap_cents, given.base, given.note) == (
        0, None, BonusBase.headcount, "")
    assert BonusRunParams.from_json(given.to_json()) == BonusRunParams.from_json(
        {k: v for k, v in given.to_json().items() if v is not None})
    full = params(cap_cents=500, base=BonusBase.configured, department_bases={OFFICE: D(3)},
                  missing_result=MissingResult.assume, missing_grade="good", note="备注")
    assert BonusRunParams.from_json(full.to_json()).to_json() == full.to_json()


def test_every_problem_at_once_with_its_field() -> None:
    bad = params(pool_cents=-1, department_coefficients={" ": D(-1)},
                 grade_coefficients={"best": D(1), "good": D(-1)}, floor_cents=-5, cap_cents=-6,
                 base=BonusBase.configured, missing_result=MissingResult.assume,
                 missing_grade="poor", unrated_department_level="Z", note="字" * 501)
    assert [(p.field, p.message) for p in bad.problems()] == [
        ("poolCents", "奖金池金额应为 0 到 100 亿元之间的整数（单位：分）"),
        ("departmentCoefficients", "部门考核结果不能为空"),
        ("departmentCoefficients", "部门结果「 」的系数应为非负数"),
        ("gradeCoefficients", "未知的等次「best」"),
        ("gradeCoefficients", "等次「好」的系数应为非负数"),
        ("floorCents", "保底金额不能为负数"),
        ("capCents", "封顶金额不能低于保底金额"),
        ("departmentBases", "选择按配置的分配基数时，请为各部门填写分配基数"),
        ("missingGrade", "请选择无考核等次人员按哪个等次参与分配（须已配置系数）"),
        ("unratedDepartmentLevel", "无部门考核结果时采用的结果「Z」未配置部门系数"),
        ("note", "备注不能超过 500 字"),
    ]
    assert params().problems() == []
