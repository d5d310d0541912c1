"""Who rates whom in a period (评价主体): generated from the management relations, pure.

"直接领导主导考核 + 多元主体参与印证": for every appraised person

* **managers** rate in the role of their relation: the department head(s) of the person's unit
  and the units above it, the supervising leader(s) of those units, the principal leader(s)
  ("谁管理谁评价"). A manager holding two relations to the person rates once, in the first of
  department head, supervising leader, principal leader.
* **peers** (同级): appraised colleagues of the same unit where neither manages the other; a
  department head's peers are the other department heads (科室负责人互评). At most
  ``peers_per_person`` of them.
* **subordinates** (下级), for whoever manages someone: their direct reports, i.e. the people they
  manage who are not managed by anyone they manage (a principal leader's direct reports are the
  supervising leaders, a supervising leader's the heads of the supervised units, a head's the
  staff). At most ``subordinates_per_person`` of them.
* **external raters** (外部评价人, 黄水镇: the village and community secretaries): people who are
  not appraised themselves rate the department heads (section heads). At most
  ``external_raters_per_person`` of them (0: all).

Roles whose tenant weight is 0 (or absent) get no raters. Nobody ever rates themselves.

Deterministic choice: when there are more candidates than places, candidates are ordered by
SHA-256 of ``"<seed>:<person id>:<candidate id>"`` (the seed is the period id) and the first ones
are taken. The same inputs always give the same assignments; different periods spread the work
differently; input order never matters.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from vocab.rating import RaterRole

__all__ = [
    "MANAGER_ROLES",
    "Assignment",
    "Candidate",
    "RaterLimits",
    "generate",
]


MANAGER_ROLES: tuple[RaterRole, ...] = (
    RaterRole.department_head,
    RaterRole.supervising_leader,
    RaterRole.principal_leader,
)
_ORDER = {role: index for index, role in enumerate(RaterRole)}


@dataclass(frozen=True)
class Candidate:
    """An active person of the tenant."""

    id: str
    unit_id: str
    appraised: bool = True


@dataclass(frozen=True)
class RaterLimits:
    peers: int = 3
    subordinates: int = 3
    external_raters: int = 0  # 0: every external rater


@dataclass(frozen=True)
class Assignment:
    person_id: str  # who is rated
    rater_id: str
    role: RaterRole


def _pick(seed: str, person: str, candidates: Iterable[str], limit: int | None) -> list[str]:
    """The first ``limit`` candidates (all for None) in the seeded hash order."""

    def key(candidate: str) -> tuple[str, str]:
        digest = hashlib.sha256(f"{seed}:{person}:{candidate}".encode()).hexdigest()
        return digest, candidate

    ordered = sorted(set(candidates), key=key)
    return ordered if limit is None else ordered[:max(limit, 0)]


def generate(
    people: Iterable[Candidate],
    managers: Mapping[str, Sequence[tuple[str, str]]],
    role_weights: Mapping[str, int],
    limits: RaterLimits,
    seed: str,
) -> tuple[Assignment, ...]:
    """The assignments of one period, sorted by person, role, rater.

    ``managers`` maps an appraised person's id to the ``(kind, manager id)`` of everyone who
    manages them (kinds: ``ManagementKind``). Managers and raters who are not among ``people``
    (left, or unknown) are ignored.
    """
    everyone = {p.id: p for p in people}
    roles = {role for role in RaterRole if role_weights.get(role, 0) > 0}
    appraised = sorted(pid for pid, p in everyone.items() if p.appraised)
    managed_by: dict[str, set[str]] = {}  # person -> their managers (present people only)
    manages: dict[str, set[str]] = defaultdict(set)  # manager -> appraised people managed
    heads: set[str] = set()
    for pid in appraised:
        mine = {m for _, m in managers.get(pid, ()) if m in everyone and m != pid}
        managed_by[pid] = mine
        for kind, manager in managers.get(pid, ()):
            if manager in mine:
                manages[manager].add(pid)
                if kind == RaterRole.department_head:
                    heads.add(manager)
    external = sorted(pid for pid, p in everyone.items() if not p.appraised)
    out: dict[tuple[str, str], RaterRole] = {}

    def add(person: str, rater: str, role: RaterRole) -> None:
        if rater != person and (person, rater) not in out and role in roles:
            out[(person, rater)] = role

    for role in MANAGER_ROLES:  # first relation wins
        for pid in appraised:
            for kind, manager in managers.get(pid, ()):
                if kind == role and manager in managed_by[pid]:
                    add(pid, manager, role)
    for pid in appraised:
        person = everyone[pid]

        def taken(pid: str = pid) -> set[str]:
            return {rater for (ratee, rater) in out if ratee == pid}

        if RaterRole.peer in roles:
            if pid in heads:
                pool = [h for h in heads if h in everyone and everyone[h].appraised]
            else:
                pool = [q for q in appraised if everyone[q].unit_id == person.unit_id]
            busy = taken()
            pool = [q for q in pool if q != pid and q not in busy and q not in managed_by[pid]
                    and pid not in managed_by.get(q, set())]
            for rater in _pick(seed, pid, pool, limits.peers):
                add(pid, rater, RaterRole.peer)
        if RaterRole.subordinate in roles and manages.get(pid):
            mine = manages[pid]
            busy = taken()
            direct = [q for q in mine if not managed_by[q] & mine and q not in busy]
            for rater in _pick(seed, pid, direct, limits.subordinates):
                add(pid, rater, RaterRole.subordinate)
        if RaterRole.external_rater in roles and pid in heads:
            limit = limits.external_raters or None
            for rater in _pick(seed, pid, external, limit):
                add(pid, rater, RaterRole.external_rater)
    return tuple(sorted((Assignment(p, r, role) for (p, r), role in out.items()),
                        key=lambda a: (a.person_id, _ORDER[a.role], a.rater_id)))
