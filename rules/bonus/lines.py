"""The inputs and outputs of the bonus allocation, the default grade coefficients, and the
small helpers every part of the rule shows money and names with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from rules.errors import RuleError
from vocab.grades import GRADE_LABELS

# Defaults to be confirmed per tenant: the quarterly ones come from the 西华街道 practice; the
# annual ones are a guess (不称职 and 不定等次 receive nothing).
DEFAULT_GRADE_COEFFICIENTS: Mapping[str, Decimal] = MappingProxyType(
    {
        "good": Decimal("1.2"),
        "fairly_good": Decimal("1.0"),
        "average": Decimal("0.8"),
        "poor": Decimal("0.5"),
        "excellent": Decimal("1.2"),
        "competent": Decimal("1.0"),
        "basically_competent": Decimal("0.5"),
        "incompetent": Decimal("0"),
        "not_graded": Decimal("0"),
    }
)



@dataclass(frozen=True)
class BonusRules:
    """A tenant's configuration. Coefficients are non-negative ``Decimal``s."""

    # department result (e.g. its grade) -> department coefficient
    department_coefficients: Mapping[str, Decimal]
    # person grade -> grade coefficient
    grade_coefficients: Mapping[str, Decimal] = field(
        default_factory=lambda: DEFAULT_GRADE_COEFFICIENTS
    )
    # uniform floor/cap per person with a positive coefficient; PersonInput may override
    floor_cents: int = 0
    cap_cents: int | None = None
    headcount_includes_zero: bool = False


@dataclass(frozen=True, slots=True)
class PersonInput:
    person_id: str
    grade: str
    # None: BonusRules.floor_cents / cap_cents
    floor_cents: int | None = None
    cap_cents: int | None = None
    name: str = ""


@dataclass(frozen=True, slots=True)
class DepartmentInput:
    department_id: str
    result: str
    people: tuple[PersonInput, ...]
    # None: headcount; otherwise a configured weight base (编制数 ...)
    base: Decimal | int | None = None
    name: str = ""


@dataclass(frozen=True, slots=True)
class DepartmentLine:
    department_id: str
    name: str
    result: str
    coefficient: Decimal
    base: Decimal
    weight: Fraction  # coefficient x base, 0 when nobody can be paid
    exact_cents: Fraction  # pool x weight / total weight
    cents: int
    rounding_cents: int  # 1 when the largest remainder gave this line a cent, else 0
    explanation: str


@dataclass(frozen=True, slots=True)
class PersonLine:
    person_id: str
    department_id: str
    name: str
    grade: str
    coefficient: Decimal
    exact_cents: Fraction  # share before rounding; whole at a floor or cap
    cents: int
    floor_applied: bool
    cap_applied: bool
    rounding_cents: int  # 1 or 0
    explanation: str


@dataclass(frozen=True, slots=True)
class Allocation:
    pool_cents: int
    departments: tuple[DepartmentLine, ...]  # by department id
    people: tuple[PersonLine, ...]  # by department id, then person id


def format_yuan(cents: int) -> str:
    """12345678 -> "123,456.78"."""
    sign = "-" if cents < 0 else ""
    yuan, cent = divmod(abs(cents), 100)
    return f"{sign}{yuan:,}.{cent:02d}"



def label(key: str) -> str:
    return GRADE_LABELS.get(key, key)


def department_title(d: DepartmentInput) -> str:
    return f"科室「{d.name or d.department_id}」"


def rounding_note(exact: Fraction, cents: int, plus: int) -> str:
    if exact.denominator == 1:
        return ""
    if plus:
        return f"；舍入 +0.01 元，实得 {format_yuan(cents)} 元"
    return f"；尾数舍去，实得 {format_yuan(cents)} 元"


def show_exact(cents: Fraction) -> str:
    """ "= 24,000.00" when whole, "= 28,928.5725" when exact at 4 places of a yuan,
    else "≈ 10,285.7143" (display only; the line carries the exact Fraction).
    Integer arithmetic only: this runs once per person."""
    num, den = cents.numerator, cents.denominator
    if den == 1:
        return f"= {format_yuan(num)}"
    q, r = divmod(num * 100, den)  # ten-thousandths of a yuan
    sign = "=" if r == 0 else "≈"
    if 2 * r > den or (2 * r == den and q % 2):  # half to even
        q += 1
    yuan, frac = divmod(q, 10_000)
    return f"{sign} {yuan:,}.{frac:04d}"


def show_fraction(value: Fraction) -> str:
    """A terminating fraction as a short decimal with at least one place: 6 -> "6.0"."""
    digits, places = _decimal_digits(value)
    text = str(digits).rjust(places + 1, "0")
    whole, frac = text[: len(text) - places], text[len(text) - places :].rstrip("0")
    return f"{whole}.{frac or '0'}"


def to_decimal(value: Fraction) -> Decimal:
    digits, places = _decimal_digits(value)
    return Decimal(f"{digits}E-{places}")  # built from a string: exact at any length


def _decimal_digits(value: Fraction) -> tuple[int, int]:
    """(n, p) with value == n / 10^p. Coefficients and bases come from Decimals, so the
    denominator is 2^a 5^b and this terminates."""
    den = value.denominator
    places = 0
    while den % 10 == 0 or den % 2 == 0 or den % 5 == 0:
        if den % 10 == 0:
            den //= 10
        elif den % 2 == 0:
            den //= 2
        else:
            den //= 5
        places += 1
    if den != 1:
        raise RuleError(f"数值 {value} 不是有限小数")  # unreachable for Decimal inputs
    return value.numerator * 10**places // value.denominator, places

