"""Annual grade proposal: eligibility by quarters, 优秀 quota and top half, review check."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.annual import AnnualPolicy, AnnualRecord, check_review_change, propose_annual_grades
from rules.errors import RuleError
from rules.grading import QuotaRounding, ViolationCode, shortlist_cutoff
from rules.ranking import RankedEntry, RankInput, rank
from vocab.grades import AnnualGrade, QuarterlyGrade

D = Decimal
A = AnnualGrade
Q = QuarterlyGrade
GOOD4 = (Q.good, Q.good, Q.good, Q.good)
FAIR4 = (Q.fairly_good,) * 4


def ranked(n: int) -> tuple[RankedEntry, ...]:
    """p01 best ... pNN worst, distinct scores."""
    return rank(RankInput(f"p{i:02d}", D(100 - i)) for i in range(1, n + 1))


def records(*quarters: tuple[Q | None, ...]) -> list[AnnualRecord]:
    return [AnnualRecord(f"p{i:02d}", q) for i, q in enumerate(quarters, start=1)]


def test_labels() -> None:
    assert [g.label for g in A] == ["优秀", "称职", "基本称职", "不称职", "不定等次"]


@pytest.mark.parametrize(
    ("n", "expected"), [(0, 0), (1, 1), (3, 1), (7, 1), (8, 2), (10, 2), (12, 2), (13, 3), (23, 5)]
)
def test_excellent_quota_is_20_percent_half_up_at_least_one(n: int, expected: int) -> None:
    assert AnnualPolicy().excellent_quota(n) == expected


def test_default_proposal_of_ten() -> None:
    # n = 10: quota round(2.0) = 2, top half = ranks 1..5.
    proposal = propose_annual_grades(ranked(10), records(*[GOOD4] * 10))
    assert (proposal.appraised, proposal.shortlist_cutoff, proposal.excellent_quota) == (10, 5, 2)
    assert [p.grade for p in proposal.proposals] == [A.excellent] * 2 + [A.competent] * 8
    first = proposal.proposals[0]
    assert first.reasons == (
        "年度得分排名第1名，位于前50%（前5名）",
        "季度等次：好4次",
        "好等次季度超过50%且无一般、较差等次，占用优秀等次名额（1/2）",
        "拟定等次：优秀",
    )
    assert "优秀等次名额已满（2/2）" in proposal.proposals[2].reasons
    assert "未入围，不能评为优秀" in proposal.proposals[5].reasons
    assert not any(p.needs_review for p in proposal.proposals)


@pytest.mark.parametrize(
    ("quarters", "eligible"),
    [
        ((Q.good, Q.good, Q.good, Q.fairly_good), True),  # 3 of 4 > half
        ((Q.good, Q.good, Q.fairly_good, Q.fairly_good), False),  # 2 of 4 is not more than half
        ((Q.good, Q.good, Q.good, Q.average), False),  # an 一般 blocks it
        ((None, Q.good, Q.good, Q.fairly_good), True),  # 2 of 3 graded quarters
        ((None, None, None, Q.good), True),  # 1 of 1
        ((None, None, None, None), False),  # nothing graded
        ((), False),
    ],
)
def test_eligibility_from_the_quarters(quarters: tuple[Q | None, ...], eligible: bool) -> None:
    grade = propose_annual_grades(ranked(1), records(quarters)).proposals[0].grade
    assert grade is (A.excellent if eligible else A.competent)


def test_reasons_for_not_eligible() -> None:
    proposal = propose_annual_grades(
        ranked(2), records((Q.good, Q.good, Q.fairly_good, Q.fairly_good), (*GOOD4[:3], Q.average))
    )
    assert "好等次季度未超过已评定季度的50%（2/4），不能评为优秀" in proposal.proposals[0].reasons
    assert "有一般等次的季度，不能评为优秀" in proposal.proposals[1].reasons
    assert "季度等次：好3次、一般1次" in proposal.proposals[1].reasons


def test_eligible_person_outside_the_top_half_is_competent_and_quota_goes_unused() -> None:
    quarters = [FAIR4] * 5 + [GOOD4] * 5
    proposal = propose_annual_grades(ranked(10), records(*quarters))
    assert all(p.grade is A.competent for p in proposal.proposals)


def test_a_poor_quarter_proposes_basically_competent_for_review() -> None:
    proposal = propose_annual_grades(
        ranked(3), records(GOOD4, (Q.good, Q.fairly_good, Q.poor, Q.good), FAIR4)
    )
    second = proposal.proposals[1]
    assert second.grade is A.basically_competent
    assert second.needs_review
    assert "第3季度等次为较差，不能直接确定为称职，需综合研判" in second.reasons


def test_incompetent_only_by_the_configured_rule() -> None:
    quarters = (Q.poor, Q.poor, Q.average, Q.average)
    default = propose_annual_grades(ranked(1), records(quarters)).proposals[0]
    assert default.grade is A.basically_competent
    policy = AnnualPolicy(poor_quarters_for_incompetent=2)
    strict = propose_annual_grades(ranked(1), records(quarters), policy).proposals[0]
    assert strict.grade is A.incompetent
    assert strict.needs_review
    assert "较差等次季度达2个（规则：2个及以上），需综合研判" in strict.reasons


def test_poor_blocks_competent_can_be_switched_off() -> None:
    policy = AnnualPolicy(poor_blocks_competent=False)
    grade = propose_annual_grades(ranked(1), records((Q.poor, *FAIR4[:3])), policy)
    assert grade.proposals[0].grade is A.competent


def test_not_graded_persons_leave_the_count_and_the_ranking() -> None:
    # 11 ranked, p01 (best) joined late: n = 10, so quota 2 and top half 5 of the others.
    entries = ranked(11)
    recs = records(*[GOOD4] * 11)
    recs[0] = AnnualRecord("p01", (None, None, None, Q.good), True, "年中新录用")
    proposal = propose_annual_grades(entries, recs)
    assert (proposal.appraised, proposal.excellent_quota) == (10, 2)
    grades = proposal.grades()
    assert grades["p01"] is A.not_graded
    assert [pid for pid, g in grades.items() if g is A.excellent] == ["p02", "p03"]
    p02 = proposal.proposals[0]
    assert (p02.person_id, p02.rank) == ("p02", 1)
    last = proposal.proposals[-1]
    assert last.person_id == "p01"
    assert last.rank is None
    assert last.reasons == ("年中新录用，本年度不定等次", "拟定等次：不定等次")
    # The ranking may also leave them out.
    without = rank(RankInput(f"p{i:02d}", D(100 - i)) for i in range(2, 12))
    assert propose_annual_grades(without, recs).grades() == grades


def test_configurable_policy() -> None:
    policy = AnnualPolicy(
        excellent_quota_share=D("0.30"),
        excellent_quota_rounding=QuotaRounding.floor,
        shortlist_share=D("0.6"),
        good_quarters_share=D("0.2"),
        excellent_blocked_by=frozenset({Q.poor}),
    )
    quarters = (Q.good, Q.average, Q.fairly_good, Q.fairly_good)  # 1 of 4 > 20%, 一般 allowed
    proposal = propose_annual_grades(ranked(10), records(*[quarters] * 10), policy)
    assert proposal.excellent_quota == 3
    assert proposal.shortlist_cutoff == 6
    assert [p.grade for p in proposal.proposals][:4] == [A.excellent] * 3 + [A.competent]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"excellent_quota_share": D(2)}, "比例应在0到1之间"),
        ({"good_quarters_share": D("NaN")}, "比例应在0到1之间"),
        ({"excellent_blocked_by": frozenset({Q.good})}, "好等次不能作为"),
        ({"poor_quarters_for_incompetent": 0}, "较差季度数应在1到4之间"),
        ({"poor_quarters_for_incompetent": 5}, "较差季度数应在1到4之间"),
    ],
)
def test_invalid_policy_is_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(RuleError, match=message):
        AnnualPolicy(**kwargs)  # type: ignore[arg-type]


def test_inconsistent_inputs_are_refused() -> None:
    with pytest.raises(RuleError, match="缺少年度记录"):
        propose_annual_grades(ranked(2), records(GOOD4))
    with pytest.raises(RuleError, match="不在排名名单中"):
        propose_annual_grades(ranked(1), records(GOOD4, GOOD4))
    with pytest.raises(RuleError, match="记录重复"):
        propose_annual_grades(ranked(1), records(GOOD4) * 2)
    with pytest.raises(RuleError, match="超过4个"):
        propose_annual_grades(ranked(1), records((*GOOD4, Q.good)))


# ---- review ----------------------------------------------------------------------------------


def test_review_checks() -> None:
    entries = ranked(10)
    quarters = [GOOD4] * 6 + [FAIR4, (Q.poor, *FAIR4[:3]), GOOD4, GOOD4]
    recs = records(*quarters)
    current = propose_annual_grades(entries, recs).grades()

    def codes(person: str, grade: A) -> list[ViolationCode]:
        return [v.code for v in check_review_change(current, entries, recs, person, grade)]

    assert codes("p02", A.competent) == []
    assert codes("p03", A.excellent) == [ViolationCode.quota_exceeded]
    assert codes("p09", A.excellent) == [
        ViolationCode.quota_exceeded,
        ViolationCode.outside_top_half,
    ]
    assert codes("p07", A.excellent) == [
        ViolationCode.quota_exceeded,
        ViolationCode.outside_top_half,
        ViolationCode.not_eligible,
    ]
    assert codes("p08", A.competent) == [ViolationCode.poor_quarter]
    assert codes("p08", A.incompetent) == []
    assert codes("p05", A.not_graded) == [ViolationCode.not_graded_mismatch]
    current["p02"] = A.competent
    assert codes("p03", A.excellent) == []
    messages = [v.message for v in check_review_change(current, entries, recs, "p08", A.competent)]
    assert messages == ["第1季度等次为较差，不能调整为称职"]


def test_review_of_a_not_graded_person() -> None:
    recs = [AnnualRecord("p01", (), not_graded=True), *records(GOOD4, GOOD4)[1:]]
    entries = ranked(2)
    current = propose_annual_grades(entries, recs).grades()
    violations = check_review_change(current, entries, recs, "p01", A.competent)
    assert [v.code for v in violations] == [ViolationCode.not_graded_mismatch]
    assert violations[0].message == "该人员按规定不定等次，不能评定等次"
    with pytest.raises(RuleError, match="没有年度记录"):
        check_review_change(current, entries, recs, "nobody", A.competent)
    del current["p01"]
    with pytest.raises(RuleError, match="名单不一致"):
        check_review_change(current, entries, recs, "p02", A.competent)


# ---- properties -------------------------------------------------------------------------------

quarter = st.none() | st.sampled_from(Q)
people = st.lists(
    st.tuples(
        st.text("abcdefgh", min_size=1, max_size=3),
        st.integers(0, 9),  # score: few values, many ties
        st.lists(quarter, max_size=4).map(tuple),
        st.integers(0, 9).map(lambda i: i == 0),  # not graded, now and then
    ),
    max_size=30,
    unique_by=lambda row: row[0],
)
GRADES_BELOW_GOOD = (Q.fairly_good, Q.average, Q.poor)
shares = st.integers(0, 20).map(lambda i: D(i) * D("0.05"))


@st.composite
def policies(draw: st.DrawFn) -> AnnualPolicy:
    return AnnualPolicy(
        excellent_quota_share=draw(shares),
        excellent_quota_rounding=draw(st.sampled_from(QuotaRounding)),
        excellent_quota_at_least_one=draw(st.booleans()),
        shortlist_share=draw(shares),
        good_quarters_share=draw(shares),
        excellent_blocked_by=draw(st.frozensets(st.sampled_from([*GRADES_BELOW_GOOD]))),
        poor_blocks_competent=draw(st.booleans()),
        poor_quarters_for_incompetent=draw(st.none() | st.integers(1, 4)),
    )


Row = tuple[str, int, tuple[Q | None, ...], bool]
PROPS = settings(max_examples=200, deadline=None)


def build(rows: list[Row]) -> tuple[tuple[RankedEntry, ...], list[AnnualRecord]]:
    entries = rank(RankInput(pid, D(score)) for pid, score, _, _ in rows)
    return entries, [AnnualRecord(pid, q, skip) for pid, _, q, skip in rows]


@PROPS
@given(rows=people, policy=policies())
def test_proposals_respect_quota_top_half_and_eligibility(
    rows: list[Row], policy: AnnualPolicy
) -> None:
    entries, recs = build(rows)
    proposal = propose_annual_grades(entries, recs, policy)
    by_id = {r.person_id: r for r in recs}
    appraised = [r for r in recs if not r.not_graded]
    n = len(appraised)
    assert proposal.appraised == n
    counts = Counter(p.grade for p in proposal.proposals)
    assert counts[A.excellent] <= policy.excellent_quota(n)
    cutoff = shortlist_cutoff(n, policy.shortlist_share)
    for p in proposal.proposals:
        record = by_id[p.person_id]
        graded = [g for g in record.quarterly_grades if g is not None]
        assert (p.grade is A.not_graded) == record.not_graded
        if p.grade is A.excellent:
            assert p.rank is not None
            assert p.rank <= cutoff
            assert graded.count(Q.good) > len(graded) * policy.good_quarters_share
            assert not set(graded) & policy.excellent_blocked_by
        if Q.poor in graded and policy.poor_blocks_competent and not record.not_graded:
            assert p.grade not in (A.excellent, A.competent)
            assert p.needs_review
        if p.grade is A.incompetent:
            assert policy.poor_quarters_for_incompetent is not None
            assert graded.count(Q.poor) >= policy.poor_quarters_for_incompetent
        assert p.reasons[-1] == f"拟定等次：{p.grade.label}"


@PROPS
@given(rows=people, policy=policies(), seed=st.integers(0, 2**16))
def test_same_inputs_in_any_order_give_the_same_grades(
    rows: list[Row], policy: AnnualPolicy, seed: int
) -> None:
    entries, recs = build(rows)
    expected = propose_annual_grades(entries, recs, policy)
    shuffled = list(rows)
    random.Random(seed).shuffle(shuffled)
    entries_again, recs_again = build(shuffled)
    shuffled_entries = list(entries_again)
    random.Random(seed + 1).shuffle(shuffled_entries)
    assert propose_annual_grades(shuffled_entries, recs_again, policy) == expected


@PROPS
@given(rows=people, policy=policies())
def test_the_proposal_itself_passes_the_review_check(rows: list[Row], policy: AnnualPolicy) -> None:
    entries, recs = build(rows)
    current = propose_annual_grades(entries, recs, policy).grades()
    for person_id, grade in current.items():
        assert check_review_change(current, entries, recs, person_id, grade, policy=policy) == ()
