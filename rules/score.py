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
last truncating toward zero) is applied once, to the final total. Everything before is exact:
the rated part is carried as a ``Fraction`` (weights and averages divide, so it may have no
finite decimal form), credits and deductions are finite decimals. Ratings giving exactly 88.395
therefore count 88.40 under half up, never 88.39 because of an earlier rounding. The exact
values of the explanation lines add up to the exact total; a line whose value has no finite
decimal form is written rounded far below the displayed precision (``delta``) and carries its
exact value beside it (``exact``). The ``rounding`` line says the exact total in words and the
difference the rounding made.

Inputs are only what counts: the resolver passes confirmed credits and deductions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal, localcontext
from fractions import Fraction

from rules.errors import RuleError
from rules.scoring import (
    HUNDRED,
    PRECISION,
    ZERO,
    ConductFinding,
    ExplanationKind,
    ExplanationLine,
    MissingRaterRule,
    PointItem,
    Rating,
    ScoreResult,
    ScoringScheme,
    check_finite,
    decimal_of,
    exact_text,
    percent_label,
)

__all__ = ["compute_score"]


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
    with localcontext(prec=PRECISION):
        conduct_total, breach, conduct_lines = _conduct(scheme, tuple(conduct))
        rated, rated_lines, missing = _rated(scheme, tuple(ratings), person_id)
        credit_total, credit_parts, credit_lines = _capped(
            scheme, tuple(credits), scheme.credit_caps, sign=1
        )
        deduction_total, deduction_parts, deduction_lines = _capped(
            scheme, tuple(deductions), scheme.deduction_caps, sign=-1
        )
        unrounded = (
            rated + Fraction(credit_total) - Fraction(deduction_total) - Fraction(conduct_total)
        )
        total = scheme.rounding.apply(unrounded)
        lines = conduct_lines + rated_lines + credit_lines + deduction_lines
        if total != unrounded:
            difference = Fraction(total) - unrounded
            lines += (
                ExplanationLine(
                    ExplanationKind.rounding,
                    "rounding",
                    decimal_of(difference),
                    f"合计 {exact_text(unrounded)} 分，按{scheme.rounding.mode.label}"
                    f"保留{scheme.rounding.places}位小数计为 {total:f} 分",
                    difference,
                ),
            )
    return ScoreResult(
        total=total,
        unrounded_total=decimal_of(unrounded),
        rated=decimal_of(rated),
        credits=credit_total,
        deductions=deduction_total,
        conduct=conduct_total,
        serious_conduct_breach=breach,
        missing_roles=missing,
        credit_parts=credit_parts,
        deduction_parts=deduction_parts,
        explanation=lines,
        exact_total=unrounded,
        exact_rated=rated,
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
        check_finite(finding.points, f"政治素质负面清单「{finding.standard}」扣分")
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
        check_finite(item.points, f"{what}「{item.source_id}」分值")
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
) -> tuple[Fraction, tuple[ExplanationLine, ...], tuple[str, ...]]:
    indicators = {indicator.code: indicator for indicator in scheme.indicators}
    # (indicator, dimension, role) -> values of the raters of that role
    cells: dict[tuple[str, str, str], list[Fraction]] = defaultdict(list)
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
        if isinstance(rating.value, Decimal):
            check_finite(rating.value, "评分")
        if not ZERO <= rating.value <= HUNDRED:
            raise RuleError(f"评分应在0到100之间，当前为{rating.value}")
        key = (rating.rater_role, rating.rater_id, rating.indicator_code, rating.dimension)
        if key in seen:
            raise RuleError(f"评价人「{rating.rater_id}」对同一指标维度重复评分")
        seen.add(key)
        cells[(rating.indicator_code, rating.dimension, rating.rater_role)].append(
            Fraction(rating.value))

    # Exact throughout: every weight and value is a finite decimal, only the divisions are not.
    scale = Fraction(scheme.rated_points) / 100
    by_role: dict[str, Fraction] = dict.fromkeys(scheme.role_weights, Fraction(0))
    by_indicator: dict[str, Fraction] = dict.fromkeys(indicators, Fraction(0))
    for indicator in scheme.indicators:
        for dimension, dimension_weight in scheme.dimensions_of(indicator).items():
            roles = scheme.roles_of(dimension)
            present = {
                role: weight
                for role, weight in roles.items()
                if (indicator.code, dimension, role) in cells
            }
            denominator = (
                sum(present.values())
                if scheme.missing_rater_rule is MissingRaterRule.renormalize
                else sum(roles.values())
            )
            for role, weight in present.items():
                if weight == 0:
                    continue
                values = cells[(indicator.code, dimension, role)]
                average = sum(values, Fraction(0)) / len(values)
                contribution = (
                    Fraction(indicator.weight)
                    / 100
                    * Fraction(dimension_weight)
                    / 100
                    * Fraction(weight, denominator)
                    * average
                    * scale
                )
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
            lines.append(ExplanationLine(ExplanationKind.rater_role, role,
                                         decimal_of(by_role[role]), text, by_role[role]))
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
        exact = by_indicator[indicator.code]
        lines.append(
            ExplanationLine(ExplanationKind.indicator, indicator.code, decimal_of(exact), text,
                            exact)
        )
    return sum(by_role.values(), Fraction(0)), tuple(lines), missing
