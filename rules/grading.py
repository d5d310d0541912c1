"""Quarterly grade proposal (平时考核等次) and the review (综合研判) check.

Definitions (tenant settings in ``GradingPolicy``; the defaults are stated there):

* n is the number of persons appraised together (one ranking: the tenant or a comparison group).
* Top half (入围择优): the first ``max(1, floor(n * shortlist_share))`` places of the ranking's
  display order (``rules.ranking``: equal scores ordered by the configured tie-break steps). So
  with n = 10 the top half is the first 5 places; the review may still give 好 to anyone whose
  competition rank is within that cutoff (it decides ties at the line).
* Quota of 好: ``max(1, floor(n * good_quota_share))`` (rounding and "at least one" configurable),
  handed out in display order to people in the top half whom no cap keeps below 好.
* Caps: a serious conduct breach caps the grade (default at 一般); score bands cap it by score
  (a band ``(threshold, grade)`` applies when score < threshold; the lowest matching band wins).
  Default bands (provincial practice): 好 >= 90, 较好 80-89.99, 一般 60-79.99, 较差 < 60. Caps
  only lower a grade, never raise it.
* Everyone else gets the default grade (较好) or their band's grade. Optional maximum shares for
  较好 and 一般 (``max(1, floor(n * share))`` each) move the overflow, in display order, one
  grade down; 较差 has no limit.
* Ties across a line: a tie is a run of equal scores (settlement ``review``, the default) or of
  entries the configured tie-break steps cannot tell apart (``automatic``). When a line (the 好
  quota, the top half, a limited grade's quota) cuts a tie so that people wanting the same grade
  get different ones, each of them is flagged "并列跨线，须研判" (``GradeProposal.tie_review``):
  the proposal keeps the display order, and the review must decide each with a reason. Under
  ``automatic`` the configured order decides, and the reasons name the step that decided.
* Every proposal states the rule that decided it (``vocab.ties.GradeRule``) in its reasons.

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
from rules.ranking import DEFAULT_TIE_KEYS, RankedEntry, deciding_key, tie_groups
from vocab.grades import QuarterlyGrade
from vocab.ties import GradeRule, TieKey, TieSettlement

__all__ = [
    "DEFAULT_SCORE_BANDS",
    "GRADE_ORDER",
    "TIE_FLAG",
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


# Provincial practice: 好 >= 90, 较好 80-89.99, 一般 60-79.99, 较差 < 60 (as caps).
DEFAULT_SCORE_BANDS: tuple[tuple[Decimal, QuarterlyGrade], ...] = (
    (Decimal(60), QuarterlyGrade.poor),
    (Decimal(80), QuarterlyGrade.average),
    (Decimal(90), QuarterlyGrade.fairly_good),
)
TIE_FLAG = "并列跨线，须研判"


@dataclass(frozen=True)
class GradingPolicy:
    good_quota_share: Decimal = Decimal("0.40")
    good_quota_rounding: QuotaRounding = QuotaRounding.floor
    good_quota_at_least_one: bool = True
    shortlist_share: Decimal = Decimal("0.50")
    breach_cap: QuarterlyGrade = QuarterlyGrade.average
    # ((threshold, grade), ...): score < threshold caps at grade; thresholds ascending.
    score_bands: tuple[tuple[Decimal, QuarterlyGrade], ...] = DEFAULT_SCORE_BANDS
    default_grade: QuarterlyGrade = QuarterlyGrade.fairly_good
    # Optional limits for 较好 and 一般 (好 has its own quota; 较差 takes the overflow).
    max_shares: Mapping[QuarterlyGrade, Decimal] = field(default_factory=dict)
    # How a tie cut by a line is settled, and the tie-break steps the ranking used.
    tie_settlement: TieSettlement = TieSettlement.review
    tie_keys: tuple[TieKey, ...] = DEFAULT_TIE_KEYS

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
    rule: GradeRule = GradeRule.quota  # the rule that decided the grade
    tie_review: bool = False  # 并列跨线，须研判: the review must decide this grade


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
            or (entry.tied_with_previous and (previous is None or previous.score != entry.score))
        ):
            raise RuleError("排名数据不一致，请按同一范围重新排名后再评定等次")
    return ordered


def _top_half_text(entry: RankedEntry, cutoff: int, share: Decimal) -> str:
    where = "位于" if entry.rank <= cutoff else "未进入"
    return f"得分排名第{entry.rank}名，{where}前{percent_text(share)}（前{cutoff}名）"


def _place_text(entry: RankedEntry, cutoff: int, share: Decimal) -> str:
    """Where the person stands against the top half, by display place (ties ordered)."""
    if entry.rank == entry.position or (entry.rank > cutoff) == (entry.position > cutoff):
        return _top_half_text(entry, cutoff, share)
    where = "位于" if entry.position <= cutoff else "未进入"
    return (f"得分排名第{entry.rank}名（同分并列，按并列顺序排第{entry.position}位），"
            f"{where}前{percent_text(share)}（前{cutoff}名）")


@dataclass
class _Walk:
    """One person's way through the proposal, for the tie check after the walk."""

    entry: RankedEntry
    want: QuarterlyGrade  # the grade before any line (quota, top half) applied
    grade: QuarterlyGrade
    in_top_half: bool
    room: bool  # a place of 好 was still free when the walk reached this person
    rule: GradeRule
    reasons: list[str]


def _cut(members: Sequence[_Walk]) -> tuple[str, list[_Walk]] | None:
    """The line that cuts a tie and the people it separates, if it changes their grades."""
    for want in GRADE_ORDER:
        alike = [m for m in members if m.want is want]
        # The top-half line: someone of the tie holds a place inside while a contender outside
        # misses 好 with the quota still open (even when the one inside is capped).
        inside = any(m.in_top_half for m in members)
        outside_with_room = [m for m in alike if not m.in_top_half and m.room]
        if want is QuarterlyGrade.good and inside and outside_with_room and len(members) > 1:
            return "前50%线", alike
        if len({m.grade for m in alike}) > 1:
            if any(m.rule is GradeRule.top_half for m in alike):
                return "前50%线", alike
            return f"{want.label}等次名额线", alike
    return None


def _settle_ties(walks: Sequence[_Walk], policy: GradingPolicy) -> set[str]:
    """Flag the people a line cuts out of a tie; under automatic, say which step decided."""
    by_id = {w.entry.person_id: w for w in walks}
    entries = [w.entry for w in walks]
    score_runs: list[list[_Walk]] = []
    for w in walks:
        if score_runs and score_runs[-1][0].entry.score == w.entry.score:
            score_runs[-1].append(w)
        else:
            score_runs.append([w])
    if policy.tie_settlement is TieSettlement.review:
        ties = score_runs
    else:
        ties = [[by_id[e.person_id] for e in run] for run in tie_groups(entries)]
    flagged: set[str] = set()
    for tie in ties:
        found = _cut(tie)
        if found is None:
            continue
        line, people = found
        for w in people:
            others = "、".join(_who(o.entry) for o in tie if o is not w)
            w.reasons.append(f"{TIE_FLAG}：与{others}同分并列，{line}落在并列人员之间，"
                             "须经综合研判逐一决定并说明理由")
            w.rule = GradeRule.tie
            flagged.add(w.entry.person_id)
    if policy.tie_settlement is TieSettlement.automatic:
        order = "、".join(key.label for key in policy.tie_keys) or "无"
        for run in score_runs:
            found = _cut(run)
            if found is None:
                continue
            line, people = found
            for w in people:
                if w.entry.person_id in flagged:
                    continue
                rest = [o for o in run if o is not w]
                keys = {deciding_key(w.entry, o.entry, policy.tie_keys) for o in rest}
                steps = "、".join(k.label for k in policy.tie_keys if k in keys)
                w.reasons.append(
                    f"与{'、'.join(_who(o.entry) for o in rest)}同分并列，{line}落在其间；"
                    f"按设置的并列顺序（{order}）由“{steps}”决定，"
                    f"本人（{_who(w.entry)}）排第{w.entry.position}位，"
                    f"拟定为{w.grade.label}")
    return flagged


def _who(entry: RankedEntry) -> str:
    return f"人员编号{entry.employee_no}" if entry.employee_no else f"人员「{entry.person_id}」"


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
    walks: list[_Walk] = []
    department_used: Counter[str] = Counter()
    for entry in ordered:
        in_top_half = entry.position <= cutoff
        room = counts[QuarterlyGrade.good] < limits[QuarterlyGrade.good]
        ceiling, causes = policy.ceiling(entry.score, breaches.get(entry.person_id, False))
        reasons = [_place_text(entry, cutoff, policy.shortlist_share)]
        reasons += [cap.text for cap in causes]
        grade = _worse(policy.default_grade, ceiling)
        want = QuarterlyGrade.good if ceiling is QuarterlyGrade.good else grade
        rule = GradeRule.quota
        if ceiling is not QuarterlyGrade.good:
            binding = [c for c in causes if c.grade is ceiling]  # conduct first, then bands
            rule = (GradeRule.conduct_cap if binding[0].code is ViolationCode.conduct_breach_cap
                    else GradeRule.band)
        elif not in_top_half:
            reasons.append("未入围，不能评为好")
            rule = GradeRule.top_half
        elif room:
            refusal = (good_places.claim(entry.person_id, department_used)
                       if good_places is not None else None)
            if refusal is None:
                grade = QuarterlyGrade.good
            else:  # the unit has room, the person's department has used its places
                reasons.append(refusal)
        else:
            used, limit = counts[QuarterlyGrade.good], limits[QuarterlyGrade.good]
            reasons.append(f"好等次名额已满（{used}/{limit}）")
        # Overflow of a limited grade moves one grade down, in display order.
        # (好 never overflows here: it was only given while the quota had room.)
        while grade in limits and counts[grade] >= limits[grade]:
            lower = GRADE_ORDER[_INDEX[grade] + 1]
            reasons.append(
                f"{grade.label}等次名额已满（{counts[grade]}/{limits[grade]}），顺延为{lower.label}"
            )
            grade, rule = lower, GradeRule.quota
        counts[grade] += 1
        if grade is QuarterlyGrade.good:
            reasons.append(f"占用好等次名额（{counts[grade]}/{limits[grade]}）")
        walks.append(_Walk(entry, want, grade, in_top_half, room, rule, reasons))
    flagged = _settle_ties(walks, policy)
    proposals = tuple(
        GradeProposal(
            w.entry.person_id, w.grade,
            (*w.reasons, f"决定规则：{w.rule.label}", f"拟定等次：{w.grade.label}"),
            w.entry.rank, w.entry.position, w.in_top_half, w.rule,
            w.entry.person_id in flagged)
        for w in walks)
    return QuarterlyProposal(proposals, n, cutoff, limits[QuarterlyGrade.good])


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
