"""Pure parts of the grading use case: proposals per comparison group never exceed the group's
quota nor give 好 outside its top half and are deterministic; stored explanations rebuild the
ranking exactly; renormalized indicator weights sum to exactly 100."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from models import Person, PersonResult
from resolvers.appraisal.grading import explanation_json, rank_input, scopes
from resolvers.appraisal.scoring import PersonScore, exact_percents
from rules.grading import GradingPolicy, propose_quarterly_grades, shortlist_cutoff
from rules.ranking import RankInput
from rules.score import compute_score
from rules.scoring import (
    ConductFinding,
    PointItem,
    RatedIndicator,
    Rating,
    RoundingRule,
    ScoringScheme,
)
from vocab.grades import QuarterlyGrade

D = Decimal
PROPS = settings(max_examples=200, deadline=None)
rows = st.lists(st.tuples(st.text("abcdefghij", min_size=1, max_size=3), st.integers(0, 9),
                          st.integers(0, 3), st.sampled_from(["leader", "staff"]),
                          st.booleans()),
                max_size=30, unique_by=lambda r: r[0])
shares = st.integers(0, 20).map(lambda i: D(i) * D("0.05"))


@PROPS
@given(rows=rows, separately=st.booleans(), good=shares, shortlist=shares,
       seed=st.integers(0, 2**16))
def test_group_proposals_respect_each_groups_quota_and_top_half(
        rows: list[tuple[str, int, int, str, bool]], separately: bool, good: Decimal,
        shortlist: Decimal, seed: int) -> None:
    policy = GradingPolicy(good_quota_share=good, shortlist_share=shortlist)
    inputs = [RankInput(pid, D(score), D(rated), group=group)
              for pid, score, rated, group, _ in rows]
    breaches = {pid: breach for pid, _, _, _, breach in rows}

    def propose(items: list[RankInput]) -> dict[str, QuarterlyGrade]:
        out = {}
        for entries in scopes(items, separately).values():
            out.update(propose_quarterly_grades(entries, breaches, policy).grades())
        return out

    grades = propose(inputs)
    assert set(grades) == {pid for pid, *_ in rows}
    for entries in scopes(inputs, separately).values():
        n = len(entries)
        goods = [e for e in entries if grades[e.person_id] is QuarterlyGrade.good]
        assert len(goods) <= policy.good_quota(n)
        assert all(e.rank <= shortlist_cutoff(n, policy.shortlist_share) for e in goods)
        assert not any(breaches[e.person_id] for e in goods)
        if separately:
            assert len({inputs_group(inputs, e.person_id) for e in entries}) <= 1
    shuffled = list(inputs)
    random.Random(seed).shuffle(shuffled)
    assert propose(shuffled) == grades


def inputs_group(inputs: list[RankInput], person_id: str) -> str:
    return next(i.group for i in inputs if i.person_id == person_id)


@PROPS
@given(weights=st.lists(st.integers(0, 100), min_size=1, max_size=12))
def test_exact_percents_sum_to_100(weights: list[int]) -> None:
    total = sum(weights)
    if total == 0:
        return
    given_shares = {f"k{i}": D(w) / D(total) for i, w in enumerate(weights)}
    percents = exact_percents(given_shares)
    assert sum(percents.values()) == 100
    for key, share in given_shares.items():
        assert abs(D(percents[key]) - share * 100) <= D("1e-9")
    if all(w * 100 % total == 0 for w in weights):
        assert all(isinstance(v, int) for v in percents.values())


SCHEME = ScoringScheme(
    indicators=(RatedIndicator("a", "甲", 60), RatedIndicator("b", "乙", 40)),
    role_weights={"department_head": 40, "peer": 60},
    dimension_weights={"x": 70, "y": 30},
    credit_caps={"JF": D(5)}, deduction_caps={"KF": D(3)}, conduct_cap=D(4),
    rounding=RoundingRule(2))


@PROPS
@given(values=st.lists(st.integers(0, 10000), min_size=8, max_size=8),
       credits=st.lists(st.integers(0, 400), max_size=3),
       deductions=st.lists(st.integers(0, 400), max_size=3),
       conduct=st.lists(st.integers(0, 300), max_size=2))
def test_the_stored_explanation_rebuilds_the_ranking_input(
        values: list[int], credits: list[int], deductions: list[int],
        conduct: list[int]) -> None:
    cells = [(role, ind, dim) for role in ("department_head", "peer") for ind in "ab"
             for dim in "xy"]
    ratings = [Rating(role, role, ind, dim, D(v).scaleb(-2))
               for (role, ind, dim), v in zip(cells, values, strict=True)]
    result = compute_score(
        SCHEME, ratings,
        [PointItem(f"c{i}", "JF", D(v).scaleb(-2)) for i, v in enumerate(credits)],
        [PointItem(f"d{i}", "KF", D(v).scaleb(-2)) for i, v in enumerate(deductions)],
        [ConductFinding(f"f{i}", "作风", D(v).scaleb(-2)) for i, v in enumerate(conduct)])
    person = Person(id=uuid.uuid4(), name="某某")
    row = PersonResult(person_id=person.id, score=result.total, comparison_group="staff",
                       explanation=explanation_json(PersonScore(person, result, ()),
                                                    SCHEME.rounding, {}))
    assert rank_input(row, 2) == RankInput.from_score(str(person.id), result, "staff")
    assert Counter(line["kind"] for line in row.explanation)["dimension"] == 0
