"""rules.completeness: missing rater roles, result status, tallies."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rules.completeness import (
    AssignmentState,
    MissingRole,
    missing_roles,
    result_status,
    tally,
)
from vocab.grades import ResultStatus

ROLES = ("department_head", "peer", "subordinate")


def test_a_role_is_missing_when_none_of_its_raters_rated() -> None:
    states = [AssignmentState("a", "h", "department_head", False),
              AssignmentState("a", "p1", "peer", False),
              AssignmentState("a", "p2", "peer", True),
              AssignmentState("b", "h", "department_head", True)]
    assert missing_roles(["a", "b", "c"], states, set(ROLES), ROLES) == (
        MissingRole("a", "department_head", ("h",)), MissingRole("c", None))


def test_roles_that_do_not_count_are_never_missing() -> None:
    states = [AssignmentState("a", "x", "external_rater", False),
              AssignmentState("a", "h", "department_head", True)]
    assert missing_roles(["a"], states, {"department_head"}) == ()


def test_result_status() -> None:
    assert result_status(managed_in_unit=False, appraised_in_unit_anyway=False,
                         has_ratings=True) == ResultStatus.by_higher_level
    assert result_status(managed_in_unit=False, appraised_in_unit_anyway=True,
                         has_ratings=True) == ResultStatus.appraised
    assert result_status(managed_in_unit=True, appraised_in_unit_anyway=False,
                         has_ratings=False) == ResultStatus.unrated


states = st.lists(st.builds(AssignmentState, st.sampled_from("abcd"), st.sampled_from("hpqr"),
                            st.sampled_from(ROLES), st.booleans()), max_size=30)


@given(states)
def test_tallies_add_up(assignments: list[AssignmentState]) -> None:
    for key in (lambda a: a.person_id, lambda a: a.rater_id, lambda a: a.role):
        rows = tally(assignments, key)
        assert sum(r.assigned for r in rows) == len(assignments)
        assert all(r.assigned == r.done + len(r.missing) for r in rows)
        assert sum(r.done for r in rows) == sum(a.done for a in assignments)


@given(states)
def test_nobody_fully_rated_is_missing_and_nobody_unrated_is_forgotten(
        assignments: list[AssignmentState]) -> None:
    people = ["a", "b", "c", "d"]
    missing = missing_roles(people, assignments, set(ROLES), ROLES)
    lacking = {m.person_id for m in missing}
    for person in people:
        mine = [a for a in assignments if a.person_id == person]
        complete = bool(mine) and all(any(a.done for a in mine if a.role == role)
                                      for role in {a.role for a in mine})
        assert (person not in lacking) == complete
    for m in missing:  # every named rater is assigned in that role and has not rated
        assert all(AssignmentState(m.person_id, r, m.role, False) in assignments
                   for r in m.raters if m.role is not None)
