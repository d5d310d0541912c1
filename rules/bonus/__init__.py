"""The bonus rule in one package: a run's parameters and their validation (``params``), who
counts for which department (``attribution``), and the exact two-level allocation
(``allocation``, with ``prepare``, ``explain`` and the line types in ``lines``)."""

from rules.bonus.allocation import allocate
from rules.bonus.lines import (
    DEFAULT_GRADE_COEFFICIENTS,
    Allocation,
    BonusRules,
    DepartmentInput,
    DepartmentLine,
    PersonInput,
    PersonLine,
    format_yuan,
)

__all__ = [
    "DEFAULT_GRADE_COEFFICIENTS",
    "Allocation",
    "BonusRules",
    "DepartmentInput",
    "DepartmentLine",
    "PersonInput",
    "PersonLine",
    "allocate",
    "format_yuan",
]
