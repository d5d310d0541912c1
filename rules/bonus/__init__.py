"""The bonus rule in one package: a run's parameters and their validation (``params``), who
counts for which department (``attribution``), and the exact two-level allocation
(``allocation``, with ``prepare``, ``explain`` and the line types in ``lines``)."""

from rules.bonus.allocation import allocate
from rules.bonus.lines import (
    DEFAULT_GRADE_COEFFICIENTS,
    GRADE_LABELS,
    Allocation,
    BonusRules,
    DepartmentInput,
    DepartmentLine,
    PersonInput,
    PersonLine,
    format_yuan,
)
from rules.scoring import RuleError

__all__ = [
    "DEFAULT_GRADE_COEFFICIENTS",
    "GRADE_LABELS",
    "Allocation",
    "BonusRules",
    "DepartmentInput",
    "DepartmentLine",
    "PersonInput",
    "PersonLine",
    "RuleError",
    "allocate",
    "format_yuan",
]
