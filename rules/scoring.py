"""The inputs and outputs of the composite score (绩效得分), the tenant's rounding, and
``RuleError``. The calculation itself, and what the score means, is in ``rules.score``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum
from fractions import Fraction

from rules.errors import RuleError
from vocab.rating import RATER_ROLE_LABELS

__all__ = [
    "DEFAULT_DIMENSION_LABELS",
    "DEFAULT_ROLE_LABELS",
    "ConductFinding",
    "ExplanationKind",
    "ExplanationLine",
    "MissingRaterRule",
    "PointItem",
    "RatedIndicator",
    "Rating",
    "RoundingMode",
    "RoundingRule",
    "ScoreResult",
    "ScoringScheme",
    "decimal_of",
    "exact_text",
    "percent_label",
    "validate_percent_weights",
]

HUNDRED = Decimal(100)
ZERO = Decimal(0)
# Wide enough that no sum of realistic scores is ever rounded by the context itself.
PRECISION = 60
# Places of ``decimal_of`` for a value with no finite decimal form (shown, never used for results).
APPROX_PLACES = 20
# Decimals ``exact_text`` shows of such a value before the ellipsis.
TEXT_PLACES = 10

DEFAULT_ROLE_LABELS: Mapping[str, str] = RATER_ROLE_LABELS

DEFAULT_DIMENSION_LABELS: Mapping[str, str] = {
    "task_completion": "任务完成情况",
    "difficulty": "工作难度",
    "innovation": "创新程度",
    "conduct": "作风表现",
}


class MissingRaterRule(StrEnum):
    renormalize = "renormalize"
    zero = "zero"


class RoundingMode(StrEnum):
    half_up = "half_up"
    half_even = "half_even"
    down = "down"

    @property
    def label(self) -> str:
        labels = {"half_up": "四舍五入", "half_even": "四舍六入五成双", "down": "直接舍去"}
        return labels[self.value]


@dataclass(frozen=True)
class RoundingRule:
    places: int = 2
    mode: RoundingMode = RoundingMode.half_up

    def __post_init__(self) -> None:
        if not 0 <= self.places <= 6:
            raise RuleError(f"保留小数位数应在0到6之间，当前为{self.places}")

    def apply(self, value: Decimal | Fraction) -> Decimal:
        """The one final rounding, exact: ``value`` is never rounded before (see rules.score)."""
        return _round(Fraction(value), self.places, self.mode)

    def display(self, value: Decimal | Fraction) -> str:
        """Text for people: always half up, whatever the mode, since it only shows a part."""
        return f"{_round(Fraction(value), self.places, RoundingMode.half_up):f}"


def _round(value: Fraction, places: int, mode: RoundingMode) -> Decimal:
    """``value`` rounded to ``places`` decimals by integer arithmetic (no float, no context)."""
    scaled = value * 10**places
    magnitude = abs(scaled)
    whole, rest = divmod(magnitude.numerator, magnitude.denominator)
    twice = 2 * rest
    if mode is RoundingMode.half_up:
        whole += twice >= magnitude.denominator
    elif mode is RoundingMode.half_even:
        whole += twice > magnitude.denominator or (
            twice == magnitude.denominator and whole % 2 == 1)
    signed = -whole if scaled < 0 else whole
    return Decimal(signed).scaleb(-places)


def _finite_places(value: Fraction) -> int | None:
    """Decimal places of ``value`` written out exactly, or None when it has no finite form."""
    denominator, places = value.denominator, 0
    while denominator % 10 == 0:
        denominator //= 10
        places += 1
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
            places += 1
    return places if denominator == 1 else None


def decimal_of(value: Fraction) -> Decimal:
    """An exact value as a Decimal: exact when it has a finite decimal form, else rounded half
    even to ``APPROX_PLACES`` (for display and the parts people read; results use the Fraction).
    """
    places = _finite_places(value)
    if places is not None:
        return Decimal(value.numerator * (10**places // value.denominator)).scaleb(-places)
    return _round(value, APPROX_PLACES, RoundingMode.half_even)


def exact_text(value: Decimal | Fraction) -> str:
    """An exact value for people: all its decimals when finite (88.395), else the first
    ``TEXT_PLACES`` decimals, truncated, and an ellipsis (83.2166666666…)."""
    exact = Fraction(value)
    places = _finite_places(exact)
    if places is not None:
        return f"{_round(exact, places, RoundingMode.down):f}"
    return f"{_round(exact, TEXT_PLACES, RoundingMode.down):f}…"


def validate_percent_weights(weights: Mapping[str, int | Decimal], what: str) -> None:
    """Weights in percent (whole, or exact decimals), none negative, summing to exactly 100."""
    for key, weight in weights.items():
        if isinstance(weight, Decimal):
            check_finite(weight, f"{what}「{key}」的权重")
        if weight < 0:
            raise RuleError(f"{what}「{key}」的权重不能为负数（{weight}%）")
    total = sum(weights.values())
    if total != 100:
        raise RuleError(f"{what}权重合计应为100%，当前为{total}%")


def percent_label(weight: int | Decimal) -> str:
    """A weight for people: whole percents as they are, decimals to at most 2 places."""
    if isinstance(weight, int) or weight == weight.to_integral_value():
        return str(int(weight))
    with localcontext(prec=PRECISION):
        return f"{weight.quantize(Decimal('0.01'), ROUND_HALF_UP).normalize():f}"


def check_finite(value: Decimal, what: str) -> None:
    if not value.is_finite():
        raise RuleError(f"{what}不是有效数值")


@dataclass(frozen=True)
class RatedIndicator:
    """An indicator rated by raters; ``dimension_weights`` falls back to the scheme's."""

    code: str
    name: str
    weight: int | Decimal
    dimension_weights: Mapping[str, int] | None = None


@dataclass(frozen=True)
class ScoringScheme:
    """The tenant's scoring settings for one period (all configurable, validated on creation)."""

    indicators: tuple[RatedIndicator, ...]
    role_weights: Mapping[str, int]
    dimension_weights: Mapping[str, int] = field(default_factory=dict)
    missing_rater_rule: MissingRaterRule = MissingRaterRule.renormalize
    rated_points: Decimal = HUNDRED
    credit_caps: Mapping[str, Decimal] = field(default_factory=dict)
    deduction_caps: Mapping[str, Decimal] = field(default_factory=dict)
    conduct_cap: Decimal | None = None
    rounding: RoundingRule = field(default_factory=RoundingRule)
    role_labels: Mapping[str, str] = field(default_factory=dict)
    dimension_labels: Mapping[str, str] = field(default_factory=dict)
    # Labels of credit/deduction categories and of the indicators named by ``indicator_caps``.
    category_labels: Mapping[str, str] = field(default_factory=dict)
    # Dimension -> the only rater roles that rate it (absent: every role).
    dimension_roles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Credit/deduction indicator code -> its own cap (applied before its category's cap).
    indicator_caps: Mapping[str, Decimal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.indicators:
            raise RuleError("评价指标不能为空")
        codes = [indicator.code for indicator in self.indicators]
        if len(set(codes)) != len(codes):
            raise RuleError("评价指标编码重复")
        validate_percent_weights({i.code: i.weight for i in self.indicators}, "评价指标")
        validate_percent_weights(self.role_weights, "评价主体")
        for indicator in self.indicators:
            if indicator.dimension_weights is None and not self.dimension_weights:
                raise RuleError(f"评价指标「{indicator.name}」未配置评价维度")
            what = f"指标「{indicator.name}」的维度"
            validate_percent_weights(self.dimensions_of(indicator), what)
        check_finite(self.rated_points, "评价得分满分")
        if self.rated_points <= 0:
            raise RuleError("评价得分满分必须大于0")
        for caps, what in ((self.credit_caps, "加分"), (self.deduction_caps, "减分")):
            for category, cap in caps.items():
                check_finite(cap, f"{what}类别「{category}」上限")
                if cap < 0:
                    raise RuleError(f"{what}类别「{category}」的上限不能为负数")
        if self.conduct_cap is not None:
            check_finite(self.conduct_cap, "政治素质负面清单扣分上限")
            if self.conduct_cap < 0:
                raise RuleError("政治素质负面清单扣分上限不能为负数")
        for code, cap in self.indicator_caps.items():
            check_finite(cap, f"指标「{code}」上限")
            if cap < 0:
                raise RuleError(f"指标「{self.category_label(code)}」的上限不能为负数")
        for dimension, roles in self.dimension_roles.items():
            label = self.dimension_label(dimension)
            unknown = [role for role in roles if role not in self.role_weights]
            if unknown:
                raise RuleError(f"维度「{label}」的评价主体「{'、'.join(unknown)}」未配置权重")
            if not sum(self.role_weights[role] for role in roles) > 0:
                raise RuleError(f"维度「{label}」没有权重大于0的评价主体")

    def roles_of(self, dimension: str) -> Mapping[str, int]:
        """The rater roles (with their weights) that rate ``dimension``."""
        listed = self.dimension_roles.get(dimension)
        if listed is None:
            return self.role_weights
        return {role: w for role, w in self.role_weights.items() if role in listed}

    def dimensions_of(self, indicator: RatedIndicator) -> Mapping[str, int]:
        if indicator.dimension_weights is not None:
            return indicator.dimension_weights
        return self.dimension_weights

    def role_label(self, role: str) -> str:
        return self.role_labels.get(role) or DEFAULT_ROLE_LABELS.get(role, role)

    def dimension_label(self, dimension: str) -> str:
        return self.dimension_labels.get(dimension) or DEFAULT_DIMENSION_LABELS.get(
            dimension, dimension
        )

    def category_label(self, category: str) -> str:
        return self.category_labels.get(category, category)


@dataclass(frozen=True)
class Rating:
    """One rater's value (0..100) for one dimension of one indicator of the person: as given
    (Decimal), or exact after the optional normalisation (Fraction, ``rules.calibration``)."""

    rater_role: str
    rater_id: str
    indicator_code: str
    dimension: str
    value: Decimal | Fraction


@dataclass(frozen=True)
class PointItem:
    """A confirmed credit or deduction; ``points`` is positive in both cases.

    ``indicator`` (optional) names the item's indicator, whose own cap in
    ``ScoringScheme.indicator_caps`` applies before the category's.
    """

    source_id: str
    category: str
    points: Decimal
    reason: str = ""
    indicator: str = ""


@dataclass(frozen=True)
class ConductFinding:
    """A finding against the conduct standards (政治素质负面清单)."""

    source_id: str
    standard: str
    points: Decimal
    serious: bool = False
    reason: str = ""


class ExplanationKind(StrEnum):
    conduct = "conduct"
    conduct_cap = "conduct_cap"
    rater_role = "rater_role"
    missing_role = "missing_role"
    indicator = "indicator"
    credit = "credit"
    credit_cap = "credit_cap"
    deduction = "deduction"
    deduction_cap = "deduction_cap"
    rounding = "rounding"

    @property
    def adds_to_total(self) -> bool:
        """Whether the line is a term of the total before rounding.

        ``indicator`` lines slice the same rated part a second way (by indicator instead of by
        rater role), and ``rounding`` is the step after; neither is such a term.
        """
        return self not in (ExplanationKind.indicator, ExplanationKind.rounding)


@dataclass(frozen=True)
class ExplanationLine:
    kind: ExplanationKind
    source: str  # rater role, indicator code, credit/deduction/finding source id, or category
    delta: Decimal  # exact when it has a finite decimal form, else see ``exact``
    text: str
    # The exact value when ``delta`` had to be rounded to be written (``decimal_of``).
    exact: Fraction | None = None

    @property
    def value(self) -> Fraction:
        """The exact change of the total this line stands for."""
        return self.exact if self.exact is not None else Fraction(self.delta)


@dataclass(frozen=True)
class ScoreResult:
    """``total`` is the one rounding of ``exact_total``; ``unrounded_total`` and ``rated`` are
    ``decimal_of`` the exact values (exact whenever they have a finite decimal form)."""

    total: Decimal
    unrounded_total: Decimal
    rated: Decimal
    credits: Decimal
    deductions: Decimal
    conduct: Decimal
    serious_conduct_breach: bool
    missing_roles: tuple[str, ...]
    credit_parts: Mapping[str, Decimal]
    deduction_parts: Mapping[str, Decimal]
    explanation: tuple[ExplanationLine, ...]
    exact_total: Fraction = Fraction(0)
    exact_rated: Fraction = Fraction(0)

    def explained_total(self) -> Fraction:
        """Sum of the lines that are terms of the total; equals ``exact_total`` exactly."""
        return sum((line.value for line in self.explanation if line.kind.adds_to_total),
                   Fraction(0))
