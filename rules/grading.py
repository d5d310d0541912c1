"""Quarterly grade proposal (平时考核等次) and the review (综合研判) check.

Definitions (tenant settings in ``GradingPolicy``; the defaults are stated there):

* n is the number of persons appraised together (one ranking: the tenant or a comparison group).
* Top half (入围择优): a person is in the top half iff
  ``rank <= max(1, floor(n * shortlist_share))`` where ``rank`` is the competition rank of
  ``rules.ranking``. So with n = 10 the top half is the
  first 5 ranks, and five people tied on rank 5 are all in it.
* Quota of 好: ``max(1, floor(n * good_quota_share))`` (rounding and "at least one" configurable).
  When tied persons straddle the quota, the ranking's display order (its tie-break key) decides.
* Caps: a serious conduct breach caps the grade (default at 一般); optional score bands cap it by
  score (a band ``(threshold, grade)`` applies when score < threshold; the lowest matching band
  wins). Caps only lower a grade, never raise it.
* Everyone else gets the default grade (较好). Optional maximum shares for 较好 and 一般
  (``max(1, floor(n * share))`` each) move the overflow, in display order, one grade down;
  较差 has no limit.

The proposal walks the ranking in display order, so it depends on nothing but its inputs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum

from rules.department_quota import DepartmentPlaces
from rules.errors import RuleError
from rules.ranking import RankedEntry
from vocab.grades import QuarterlyGrade

__all__ = [
    "GRADE_ORDER",
    "Cap",
    "GradeProposal",
    "GradingPolicy",
    "QuarterlyProposal",
    "QuotaRounding",
    "RuleViolation",
    "ViolationCode",
    "check_ranking",
    "check_review_change",
    "percent_text",
    "propose_quarterly_grades",
    "quota",
    "shortlist_cutoff",
]


GRADE_ORDER: tuple[QuarterlyGrade, ...] = tuple(QuarterlyGrade)  # best first
_INDEX = {grade: index for index, grade in enumerate(GRADE_ORDER)}


def _worse(a: QuarterlyGrade, b: QuarterlyGrade) -> QuarterlyGrade:
    return a if _INDEX[a] >= _INDEX[b] else b


def _better_than(a: QuarterlyGrade, b: QuarterlyGrade) -> bool:
    return _INDEX[a] < _INDEX[b]


class QuotaRounding(StrEnum):
    floor = "floor"
    half_up = "half_up"
    ceil = "ceil"


_QUOTA_MODES = {
    QuotaRounding.floor: ROUND_FLOOR,
    QuotaRounding.half_up: ROUND_HALF_UP,
    QuotaRounding.ceil: ROUND_CEILING,
}


def quota(n: int, share: Decimal, rounding: QuotaRounding, *, at_least_one: bool = True) -> int:
    """How many of n may get a grade limited to ``share`` of those appraised."""
    if n <= 0:
        return 0
    count = int((Decimal(n) * share).quantize(Decimal(1), _QUOTA_MODES[rounding]))
    return max(1, count) if at_least_one else count


def shortlist_cutoff(n: int, share: Decimal) -> int:
    """The worst competition rank still in the top half: ``max(1, floor(n * share))``."""
    return quota(n, share, QuotaRounding.floor, at_least_one=True)


def percent_text(share: Decimal) -> str:
    return f"{(share * 100).normalize():f}%"


def _check_share(share: Decimal, what: str) -> None:
    if not share.is_finite() or not Decimal(0) <= share <= Decimal(1):
        raise RuleError(f"{what}比例应在0到1之间，当前为{share}")


@dataclass(frozen=True)
class GradingPolicy:
    good_quota_share: Decimal = Decimal("0.40")
    good_quota_rounding: QuotaRounding = QuotaRounding.floor
    good_quota_at_least_one: bool = True
    shortlist_share: Decimal = Decimal("0.50")
    breach_cap: QuarterlyGrade = QuarterlyGrade.average
    # ((threshold, grade), ...): score < threshold caps at grade; thresholds ascending.
    score_bands: tuple[tuple[Decimal, QuarterlyGrade], ...] = ()
    default_grade: QuarterlyGrade = QuarterlyGrade.fairly_good
    # Optional limits for 较好 and 一般 (好 has its own quota; 较差 takes the overflow).
    max_shares: Mapping[QuarterlyGrade, Decimal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_share(self.good_quota_share, "好等次名额")
        _check_share(self.shortlist_share, "入围择优")
        if self.default_grade is QuarterlyGrade.good:
            raise RuleError("默认等次不能为好（好等次须入围择优并受名额限制）")
        thresholds = [threshold for threshold, _ in self.score_bands]
        if any(not t.is_finite() for t in thresholds) or thresholds != sorted(set(thresholds)):
            raise RuleError("分数段的分数线须为有效数值且从低到高排列、不得重复")
        grades = [grade for _, grade in self.score_bands]
        if any(_better_than(grades[i], grades[i + 1]) for i in range(len(grades) - 1)):
            raise RuleError("分数段等次须随分数线升高而不降低")
        for grade, share in self.max_shares.items():
            if grade not in (QuarterlyGrade.fairly_good, QuarterlyGrade.average):
                raise RuleError(f"只能为较好、一般设置比例上限，不能为{grade.label}设置")
            _check_share(share, f"{grade.label}等次上限")

    def good_quota(self, n: int) -> int:
        share, rounding = self.good_quota_share, self.good_quota_rounding
        return quota(n, share, rounding, at_least_one=self.good_quota_at_least_one)

    def limits(self, n: int) -> dict[QuarterlyGrade, int]:
        """Maximum count per limited grade for n appraised."""
        result = {
            grade: quota(n, share, QuotaRounding.floor) for grade, share in self.max_shares.items()
        }
        result[QuarterlyGrade.good] = self.good_quota(n)
        return result

    def ceiling(
        self, score: Decimal, serious_breach: bool
    ) -> tuple[QuarterlyGrade, tuple[Cap, ...]]:
        """The best grade the caps allow, and each cap that applies."""
        caps: list[Cap] = []
        if serious_breach and self.breach_cap is not QuarterlyGrade.good:
            text = f"存在严重政治素质负面清单问题，等次最高为{self.breach_cap.label}"
            caps.append(Cap(ViolationCode.conduct_breach_cap, self.breach_cap, text))
        for threshold, grade in self.score_bands:
            if score < threshold:
                text = f"得分 {score:f} 低于 {threshold:f} 分，等次最高为{grade.label}"
                caps.append(Cap(ViolationCode.score_band, grade, text))
                break
        best = QuarterlyGrade.good
        for cap in caps:
            best = _worse(best, cap.grade)
        return best, tuple(caps)


class ViolationCode(StrEnum):
    quota_exceeded = "quota_exceeded"
    outside_top_half = "outside_top_half"
    conduct_breach_cap = "conduct_breach_cap"
    score_band = "score_band"
    not_eligible = "not_eligible"
    poor_quarter = "poor_quarter"
    not_graded_mismatch = "not_graded_mismatch"


@dataclass(frozen=True)
class RuleViolation:
    code: ViolationCode
    message: str


@dataclass(frozen=True)
class Cap:
    """A limit on the best grade a person may get (conduct breach or score band)."""

    code: ViolationCode
    grade: QuarterlyGrade
    text: str


@dataclass(frozen=True)
class GradeProposal:
    person_id: str
    grade: QuarterlyGrade
    reasons: tuple[str, ...]
    rank: int
    position: int
    in_top_half: bool


@dataclass(frozen=True)
class QuarterlyProposal:
    proposals: tuple[GradeProposal, ...]  # in ranking display order
    appraised: int
    shortlist_cutoff: int
    good_quota: int

    def grades(self) -> dict[str, QuarterlyGrade]:
        return {p.person_id: p.grade for p in self.proposals}


def check_ranking(entries: Sequence[RankedEntry]) -> tuple[RankedEntry, ...]:
    """The entries in display order, refused unless they are one competition ranking."""
    ordered = tuple(sorted(entries, key=lambda e: e.position))
    if len({e.person_id for e in ordered}) != len(ordered):
        raise RuleError("排名名单中有重复人员")
    for index, entry in enumerate(ordered):
        previous = ordered[index - 1] if index else None
        expected_rank = (
            previous.rank if previous is not None and previous.score == entry.score else index + 1
        )
        if (
            entry.position != index + 1
            or entry.rank != expected_rank
            or (previous is not None and previous.score < entry.score)
        ):
            raise RuleError("排名数据不一致，请按同一范围重新排名后再评定等次")
    return ordered


def _top_half_text(entry: RankedEntry, cutoff: int, share: Decimal) -> str:
    where = "位于" if entry.rank <= cutoff else "未进入"
    return f"得分排名第{entry.rank}名，{where}前{percent_text(share)}（前{cutoff}名）"


def propose_quarterly_grades(
    entries: Sequence[RankedEntry],
    serious_breach: Mapping[str, bool] | None = None,
    policy: GradingPolicy | None = None,
    good_places: DepartmentPlaces | None = None,
) -> QuarterlyProposal:
    """Propose a grade for every ranked person, with the reasons a person reads.

    ``serious_breach`` maps person id to the scoring flag; absent ids count as no breach and ids
    outside the ranking are ignored (a tenant-wide map may be passed for a group).
    ``good_places`` (``rules.department_quota``): 好 also needs a place of the person's
    department, when the tenant allocates the quota to departments.
    """
    policy = policy or GradingPolicy()
    breaches = serious_breach or {}
    ordered = check_ranking(entries)
    n = len(ordered)
    cutoff = shortlist_cutoff(n, policy.shortlist_share)
    limits = policy.limits(n)
    counts: Counter[QuarterlyGrade] = Counter()
    good_ranks: set[int] = set()
    department_used: Counter[str] = Counter()
    proposals: list[GradeProposal] = []
    for entry in ordered:
        in_top_half = entry.rank <= cutoff
        ceiling, causes = policy.ceiling(entry.score, breaches.get(entry.person_id, False))
        reasons = [_top_half_text(entry, cutoff, policy.shortlist_share)]
        reasons += [cap.text for cap in causes]
        grade = _worse(policy.default_grade, ceiling)
        if in_top_half and ceiling is QuarterlyGrade.good:
            if counts[QuarterlyGrade.good] < limits[QuarterlyGrade.good]:
                refusal = good_places.claim(entry.person_id, department_used) if (
                    good_places is not None) else None
                if refusal is None:
                    grade = QuarterlyGrade.good
                else:
                    reasons.append(refusal)
            else:
                used, limit = counts[QuarterlyGrade.good], limits[QuarterlyGrade.good]
                full = f"好等次名额已满（{used}/{limit}）"
                if entry.rank in good_ranks:
                    full += "，同分人员按评价得分高、减分少、人员编号的顺序确定"
                reasons.append(full)
        elif not in_top_half:
            reasons.append("未入围，不能评为好")
        # Overflow of a limited grade moves one grade down, in display order.
        # (好 never overflows here: it was only given while the quota had room.)
        while grade in limits and counts[grade] >= limits[grade]:
            lower = GRADE_ORDER[_INDEX[grade] + 1]
            reasons.append(
                f"{grade.label}等次名额已满（{counts[grade]}/{limits[grade]}），顺延为{lower.label}"
            )
            grade = lower
        counts[grade] += 1
        if grade is QuarterlyGrade.good:
            good_ranks.add(entry.rank)
            reasons.append(f"占用好等次名额（{counts[grade]}/{limits[grade]}）")
        reasons.append(f"拟定等次：{grade.label}")
        proposals.append(
            GradeProposal(
                entry.person_id, grade, tuple(reasons), entry.rank, entry.position, in_top_half
            )
        )
    return QuarterlyProposal(tuple(proposals), n, cutoff, limits[QuarterlyGrade.good])


def check_review_change(
    current: Mapping[str, QuarterlyGrade],
    entries: Sequence[RankedEntry],
    person_id: str,
    new_grade: QuarterlyGrade,
    *,
    serious_breach: Mapping[str, bool] | None = None,
    policy: GradingPolicy | None = None,
) -> tuple[RuleViolation, ...]:
    """The rules a review change of one person's grade would break; empty when it is allowed.

    ``current`` holds the grade of every ranked person before the change. The review refuses a
    change with violations unless an override with a reason is given.
    """
    policy = policy or GradingPolicy()
    ordered = check_ranking(entries)
    by_id = {entry.person_id: entry for entry in ordered}
    if person_id not in by_id:
        raise RuleError(f"人员「{person_id}」不在本次排名中")
    if set(current) != set(by_id):
        raise RuleError("现有等次名单与排名名单不一致")
    n = len(ordered)
    entry = by_id[person_id]
    after = {**current, person_id: new_grade}
    violations: list[RuleViolation] = []
    limit = policy.limits(n).get(new_grade)
    count = sum(1 for grade in after.values() if grade is new_grade)
    if limit is not None and count > limit:
        violations.append(
            RuleViolation(
                ViolationCode.quota_exceeded,
                f"{new_grade.label}等次名额已满：调整后为{count}名，上限为{limit}名",
            )
        )
    cutoff = shortlist_cutoff(n, policy.shortlist_share)
    if new_grade is QuarterlyGrade.good and entry.rank > cutoff:
        violations.append(
            RuleViolation(
                ViolationCode.outside_top_half,
                f"{_top_half_text(entry, cutoff, policy.shortlist_share)}，不能评为好",
            )
        )
    ceiling, causes = policy.ceiling(entry.score, (serious_breach or {}).get(person_id, False))
    if _better_than(new_grade, ceiling):
        violations += [
            RuleViolation(cap.code, f"{cap.text}，不能调整为{new_grade.label}")
            for cap in causes
            if _better_than(new_grade, cap.grade)
        ]
    return tuple(violations)
