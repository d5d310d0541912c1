"""Scores of a period (绩效得分) from the period's pinned scheme version: the inputs of
``rules.scoring``, built from the database once per period.

* Rated indicators: the version's ``rated`` nodes in effect at the end of the period (dynamic
  indicators from their start date) that apply to the person (``applies_to = posts``: only if the
  post's responsibility letter names them). Their weights follow the category tree; indicators
  that do not apply drop out and the others keep their proportions
  (``rules.indicator_effect.effective_weights``), carried as exact percents.
* Dimensions: the version's rating dimensions and weights. A dimension's ``rater_roles`` and the
  tenant setting ``rating.role_dimensions`` limit which rater roles rate it.
* Rater-role weights, the missing-rater rule and the rounding: tenant settings (``rating``).
* Normalisation (tenant setting ``calibration.normalize``, off by default): each rater's values
  are first moved to the unit's mean and spread of their rater role, computed over every value
  stored in the period (``rules.calibration``); the explanation then lists them.
* Credits and deductions: the person's point records of the scheme dated inside the period that
  count (``rules.indicator_effect.record_counts``: credits only once confirmed when the indicator
  needs it, dynamic indicators from their start date), grouped by their category (the parent
  category, or the indicator itself at the top level) under the category's cap, the indicator's
  own cap applied first. Conduct findings (政治素质负面清单) under the cap of their category.
  Records are matched to the pinned version by indicator code; codes it lacks are left out.

Dimension scores (0..100, one per rating dimension, the raters weighted and missing roles treated
as for the score) are kept beside the score: training needs read them.
"""

from __future__ import annotations

import calendar
import uuid
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction

from sqlalchemy import and_, select

from models import (
    Period,
    Person,
    PointRecord,
    RaterAssignment,
    RatingValue,
    ResponsibilityLetterLine,
    SchemeDimension,
    SchemeNode,
    SchemeVersion,
)
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail
from resolvers.plans.indicators import pinned_version
from resolvers.plans.schemes import version_dimensions, version_nodes
from resolvers.tenant_config import tenant_config
from rules.calibration import GivenRating, Normaliser, normaliser
from rules.errors import RuleError
from rules.indicator_effect import WeightedNode, counts_on, effective_weights, record_counts
from rules.score import compute_score
from rules.scoring import (
    ConductFinding,
    MissingRaterRule,
    PointItem,
    RatedIndicator,
    Rating,
    RoundingMode,
    RoundingRule,
    ScoreResult,
    ScoringScheme,
)
from tenants.config import RatingConfig
from vocab.periods import PeriodKind
from vocab.plans import AppliesTo, IndicatorKind
from vocab.rating import RATER_ROLE_LABELS

UNCAPPED = Decimal(1_000_000)  # a category without a cap
_PERCENT_QUANTUM = Decimal("1e-10")


def period_dates(period: Period) -> tuple[date, date]:
    """First and last day of the period (its own dates when set)."""
    if period.kind == PeriodKind.year or period.quarter is None:
        start, end = date(period.year, 1, 1), date(period.year, 12, 31)
    else:
        first = period.quarter * 3 - 2
        last = period.quarter * 3
        start = date(period.year, first, 1)
        end = date(period.year, last, calendar.monthrange(period.year, last)[1])
    return (period.starts_on.date() if period.starts_on else start,
            period.ends_on.date() if period.ends_on else end)


def exact_percents(shares: Mapping[str, Decimal]) -> dict[str, int | Decimal]:
    """Shares (summing to about 1) as percents summing to exactly 100 (largest remainder at
    1e-10, far below any displayed precision); whole percents stay integers."""
    if not shares:
        return {}
    raw = {key: share * 100 for key, share in shares.items()}
    floored = {key: value.quantize(_PERCENT_QUANTUM, ROUND_FLOOR) for key, value in raw.items()}
    missing = int((Decimal(100) - sum(floored.values())) / _PERCENT_QUANTUM)
    for key in sorted(raw, key=lambda k: (floored[k] - raw[k], k))[:max(missing, 0)]:
        floored[key] += _PERCENT_QUANTUM
    return {key: int(value) if value == value.to_integral_value() else value
            for key, value in floored.items()}


@dataclass
class PeriodScheme:
    """The pinned version of a period and the tenant's rating settings, loaded once."""

    period: Period
    version: SchemeVersion
    nodes: list[SchemeNode]
    dimensions: list[SchemeDimension]
    letters: dict[uuid.UUID, frozenset[str]]  # post -> indicator codes of its letter
    rating: RatingConfig
    _schemes: dict[frozenset[str], ScoringScheme] = field(default_factory=dict)
    _by_id: dict[uuid.UUID, SchemeNode] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_id = {n.id: n for n in self.nodes}

    @property
    def end(self) -> date:
        return period_dates(self.period)[1]

    def node_by_id(self) -> dict[uuid.UUID, SchemeNode]:
        return self._by_id

    def rated_for(self, person: Person) -> list[SchemeNode]:
        letter = self.letters.get(person.post_id, frozenset()) if person.post_id else frozenset()
        return [n for n in self.nodes
                if n.kind == IndicatorKind.rated and counts_on(n.effective_from, self.end)
                and (n.applies_to == AppliesTo.everyone or n.code in letter)]

    def roles_of(self, dimension: SchemeDimension) -> tuple[str, ...]:
        """The rater roles (with a weight) that rate a dimension."""
        listed = set(dimension.rater_roles or self.rating.role_weights)
        limited = self.rating.role_dimensions
        return tuple(role for role in self.rating.role_weights
                     if role in listed and (role not in limited
                                            or dimension.code in limited[role]))

    def dimensions_for(self, role: str) -> list[SchemeDimension]:
        return [d for d in self.dimensions if role in self.roles_of(d)]

    def scoring_scheme(self, person: Person) -> ScoringScheme:
        rated = self.rated_for(person)
        key = frozenset(n.code for n in rated)
        if key not in self._schemes:
            self._schemes[key] = self._build(rated)
        return self._schemes[key]

    def _build(self, rated: list[SchemeNode]) -> ScoringScheme:
        weighted = [WeightedNode(n.id, n.parent_id, n.weight or 0, n.kind == IndicatorKind.rated)
                    for n in self.nodes
                    if n.kind == IndicatorKind.rated
                    or (n.kind == IndicatorKind.category and n.weight is not None)]
        shares: dict[Hashable, Decimal] = effective_weights(
            weighted, frozenset(n.id for n in rated))
        percents = exact_percents({str(key): share for key, share in shares.items()})
        indicators = tuple(RatedIndicator(n.code, n.name, percents[str(n.id)])
                           for n in rated if str(n.id) in percents)
        all_roles = set(self.rating.role_weights)
        dimension_roles = {d.code: self.roles_of(d) for d in self.dimensions
                           if set(self.roles_of(d)) != all_roles}
        credit_caps, deduction_caps, indicator_caps, labels, conduct_cap = self._caps()
        try:
            return ScoringScheme(
                indicators=indicators, role_weights=dict(self.rating.role_weights),
                dimension_weights={d.code: d.weight for d in self.dimensions},
                missing_rater_rule=MissingRaterRule(self.rating.missing_rater_rule),
                credit_caps=credit_caps, deduction_caps=deduction_caps, conduct_cap=conduct_cap,
                rounding=RoundingRule(self.rating.rounding_places,
                                      RoundingMode(self.rating.rounding_mode)),
                role_labels=dict(RATER_ROLE_LABELS),
                dimension_labels={d.code: d.name for d in self.dimensions},
                category_labels=labels, dimension_roles=dimension_roles,
                indicator_caps=indicator_caps)
        except RuleError as exc:
            raise fail(ErrorCode.INVALID, f"本周期的评价规则无法计分：{exc}") from exc

    def parent_of(self, node: SchemeNode) -> SchemeNode | None:
        parent = self.node_by_id().get(node.parent_id) if node.parent_id else None
        return parent if parent is not None and parent.kind == IndicatorKind.category else None

    def category_of(self, node: SchemeNode) -> str:
        parent = self.parent_of(node)
        return parent.code if parent is not None else node.code

    def _caps(self) -> tuple[dict[str, Decimal], dict[str, Decimal], dict[str, Decimal],
                             dict[str, str], Decimal | None]:
        credit: dict[str, Decimal] = {}
        deduction: dict[str, Decimal] = {}
        indicator: dict[str, Decimal] = {}
        labels: dict[str, str] = {}
        conduct_parents: dict[str, Decimal | None] = {}
        for node in self.nodes:
            parent = self.parent_of(node)
            if node.kind == IndicatorKind.conduct_standard:
                key = parent.code if parent else node.code
                conduct_parents[key] = parent.cap if parent else node.cap
                continue
            if node.kind not in (IndicatorKind.credit, IndicatorKind.deduction):
                continue
            caps = credit if node.kind == IndicatorKind.credit else deduction
            labels[node.code] = node.name
            if parent is None:
                caps[node.code] = node.cap if node.cap is not None else UNCAPPED
            else:
                labels[parent.code] = parent.name
                caps[parent.code] = parent.cap if parent.cap is not None else UNCAPPED
                if node.cap is not None:
                    indicator[node.code] = node.cap
        conduct_caps = list(conduct_parents.values())
        conduct_cap = (sum((c for c in conduct_caps if c is not None), Decimal(0))
                       if conduct_caps and all(c is not None for c in conduct_caps) else None)
        return credit, deduction, indicator, labels, conduct_cap


async def load_period_scheme(ctx: Context, period: Period) -> PeriodScheme:
    version = await pinned_version(ctx, period.id)
    if version is None:
        raise fail(ErrorCode.RULE_VIOLATION,
                   f"{period.name}尚未选定指标体系版本，请先发布指标体系并为本周期选定版本")
    nodes = await version_nodes(ctx, version.id)
    dimensions = await version_dimensions(ctx, version.id)
    letters: dict[uuid.UUID, set[str]] = defaultdict(set)
    for post_id, code in (await ctx.session.execute(
            select(ResponsibilityLetterLine.post_id, ResponsibilityLetterLine.indicator_code)
            .where(ResponsibilityLetterLine.scheme_id == version.scheme_id))).all():
        letters[post_id].add(code)
    config = await tenant_config(ctx)
    return PeriodScheme(period, version, nodes, dimensions,
                        {post: frozenset(codes) for post, codes in letters.items()},
                        config.rating)


@dataclass(frozen=True)
class NormalisedRating:
    """A rating the normalisation changed (``rules.calibration``), for the explanation."""

    rating: Rating  # as scored (the normalised value)
    given: Decimal  # the value the rater gave
    rater_label: str  # e.g. 同级评价人2 (raters stay anonymous to the person)
    indicator_name: str
    dimension_name: str
    applied: bool  # False: the rater gave too few ratings to be normalised


@dataclass(frozen=True)
class PersonScore:
    person: Person
    result: ScoreResult
    dimension_scores: tuple[tuple[str, Fraction], ...]  # (dimension code, 0..100), exact
    # Set only when the tenant normalises ratings (``calibration.normalize``).
    normalised: tuple[NormalisedRating, ...] | None = None


async def _ratings(ctx: Context, period_id: uuid.UUID
                   ) -> dict[uuid.UUID, list[tuple[RaterAssignment, RatingValue]]]:
    rows = (await ctx.session.execute(
        select(RaterAssignment, RatingValue)
        # the whole key, so the (tenant_id, assignment_id, ...) index serves the join
        .join(RatingValue, and_(RatingValue.tenant_id == RaterAssignment.tenant_id,
                                RatingValue.assignment_id == RaterAssignment.id))
        .where(RaterAssignment.period_id == period_id))).all()
    out: dict[uuid.UUID, list[tuple[RaterAssignment, RatingValue]]] = defaultdict(list)
    for assignment, value in rows:
        out[assignment.person_id].append((assignment, value))
    return out


async def scored_records(ctx: Context, scheme: PeriodScheme
                   ) -> dict[uuid.UUID, list[tuple[PointRecord, SchemeNode]]]:
    """Counted point records of the period, by person, each with the pinned version's node."""
    start, end = period_dates(scheme.period)
    rows = (await ctx.session.execute(
        select(PointRecord, SchemeNode)
        .join(SchemeNode, SchemeNode.id == PointRecord.node_id)
        .join(SchemeVersion, SchemeVersion.id == SchemeNode.version_id)
        .where(SchemeVersion.scheme_id == scheme.version.scheme_id,
               PointRecord.person_id.is_not(None),
               PointRecord.occurred_on >= start, PointRecord.occurred_on <= end)
        .order_by(PointRecord.occurred_on, PointRecord.id))).all()
    pinned = {n.code: n for n in scheme.nodes}
    out: dict[uuid.UUID, list[tuple[PointRecord, SchemeNode]]] = defaultdict(list)
    for record, own in rows:
        node = pinned.get(own.code)
        if node is None or record.person_id is None or not record_counts(
                occurred_on=record.occurred_on, effective_from=own.effective_from,
                status=record.status, needs_confirmation=own.needs_confirmation):
            continue
        out[record.person_id].append((record, node))
    return out


def score_person(scheme: PeriodScheme, person: Person,
                 ratings: Sequence[tuple[RaterAssignment, RatingValue]],
                 records: Sequence[tuple[PointRecord, SchemeNode]],
                 normaliser: Normaliser | None = None) -> PersonScore:
    """``normaliser``: the period's normalisation when the tenant normalises ratings."""
    scoring = scheme.scoring_scheme(person)
    codes = {i.code for i in scoring.indicators}
    by_id = scheme.node_by_id()
    inputs: list[Rating] = []
    normalised: list[NormalisedRating] = []
    numbers: dict[tuple[str, str], int] = {}
    for assignment, value in sorted(ratings, key=lambda r: (r[0].role, str(r[0].rater_id))):
        node = by_id.get(value.node_id)
        # Values the settings no longer ask for (e.g. a letter changed) are left out.
        if node is None or node.code not in codes or \
                assignment.role not in scoring.roles_of(value.dimension) or \
                value.dimension not in scoring.dimension_weights:
            continue
        rater = str(assignment.rater_id)
        scored: Decimal | Fraction = value.value
        applied = normaliser is not None and normaliser.applies_to(rater, assignment.role)
        if normaliser is not None and applied:
            scored = normaliser.value(rater, assignment.role, value.value)
        rating = Rating(assignment.role, rater, node.code, value.dimension, scored)
        inputs.append(rating)
        if normaliser is not None:
            key = (assignment.role, rater)
            number = numbers.setdefault(
                key, 1 + sum(1 for role, _ in numbers if role == assignment.role))
            normalised.append(NormalisedRating(
                rating, value.value,
                f"{RATER_ROLE_LABELS.get(assignment.role, assignment.role)}评价人{number}",
                node.name, scoring.dimension_label(value.dimension), applied))
    credits: list[PointItem] = []
    deductions: list[PointItem] = []
    conduct: list[ConductFinding] = []
    for record, node in records:
        if node.kind == IndicatorKind.conduct_standard:
            conduct.append(ConductFinding(str(record.id), node.name, record.points, node.serious,
                                          record.reason))
        elif node.kind in (IndicatorKind.credit, IndicatorKind.deduction):
            item = PointItem(str(record.id), scheme.category_of(node), record.points,
                             record.reason, node.code)
            (credits if node.kind == IndicatorKind.credit else deductions).append(item)
    try:
        result = compute_score(scoring, inputs, credits, deductions, conduct,
                               person_id=str(person.id))
        dimension_scores = _dimension_scores(scoring, inputs)
    except RuleError as exc:
        raise fail(ErrorCode.INVALID, f"{person.name}的得分无法计算：{exc}") from exc
    return PersonScore(person, result, dimension_scores,
                       tuple(normalised) if normaliser is not None else None)


def _dimension_scores(scoring: ScoringScheme, ratings: Sequence[Rating]
                      ) -> tuple[tuple[str, Fraction], ...]:
    """Per dimension: the ratings of that dimension alone, weighted as for the score, 0..100."""
    out = []
    for dimension in scoring.dimension_weights:
        mine = [r for r in ratings if r.dimension == dimension]
        if not mine:
            continue
        roles = scoring.dimension_roles.get(dimension)
        alone = replace(scoring, dimension_weights={dimension: 100}, rated_points=Decimal(100),
                        indicators=tuple(replace(i, dimension_weights=None)
                                         for i in scoring.indicators),
                        dimension_roles={dimension: roles} if roles is not None else {},
                        credit_caps={}, deduction_caps={}, indicator_caps={})
        out.append((dimension, compute_score(alone, mine).exact_rated))
    return tuple(out)


async def score_period(ctx: Context, scheme: PeriodScheme,
                       people: Sequence[Person]) -> list[PersonScore]:
    """Scores of the given people (no authorization: the calling use case checked it)."""
    ratings = await _ratings(ctx, scheme.period.id)
    records = await scored_records(ctx, scheme)
    calibration = (await tenant_config(ctx)).calibration
    normalise = (period_normaliser(ratings.values(), calibration.min_ratings)
                 if calibration.normalize else None)
    return [score_person(scheme, p, ratings.get(p.id, []), records.get(p.id, []), normalise)
            for p in people]


def given_ratings(ratings: Iterable[Sequence[tuple[RaterAssignment, RatingValue]]]
                  ) -> list[GivenRating]:
    """Every stored value of the period, as the calibration reads it (one per value)."""
    return [GivenRating(str(assignment.rater_id), assignment.role, value.value)
            for per_person in ratings for assignment, value in per_person]


def period_normaliser(ratings: Iterable[Sequence[tuple[RaterAssignment, RatingValue]]],
                      min_ratings: int) -> Normaliser:
    try:
        return normaliser(given_ratings(ratings), min_ratings=min_ratings)
    except RuleError as exc:
        raise fail(ErrorCode.INVALID, f"评分校准无法计算：{exc}") from exc


async def period_ratings(ctx: Context, period_id: uuid.UUID
                         ) -> dict[uuid.UUID, list[tuple[RaterAssignment, RatingValue]]]:
    """The period's ratings by rated person (no authorization: the caller checked it)."""
    return await _ratings(ctx, period_id)
