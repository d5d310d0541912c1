"""The care list rules: bottom of the ranking (ties), regression, low fit, long-term poor."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.care import (
    CarePolicy,
    QuarterRecord,
    bottom_places,
    care_flags,
    care_list,
    fill_positions,
    flags_by_quarter,
    previous_quarter,
    quarter_index,
)
from rules.grading import GRADE_ORDER
from vocab.feedback import CareFlagKind

GRADES = [g.value for g in GRADE_ORDER]  # good, fairly_good, average, poor
Q = (2025, 4)


def kinds(flags: tuple[object, ...]) -> set[CareFlagKind]:
    return {f.kind for f in flags}  # type: ignore[attr-defined]


@pytest.mark.parametrize(("n", "share", "k"), [
    (12, "0.10", 1), (20, "0.10", 2), (25, "0.10", 2), (9, "0.10", 1), (30, "0.20", 6),
    (0, "0.10", 0), (5, "0", 0), (10, "1", 10),
])
def test_bottom_places(n: int, share: str, k: int) -> None:
    assert bottom_places(n, Decimal(share)) == k


def test_quarters() -> None:
    assert previous_quarter((2025, 1)) == (2024, 4)
    assert previous_quarter((2025, 3)) == (2025, 2)
    assert quarter_index((2025, 1)) == quarter_index((2024, 4)) + 1
    with pytest.raises(ValueError, match="季度"):
        quarter_index((2025, 5))


def competition_ranks(scores: list[int]) -> list[int]:
    return [1 + sum(other > s for other in scores) for s in scores]


@given(st.lists(st.integers(0, 6), min_size=1, max_size=25),
       st.sampled_from(["0", "0.05", "0.10", "0.25", "0.5", "1"]))
def test_bottom_flags_whoever_shares_a_bottom_place(scores: list[int], share: str) -> None:
    ranks = competition_ranks(scores)
    records = fill_positions([QuarterRecord(person_id=i, quarter=Q, rank=r, result_id=f"r{i}")
                              for i, r in enumerate(ranks)])
    policy = CarePolicy(bottom_share=Decimal(share))
    flagged = {p for p, f in care_list(records, Q, policy).items()
               if CareFlagKind.bottom in kinds(f)}
    n, k = len(scores), bottom_places(len(scores), Decimal(share))
    # Reference: the places a tied group covers are rank..rank+ties-1.
    expected = {i for i, r in enumerate(ranks) if r + ranks.count(r) - 1 > n - k}
    assert flagged == expected
    if k:
        assert len(flagged) >= k
        # Nobody unflagged is ranked worse than someone flagged.
        assert all(ranks[i] < min(ranks[j] for j in flagged)
                   for i in range(n) if i not in flagged)
    if len(set(ranks)) == n:
        assert len(flagged) == k


def test_bottom_ties_are_flagged_together_and_unranked_never() -> None:
    ranks = [1, 2, 3, 3]  # the last two share places 3 and 4
    records = fill_positions([QuarterRecord(person_id=i, quarter=Q, rank=r)
                              for i, r in enumerate(ranks)]
                             + [QuarterRecord(person_id="x", quarter=Q, grade="poor")])
    found = care_list(records, Q, CarePolicy(bottom_share=Decimal("0.10")))
    assert set(found) == {2, 3}
    assert "并列2人" in found[2][0].reason
    assert "共4人" in found[2][0].reason


def test_groups_rank_separately() -> None:
    records = fill_positions([
        QuarterRecord(person_id="l1", quarter=Q, rank=1, group="leader"),
        QuarterRecord(person_id="l2", quarter=Q, rank=2, group="leader"),
        QuarterRecord(person_id="s1", quarter=Q, rank=1, group="staff"),
        QuarterRecord(person_id="s2", quarter=Q, rank=2, group="staff"),
        QuarterRecord(person_id="s3", quarter=Q, rank=3, group="staff"),
    ])
    assert [r.ranked_count for r in records] == [2, 2, 3, 3, 3]
    assert set(care_list(records, Q, CarePolicy())) == {"l2", "s3"}


@pytest.mark.parametrize(("before", "now", "steps"),
                         list(itertools.product(GRADES, GRADES, [1, 2, 3])))
def test_regression_by_grade_exhaustive(before: str, now: str, steps: int) -> None:
    history = [QuarterRecord(person_id="p", quarter=(2025, 3), grade=before, result_id="q3"),
               QuarterRecord(person_id="p", quarter=Q, grade=now, result_id="q4")]
    flags = care_flags(history, Q, CarePolicy(regression_steps=steps))
    fell = GRADES.index(now) - GRADES.index(before)
    assert (CareFlagKind.regressed in kinds(flags)) is (fell >= steps)
    if fell >= steps:
        flag = next(f for f in flags if f.kind is CareFlagKind.regressed)
        assert flag.basis == ("q3", "q4")
        assert f"下降{fell}个等次" in flag.reason


def test_regression_needs_the_quarter_just_before() -> None:
    history = [QuarterRecord(person_id="p", quarter=(2025, 2), grade="good"),
               QuarterRecord(person_id="p", quarter=Q, grade="poor")]
    assert CareFlagKind.regressed not in kinds(care_flags(history, Q, CarePolicy()))
    across_years = [QuarterRecord(person_id="p", quarter=(2024, 4), grade="good"),
                    QuarterRecord(person_id="p", quarter=(2025, 1), grade="average")]
    assert kinds(care_flags(across_years, (2025, 1), CarePolicy())) == {CareFlagKind.regressed}


@pytest.mark.parametrize(("drop", "threshold", "flagged"), [
    (4, 0, False), (4, 5, False), (5, 5, True), (9, 5, True), (-3, 1, False)])
def test_regression_by_rank(drop: int, threshold: int, flagged: bool) -> None:
    history = [QuarterRecord(person_id="p", quarter=(2025, 3), grade="good", rank=10),
               QuarterRecord(person_id="p", quarter=Q, grade="good", rank=10 + drop)]
    flags = care_flags(history, Q, CarePolicy(rank_drop=threshold, bottom_share=Decimal(0)))
    assert (CareFlagKind.regressed in kinds(flags)) is flagged


def test_rank_drop_across_groups_is_not_compared() -> None:
    history = [QuarterRecord(person_id="p", quarter=(2025, 3), rank=1, group="staff"),
               QuarterRecord(person_id="p", quarter=Q, rank=9, group="leader")]
    assert care_flags(history, Q, CarePolicy(rank_drop=2, bottom_share=Decimal(0))) == ()


@pytest.mark.parametrize("grades", list(itertools.product([*GRADES, None], repeat=4)))
def test_long_term_poor_exhaustive(grades: tuple[str | None, ...]) -> None:
    quarters = [(2025, 1), (2025, 2), (2025, 3), (2025, 4)]
    history = [QuarterRecord(person_id="p", quarter=q, grade=g, result_id=q)
               for q, g in zip(quarters, grades, strict=True) if g is not None]
    # A 较差 five quarters back lies outside the window of four.
    history.append(QuarterRecord(person_id="p", quarter=(2024, 4), grade="poor"))
    flags = care_flags(history, Q, CarePolicy(bottom_share=Decimal(0), regression_steps=3))
    poor = [q for q, g in zip(quarters, grades, strict=True) if g == "poor"]
    assert (CareFlagKind.long_term_poor in kinds(flags)) is (len(poor) >= 2)
    if len(poor) >= 2:
        flag = next(f for f in flags if f.kind is CareFlagKind.long_term_poor)
        assert flag.basis == tuple(poor)
        assert flag.suggestion == "结对帮带或岗位调整"


@pytest.mark.parametrize(("count", "window", "flagged"), [(1, 1, False), (1, 2, True),
                                                          (2, 3, False), (2, 4, True),
                                                          (3, 4, False)])
def test_long_term_poor_is_configurable(count: int, window: int, flagged: bool) -> None:
    grades = {(2025, 1): "poor", (2025, 2): "good", (2025, 3): "poor", (2025, 4): "good"}
    history = [QuarterRecord(person_id="p", quarter=q, grade=g) for q, g in grades.items()]
    policy = CarePolicy(poor_count=count, poor_window=window, regression_steps=3)
    assert (CareFlagKind.long_term_poor in kinds(care_flags(history, Q, policy))) is flagged


@pytest.mark.parametrize(("fits", "threshold", "flagged"), [
    ({(2025, 4): 2}, 2, True), ({(2025, 4): 3}, 2, False), ({(2025, 4): 3}, 3, True),
    ({(2025, 2): 1, (2025, 4): 4}, 2, False),  # the latest rating counts
    ({(2025, 3): 1}, 2, True),  # no interview yet this quarter: the one before
    ({(2026, 1): 1}, 2, False),  # later ratings do not count for this quarter
    ({}, 5, False), ({(2025, 4): 1}, 0, False),
])
def test_low_fit(fits: dict[tuple[int, int], int], threshold: int, flagged: bool) -> None:
    history = [QuarterRecord(person_id="p", quarter=q, fit=f, result_id=q)
               for q, f in fits.items()]
    flags = care_flags(history, Q, CarePolicy(low_fit_threshold=threshold))
    assert (CareFlagKind.low_fit in kinds(flags)) is flagged


record = st.builds(
    QuarterRecord,
    person_id=st.sampled_from(["a", "b", "c", "d"]),
    quarter=st.sampled_from([(2025, 1), (2025, 2), (2025, 3), (2025, 4)]),
    grade=st.sampled_from([*GRADES, None]),
    rank=st.one_of(st.none(), st.integers(1, 6)),
    fit=st.one_of(st.none(), st.integers(1, 5)),
)


@given(st.lists(record, max_size=30))
def test_care_list_is_the_flags_of_each_person(records: list[QuarterRecord]) -> None:
    records = fill_positions(records)
    found = care_list(records, Q, CarePolicy())
    for person in {r.person_id for r in records}:
        mine = [r for r in records if r.person_id == person]
        flags = care_flags(mine, Q, CarePolicy())
        assert found.get(person, ()) == flags
        assert all(f.quarter == Q and f.reason for f in flags)
        assert flags_by_quarter(mine, CarePolicy()).get(Q, flags) == flags


def test_default_flags_one_grade_step_with_its_reason() -> None:
    history = [QuarterRecord(person_id="p", quarter=(2025, 3), grade="good", result_id="q3"),
               QuarterRecord(person_id="p", quarter=Q, grade="fairly_good", result_id="q4")]
    [flag] = care_flags(history, Q, CarePolicy(bottom_share=Decimal(0)))
    assert flag.kind is CareFlagKind.regressed
    assert flag.reason == "与2025年第三季度相比，等次由“好”降为“较好”（下降1个等次）"
    assert flag.basis == ("q3", "q4")


def ranked(before: int, now: int, n: int) -> list[QuarterRecord]:
    return [QuarterRecord(person_id="p", quarter=(2025, 3), rank=before, ranked_count=n,
                          result_id="q3"),
            QuarterRecord(person_id="p", quarter=Q, rank=now, ranked_count=n, result_id="q4")]


def test_default_flags_a_fall_from_first_to_fifty_ninth() -> None:
    [flag] = care_flags(ranked(1, 59, 60), Q, CarePolicy(bottom_share=Decimal(0)))
    assert flag.reason == ("与2025年第三季度相比，名次由第1名降至第59名"
                           "（下降58名，达到本季度排名人数60人的20%）")


def test_default_rank_drop_share_exhaustive() -> None:
    policy = CarePolicy(bottom_share=Decimal(0))
    for n in range(1, 31):
        for before in range(1, n + 1):
            for now in range(1, n + 1):
                flags = care_flags(ranked(before, now, n), Q, policy)
                # at least 20% of those ranked, in whole places: 5 * drop >= n
                assert bool(flags) is (now > before and 5 * (now - before) >= n), (n, before, now)


def test_rank_drop_share_and_places_both_named() -> None:
    policy = CarePolicy(bottom_share=Decimal(0), rank_drop=3)
    [flag] = care_flags(ranked(2, 8, 12), Q, policy)
    assert flag.reason.endswith("（下降6名，达到本季度排名人数12人的20%，达到3名）")
    off = CarePolicy(bottom_share=Decimal(0), rank_drop_share=Decimal(0))
    assert care_flags(ranked(1, 59, 60), Q, off) == ()


@given(st.integers(1, 80), st.integers(1, 80), st.integers(1, 80),
       st.sampled_from(["0", "0.05", "0.1", "0.2", "0.5", "1"]), st.integers(0, 10))
def test_rank_drop_properties(n: int, before: int, extra: int, share: str, places: int) -> None:
    now = before + extra - 1  # a fall of 0..79 places
    policy = CarePolicy(bottom_share=Decimal(0), rank_drop_share=Decimal(share),
                        rank_drop=places)
    flagged = bool(care_flags(ranked(before, now, n), Q, policy))
    # Never for an improvement or the same place; a larger fall is flagged whenever a smaller
    # one is; a stricter share (or a switched-off test) never adds a flag.
    assert care_flags(ranked(now, before, n), Q, policy) == ()
    assert care_flags(ranked(before, before, n), Q, policy) == ()
    if flagged:
        assert care_flags(ranked(before, now + 1, n), Q, policy)
    stricter = CarePolicy(bottom_share=Decimal(0), rank_drop_share=Decimal(share) * 2,
                          rank_drop=places)
    if care_flags(ranked(before, now, n), Q, stricter):
        assert flagged
    expected = (now > before and ((Decimal(share) > 0 and Decimal(now - before)
                                   >= Decimal(share) * n) or (0 < places <= now - before)))
    assert flagged is expected
