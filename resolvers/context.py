"""What a use case receives: the request's session, the actor, and the after-commit queue."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from authz import Actor, Authorizer, Permission, Target
from resolvers.errors import ErrorCode, UserFacingError, fail, forbidden
from resolvers.settings import UseCaseSettings
from rules.org_tree import OrgTree
from tenants.replica import ReadReplica


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Context:
    session: AsyncSession
    settings: UseCaseSettings
    actor: Actor | None = None
    # Jobs to enqueue once the request's transaction has committed (dropped on rollback).
    after_commit: list[Callable[[], None]] = field(default_factory=list)
    now: Callable[[], datetime] = utcnow
    # The caller's network address (jixiao.auth.client_address): login throttling keys on it.
    client_address: str = ""
    # The tenant an anonymous call named (login): CORS answers by that tenant's allowed origins.
    named_tenant_id: uuid.UUID | None = None
    _authorizer: Authorizer | None = None
    # The org tree, loaded at most once per request or job (resolvers.org.tree.org_tree).
    org_tree: OrgTree[uuid.UUID] | None = None
    # The read replica for heavy reads (tenants/replica.py: ``read_transaction``), if configured.
    replica: ReadReplica | None = None

    def __post_init__(self) -> None:
        # Authentication may already have read the tree (to find the units the caller manages).
        if self.org_tree is None and self.actor is not None:
            self.org_tree = self.actor.org_tree

    @property
    def authz(self) -> Authorizer:
        if self.actor is None:
            raise fail(ErrorCode.UNAUTHENTICATED, "未登录或登录已过期，请重新登录")
        if self._authorizer is None or self._authorizer.actor is not self.actor:
            self._authorizer = Authorizer(self.actor)
        return self._authorizer

    @property
    def me(self) -> Actor:
        return self.authz.actor

    def can(self, permission: Permission, target: Target | None = None) -> bool:
        return self.actor is not None and self.authz.can(permission, target)

    def require(self, permission: Permission, target: Target | None = None) -> None:
        if not self.can(permission, target):
            raise forbidden()

    def defer(self, job: Callable[[], None]) -> None:
        self.after_commit.append(job)


__all__ = ["Context", "UserFacingError", "utcnow"]
