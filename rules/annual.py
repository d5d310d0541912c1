"""Annual grade proposal (年度考核等次) from the quarterly grades and the year's ranking.

Rules (tenant settings in ``AnnualPolicy``; defaults stated there), checked in this order:

1. A person flagged ``not_graded`` (e.g. joined late, long leave) gets 不定等次. Such persons are
   not "appraised": they count in no quota and are left out of the ranking (``ranking.restrict``),
   so n is the number of the others.
2. Optional (off by default): ``poor_quarters_for_incompetent`` quarters rated 较差 propose
   不称职, flagged ``needs_review``. Otherwise 不称职 is never proposed automatically.
3. A 较差 in any quarter blocks 称职 (and 优秀): propose 基本称职, flagged ``needs_review``.
4. 优秀 needs all of: eligible by the quarters (好 in more than half of the graded quarters and
   no 一般 or 较差), in the top half (``rank <= max(1, floor(n * shortlist_share))`` on the
   competition rank, as for the quarters), and room in the quota (n * 20%, rounded half up,
   at least one), handed out in the ranking's display order.
5. Everyone else: 称职.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from rules.errors import RuleError
from rules.grading import (
    GRADE_ORDER,
    QuotaRounding,
    RuleViolation,
    ViolationCode,
    check_ranking,
    percent_text,
    quota,
    shortlist_cutoff,
)
from rules.ranking import RankedEntry, restrict
from vocab.grades import AnnualGrade, QuarterlyGrade

__all__ = [
    "AnnualGradeProposal",
    "AnnualPolicy",
    "AnnualProposal",
    "AnnualRecord",
    "check_review_change",
    "propose_annual_grades",
]

QUARTERS_PER_YEAR = 4


@dataclass(frozen=True)
class AnnualPolicy:
    excellent_quota_share: Decimal = Decimal("0.20")
    excellent_quota_rounding: QuotaRounding = QuotaRounding.half_up
    excellent_quota_at_least_one: bool = True
    shortlist_share: Decimal = Decimal("0.50")
    # 优秀 needs 好 in MORE than this share of the graded quarters.
    good_quarters_share: Decimal = Decimal("0.5")
    excellent_blocked_by: frozenset[QuarterlyGrade] = field(
        default_factory=lambda: frozenset({QuarterlyGrade.average, QuarterlyGrade.poor})
    )
    poor_blocks_competent: bool = True
    poor_quarters_for_incompetent: int | None = None

    def __post_init__(self) -> None:
        for share, what in (
            (self.excellent_quota_share, "优秀等次名额"),
            (self.shortlist_share, "入围择优"),
            (self.good_quarters_share, "好等次季度"),
        ):
            if not share.is_finite() or not Decimal(0) <= share <= Decimal(1):
                raise RuleError(f"{what}比例应在0到1之间，当前为{share}")
        if QuarterlyGrade.good in self.excellent_blocked_by:
            raise RuleError("好等次不能作为评选优秀的否定条件")
        threshold = self.poor_quarters_for_incompetent
        if threshold is not None and not 1 <= threshold <= QUARTERS_PER_YEAR:
            raise RuleError(f"确定不称职的较差季度数应在1到{QUARTERS_PER_YEAR}之间")

    def excellent_quota(self, n: int) -> int:
        share, rounding = self.excellent_quota_share, self.excellent_quota_rounding
        return quota(n, share, rounding, at_least_one=self.excellent_quota_at_least_one)


@dataclass(frozen=True)
class AnnualRecord:
    """One person's year: quarterly grades by quarter (index 0 = Q1; None = not graded)."""

    person_id: str
    quarterly_grades: tuple[QuarterlyGrade | None, ...]
    not_graded: bool = False
    not_graded_reason: str = ""


@dataclass(frozen=True)
class AnnualGradeProposal:
    person_id: str
    grade: AnnualGrade
    reasons: tuple[str, ...]
    needs_review: bool
    rank: int | None  # None for those not graded (not ranked)
    in_top_half: bool


@dataclass(frozen=True)
class AnnualProposal:
    proposals: tuple[AnnualGradeProposal, ...]  # ranking display order, then the not graded
    appraised: int
    shortlist_cutoff: int
    excellent_quota: int

    def grades(self) -> dict[str, AnnualGrade]:
        return {p.person_id: p.grade for p in self.proposals}


@dataclass(frozen=True)
class _Quarters:
    """What the rules need to know about a person's quarterly grades."""

    counts: Counter[QuarterlyGrade]
    graded: int
    poor_quarters: tuple[int, ...]

    @classmethod
    def of(cls, record: AnnualRecord) -> _Quarters:
        grades = record.quarterly_grades
        counts = Counter(grade for grade in grades if grade is not None)
        poor = tuple(i + 1 for i, grade in enumerate(grades) if grade is QuarterlyGrade.poor)
        return cls(counts, sum(counts.values()), poor)

    def summary(self) -> str:
        if not self.graded:
            return "本年度无季度等次"
        parts = "、".join(f"{g.label}{self.counts[g]}次" for g in GRADE_ORDER if self.counts[g])
        return f"季度等次：{parts}"

    def excellent_obstacle(self, policy: AnnualPolicy) -> str | None:
        """Why the quarters rule out 优秀, or None when they allow it."""
        good = self.counts[QuarterlyGrade.good]
        if not good > self.graded * policy.good_quarters_share:
            share = percent_text(policy.good_quarters_share)
            return f"好等次季度未超过已评定季度的{share}（{good}/{self.graded}）"
        blocked = [g.label for g in _blocking(policy) if self.counts[g]]
        if blocked:
            return f"有{'、'.join(blocked)}等次的季度"
        return None


def _blocking(policy: AnnualPolicy) -> list[QuarterlyGrade]:
    return [grade for grade in GRADE_ORDER if grade in policy.excellent_blocked_by]


def _records_by_id(
    entries: Sequence[RankedEntry], records: Iterable[AnnualRecord]
) -> tuple[dict[str, AnnualRecord], tuple[RankedEntry, ...]]:
    """Records keyed by person, and the ranking of the appraised (not_graded left out)."""
    by_id: dict[str, AnnualRecord] = {}
    for record in records:
        if record.person_id in by_id:
            raise RuleError(f"人员「{record.person_id}」的年度记录重复")
        if len(record.quarterly_grades) > QUARTERS_PER_YEAR:
            raise RuleError(f"人员「{record.person_id}」的季度等次超过{QUARTERS_PER_YEAR}个")
        by_id[record.person_id] = record
    check_ranking(entries)
    ranked = {entry.person_id for entry in entries}
    if ranked - set(by_id):
        raise RuleError("排名名单中有人员缺少年度记录")
    appraised = [pid for pid, record in by_id.items() if not record.not_graded]
    if set(appraised) - ranked:
        raise RuleError("有参加年度考核定等的人员不在排名名单中")
    return by_id, restrict(entries, appraised)


def _top_half_text(entry: RankedEntry, cutoff: int, policy: AnnualPolicy) -> str:
    where = "位于" if entry.rank <= cutoff else "未进入"
    share = percent_text(policy.shortlist_share)
    return f"年度得分排名第{entry.rank}名，{where}前{share}（前{cutoff}名）"


def propose_annual_grades(
    entries: Sequence[RankedEntry],
    records: Iterable[AnnualRecord],
    policy: AnnualPolicy | None = None,
) -> AnnualProposal:
    """Propose an annual grade for every person with a record, with reasons.

    ``entries`` is the year's ranking, computed with or without those flagged not graded (they are
    left out either way and the others re-ranked with the same tie-break order).
    """
    policy = policy or AnnualPolicy()
    by_id, ranking = _records_by_id(entries, records)
    n = len(ranking)
    cutoff = shortlist_cutoff(n, policy.shortlist_share)
    excellent_quota = policy.excellent_quota(n)
    excellent = 0
    proposals: list[AnnualGradeProposal] = []
    for entry in ranking:
        quarters = _Quarters.of(by_id[entry.person_id])
        in_top_half = entry.rank <= cutoff
        reasons = [_top_half_text(entry, cutoff, policy), quarters.summary()]
        needs_review = False
        poor = len(quarters.poor_quarters)
        threshold = policy.poor_quarters_for_incompetent
        if threshold is not None and poor >= threshold:
            grade = AnnualGrade.incompetent
            needs_review = True
            reasons.append(f"较差等次季度达{poor}个（规则：{threshold}个及以上），需综合研判")
        elif poor and policy.poor_blocks_competent:
            grade = AnnualGrade.basically_competent
            needs_review = True
            which = "、".join(f"第{q}季度" for q in quarters.poor_quarters)
            reasons.append(f"{which}等次为较差，不能直接确定为称职，需综合研判")
        else:
            grade = AnnualGrade.competent
            obstacle = quarters.excellent_obstacle(policy)
            if obstacle is not None:
                reasons.append(f"{obstacle}，不能评为优秀")
            elif not in_top_half:
                reasons.append("未入围，不能评为优秀")
            elif excellent >= excellent_quota:
                reasons.append(f"优秀等次名额已满（{excellent}/{excellent_quota}）")
            else:
                grade = AnnualGrade.excellent
                excellent += 1
                share = percent_text(policy.good_quarters_share)
                blocking = "、".join(g.label for g in _blocking(policy))
                without = f"且无{blocking}等次" if blocking else ""
                reasons.append(
                    f"好等次季度超过{share}{without}，"
                    f"占用优秀等次名额（{excellent}/{excellent_quota}）"
                )
        reasons.append(f"拟定等次：{grade.label}")
        proposals.append(
            AnnualGradeProposal(
                entry.person_id, grade, tuple(reasons), needs_review, entry.rank, in_top_half
            )
        )
    for person_id in sorted(pid for pid, record in by_id.items() if record.not_graded):
        why = by_id[person_id].not_graded_reason or "按规定不确定等次"
        texts = (f"{why}，本年度不定等次", f"拟定等次：{AnnualGrade.not_graded.label}")
        proposals.append(
            AnnualGradeProposal(person_id, AnnualGrade.not_graded, texts, False, None, False)
        )
    return AnnualProposal(tuple(proposals), n, cutoff, excellent_quota)


def check_review_change(
    current: Mapping[str, AnnualGrade],
    entries: Sequence[RankedEntry],
    records: Iterable[AnnualRecord],
    person_id: str,
    new_grade: AnnualGrade,
    *,
    policy: AnnualPolicy | None = None,
) -> tuple[RuleViolation, ...]:
    """The rules a review change of one person's annual grade would break; empty if allowed.

    ``current`` holds the annual grade of every person with a record before the change.
    Proposing 不称职 or 基本称职 in review is the committee's judgement and never a violation.
    """
    policy = policy or AnnualPolicy()
    by_id, ranking = _records_by_id(entries, records)
    if person_id not in by_id:
        raise RuleError(f"人员「{person_id}」没有年度记录")
    if set(current) != set(by_id):
        raise RuleError("现有等次名单与年度记录名单不一致")
    record = by_id[person_id]
    violations: list[RuleViolation] = []
    if record.not_graded != (new_grade is AnnualGrade.not_graded):
        message = (
            "该人员按规定不定等次，不能评定等次"
            if record.not_graded
            else "该人员应参加年度考核定等，不能调整为不定等次"
        )
        violations.append(RuleViolation(ViolationCode.not_graded_mismatch, message))
    quarters = _Quarters.of(record)
    if new_grade is AnnualGrade.excellent:
        violations += _excellent_violations(current, ranking, person_id, quarters, policy)
    if (
        new_grade in (AnnualGrade.excellent, AnnualGrade.competent)
        and quarters.poor_quarters
        and policy.poor_blocks_competent
    ):
        which = "、".join(f"第{q}季度" for q in quarters.poor_quarters)
        violations.append(
            RuleViolation(
                ViolationCode.poor_quarter,
                f"{which}等次为较差，不能调整为{new_grade.label}",
            )
        )
    return tuple(violations)


def _excellent_violations(
    current: Mapping[str, AnnualGrade],
    ranking: tuple[RankedEntry, ...],
    person_id: str,
    quarters: _Quarters,
    policy: AnnualPolicy,
) -> list[RuleViolation]:
    violations: list[RuleViolation] = []
    n = len(ranking)
    limit = policy.excellent_quota(n)
    after = {**current, person_id: AnnualGrade.excellent}
    count = sum(1 for grade in after.values() if grade is AnnualGrade.excellent)
    if count > limit:
        violations.append(
            RuleViolation(
                ViolationCode.quota_exceeded,
                f"优秀等次名额已满：调整后为{count}名，上限为{limit}名",
            )
        )
    entry = next((e for e in ranking if e.person_id == person_id), None)
    cutoff = shortlist_cutoff(n, policy.shortlist_share)
    if entry is not None and entry.rank > cutoff:
        violations.append(
            RuleViolation(
                ViolationCode.outside_top_half,
                f"{_top_half_text(entry, cutoff, policy)}，不能评为优秀",
            )
        )
    obstacle = quarters.excellent_obstacle(policy)
    if obstacle is not None:
        violations.append(RuleViolation(ViolationCode.not_eligible, f"{obstacle}，不能评为优秀"))
    return violations
