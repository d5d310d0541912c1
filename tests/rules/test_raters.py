"""Rater assignment from the management relations: examples and properties."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.raters import Assignment, Candidate, RaterLimits, generate
from vocab.rating import RaterRole

R = RaterRole
ALL = {"department_head": 40, "supervising_leader": 20, "principal_leader": 15, "peer": 15,
       "subordinate": 10}
# A small unit: principal p1; supervising leader s1 of d1 and d2; heads h1 (d1), h2 (d2);
# staff a1..a3 in d1, b1 in d2; c1 a village secretary (not appraised).
PEOPLE = [Candidate("p1", "lead"), Candidate("s1", "lead"), Candidate("h1", "d1"),
          Candidate("h2", "d2"), Candidate("a1", "d1"), Candidate("a2", "d1"),
          Candidate("a3", "d1"), Candidate("b1", "d2"), Candidate("c1", "v", appraised=False)]
MANAGERS = {
    "p1": [],
    "s1": [("principal_leader", "p1")],
    "h1": [("department_head", "h1"), ("supervising_leader", "s1"), ("principal_leader", "p1")],
    "h2": [("department_head", "h2"), ("supervising_leader", "s1"), ("principal_leader", "p1")],
    **{a: [("department_head", "h1"), ("supervising_leader", "s1"), ("principal_leader", "p1")]
       for a in ("a1", "a2", "a3")},
    "b1": [("department_head", "h2"), ("supervising_leader", "s1"), ("principal_leader", "p1")],
}


def raters_of(assignments: tuple[Assignment, ...], person: str) -> set[tuple[str, str]]:
    return {(a.rater_id, a.role.value) for a in assignments if a.person_id == person}


def test_whoever_manages_rates_plus_peers_and_subordinates() -> None:
    out = generate(PEOPLE, MANAGERS, ALL, RaterLimits(), "period-1")
    assert raters_of(out, "a1") == {("h1", "department_head"), ("s1", "supervising_leader"),
                                    ("p1", "principal_leader"), ("a2", "peer"), ("a3", "peer")}
    assert raters_of(out, "h1") == {("s1", "supervising_leader"), ("p1", "principal_leader"),
                                    ("h2", "peer"), ("a1", "subordinate"),
                                    ("a2", "subordinate"), ("a3", "subordinate")}
    # the supervising leader's direct reports are the heads, not the heads' staff
    assert raters_of(out, "s1") == {("p1", "principal_leader"), ("h1", "subordinate"),
                                    ("h2", "subordinate")}
    assert raters_of(out, "p1") == {("s1", "subordinate")}
    assert raters_of(out, "c1") == set()  # not appraised: not rated
    assert all(a.role is not R.external_rater for a in out)  # no weight, no raters


def test_external_raters_rate_the_department_heads() -> None:
    weights = {**ALL, "department_head": 25, "external_rater": 15}
    out = generate(PEOPLE, MANAGERS, weights, RaterLimits(), "period-1")
    externals = {(a.person_id, a.rater_id) for a in out if a.role is R.external_rater}
    assert externals == {("h1", "c1"), ("h2", "c1")}


def test_limits_and_roles_without_weight() -> None:
    weights = {"department_head": 60, "supervising_leader": 40}
    out = generate(PEOPLE, MANAGERS, weights, RaterLimits(peers=1), "period-1")
    assert {a.role for a in out} == {R.department_head, R.supervising_leader}
    one_peer = generate(PEOPLE, MANAGERS, ALL, RaterLimits(peers=1, subordinates=2), "x")
    assert Counter(a.role for a in one_peer if a.person_id == "a1")[R.peer] == 1
    assert Counter(a.role for a in one_peer if a.person_id == "h1")[R.subordinate] == 2


def test_a_manager_with_two_relations_rates_once_in_the_first_role() -> None:
    managers = {**MANAGERS, "a1": [("department_head", "h1"), ("supervising_leader", "h1"),
                                   ("principal_leader", "p1")]}
    out = generate(PEOPLE, managers, ALL, RaterLimits(), "p")
    assert ("h1", "department_head") in raters_of(out, "a1")
    assert ("h1", "supervising_leader") not in raters_of(out, "a1")


def test_people_who_left_are_neither_rated_nor_raters() -> None:
    present = [p for p in PEOPLE if p.id != "h1"]
    out = generate(present, MANAGERS, ALL, RaterLimits(), "p")
    assert all("h1" not in (a.person_id, a.rater_id) for a in out)


# ---- properties -------------------------------------------------------------------------------


@st.composite
def organisations(draw: st.DrawFn) -> tuple[list[Candidate], dict[str, list[tuple[str, str]]]]:
    n = draw(st.integers(1, 25))
    units = [f"u{i}" for i in range(draw(st.integers(1, 4)))]
    people = [Candidate(f"x{i:02d}", draw(st.sampled_from(units)), draw(st.booleans()))
              for i in range(n)]
    ids = [p.id for p in people]
    kinds = st.sampled_from(["department_head", "supervising_leader", "principal_leader"])
    managers = {p.id: draw(st.lists(st.tuples(kinds, st.sampled_from(ids)), max_size=4))
                for p in people if p.appraised}
    return people, managers


weights = st.fixed_dictionaries({role.value: st.integers(0, 40) for role in R})
PROPS = settings(max_examples=150, deadline=None)


@PROPS
@given(org=organisations(), role_weights=weights, seed=st.text(max_size=8),
       shuffle=st.integers(0, 2**16), limit=st.integers(0, 4))
def test_never_oneself_deterministic_and_within_limits(
        org: tuple[list[Candidate], dict[str, list[tuple[str, str]]]],
        role_weights: dict[str, int], seed: str, shuffle: int, limit: int) -> None:
    people, managers = org
    limits = RaterLimits(peers=limit, subordinates=limit, external_raters=limit)
    out = generate(people, managers, role_weights, limits, seed)
    assert all(a.person_id != a.rater_id for a in out)
    assert len({(a.person_id, a.rater_id) for a in out}) == len(out)  # one role per pair
    appraised = {p.id for p in people if p.appraised}
    assert {a.person_id for a in out} <= appraised
    assert all(role_weights[a.role.value] > 0 for a in out)
    per_role = Counter((a.person_id, a.role) for a in out)
    for (_, role), count in per_role.items():
        if role in (R.peer, R.subordinate) or (role is R.external_rater and limit):
            assert count <= limit
    # every weighted management relation gives an assignment (in one of the manager roles)
    for person, links in managers.items():
        for kind, manager in links:
            if manager != person and role_weights[kind] > 0:
                assert any(a.person_id == person and a.rater_id == manager for a in out)
    shuffled = list(people)
    random.Random(shuffle).shuffle(shuffled)
    again = {p: list(reversed(links)) for p, links in reversed(list(managers.items()))}
    assert generate(shuffled, managers, role_weights, limits, seed) == out
    same_relations = generate(shuffled, again, role_weights, limits, seed)
    assert {(a.person_id, a.rater_id) for a in same_relations} == {
        (a.person_id, a.rater_id) for a in out}
