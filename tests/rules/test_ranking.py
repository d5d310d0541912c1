"""Ranking: competition ranks ("1224"), the tie-break display order, comparison groups."""

from __future__ import annotations

import random
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.errors import RuleError
from rules.ranking import (
    DEFAULT_TIE_KEYS,
    RankedEntry,
    RankInput,
    deciding_key,
    employee_no_key,
    rank,
    rank_by_group,
    restrict,
    tie_groups,
)
from rules.score import compute_score
from rules.scoring import PointItem, RatedIndicator, Rating, ScoringScheme
from vocab.ties import TieKey

D = Decimal


def test_competition_ranking_1224() -> None:
    entries = rank(
        [
            RankInput("a", D("90.00")),
            RankInput("b", D("85.50")),
            RankInput("c", D("85.50")),
            RankInput("d", D("80.00")),
        ]
    )
    assert [(e.person_id, e.rank, e.position, e.group_size) for e in entries] == [
        ("a", 1, 1, 4),
        ("b", 2, 2, 4),
        ("c", 2, 3, 4),
        ("d", 4, 4, 4),
    ]


def test_equal_scores_compare_as_numbers() -> None:
    entries = rank([RankInput("a", D("85.5")), RankInput("b", D("85.50"))])
    assert [e.rank for e in entries] == [1, 1]


def test_tie_break_higher_rated_then_lower_deductions_then_employee_no() -> None:
    tied = D(80)
    entries = rank(
        [
            RankInput("z4", tied, rated=D(70), deductions=D(0), employee_no="E1"),
            RankInput("z3", tied, rated=D(75), deductions=D(2), employee_no="E2"),
            RankInput("a2", tied, rated=D(75), deductions=D(1), employee_no="E12"),
            RankInput("b1", tied, rated=D(75), deductions=D(1), employee_no="E9"),
            RankInput("p0", D(81), rated=D(10), employee_no="E99"),
        ]
    )
    # The employee number decides, never the internal id; "E9" comes before "E12".
    assert [e.person_id for e in entries] == ["p0", "b1", "a2", "z3", "z4"]
    assert [e.rank for e in entries] == [1, 2, 2, 2, 2]
    assert [e.position for e in entries] == [1, 2, 3, 4, 5]
    assert not any(e.tied_with_previous for e in entries)
    assert deciding_key(entries[1], entries[2]) is TieKey.employee_no
    assert deciding_key(entries[2], entries[3]) is TieKey.deductions
    assert deciding_key(entries[3], entries[4]) is TieKey.rated


def test_configured_steps_and_what_stays_tied() -> None:
    items = [
        RankInput("x", D(80), rated=D(70), employee_no="E2"),
        RankInput("y", D(80), rated=D(75), employee_no="E1"),
    ]
    # Only the employee number: E1 first although E2 has the higher rated part.
    assert [e.person_id for e in rank(items, keys=[TieKey.employee_no])] == ["y", "x"]
    assert [e.person_id for e in rank(items, keys=[TieKey.rated])] == ["y", "x"]
    # No step configured: equal scores stay tied (display order by employee number).
    none = rank(items, keys=[])
    assert [(e.person_id, e.tied_with_previous) for e in none] == [("y", False), ("x", True)]
    assert [len(g) for g in tie_groups(none)] == [2]
    with pytest.raises(RuleError, match="重复"):
        rank(items, keys=[TieKey.rated, TieKey.rated])


def test_fully_identical_people_are_tied_without_the_employee_no_step() -> None:
    twins = [RankInput("b", D(88), D(88), D(0), employee_no="A2"),
             RankInput("a", D(88), D(88), D(0), employee_no="A1")]
    assert [e.tied_with_previous for e in rank(twins)] == [False, False]
    keys = [TieKey.rated, TieKey.deductions]
    assert [e.tied_with_previous for e in rank(twins, keys)] == [False, True]


def test_employee_no_key_compares_digit_runs_as_numbers() -> None:
    ordered = sorted(["E12", "E9", "E100", "D5", "E09x", ""], key=employee_no_key)
    # Equal numbers fall back to the text ("09" before "9").
    assert ordered == ["", "D5", "E09x", "E9", "E12", "E100"]


def test_groups_are_ranked_separately() -> None:
    items = [
        RankInput("l1", D(70), group="leader"),
        RankInput("s1", D(95), group="staff"),
        RankInput("l2", D(88), group="leader"),
        RankInput("s2", D(60), group="staff"),
        RankInput("s3", D(60), group="staff"),
    ]
    groups = rank_by_group(items)
    assert list(groups) == ["leader", "staff"]
    assert [(e.person_id, e.rank, e.group_size, e.group) for e in groups["leader"]] == [
        ("l2", 1, 2, "leader"),
        ("l1", 2, 2, "leader"),
    ]
    assert [(e.person_id, e.rank) for e in groups["staff"]] == [("s1", 1), ("s2", 2), ("s3", 2)]
    tenant = rank(items)
    assert [e.person_id for e in tenant] == ["s1", "l2", "l1", "s2", "s3"]
    assert tenant[1].group == "leader"


def test_from_score_uses_the_rounded_total_and_all_deductions() -> None:
    scheme = ScoringScheme(
        indicators=(RatedIndicator("k", "重点工作", 100),),
        role_weights={"department_head": 100},
        dimension_weights={"task_completion": 100},
        deduction_caps={"error_notice": D(5)},
    )
    result = compute_score(
        scheme,
        [Rating("department_head", "h", "k", "task_completion", D("85.555"))],
        deductions=[PointItem("n", "error_notice", D(1))],
    )
    item = RankInput.from_score("p", result, group="staff", employee_no="E7")
    assert item == RankInput("p", D("84.56"), D("85.555"), D(1), "staff", "E7")


def test_restrict_reranks_a_subset_keeping_the_tie_order() -> None:
    entries = rank(
        [
            RankInput("a", D(90)),
            RankInput("b", D(80), rated=D(2)),
            RankInput("c", D(80), rated=D(1)),
            RankInput("d", D(70)),
        ]
    )
    subset = restrict(entries, ["b", "c", "d"])
    assert subset == (
        RankedEntry("b", D(80), 1, 1, 3, rated=D(2)),
        RankedEntry("c", D(80), 1, 2, 3, rated=D(1)),
        RankedEntry("d", D(70), 3, 3, 3),
    )
    tied = rank([RankInput("a", D(9)), RankInput("b", D(8)), RankInput("c", D(8)),
                 RankInput("d", D(8))], keys=[])
    assert [e.tied_with_previous for e in restrict(tied, ["a", "b", "d"])] == [False, False, True]
    assert [e.tied_with_previous for e in restrict(tied, ["a", "d"])] == [False, False]


def test_duplicate_person_is_refused() -> None:
    with pytest.raises(RuleError, match="重复人员"):
        rank([RankInput("a", D(1)), RankInput("a", D(2))])


def test_non_finite_score_is_refused() -> None:
    with pytest.raises(RuleError, match="不是有效数值"):
        rank([RankInput("a", D("NaN"))])


def test_empty() -> None:
    assert rank([]) == ()
    assert rank_by_group([]) == {}


# ---- properties -------------------------------------------------------------------------------

inputs = st.lists(
    st.builds(
        RankInput,
        person_id=st.text("abcdef", min_size=1, max_size=4),
        score=st.integers(0, 8).map(D),  # few values: many ties
        rated=st.integers(0, 3).map(D),
        deductions=st.integers(0, 3).map(D),
        group=st.sampled_from(["leader", "staff"]),
        employee_no=st.sampled_from(["", "E1", "E2", "E10", "F3"]),  # shared ones too
    ),
    max_size=25,
    unique_by=lambda item: item.person_id,
)
key_lists = st.permutations(list(TieKey)).flatmap(
    lambda keys: st.integers(0, len(keys)).map(lambda n: tuple(keys[:n])))
PROPS = settings(max_examples=200, deadline=None)


@PROPS
@given(items=inputs)
def test_rank_is_one_plus_the_number_of_better_scores(items: list[RankInput]) -> None:
    entries = rank(items)
    assert [e.position for e in entries] == list(range(1, len(items) + 1))
    for entry in entries:
        assert entry.rank == 1 + sum(1 for i in items if i.score > entry.score)
        assert entry.rank <= entry.position
        assert entry.group_size == len(items)
    by_id = {i.person_id: i for i in items}
    ordered = [by_id[e.person_id] for e in entries]
    keys = [(-i.score, -i.rated, i.deductions, employee_no_key(i.employee_no), i.person_id)
            for i in ordered]
    assert keys == sorted(keys)
    assert (TieKey.rated, TieKey.deductions, TieKey.employee_no) == DEFAULT_TIE_KEYS


def _values(item: RankInput | RankedEntry, keys: tuple[TieKey, ...]) -> tuple[object, ...]:
    table = {TieKey.rated: item.rated, TieKey.deductions: item.deductions,
             TieKey.employee_no: employee_no_key(item.employee_no)}
    return (item.score, *(table[k] for k in keys))


@PROPS
@given(items=inputs, keys=key_lists, seed=st.integers(0, 2**16))
def test_order_is_deterministic_and_ties_only_when_every_step_is_equal(
    items: list[RankInput], keys: tuple[TieKey, ...], seed: int
) -> None:
    entries = rank(items, keys)
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)
    assert rank(shuffled, keys) == entries
    for before, after in pairwise(entries):
        equal = _values(before, keys) == _values(after, keys)
        assert after.tied_with_previous == equal
        if before.score == after.score:
            assert (deciding_key(before, after, keys) is None) == equal
    # Entries of one tie are equal on everything configured; different ties never are.
    groups = tie_groups(entries)
    assert sum(len(g) for g in groups) == len(entries)
    for group in groups:
        assert len({_values(e, keys) for e in group}) == 1
    assert len({_values(g[0], keys) for g in groups}) == len(groups)


@PROPS
@given(items=inputs, seed=st.integers(0, 2**16))
def test_input_order_never_matters(items: list[RankInput], seed: int) -> None:
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)
    assert rank(shuffled) == rank(items)
    assert rank_by_group(shuffled) == rank_by_group(items)


@PROPS
@given(items=inputs)
def test_group_rankings_are_rankings_of_the_group(items: list[RankInput]) -> None:
    for group, entries in rank_by_group(items).items():
        members = [i for i in items if i.group == group]
        assert entries == rank(members)
        # The tenant ranking restricted to the group orders it the same way.
        assert restrict(rank(items), [i.person_id for i in members]) == entries
