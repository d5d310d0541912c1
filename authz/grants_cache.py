"""The grants of the accounts a process has served, reused while their tenant's version holds.

An account's grants (its roles, the units it manages, the org tree they were computed from)
change only when role grants, management relations or org units change, and every such change
bumps the tenant's ``grants_version`` in the same transaction (database triggers, migration
0025). An authenticated request reads the version with its login session in one statement and
takes the grants from here when they were built at that version for the same person; otherwise
it loads them (``authz.loading.load_grants``) and puts them here. Nothing else is cached: the
session, the account (disabled, password, person) and the tenant are read by every request.

One cache per application (``app.state``), bounded: the least recently used entries go first.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass

from authz.relations import ManagedScope
from rules.org_tree import OrgTree
from vocab.org import Role


@dataclass(frozen=True)
class Grants:
    """What an account may do and over whom, as of one grants version of its tenant."""

    roles: frozenset[Role]
    managed: ManagedScope
    # The tree ``managed`` was computed from (None when the account manages nobody).
    org_tree: OrgTree[uuid.UUID] | None


@dataclass(frozen=True)
class _Entry:
    version: int
    person_id: uuid.UUID | None
    grants: Grants


class GrantsCache:
    def __init__(self, max_entries: int = 10_000) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[uuid.UUID, uuid.UUID], _Entry] = OrderedDict()
        # The newest org tree read per tenant: the managers of one tenant share it.
        self._trees: dict[uuid.UUID, tuple[int, OrgTree[uuid.UUID]]] = {}
        self._lock = threading.Lock()

    def get(self, tenant_id: uuid.UUID, account_id: uuid.UUID, person_id: uuid.UUID | None,
            version: int) -> Grants | None:
        """The account's grants if they were built at ``version`` for ``person_id``."""
        key = (tenant_id, account_id)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.version != version or entry.person_id != person_id:
                return None
            self._entries.move_to_end(key)
            return entry.grants

    def put(self, tenant_id: uuid.UUID, account_id: uuid.UUID, person_id: uuid.UUID | None,
            version: int, grants: Grants) -> None:
        """Grants read after ``version`` was read, in the same transaction (so no older)."""
        key = (tenant_id, account_id)
        with self._lock:
            self._entries[key] = _Entry(version, person_id, grants)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
            if grants.org_tree is not None:
                self._trees[tenant_id] = (version, grants.org_tree)
            if len(self._trees) > self.max_entries:
                self._trees.clear()

    def org_tree(self, tenant_id: uuid.UUID, version: int) -> OrgTree[uuid.UUID] | None:
        """The tenant's org tree if one was read at ``version``."""
        with self._lock:
            found = self._trees.get(tenant_id)
        return found[1] if found is not None and found[0] == version else None

    def __len__(self) -> int:
        return len(self._entries)
