"""The one read scope: what a list may return, and its SQL predicate.

``Authorizer.read_scope(permission)`` says which relations let the caller read (everything, own
rows, the people of the managed units); ``person_rows`` turns that into one SQL predicate over a
person column and a unit column, the SQL twin of ``enforcer.relations`` (property-tested against
``can()`` in tests/test_read_scope.py). Each area builds its ``readable_<entity>`` on top of it and
ORs in its own extra cases (rows of a unit itself, delegated readers, organisation-level tasks).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_, true
from sqlalchemy.orm import QueryableAttribute

from authz.relations import ManagedScope

# A uuid column (a mapped attribute or any column expression), nullable or not.
IdColumn = (ColumnElement[uuid.UUID] | ColumnElement[uuid.UUID | None]
            | QueryableAttribute[uuid.UUID] | QueryableAttribute[uuid.UUID | None])


@dataclass(frozen=True)
class ReadScope:
    """What a list may return: everything, and/or own rows, and/or the managed units."""

    everything: bool
    own: bool
    managed: ManagedScope | None

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.own and self.managed is None


def person_rows(scope: ReadScope, me: uuid.UUID | None, person_id: IdColumn,
                unit_id: IdColumn) -> ColumnElement[bool]:
    """The rows of a person the scope admits: ``person_id`` says whose row it is, ``unit_id``
    the unit that decides "managed" (usually the person's own, through a join to Person).
    ``me`` is the caller's person id. Where a row may have no person (a unit's own row), OR in
    ``unit_rows`` for those: "self" and "managed" here need a person."""
    if scope.everything:
        return true()
    clauses: list[ColumnElement[bool]] = []
    if scope.own and me is not None:
        clauses.append(person_id == me)
    managed = scope.managed
    if managed is not None and not managed.empty:
        if me is None:
            # A caller without a person of their own: "managed" goes by the row's unit alone.
            clauses.append(unit_rows(scope, unit_id))
        else:
            # Nobody manages themselves: "managed" never admits the caller's own rows.
            others = person_id != me
            clauses.append(others if managed.whole_tenant
                           else and_(unit_id.in_(managed.unit_ids), others))
    return or_(*clauses) if clauses else false()


def unit_rows(scope: ReadScope, unit_id: IdColumn) -> ColumnElement[bool]:
    """The rows of a unit itself (no person: its tasks, its trainings) the scope admits: whoever
    manages the unit, or whoever reads everything."""
    if scope.everything:
        return true()
    managed = scope.managed
    if managed is None or managed.empty:
        return false()
    return unit_id.is_not(None) if managed.whole_tenant else unit_id.in_(managed.unit_ids)
