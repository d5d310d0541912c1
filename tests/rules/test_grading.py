"""Quarterly grade proposal: quota, top half, caps, reasons, and the review check."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.errors import RuleError
from rules.grading import (
    GRADE_ORDER,
    TIE_FLAG,
    GradingPolicy,
    QuotaRounding,
    ViolationCode,
    check_review_change,
    propose_quarterly_grades,
    quota,
    shortlist_cutoff,
)
from rules.ranking import RankedEntry, RankInput, rank
from vocab.grades import QuarterlyGrade
from vocab.ties import GradeRule, TieKey, TieSettlement

D = Decimal
G = QuarterlyGrade


def ranked(*scores: int | str) -> tuple[RankedEntry, ...]:
    """Persons p01, p02, ... with the given scores (ids sort in input order on ties)."""
    return rank(RankInput(f"p{i:02d}", D(s)) for i, s in enumerate(scores, start=1))


TEN = ranked(95, 94, 93, 92, 91, 90, 89, 88, 87, 86)


def grades_of(entries: tuple[RankedEntry, ...], **kwargs: object) -> list[G]:
    proposal = propose_quarterly_grades(entries, **kwargs)  # type: ignore[arg-type]
    return [p.grade for p in proposal.proposals]


def test_labels() -> None:
    assert [g.label for g in GRADE_ORDER] == ["好", "较好", "一般", "较差"]
    assert G("fairly_good") is G.fairly_good


@pytest.mark.parametrize(
    ("n", "cutoff", "good"),
    [
        (0, 0, 0),
        (1, 1, 1),
        (2, 1, 1),
        (3, 1, 1),
        (4, 2, 1),
        (5, 2, 2),
        (10, 5, 4),
        (11, 5, 4),
        (13, 6, 5),
    ],
)
def test_top_half_and_quota_sizes(n: int, cutoff: int, good: int) -> None:
    # top half: max(1, floor(n * 0.5)); 好: max(1, floor(n * 0.4)).
    assert shortlist_cutoff(n, D("0.5")) == cutoff
    assert GradingPolicy().good_quota(n) == good


def test_quota_rounding_modes() -> None:
    assert quota(5, D("0.3"), QuotaRounding.floor) == 1
    assert quota(5, D("0.3"), QuotaRounding.half_up) == 2
    assert quota(5, D("0.3"), QuotaRounding.ceil) == 2
    assert quota(5, D("0"), QuotaRounding.floor) == 1
    assert quota(5, D("0"), QuotaRounding.floor, at_least_one=False) == 0


def test_default_proposal_of_ten() -> None:
    proposal = propose_quarterly_grades(TEN)
    assert (proposal.appraised, proposal.shortlist_cutoff, proposal.good_quota) == (10, 5, 4)
    assert [p.grade for p in proposal.proposals] == [G.good] * 4 + [G.fairly_good] * 6
    third = proposal.proposals[2]
    assert third.reasons == (
        "得分排名第3名，位于前50%（前5名）",
        "占用好等次名额（3/4）",
        "决定规则：等次名额",
        "拟定等次：好",
    )
    fifth = proposal.proposals[4]
    assert fifth.reasons == (
        "得分排名第5名，位于前50%（前5名）",
        "好等次名额已满（4/4）",
        "决定规则：等次名额",
        "拟定等次：较好",
    )
    sixth = proposal.proposals[5]
    assert sixth.reasons == (
        "得分排名第6名，未进入前50%（前5名）",
        "未入围，不能评为好",
        "决定规则：入围择优",
        "拟定等次：较好",
    )
    seventh = proposal.proposals[6]  # 89: the default band 80-89.99 keeps it at 较好
    assert seventh.reasons == (
        "得分排名第7名，未进入前50%（前5名）",
        "得分 89 低于 90 分，等次最高为较好",
        "决定规则：分数段",
        "拟定等次：较好",
    )
    assert not seventh.in_top_half
    assert [p.rule for p in proposal.proposals] == (
        [GradeRule.quota] * 5 + [GradeRule.top_half] + [GradeRule.band] * 4)
    assert not any(p.tie_review for p in proposal.proposals)
    assert proposal.grades()["p01"] is G.good


def test_serious_breach_caps_at_average_and_frees_the_quota() -> None:
    proposal = propose_quarterly_grades(TEN, {"p01": True, "p02": False})
    grades = proposal.grades()
    assert grades["p01"] is G.average
    assert [grades[f"p{i:02d}"] for i in range(2, 6)] == [G.good] * 4
    assert grades["p06"] is G.fairly_good
    assert "存在严重政治素质负面清单问题，等次最高为一般" in proposal.proposals[0].reasons
    assert proposal.proposals[0].rule is GradeRule.conduct_cap


def test_good_never_goes_outside_the_top_half_even_with_quota_left() -> None:
    breaches = {"p01": True, "p02": True, "p03": True}
    grades = propose_quarterly_grades(TEN, breaches).grades()
    assert [pid for pid, g in grades.items() if g is G.good] == ["p04", "p05"]
    assert grades["p06"] is G.fairly_good


def _quota_line(rated: tuple[int, int] = (0, 0), nos: tuple[str, str] = ("E4", "E5")
                ) -> tuple[RankedEntry, ...]:
    """Ranks 1, 2, 3, 4, 4 and five lower: the quota of 4 cuts the tie of p04 and p05."""
    return rank(
        [RankInput(f"p{i:02d}", D(s), employee_no=f"E{i}") for i, s in enumerate([99, 98, 97], 1)]
        + [RankInput("p04", D(96), D(rated[0]), employee_no=nos[0]),
           RankInput("p05", D(96), D(rated[1]), employee_no=nos[1])]
        + [RankInput(f"p{i:02d}", D(50 - i), employee_no=f"E{i}") for i in range(6, 11)]
    )


AUTOMATIC = GradingPolicy(tie_settlement=TieSettlement.automatic)


def test_a_tie_across_the_quota_line_is_flagged_for_the_review() -> None:
    proposal = propose_quarterly_grades(_quota_line())
    assert [p.rank for p in proposal.proposals[:5]] == [1, 2, 3, 4, 4]
    flagged = [p for p in proposal.proposals if p.tie_review]
    assert [p.person_id for p in flagged] == ["p04", "p05"]
    assert all(p.rule is GradeRule.tie for p in flagged)
    # The proposal keeps the order (p04 before p05 by employee number) until the review decides.
    assert (flagged[0].grade, flagged[1].grade) == (G.good, G.fairly_good)
    assert f"{TIE_FLAG}：与人员编号E5同分并列，好等次名额线落在并列人员之间，" \
        "须经综合研判逐一决定并说明理由" in flagged[0].reasons
    assert "决定规则：并列跨线" in flagged[1].reasons
    # Under review settlement equal scores are a tie even when the rated part differs.
    assert [p.tie_review for p in propose_quarterly_grades(_quota_line((1, 2))).proposals][3:5] \
        == [True, True]


def test_automatic_settlement_lets_the_configured_order_decide() -> None:
    proposal = propose_quarterly_grades(_quota_line(nos=("E12", "E9")), policy=AUTOMATIC)
    grades = proposal.grades()
    assert (grades["p05"], grades["p04"]) == (G.good, G.fairly_good)  # E9 before E12
    assert not any(p.tie_review for p in proposal.proposals)
    winner = next(p for p in proposal.proposals if p.person_id == "p05")
    loser = next(p for p in proposal.proposals if p.person_id == "p04")
    order = "评价得分高者在前、减分（含政治素质负面清单扣分）少者在前、人员编号小者在前"
    assert (f"与人员编号E12同分并列，好等次名额线落在其间；按设置的并列顺序（{order}）由"
            "“人员编号小者在前”决定，本人（人员编号E9）排第4位，拟定为好") in winner.reasons
    assert any("本人（人员编号E12）排第5位，拟定为较好" in r for r in loser.reasons)
    # The rated part decides before the employee number does.
    rated = propose_quarterly_grades(_quota_line((1, 2)), policy=AUTOMATIC)
    assert rated.grades()["p05"] is G.good
    assert any("由“评价得分高者在前”决定" in r for r in rated.proposals[3].reasons)


def test_automatic_without_a_deciding_step_still_goes_to_the_review() -> None:
    policy = GradingPolicy(tie_settlement=TieSettlement.automatic,
                           tie_keys=(TieKey.rated, TieKey.deductions))
    entries = rank([e for e in (
        RankInput(f"p{i:02d}", D(s), employee_no=f"E{i}") for i, s in
        enumerate([99, 98, 97, 96, 96, 40, 39, 38, 37, 36], 1))], keys=policy.tie_keys)
    assert [p.person_id for p in propose_quarterly_grades(entries, policy=policy).proposals
            if p.tie_review] == ["p04", "p05"]


def test_ties_on_the_top_half_line() -> None:
    # Ranks 1..5, 5, 5: the top half is the first 5 places; p05..p07 are tied across the line.
    entries = ranked(99, 98, 97, 96, 95, 95, 95, 80, 70, 60)
    breaches = {f"p{i:02d}": True for i in range(1, 6)}
    proposal = propose_quarterly_grades(entries, breaches)
    assert [p.in_top_half for p in proposal.proposals] == [True] * 5 + [False] * 5
    # p06 and p07 miss 好 only because p05 (capped) holds the last place: the review decides.
    assert [p.person_id for p in proposal.proposals if p.tie_review] == ["p06", "p07"]
    assert any("前50%线落在并列人员之间" in r for r in proposal.proposals[5].reasons)
    assert "得分排名第5名（同分并列，按并列顺序排第6位），未进入前50%（前5名）" in (
        proposal.proposals[5].reasons)
    # The review may give 好 to anyone tied within the top half's ranks.
    current = proposal.grades()
    assert check_review_change(current, entries, "p06", G.good, serious_breach=breaches) == ()


@pytest.mark.parametrize(("n", "expected"), [(0, []), (1, [G.good]), (2, [G.good, G.fairly_good])])
def test_small_groups(n: int, expected: list[G]) -> None:
    assert grades_of(ranked(*range(90, 90 - n, -1))) == expected


def test_score_bands_cap_by_score() -> None:
    policy = GradingPolicy(score_bands=((D(60), G.poor), (D(75), G.average)))
    entries = ranked(95, 90, "74.99", 75, 59, 60, 85, 80, 40, 70)
    proposal = propose_quarterly_grades(entries, policy=policy)
    grades = proposal.grades()
    assert grades["p03"] is G.average  # 74.99 < 75
    assert grades["p04"] is G.fairly_good  # 75 is not below 75
    assert grades["p05"] is G.poor  # 59 < 60: the lowest band
    assert grades["p06"] is G.average
    assert grades["p09"] is G.poor
    p05 = next(p for p in proposal.proposals if p.person_id == "p05")
    assert "得分 59 低于 60 分，等次最高为较差" in p05.reasons


def test_score_band_caps_even_the_top() -> None:
    policy = GradingPolicy(score_bands=((D(75), G.average),))
    assert grades_of(ranked(70, 65), policy=policy) == [G.average, G.average]


def test_max_share_moves_the_overflow_one_grade_down() -> None:
    policy = GradingPolicy(max_shares={G.fairly_good: D("0.3")})
    proposal = propose_quarterly_grades(TEN, policy=policy)
    assert [p.grade for p in proposal.proposals] == [G.good] * 4 + [G.fairly_good] * 3 + [
        G.average
    ] * 3
    assert "较好等次名额已满（3/3），顺延为一般" in proposal.proposals[7].reasons


def test_max_share_of_average_overflows_to_poor() -> None:
    policy = GradingPolicy(
        default_grade=G.average, max_shares={G.average: D("0.5")}, good_quota_share=D("0.2")
    )
    assert grades_of(TEN, policy=policy) == [G.good] * 2 + [G.average] * 5 + [G.poor] * 3


def test_breach_cap_is_configurable() -> None:
    policy = GradingPolicy(breach_cap=G.poor)
    assert propose_quarterly_grades(TEN, {"p01": True}, policy).grades()["p01"] is G.poor
    no_cap = GradingPolicy(breach_cap=G.good)
    assert propose_quarterly_grades(TEN, {"p01": True}, no_cap).grades()["p01"] is G.good


def test_unknown_breach_ids_are_ignored() -> None:
    assert grades_of(TEN, serious_breach={"someone-else": True}) == grades_of(TEN)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"default_grade": G.good}, "默认等次不能为好"),
        ({"good_quota_share": D("1.5")}, "比例应在0到1之间"),
        ({"shortlist_share": D(-1)}, "比例应在0到1之间"),
        ({"score_bands": ((D(75), G.average), (D(60), G.poor))}, "从低到高"),
        ({"score_bands": ((D(60), G.average), (D(75), G.poor))}, "不降低"),
        ({"max_shares": {G.poor: D("0.1")}}, "只能为较好、一般设置"),
        ({"max_shares": {G.good: D("0.1")}}, "只能为较好、一般设置"),
    ],
)
def test_invalid_policy_is_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(RuleError, match=message):
        GradingPolicy(**kwargs)  # type: ignore[arg-type]


def test_inconsistent_ranking_is_refused() -> None:
    bad = (RankedEntry("a", D(90), 1, 1, 2), RankedEntry("b", D(95), 2, 2, 2))
    with pytest.raises(RuleError, match="排名数据不一致"):
        propose_quarterly_grades(bad)
    gap = (RankedEntry("a", D(90), 1, 1, 3), RankedEntry("b", D(80), 3, 3, 3))
    with pytest.raises(RuleError, match="排名数据不一致"):
        propose_quarterly_grades(gap)
    with pytest.raises(RuleError, match="重复人员"):
        propose_quarterly_grades((TEN[0], TEN[0]))


# ---- review ----------------------------------------------------------------------------------


def test_review_allows_a_change_within_the_rules() -> None:
    current = propose_quarterly_grades(TEN).grades()
    assert check_review_change(current, TEN, "p04", G.fairly_good) == ()
    current["p04"] = G.fairly_good
    assert check_review_change(current, TEN, "p05", G.good) == ()


def test_review_refuses_breaking_the_quota() -> None:
    current = propose_quarterly_grades(TEN).grades()
    violations = check_review_change(current, TEN, "p05", G.good)
    assert [v.code for v in violations] == [ViolationCode.quota_exceeded]
    assert violations[0].message == "好等次名额已满：调整后为5名，上限为4名"


def test_review_refuses_good_outside_the_top_half() -> None:
    current = propose_quarterly_grades(TEN).grades()
    current["p04"] = G.fairly_good
    violations = check_review_change(current, TEN, "p06", G.good)
    assert [v.code for v in violations] == [ViolationCode.outside_top_half]
    assert violations[0].message == "得分排名第6名，未进入前50%（前5名），不能评为好"
    current["p04"] = G.good  # the quota is full again
    both = check_review_change(current, TEN, "p07", G.good)
    assert [v.code for v in both] == [
        ViolationCode.quota_exceeded, ViolationCode.outside_top_half, ViolationCode.score_band]


def test_review_refuses_lifting_a_cap() -> None:
    breaches = {"p08": True}
    policy = GradingPolicy(score_bands=((D(87), G.average),), max_shares={G.fairly_good: D("0.8")})
    current = propose_quarterly_grades(TEN, breaches, policy).grades()
    assert current["p08"] is G.average
    violations = check_review_change(
        current, TEN, "p08", G.fairly_good, serious_breach=breaches, policy=policy
    )
    assert [v.code for v in violations] == [ViolationCode.conduct_breach_cap]
    band = check_review_change(current, TEN, "p10", G.fairly_good, policy=policy)
    assert [v.code for v in band] == [ViolationCode.score_band]
    assert band[0].message == "得分 86 低于 87 分，等次最高为一般，不能调整为较好"
    assert check_review_change(current, TEN, "p10", G.poor, policy=policy) == ()


def test_review_refuses_a_limited_grade_overflow() -> None:
    policy = GradingPolicy(max_shares={G.fairly_good: D("0.3")})
    current = propose_quarterly_grades(TEN, policy=policy).grades()
    violations = check_review_change(current, TEN, "p10", G.fairly_good, policy=policy)
    assert [v.code for v in violations] == [ViolationCode.quota_exceeded]
    assert violations[0].message == "较好等次名额已满：调整后为4名，上限为3名"


def test_review_input_errors() -> None:
    current = propose_quarterly_grades(TEN).grades()
    with pytest.raises(RuleError, match="不在本次排名中"):
        check_review_change(current, TEN, "nobody", G.good)
    del current["p10"]
    with pytest.raises(RuleError, match="名单不一致"):
        check_review_change(current, TEN, "p01", G.good)


# ---- properties -------------------------------------------------------------------------------

shares = st.integers(0, 20).map(lambda i: D(i) * D("0.05"))


@st.composite
def policies(draw: st.DrawFn) -> GradingPolicy:
    bands: tuple[tuple[Decimal, G], ...] = draw(
        st.sampled_from([(), ((D(3), G.poor),), ((D(2), G.poor), (D(5), G.average))])
    )
    limited = draw(st.sets(st.sampled_from([G.fairly_good, G.average])))
    return GradingPolicy(
        good_quota_share=draw(shares),
        good_quota_rounding=draw(st.sampled_from(QuotaRounding)),
        good_quota_at_least_one=draw(st.booleans()),
        shortlist_share=draw(shares),
        breach_cap=draw(st.sampled_from(G)),
        score_bands=bands,
        default_grade=draw(st.sampled_from([G.fairly_good, G.average, G.poor])),
        max_shares={grade: draw(shares) for grade in limited},
        tie_settlement=draw(st.sampled_from(TieSettlement)),
    )


people = st.lists(
    st.tuples(
        st.text("abcdefgh", min_size=1, max_size=3),
        st.integers(0, 9),  # score: few values, many ties
        st.integers(0, 2),  # rated
        st.integers(0, 2),  # deductions
        st.booleans(),  # serious breach
    ),
    max_size=30,
    unique_by=lambda row: row[0],
)
PROPS = settings(max_examples=200, deadline=None)


Row = tuple[str, int, int, int, bool]


def build(rows: list[Row]) -> tuple[tuple[RankedEntry, ...], dict[str, bool]]:
    entries = rank(RankInput(pid, D(s), D(r), D(d)) for pid, s, r, d, _ in rows)
    return entries, {pid: breach for pid, _, _, _, breach in rows}


@PROPS
@given(rows=people, policy=policies())
def test_proposals_respect_quotas_top_half_and_caps(rows: list[Row], policy: GradingPolicy) -> None:
    entries, breaches = build(rows)
    proposal = propose_quarterly_grades(entries, breaches, policy)
    n = len(entries)
    counts = Counter(p.grade for p in proposal.proposals)
    limits = policy.limits(n)
    for grade, limit in limits.items():
        assert counts[grade] <= limit
    cutoff = shortlist_cutoff(n, policy.shortlist_share)
    assert counts[G.good] <= cutoff or n == 0  # the top half is never exceeded
    for p in proposal.proposals:
        entry = next(e for e in entries if e.person_id == p.person_id)
        ceiling, _ = policy.ceiling(entry.score, breaches[p.person_id])
        assert GRADE_ORDER.index(p.grade) >= GRADE_ORDER.index(ceiling)
        if p.grade is G.good:
            assert p.position <= cutoff
            assert p.in_top_half
        elif p.in_top_half and ceiling is G.good:
            # A shortlisted, uncapped person misses 好 only because the quota is used up.
            assert counts[G.good] == limits[G.good]
        elif p.rank <= cutoff and ceiling is G.good and counts[G.good] < limits[G.good]:
            # Tied into the top half's ranks but placed outside it: a tie the review decides
            # (or, automatically settled, one the configured order decided).
            assert p.tie_review or policy.tie_settlement is TieSettlement.automatic
        # exactly one grade, at least one reason, and the rule that decided it
        assert p.reasons[-1] == f"拟定等次：{p.grade.label}"
        assert p.reasons[-2] == f"决定规则：{p.rule.label}"
        assert (p.rule is GradeRule.tie) == p.tie_review == any(TIE_FLAG in r for r in p.reasons)
    assert [p.person_id for p in proposal.proposals] == [e.person_id for e in entries]
    # Flagged people are tied: someone else shares the score.
    for p in proposal.proposals:
        if p.tie_review:
            assert any(o.person_id != p.person_id and o.rank == p.rank
                       for o in proposal.proposals)


@PROPS
@given(rows=people, policy=policies(), seed=st.integers(0, 2**16))
def test_same_inputs_in_any_order_give_the_same_grades(
    rows: list[Row], policy: GradingPolicy, seed: int
) -> None:
    entries, breaches = build(rows)
    expected = propose_quarterly_grades(entries, breaches, policy)
    shuffled_rows = list(rows)
    random.Random(seed).shuffle(shuffled_rows)
    entries_again, breaches_again = build(shuffled_rows)
    shuffled_entries = list(entries_again)
    random.Random(seed + 1).shuffle(shuffled_entries)
    assert propose_quarterly_grades(shuffled_entries, breaches_again, policy) == expected


@PROPS
@given(rows=people, policy=policies())
def test_the_proposal_itself_passes_the_review_check(
    rows: list[Row], policy: GradingPolicy
) -> None:
    entries, breaches = build(rows)
    current = propose_quarterly_grades(entries, breaches, policy).grades()
    for person_id, grade in current.items():
        assert (
            check_review_change(
                current, entries, person_id, grade, serious_breach=breaches, policy=policy
            )
            == ()
        )


@PROPS
@given(rows=people, policy=policies(), data=st.data())
def test_review_flags_every_good_outside_the_top_half(
    rows: list[Row], policy: GradingPolicy, data: st.DataObject
) -> None:
    entries, breaches = build(rows)
    if not entries:
        return
    current = propose_quarterly_grades(entries, breaches, policy).grades()
    entry = data.draw(st.sampled_from(entries))
    violations = check_review_change(
        current, entries, entry.person_id, G.good, serious_breach=breaches, policy=policy
    )
    codes = {v.code for v in violations}
    outside = entry.rank > shortlist_cutoff(len(entries), policy.shortlist_share)
    assert (ViolationCode.outside_top_half in codes) == outside
    after = {**current, entry.person_id: G.good}
    over = sum(1 for g in after.values() if g is G.good) > policy.good_quota(len(entries))
    assert (ViolationCode.quota_exceeded in codes) == over
