"""The "manages" relation, computed from the org tree and the management relations.

A department head manages the people of their unit and its sub-units; a supervising leader
manages the people of the units assigned to them (and their sub-units); the principal leader
manages everyone in the tenant. Nobody manages themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rules.org_tree import OrgTree
from vocab.org import ManagementKind


@dataclass(frozen=True)
class ManagedScope:
    whole_tenant: bool = False
    unit_ids: frozenset[uuid.UUID] = frozenset()

    def covers_unit(self, unit_id: uuid.UUID | None) -> bool:
        return self.whole_tenant or (unit_id is not None and unit_id in self.unit_ids)

    @property
    def empty(self) -> bool:
        return not self.whole_tenant and not self.unit_ids


def managed_scope(
    relations: Iterable[tuple[str, uuid.UUID | None]], tree: OrgTree[uuid.UUID]
) -> ManagedScope:
    """``relations`` are the (kind, unit_id) rows of one manager."""
    roots: list[uuid.UUID] = []
    for kind, unit_id in relations:
        if kind == ManagementKind.principal_leader:
            return ManagedScope(whole_tenant=True)
        if unit_id is not None:
            roots.append(unit_id)
    return ManagedScope(unit_ids=tree.subtree(*roots))


def managers_of_unit(
    unit_id: uuid.UUID,
    tree: OrgTree[uuid.UUID],
    relations_by_unit: Mapping[uuid.UUID, list[tuple[str, uuid.UUID]]],
    principals: Iterable[uuid.UUID],
) -> list[tuple[str, uuid.UUID]]:
    """(kind, manager person id) of everyone who manages the people of ``unit_id``: the
    relations of the unit and of each unit above it, nearest first, then the principals."""
    found: list[tuple[str, uuid.UUID]] = []
    for unit in (unit_id, *tree.ancestors(unit_id)):
        found.extend(relations_by_unit.get(unit, ()))
    found.extend((ManagementKind.principal_leader.value, p) for p in principals)
    return found
