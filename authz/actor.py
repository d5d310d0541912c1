"""Who is calling: an account (a person's login) or an API token (an integrating system)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from authz.relations import ManagedScope
from rules.org_tree import OrgTree
from vocab.org import Role


@dataclass(frozen=True)
class Actor:
    tenant_id: uuid.UUID
    tenant_kind: str
    roles: frozenset[Role]
    account_id: uuid.UUID | None = None
    token_id: uuid.UUID | None = None
    person_id: uuid.UUID | None = None
    managed: ManagedScope = field(default_factory=ManagedScope)
    # The org tree ``managed`` was computed from, read in the request's own transaction: the
    # request reuses it instead of reading the tree a second time.
    org_tree: OrgTree[uuid.UUID] | None = field(default=None, compare=False, repr=False)
    # The login session of a session token (None for API tokens and stored subjects).
    session_id: uuid.UUID | None = None
    # An initial, reset or expired password: only changing it (and logging out) is allowed.
    must_change_password: bool = False
    # An administrator of a tenant that requires TOTP who has not enrolled yet: only enrolling
    # (and logging out) is allowed.
    must_enroll_totp: bool = False

    @property
    def subject(self) -> str:
        if self.account_id is not None:
            return f"account:{self.account_id}"
        return f"token:{self.token_id}"

    @property
    def is_platform(self) -> bool:
        return Role.city_organization_department in self.roles


@dataclass(frozen=True)
class Target:
    """What an action is aimed at. ``person_id``/``unit_id`` say whose data it is."""

    kind: str
    id: uuid.UUID | None = None
    person_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None
    # Persons assigned to rate the target's person (filled where rating applies).
    assigned_raters: frozenset[uuid.UUID] = frozenset()
