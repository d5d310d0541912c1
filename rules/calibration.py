"""Calibration (校准): grade distributions per department and raters' leniency, before grades are
confirmed; and the optional normalisation of each rater's ratings.

**A rating** here is one value a rater gave (one indicator and dimension of one person, 0..100),
as stored; every value counts once.

**Per rater** (a rater with two rater roles is two rows: the roles are compared apart): the
number of ratings, their mean and their standard deviation (population: divided by the count).
The rater is compared with **the unit's ratings of the same rater role** (all values given by
raters of that role in the period, the rater's own included): department heads are compared with
department heads, peers with peers, because the roles' scales differ by design (a peer rating is
not a department head's). The distance is

    z = (rater mean - unit mean) / unit standard deviation

and the rater is flagged 宽松 (lenient) when ``z > flag_z`` and 严格 (strict) when
``z < -flag_z`` (tenant setting ``calibration.flag_z``, default 1.0, in unit standard
deviations; strictly beyond, so a rater exactly at the distance is not flagged). When the unit's
deviation is 0 (everybody gave the same values) nobody is flagged. A rater with fewer than
``calibration.min_ratings`` ratings (default 3) is not judged (评价过少). The comparison is exact:
``(rater mean - unit mean)^2 > flag_z^2 x unit variance`` with the sign of the difference, so no
square root is rounded before deciding. Shifting or scaling (by a positive factor) every rating
leaves every flag unchanged.

**Per department**: the counts of the grades in force (confirmed grade, else the proposal) of
its appraised people, one count per grade of the period's scale (zeros included, summing to the
department's people), its share of each grade beside the unit's share, and the department's
quota of the top grade (好 for a quarter, 优秀 for the year) given by the caller; "over quota"
when more people hold the top grade than the quota.

**Normalisation** (tenant setting ``calibration.normalize``, off by default): before the ratings
are combined into a score (``rules.score``), each value ``x`` of a rater (in one rater role)
becomes

    x' = unit mean + (x - rater mean) x unit sd / rater sd

with the unit's mean and standard deviation of that rater role (as above); when the rater's
deviation is 0 (all their values equal) ``x' = unit mean + (x - rater mean)`` (= the unit mean).
Raters with fewer than ``calibration.min_ratings`` ratings are left as they are. ``x'`` is kept
inside 0..100 (a value beyond is set to the bound). Values stay exact (``Fraction``) until the
score's one final rounding; the factor ``unit sd / rater sd = sqrt(unit variance / rater
variance)`` is exact when that square root is rational, else computed to 60 significant digits
(an error below 1e-50 points, never visible after rounding to at most 6 places).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from math import isqrt

from rules.errors import RuleError
from vocab.calibration import RaterTendency

__all__ = [
    "DepartmentDistribution",
    "GivenRating",
    "Normaliser",
    "RaterCalibration",
    "Spread",
    "department_distributions",
    "grade_counts",
    "normaliser",
    "rater_calibration",
    "spread",
    "square_root",
]

PRECISION = 60
ZERO, HUNDRED = Fraction(0), Fraction(100)


@dataclass(frozen=True)
class GivenRating:
    """One value a rater gave, in one rater role."""

    rater_id: str
    role: str
    value: Decimal | Fraction


@dataclass(frozen=True)
class Spread:
    """Count, mean and population variance of some values, exact."""

    count: int
    mean: Fraction
    variance: Fraction

    @property
    def deviation(self) -> Fraction:
        """The standard deviation (``square_root`` of the variance)."""
        return square_root(self.variance)


def spread(values: Iterable[Decimal | Fraction]) -> Spread:
    exact = [Fraction(v) for v in values]
    if not exact:
        raise RuleError("没有评分，无法计算平均分和标准差")
    mean = sum(exact, ZERO) / len(exact)
    variance = sum(((v - mean) ** 2 for v in exact), ZERO) / len(exact)
    return Spread(len(exact), mean, variance)


def square_root(value: Fraction) -> Fraction:
    """The square root, exact when rational, else to ``PRECISION`` significant digits."""
    if value < 0:
        raise RuleError("负数不能开平方")
    top, bottom = isqrt(value.numerator), isqrt(value.denominator)
    if top * top == value.numerator and bottom * bottom == value.denominator:
        return Fraction(top, bottom)
    with localcontext(prec=PRECISION):
        root = (Decimal(value.numerator) / Decimal(value.denominator)).sqrt()
    return Fraction(root)


def _check(ratings: Sequence[GivenRating], min_ratings: int) -> None:
    if min_ratings < 1:
        raise RuleError("参与校准的最少评分数须至少为1")
    for rating in ratings:
        if isinstance(rating.value, Decimal) and not rating.value.is_finite():
            raise RuleError("评分不是有效数值")


def _by_role(ratings: Sequence[GivenRating]
             ) -> tuple[dict[str, list[Fraction]], dict[tuple[str, str], list[Fraction]]]:
    roles: dict[str, list[Fraction]] = defaultdict(list)
    raters: dict[tuple[str, str], list[Fraction]] = defaultdict(list)
    for rating in ratings:
        value = Fraction(rating.value)
        roles[rating.role].append(value)
        raters[(rating.rater_id, rating.role)].append(value)
    return roles, raters


@dataclass(frozen=True)
class RaterCalibration:
    """One rater in one rater role against the unit's ratings of that role."""

    rater_id: str
    role: str
    own: Spread
    unit: Spread
    tendency: RaterTendency

    @property
    def difference(self) -> Fraction:
        """Rater mean minus unit mean, in points."""
        return self.own.mean - self.unit.mean

    @property
    def z(self) -> Fraction | None:
        """The difference in unit standard deviations (None when the unit's deviation is 0)."""
        if self.unit.variance == 0:
            return None
        return self.difference / self.unit.deviation


def _tendency(own: Spread, unit: Spread, flag_z: Fraction, min_ratings: int) -> RaterTendency:
    if own.count < min_ratings:
        return RaterTendency.too_few
    difference = own.mean - unit.mean
    if unit.variance == 0 or difference * difference <= flag_z * flag_z * unit.variance:
        return RaterTendency.typical
    return RaterTendency.lenient if difference > 0 else RaterTendency.strict


def rater_calibration(ratings: Iterable[GivenRating], *, flag_z: Decimal | Fraction,
                      min_ratings: int) -> list[RaterCalibration]:
    """Every rater (per rater role) with their tendency, ordered by role, then rater id."""
    given = tuple(ratings)
    _check(given, min_ratings)
    if (isinstance(flag_z, Decimal) and not flag_z.is_finite()) or flag_z < 0:
        raise RuleError("宽严判断的距离须为非负数")
    distance = Fraction(flag_z)
    roles, raters = _by_role(given)
    units = {role: spread(values) for role, values in roles.items()}
    out = []
    for (rater, role) in sorted(raters, key=lambda k: (k[1], k[0])):
        own = spread(raters[(rater, role)])
        out.append(RaterCalibration(rater, role, own, units[role],
                                    _tendency(own, units[role], distance, min_ratings)))
    return out


@dataclass(frozen=True)
class Normaliser:
    """The normalisation of one period's ratings (see the module doc)."""

    units: Mapping[str, Spread]  # role -> the unit's ratings of that role
    raters: Mapping[tuple[str, str], Spread]  # (rater, role) -> the rater's ratings
    factors: Mapping[tuple[str, str], Fraction]  # unit sd / rater sd (1 when rater sd is 0)
    min_ratings: int

    def applies_to(self, rater_id: str, role: str) -> bool:
        own = self.raters.get((rater_id, role))
        return own is not None and own.count >= self.min_ratings

    def value(self, rater_id: str, role: str, value: Decimal | Fraction) -> Fraction:
        """``value`` normalised (as it is for a rater with too few ratings, or unknown)."""
        exact = Fraction(value)
        if not self.applies_to(rater_id, role):
            return exact
        own, unit = self.raters[(rater_id, role)], self.units[role]
        moved = unit.mean + (exact - own.mean) * self.factors[(rater_id, role)]
        return min(max(moved, ZERO), HUNDRED)


def normaliser(ratings: Iterable[GivenRating], *, min_ratings: int) -> Normaliser:
    given = tuple(ratings)
    _check(given, min_ratings)
    roles, raters = _by_role(given)
    units = {role: spread(values) for role, values in roles.items()}
    spreads = {key: spread(values) for key, values in raters.items()}
    factors = {key: (Fraction(1) if own.variance == 0
                     else square_root(units[key[1]].variance / own.variance))
               for key, own in spreads.items()}
    return Normaliser(units, spreads, factors, min_ratings)


def grade_counts(grades: Iterable[str], scale: Sequence[str]) -> dict[str, int]:
    """Count per grade of ``scale`` (in its order, zeros included); a grade not on the scale is
    refused, so the counts always sum to the number of grades given."""
    counted = Counter(grades)
    unknown = sorted(set(counted) - set(scale))
    if unknown:
        raise RuleError(f"等次「{'、'.join(unknown)}」不属于本周期的等次")
    return {grade: counted[grade] for grade in scale}


@dataclass(frozen=True)
class DepartmentDistribution:
    department_id: str
    headcount: int
    counts: Mapping[str, int]  # grade -> people, in the scale's order
    shares: Mapping[str, Fraction]  # grade -> counts / headcount
    unit_shares: Mapping[str, Fraction]  # grade -> the whole unit's share
    top_grade: str
    quota: int
    over_quota: bool


def department_distributions(grades: Mapping[str, Sequence[str]], quotas: Mapping[str, int],
                             scale: Sequence[str], top_grade: str
                             ) -> list[DepartmentDistribution]:
    """Per department id (in the order given): its grades in force against its quota of
    ``top_grade`` and against the whole unit (all departments given together)."""
    if top_grade not in scale:
        raise RuleError(f"等次「{top_grade}」不属于本周期的等次")
    everyone = [g for members in grades.values() for g in members]
    unit = grade_counts(everyone, scale)
    unit_shares = {g: Fraction(c, len(everyone)) if everyone else ZERO for g, c in unit.items()}
    out = []
    for department, members in grades.items():
        quota = quotas.get(department, 0)
        if quota < 0:
            raise RuleError("名额不能为负数")
        counts = grade_counts(members, scale)
        shares = {g: Fraction(c, len(members)) if members else ZERO for g, c in counts.items()}
        out.append(DepartmentDistribution(department, len(members), counts, shares, unit_shares,
                                          top_grade, quota, counts[top_grade] > quota))
    return out
