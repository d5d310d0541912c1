"""The inputs of a bonus run, as the tenant admin gives them and as a job row stores them."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

from resolvers.errors import ErrorCode, Problem, UserFacingError
from rules.bonus import DEFAULT_GRADE_COEFFICIENTS, BonusRules
from vocab.grades import ALL_GRADES, GRADE_LABELS
from vocab.jobs import BonusBase, MissingResult

# Larger pools are a typo, not a bonus (10 billion yuan).
MAX_POOL_CENTS = 10**12


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
        return cls(
            period_id=uuid.UUID(data["period_id"]),
            pool_cents=int(data["pool_cents"]),
            department_coefficients={k: Decimal(v) for k, v in
                                     data["department_coefficients"].items()},
            grade_coefficients={k: Decimal(v) for k, v in data["grade_coefficients"].items()},
            floor_cents=int(data.get("floor_cents") or 0),
            cap_cents=None if data.get("cap_cents") is None else int(data["cap_cents"]),
            base=BonusBase(data.get("base", BonusBase.headcount.value)),
            department_bases={uuid.UUID(k): Decimal(v) for k, v in
                              (data.get("department_bases") or {}).items()},
            missing_result=MissingResult(data.get("missing_result", "exclude")),
            missing_grade=data.get("missing_grade"),
            unrated_department_level=data.get("unrated_department_level"),
            note=data.get("note") or "",
        )

    def check(self) -> None:
        """Everything that can be checked without the database; raises with every problem."""
        problems: list[Problem] = []

        def bad(message: str, where: str) -> None:
            problems.append(Problem(ErrorCode.INVALID, message, where))

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
            if key not in ALL_GRADES:
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
        if len(self.note) > 500:
            bad("备注不能超过 500 字", "note")
        if problems:
            raise UserFacingError(*problems)


def _non_negative(value: Decimal) -> bool:
    try:
        return value.is_finite() and value >= 0
    except (InvalidOperation, AttributeError):
        return False
