"""The parameters of a bonus run: their defaults (applied here only) and their validation (the
one place that checks them; the use case adds only what needs the database).

A problem is a Chinese message and the input field it is about; the resolvers turn each into a
user error with the stable code ``INVALID``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

from rules.bonus.lines import DEFAULT_GRADE_COEFFICIENTS, BonusRules
from vocab.grades import GRADE_LABELS
from vocab.jobs import BONUS_BASE_LABELS, BonusBase, MissingResult

# Larger pools are a typo, not a bonus (10 billion yuan).
MAX_POOL_CENTS = 10**12
MAX_NOTE_LENGTH = 500


@dataclass(frozen=True, slots=True)
class ParamProblem:
    message: str
    field: str  # the input field, as the API names it


@dataclass(frozen=True)
class BonusRunParams:
    period_id: uuid.UUID
    pool_cents: int
    # department result (UnitResult.level, e.g. "A") -> coefficient
    department_coefficients: Mapping[str, Decimal]
    grade_coefficients: Mapping[str, Decimal] = field(
        default_factory=lambda: DEFAULT_GRADE_COEFFICIENTS)
    floor_cents: int = 0
    cap_cents: int | None = None
    base: BonusBase = BonusBase.headcount
    department_bases: Mapping[uuid.UUID, Decimal] = field(
        default_factory=lambda: MappingProxyType({}))
    missing_result: MissingResult = MissingResult.exclude
    missing_grade: str | None = None
    # The result level for people whose department (and its parents) has no UnitResult;
    # None: such people are excluded with a note.
    unrated_department_level: str | None = None
    note: str = ""

    def rules(self) -> BonusRules:
        return BonusRules(department_coefficients=dict(self.department_coefficients),
                          grade_coefficients=dict(self.grade_coefficients),
                          floor_cents=self.floor_cents, cap_cents=self.cap_cents,
                          headcount_includes_zero=self.base == BonusBase.headcount_all)

    @property
    def configured_bases(self) -> Mapping[uuid.UUID, Decimal] | None:
        """The departments' weight bases when configured; None: the headcount."""
        return self.department_bases if self.base == BonusBase.configured else None

    def to_json(self) -> dict[str, Any]:
        return {
            "period_id": str(self.period_id),
            "pool_cents": self.pool_cents,
            "department_coefficients": {k: str(v) for k, v in
                                        sorted(self.department_coefficients.items())},
            "grade_coefficients": {k: str(v) for k, v in sorted(self.grade_coefficients.items())},
            "floor_cents": self.floor_cents,
            "cap_cents": self.cap_cents,
            "base": self.base.value,
            "department_bases": {str(k): str(v) for k, v in
                                 sorted(self.department_bases.items(), key=lambda i: str(i[0]))},
            "missing_result": self.missing_result.value,
            "missing_grade": self.missing_grade,
            "unrated_department_level": self.unrated_department_level,
            "note": self.note,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BonusRunParams:
        """The stored form back; a key that is missing or null takes the default above."""
        parsed: dict[str, Any] = {
            "period_id": uuid.UUID(data["period_id"]),
            "pool_cents": int(data["pool_cents"]),
            "department_coefficients": {k: Decimal(v) for k, v in
                                        data["department_coefficients"].items()},
        }
        readers: dict[str, Callable[[Any], Any]] = {
            "grade_coefficients": lambda v: {k: Decimal(x) for k, x in v.items()},
            "floor_cents": int,
            "cap_cents": int,
            "base": BonusBase,
            "department_bases": lambda v: {uuid.UUID(k): Decimal(x) for k, x in v.items()},
            "missing_result": MissingResult,
            "missing_grade": str,
            "unrated_department_level": str,
            "note": str,
        }
        for name, read in readers.items():
            if data.get(name) is not None:
                parsed[name] = read(data[name])
        return cls(**parsed)

    def problems(self) -> list[ParamProblem]:
        """Everything that can be checked without the database, every problem at once."""
        found: list[ParamProblem] = []

        def bad(message: str, where: str) -> None:
            found.append(ParamProblem(message, where))

        if not 0 <= self.pool_cents <= MAX_POOL_CENTS:
            bad("奖金池金额应为 0 到 100 亿元之间的整数（单位：分）", "poolCents")
        if not self.department_coefficients:
            bad("请配置部门考核结果对应的部门系数", "departmentCoefficients")
        for key, value in self.department_coefficients.items():
            if not key.strip():
                bad("部门考核结果不能为空", "departmentCoefficients")
            if not _non_negative(value):
                bad(f"部门结果「{key}」的系数应为非负数", "departmentCoefficients")
        for key, value in self.grade_coefficients.items():
            if key not in GRADE_LABELS:
                bad(f"未知的等次「{key}」", "gradeCoefficients")
            elif not _non_negative(value):
                bad(f"等次「{GRADE_LABELS[key]}」的系数应为非负数", "gradeCoefficients")
        if self.floor_cents < 0:
            bad("保底金额不能为负数", "floorCents")
        if self.cap_cents is not None and self.cap_cents < max(self.floor_cents, 0):
            bad("封顶金额不能低于保底金额", "capCents")
        if self.base == BonusBase.configured and not self.department_bases:
            bad("选择按配置的分配基数时，请为各部门填写分配基数", "departmentBases")
        for value in self.department_bases.values():
            if not _non_negative(value):
                bad("部门分配基数应为非负数", "departmentBases")
                break
        if self.missing_result == MissingResult.assume and (
                self.missing_grade not in self.grade_coefficients):
            bad("请选择无考核等次人员按哪个等次参与分配（须已配置系数）", "missingGrade")
        level = self.unrated_department_level
        if level is not None and level not in self.department_coefficients:
            bad(f"无部门考核结果时采用的结果「{level}」未配置部门系数", "unratedDepartmentLevel")
        if len(self.note) > MAX_NOTE_LENGTH:
            bad(f"备注不能超过 {MAX_NOTE_LENGTH} 字", "note")
        return found


def _non_negative(value: Decimal) -> bool:
    try:
        return value.is_finite() and value >= 0
    except (InvalidOperation, AttributeError):
        return False


__all__ = ["BONUS_BASE_LABELS", "MAX_POOL_CENTS", "BonusBase", "BonusRunParams",
           "MissingResult", "ParamProblem"]
