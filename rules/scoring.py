"""Composite score of one person for one period (绩效得分), with an explanation.

The score is

    total = round(rated + credits - deductions - conduct)

* ``rated``: the weighted ratings mapped through the indicator scheme. For every rated indicator
  and every rating dimension (task completion, difficulty, innovation, conduct, ...), the raters
  of one rater role are averaged first; the role averages are combined by the rater-role weights;
  dimensions by the dimension weights; indicators by the indicator weights. The result (0..100)
  is scaled to ``ScoringScheme.rated_points`` (100 by default).
* ``credits`` (加分) and ``deductions`` (减分): points per category, the sum of each category
  limited to that category's cap.
* ``conduct``: deductions from the conduct standards (政治素质负面清单). They are judged first:
  they come first in the explanation, they are kept apart from the ordinary deduction caps (a full
  ordinary category can never absorb them), and any *serious* finding sets
  ``serious_conduct_breach`` (which caps the grade later, see ``rules.grading``) whatever its
  points. There is no floor: a total may fall below zero.

A rater role without any rater for the person (e.g. a department head has no subordinates) is
handled by the tenant setting ``MissingRaterRule``:

* ``renormalize``: the missing role's weight is shared out over the roles that did rate, in
  proportion to their weights (divide by the sum of the weights present). 90 from every rater
  gives 90 whoever is missing. When no role at all rated an indicator dimension it counts 0.
* ``zero``: the missing role counts as a rating of 0 with its full weight. 90 from every rater
  with the 10% subordinates missing gives 81.

Presence is judged per indicator dimension, so a rater who left one dimension blank is treated
the same way as a missing role for that dimension only.

A dimension may be rated by some rater roles only (``ScoringScheme.dimension_roles``, e.g. 黄水镇's
协同配合 rated by peers and external raters). For such a dimension the weights of the listed roles
are the whole (their sum counts as 100%); the other roles are neither present nor missing there,
and the missing-rater rule applies among the listed roles only.

Indicator weights are whole percents as configured, or exact decimals when a resolver has
renormalized the indicators that apply to a person's post (they must still sum to exactly 100).
A credit or deduction may also name its indicator: the indicator's own cap
(``indicator_caps``, e.g. 项目招引 at most 12 points) cuts its items first, then the category's cap
cuts the category.

Rounding (a tenant setting: decimal places and mode ``half_up``, ``half_even`` or ``down``, the
last truncating toward zero) is applied once, to the final total. The parts are exact: each
rated contribution is carried at 12 decimal places (far below any displayed precision), so the
explanation lines add up exactly to the total before rounding. The ``rounding`` line shows the
difference the rounding made.

Inputs are only what counts: the resolver passes confirmed credits and deductions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

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
    "compute_score",
    "percent_label",
    "validate_percent_weights",
]

HUNDRED = Decimal(100)
ZERO = Decimal(0)
# Precision of the carried rated contributions; see the module docstring.
INTERNAL_QUANTUM = Decimal("1e-12")
# Wide enough that no sum of realistic scores is ever rounded by the context itself.
_PRECISION = 60

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


_DECIMAL_MODES = {
    RoundingMode.half_up: ROUND_HALF_UP,
    RoundingMode.half_even: ROUND_HALF_EVEN,
    RoundingMode.down: ROUND_DOWN,
}


@dataclass(frozen=True)
class RoundingRule:
    places: int = 2
    mode: RoundingMode = RoundingMode.half_up

    def __post_init__(self) -> None:
        if not 0 <= self.places <= 6:
            raise RuleError(f"保留小数位数应在0到6之间，当前为{self.places}")

    def apply(self, value: Decimal) -> Decimal:
        with localcontext(prec=_PRECISION):
            return value.quantize(Decimal(1).scaleb(-self.places), _DECIMAL_MODES[self.mode])

    def display(self, value: Decimal) -> str:
        """Text for people: always half up, whatever the mode, since it only shows a part."""
        with localcontext(prec=_PRECISION):
            shown = value.quantize(Decimal(1).scaleb(-self.places), ROUND_HALF_UP)
        return f"{shown:f}"


def validate_percent_weights(weights: Mapping[str, int | Decimal], what: str) -> None:
    """Weights in percent (whole, or exact decimals), none negative, summing to exactly 100."""
    for key, weight in weights.items():
        if isinstance(weight, Decimal):
            _check_finite(weight, f"{what}「{key}」的权重")
        if weight < 0:
            raise RuleError(f"{what}「{key}」的权重不能为负数（{weight}%）")
    total = sum(weights.values())
    if total != 100:
        raise RuleError(f"{what}权重合计应为100%，当前为{total}%")


def percent_label(weight: int | Decimal) -> str:
    """A weight for people: whole percents as they are, decimals to at most 2 places."""
    if isinstance(weight, int) or weight == weight.to_integral_value():
        return str(int(weight))
    with localcontext(prec=_PRECISION):
        return f"{weight.quantize(Decimal('0.01'), ROUND_HALF_UP).normalize():f}"


def _check_finite(value: Decimal, what: str) -> None:
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
        _check_finite(self.rated_points, "评价得分满分")
        if self.rated_points <= 0:
            raise RuleError("评价得分满分必须大于0")
        for caps, what in ((self.credit_caps, "加分"), (self.deduction_caps, "减分")):
            for category, cap in caps.items():
                _check_finite(cap, f"{what}类别「{category}」上限")
                if cap < 0:
                    raise RuleError(f"{what}类别「{category}」的上限不能为负数")
        if self.conduct_cap is not None:
            _check_finite(self.conduct_cap, "政治素质负面清单扣分上限")
            if self.conduct_cap < 0:
                raise RuleError("政治素质负面清单扣分上限不能为负数")
        for code, cap in self.indicator_caps.items():
            _check_finite(cap, f"指标「{code}」上限")
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
    """One rater's value (0..100) for one dimension of one indicator of the person."""

    rater_role: str
    rater_id: str
    indicator_code: str
    dimension: str
    value: Decimal


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
    delta: Decimal
    text: str


@dataclass(frozen=True)
class ScoreResult:
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

    def explained_total(self) -> Decimal:
        """Sum of the lines that are terms of the total; equals ``unrounded_total``."""
        with localcontext(prec=_PRECISION):
            return sum((line.delta for line in self.explanation if line.kind.adds_to_total), ZERO)


def compute_score(
    scheme: ScoringScheme,
    ratings: Iterable[Rating],
    credits: Iterable[PointItem] = (),
    deductions: Iterable[PointItem] = (),
    conduct: Iterable[ConductFinding] = (),
    *,
    person_id: str | None = None,
) -> ScoreResult:
    """The composite score of one person; input order never matters.

    ``person_id``, when given, refuses self-ratings.
    """
    with localcontext(prec=_PRECISION):
        conduct_total, breach, conduct_lines = _conduct(scheme, tuple(conduct))
        rated, rated_lines, missing = _rated(scheme, tuple(ratings), person_id)
        credit_total, credit_parts, credit_lines = _capped(
            scheme, tuple(credits), scheme.credit_caps, sign=1
        )
        deduction_total, deduction_parts, deduction_lines = _capped(
            scheme, tuple(deductions), scheme.deduction_caps, sign=-1
        )
        unrounded = rated + credit_total - deduction_total - conduct_total
        total = scheme.rounding.apply(unrounded)
        lines = conduct_lines + rated_lines + credit_lines + deduction_lines
        if total != unrounded:
            lines += (
                ExplanationLine(
                    ExplanationKind.rounding,
                    "rounding",
                    total - unrounded,
                    f"按规则保留{scheme.rounding.places}位小数（{scheme.rounding.mode.label}），"
                    f"合计由 {unrounded:f} 计为 {total:f} 分",
                ),
            )
    return ScoreResult(
        total=total,
        unrounded_total=unrounded,
        rated=rated,
        credits=credit_total,
        deductions=deduction_total,
        conduct=conduct_total,
        serious_conduct_breach=breach,
        missing_roles=missing,
        credit_parts=credit_parts,
        deduction_parts=deduction_parts,
        explanation=lines,
    )


def _conduct(
    scheme: ScoringScheme, findings: tuple[ConductFinding, ...]
) -> tuple[Decimal, bool, tuple[ExplanationLine, ...]]:
    lines: list[ExplanationLine] = []
    total = ZERO
    show = scheme.rounding.display
    ordered = sorted(
        findings, key=lambda f: (f.standard, f.source_id, f.points, f.serious, f.reason)
    )
    for finding in ordered:
        _check_finite(finding.points, f"政治素质负面清单「{finding.standard}」扣分")
        if finding.points < 0:
            raise RuleError(f"政治素质负面清单「{finding.standard}」扣分不能为负数")
        total += finding.points
        serious = "（严重问题，等次将受限）" if finding.serious else ""
        lines.append(
            ExplanationLine(
                ExplanationKind.conduct,
                finding.source_id,
                -finding.points,
                f"政治素质负面清单「{finding.standard}」{finding.reason}："
                f"-{show(finding.points)} 分{serious}",
            )
        )
    cap = scheme.conduct_cap
    if cap is not None and total > cap:
        lines.append(
            ExplanationLine(
                ExplanationKind.conduct_cap,
                "conduct",
                total - cap,
                f"政治素质负面清单扣分超出上限 {show(cap)} 分，超出的 {show(total - cap)} 分不计",
            )
        )
        total = cap
    return total, any(f.serious for f in findings), tuple(lines)


def _capped(
    scheme: ScoringScheme,
    items: tuple[PointItem, ...],
    caps: Mapping[str, Decimal],
    *,
    sign: int,
) -> tuple[Decimal, Mapping[str, Decimal], tuple[ExplanationLine, ...]]:
    """Credits (sign 1) or deductions (sign -1); returns the positive capped total.

    The cap cuts the category's sum, not particular items, so the result is independent of order.
    """
    what = "加分" if sign > 0 else "减分"
    kind = ExplanationKind.credit if sign > 0 else ExplanationKind.deduction
    cap_kind = ExplanationKind.credit_cap if sign > 0 else ExplanationKind.deduction_cap
    show = scheme.rounding.display
    by_category: dict[str, list[PointItem]] = defaultdict(list)
    for item in items:
        if item.category not in caps:
            raise RuleError(f"{what}类别「{item.category}」未配置上限")
        _check_finite(item.points, f"{what}「{item.source_id}」分值")
        if item.points < 0:
            raise RuleError(f"{what}「{item.source_id}」的分值不能为负数")
        by_category[item.category].append(item)
    lines: list[ExplanationLine] = []
    parts: dict[str, Decimal] = {}
    for category in sorted(by_category):
        label = scheme.category_label(category)
        subtotal = ZERO
        by_indicator: dict[str, list[PointItem]] = defaultdict(list)
        for item in by_category[category]:
            by_indicator[item.indicator].append(item)
        for indicator in sorted(by_indicator):
            indicator_total = ZERO
            for item in sorted(
                by_indicator[indicator], key=lambda i: (i.source_id, i.points, i.reason)
            ):
                indicator_total += item.points
                sign_text = "+" if sign > 0 else "-"
                lines.append(
                    ExplanationLine(
                        kind,
                        item.source_id,
                        sign * item.points,
                        f"{what}「{label}」{item.reason}：{sign_text}{show(item.points)} 分",
                    )
                )
            indicator_cap = scheme.indicator_caps.get(indicator) if indicator else None
            if indicator_cap is not None and indicator_total > indicator_cap:
                excess = indicator_total - indicator_cap
                lines.append(
                    ExplanationLine(
                        cap_kind,
                        indicator,
                        -sign * excess,
                        f"{what}项目「{scheme.category_label(indicator)}」超出上限 "
                        f"{show(indicator_cap)} 分，超出的 {show(excess)} 分不计",
                    )
                )
                indicator_total = indicator_cap
            subtotal += indicator_total
        cap = caps[category]
        if subtotal > cap:
            lines.append(
                ExplanationLine(
                    cap_kind,
                    category,
                    -sign * (subtotal - cap),
                    f"{what}类别「{label}」超出上限 {show(cap)} 分，超出的 "
                    f"{show(subtotal - cap)} 分不计",
                )
            )
            subtotal = cap
        parts[category] = subtotal
    return sum(parts.values(), ZERO), parts, tuple(lines)


def _rated(
    scheme: ScoringScheme, ratings: tuple[Rating, ...], person_id: str | None
) -> tuple[Decimal, tuple[ExplanationLine, ...], tuple[str, ...]]:
    indicators = {indicator.code: indicator for indicator in scheme.indicators}
    # (indicator, dimension, role) -> values of the raters of that role
    cells: dict[tuple[str, str, str], list[Decimal]] = defaultdict(list)
    seen: set[tuple[str, str, str, str]] = set()
    for rating in ratings:
        indicator = indicators.get(rating.indicator_code)
        if indicator is None:
            raise RuleError(f"评价指标「{rating.indicator_code}」不在本期指标体系中")
        if rating.dimension not in scheme.dimensions_of(indicator):
            raise RuleError(f"指标「{indicator.name}」没有评价维度「{rating.dimension}」")
        if rating.rater_role not in scheme.role_weights:
            raise RuleError(f"评价主体「{rating.rater_role}」未配置权重")
        if rating.rater_role not in scheme.roles_of(rating.dimension):
            raise RuleError(
                f"{scheme.role_label(rating.rater_role)}不评价维度"
                f"「{scheme.dimension_label(rating.dimension)}」"
            )
        if person_id is not None and rating.rater_id == person_id:
            raise RuleError("不能对本人进行评价")
        _check_finite(rating.value, "评分")
        if not ZERO <= rating.value <= HUNDRED:
            raise RuleError(f"评分应在0到100之间，当前为{rating.value}")
        key = (rating.rater_role, rating.rater_id, rating.indicator_code, rating.dimension)
        if key in seen:
            raise RuleError(f"评价人「{rating.rater_id}」对同一指标维度重复评分")
        seen.add(key)
        cells[(rating.indicator_code, rating.dimension, rating.rater_role)].append(rating.value)

    scale = scheme.rated_points / HUNDRED
    by_role: dict[str, Decimal] = dict.fromkeys(scheme.role_weights, ZERO)
    by_indicator: dict[str, Decimal] = dict.fromkeys(indicators, ZERO)
    for indicator in scheme.indicators:
        for dimension, dimension_weight in scheme.dimensions_of(indicator).items():
            roles = scheme.roles_of(dimension)
            present = {
                role: weight
                for role, weight in roles.items()
                if (indicator.code, dimension, role) in cells
            }
            denominator = Decimal(
                sum(present.values())
                if scheme.missing_rater_rule is MissingRaterRule.renormalize
                else sum(roles.values())
            )
            for role, weight in present.items():
                if weight == 0:
                    continue
                values = cells[(indicator.code, dimension, role)]
                average = sum(values, ZERO) / len(values)
                contribution = (
                    Decimal(indicator.weight)
                    / HUNDRED
                    * Decimal(dimension_weight)
                    / HUNDRED
                    * Decimal(weight)
                    / denominator
                    * average
                    * scale
                ).quantize(INTERNAL_QUANTUM, ROUND_HALF_EVEN)
                by_role[role] += contribution
                by_indicator[indicator.code] += contribution

    rated_roles = {role for (_, _, role) in cells}
    missing = tuple(role for role in scheme.role_weights if role not in rated_roles)
    show = scheme.rounding.display
    lines: list[ExplanationLine] = []
    for role, weight in scheme.role_weights.items():
        label = f"{scheme.role_label(role)}评价（权重{weight}%）"
        if role in rated_roles:
            text = f"{label}：贡献 {show(by_role[role])} 分"
            lines.append(ExplanationLine(ExplanationKind.rater_role, role, by_role[role], text))
        elif weight > 0:
            if scheme.missing_rater_rule is MissingRaterRule.renormalize:
                text = f"{label}：无评价人，其权重按其余评价主体的权重比例分摊"
            else:
                text = f"{label}：无评价人，按0分计"
            lines.append(ExplanationLine(ExplanationKind.missing_role, role, ZERO, text))
    for indicator in scheme.indicators:
        text = (
            f"指标「{indicator.name}」（权重{percent_label(indicator.weight)}%）："
            f"贡献 {show(by_indicator[indicator.code])} 分"
        )
        lines.append(
            ExplanationLine(
                ExplanationKind.indicator, indicator.code, by_indicator[indicator.code], text
            )
        )
    return sum(by_role.values(), ZERO), tuple(lines), missing
