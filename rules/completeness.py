"""Rating completeness (评价完成情况), pure: who was to rate whom, who did, who is missing.

"Nobody is scored on missing ratings" (DOMAIN, decisions on the rules):

* An assignment is **done** once its rater has saved at least one value for the person.
* A person **lacks a rater role** when they have assignments in a role that counts (weight above
  0) and none of that role's raters has rated them; a person with no assignment at all lacks
  every role (``MissingRole.role`` is ``None``). Computing results refuses while anybody lacks a
  role, unless the admin proceeds.
* ``result_status``: people nobody manages inside the unit are appraised by the level above
  unless the tenant appraises them itself; a person without a single value is unrated (未评价),
  never scored 0; everyone else is appraised.

``tally`` counts assigned / done / missing by any key (the rater, the rated person, the rated
person's unit) for the completion view.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from vocab.grades import ResultStatus

K = TypeVar("K", bound=Hashable)

__all__ = [
    "AssignmentState",
    "MissingRole",
    "Tally",
    "missing_roles",
    "result_status",
    "tally",
]


@dataclass(frozen=True)
class AssignmentState:
    person_id: str  # who is rated
    rater_id: str
    role: str
    done: bool


@dataclass(frozen=True)
class MissingRole:
    person_id: str
    role: str | None  # None: nobody was assigned to rate the person
    raters: tuple[str, ...] = ()  # the role's raters who have not rated (sorted)


@dataclass
class Tally(Generic[K]):
    key: K
    assigned: int = 0
    done: int = 0
    missing: list[AssignmentState] = field(default_factory=list)


def missing_roles(people: Sequence[str], assignments: Iterable[AssignmentState],
                  counted_roles: Collection[str],
                  role_order: Sequence[str] = ()) -> tuple[MissingRole, ...]:
    """Per person (in the order given), the counted roles nobody has rated them in; roles in
    ``role_order`` first, in that order, then by name."""
    by_person: dict[str, list[AssignmentState]] = defaultdict(list)
    for a in assignments:
        by_person[a.person_id].append(a)
    order = {role: i for i, role in enumerate(role_order)}
    out: list[MissingRole] = []
    for person in people:
        mine = [a for a in by_person.get(person, ()) if a.role in counted_roles]
        if not mine:
            out.append(MissingRole(person, None))
            continue
        roles = sorted({a.role for a in mine}, key=lambda r: (order.get(r, len(order)), r))
        for role in roles:
            of_role = [a for a in mine if a.role == role]
            if not any(a.done for a in of_role):
                out.append(MissingRole(person, role, tuple(sorted(a.rater_id for a in of_role))))
    return tuple(out)


def result_status(*, managed_in_unit: bool, appraised_in_unit_anyway: bool,
                  has_ratings: bool) -> ResultStatus:
    """The status of a person's result (see the module doc)."""
    if not managed_in_unit and not appraised_in_unit_anyway:
        return ResultStatus.by_higher_level
    return ResultStatus.appraised if has_ratings else ResultStatus.unrated


def tally(assignments: Iterable[AssignmentState],
          key: Callable[[AssignmentState], K]) -> list[Tally[K]]:
    """Assigned, done and missing assignments per key, in the order keys first appear."""
    out: dict[K, Tally[K]] = {}
    for a in assignments:
        k = key(a)
        row = out.setdefault(k, Tally(k))
        row.assigned += 1
        if a.done:
            row.done += 1
        else:
            row.missing.append(a)
    return list(out.values())
