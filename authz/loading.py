"""Builds the Actor of a request from the database (inside the tenant's transaction)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from authz.actor import Actor
from authz.credentials import ApiTokenParts
from authz.grants_cache import Grants
from authz.relations import ManagedScope, managed_scope
from models import Account, AccountSession, ApiToken, ManagementRelation, OrgUnit, RoleGrant, Tenant
from rules.org_tree import OrgTree
from vocab.org import Role


def org_tree_of(units: Iterable[tuple[uuid.UUID, uuid.UUID | None, int, str]]
                ) -> OrgTree[uuid.UUID]:
    """The tree of (id, parent id, sort order, code) rows: siblings by sort order, then code."""
    return OrgTree((unit, parent, (order, code)) for unit, parent, order, code in units)


async def load_org_tree(session: AsyncSession) -> OrgTree[uuid.UUID]:
    """The tenant's org tree in one statement. Use cases get it through
    ``resolvers.org.tree.org_tree`` (once per request or job); this is the one query."""
    return org_tree_of((await session.execute(
        select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.sort_order, OrgUnit.code))).all())


async def _managed(session: AsyncSession, person_id: uuid.UUID | None,
                   tree: OrgTree[uuid.UUID] | None = None
                   ) -> tuple[ManagedScope, OrgTree[uuid.UUID] | None]:
    """The units a person manages, and the tree they were found in (None when not needed).
    ``tree``: the tenant's tree if the caller already holds a current one."""
    if person_id is None:
        return ManagedScope(), None
    rows = (await session.execute(
        select(ManagementRelation.kind, ManagementRelation.unit_id)
        .where(ManagementRelation.manager_id == person_id)
    )).all()
    if not rows:
        return ManagedScope(), None
    if tree is None:
        tree = await load_org_tree(session)
    return managed_scope([(k, u) for k, u in rows], tree), tree


async def load_grants(session: AsyncSession, account_id: uuid.UUID,
                      person_id: uuid.UUID | None,
                      tree: OrgTree[uuid.UUID] | None = None) -> Grants:
    """An account's roles and the units its person manages (``tree``: a current org tree the
    caller holds, to skip reading it)."""
    roles = frozenset(Role(r) for r in (await session.scalars(
        select(RoleGrant.role).where(RoleGrant.account_id == account_id))).all())
    managed, tree = await _managed(session, person_id, tree)
    return Grants(roles=roles, managed=managed, org_tree=tree)


def account_actor_of(account: Account | AccountLine, kind: str, grants: Grants,
                     session_id: uuid.UUID | None = None,
                     must_change_password: bool = False) -> Actor:
    """The actor of a loaded, enabled account with its grants."""
    return Actor(tenant_id=account.tenant_id, tenant_kind=kind, roles=grants.roles,
                 account_id=account.id, person_id=account.person_id, managed=grants.managed,
                 org_tree=grants.org_tree, session_id=session_id,
                 must_change_password=must_change_password)


async def account_actor(session: AsyncSession, account: Account, kind: str,
                        session_id: uuid.UUID | None = None,
                        must_change_password: bool = False) -> Actor:
    """The actor of a loaded, enabled account: its roles and the units it manages."""
    grants = await load_grants(session, account.id, account.person_id)
    return account_actor_of(account, kind, grants, session_id, must_change_password)


async def load_account_actor(
    session: AsyncSession, tenant_id: uuid.UUID, account_id: uuid.UUID
) -> Actor | None:
    row = (await session.execute(
        select(Account, Tenant.kind).join(Tenant, Tenant.id == Account.tenant_id)
        .where(Account.id == account_id, Account.tenant_id == tenant_id)
    )).first()
    if row is None or row[0].disabled:
        return None
    return await account_actor(session, row[0], row[1])


@dataclass(frozen=True, slots=True)
class AccountLine:
    """What a request needs of the caller's account, read as plain columns: loading the ORM
    entity cost about a tenth of a small request's CPU (bench.profile_request)."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    person_id: uuid.UUID | None
    disabled: bool
    must_change_password: bool
    password_changed_at: datetime
    totp_enabled_at: datetime | None


@dataclass(frozen=True, slots=True)
class LoginLine:
    """What a request needs of its login session (``AccountSession``), as plain columns."""

    id: uuid.UUID
    last_seen_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class SessionRow:
    account: AccountLine
    tenant_kind: str
    tenant_settings: dict[str, Any]
    # The tenant's grants version (authz.grants_cache): cached grants of another are stale.
    grants_version: int
    login: LoginLine


_ACCOUNT_COLUMNS = (Account.id, Account.tenant_id, Account.person_id, Account.disabled,
                    Account.must_change_password, Account.password_changed_at,
                    Account.totp_enabled_at)
_LOGIN_COLUMNS = (AccountSession.id, AccountSession.last_seen_at, AccountSession.expires_at,
                  AccountSession.revoked_at)
# Built once: every authenticated request runs it.
_SESSION = (
    select(*_ACCOUNT_COLUMNS, Tenant.kind, Tenant.settings, Tenant.grants_version,
           *_LOGIN_COLUMNS)
    .join(Tenant, Tenant.id == Account.tenant_id)
    .join(AccountSession, (AccountSession.tenant_id == Account.tenant_id)
          & (AccountSession.account_id == Account.id))
    .where(Account.id == bindparam("account"), Account.tenant_id == bindparam("tenant"),
           AccountSession.id == bindparam("login")))


async def load_session(session: AsyncSession, tenant_id: uuid.UUID, account_id: uuid.UUID,
                       session_id: uuid.UUID) -> SessionRow | None:
    """The account, its tenant's kind, settings and grants version and the login session, in
    one statement (the caller judges whether the session is still live: ``rules.sessions``)."""
    row = (await session.execute(_SESSION, {"account": account_id, "tenant": tenant_id,
                                            "login": session_id})).first()
    if row is None:
        return None
    n = len(_ACCOUNT_COLUMNS)
    return SessionRow(AccountLine(*row[:n]), row[n], dict(row[n + 1] or {}), row[n + 2],
                      LoginLine(*row[n + 3:]))


async def load_subject_actor(session: AsyncSession, tenant_id: uuid.UUID,
                             subject: str) -> Actor | None:
    """The actor behind a stored subject ("account:<id>" or "token:<id>"), as it is now."""
    kind, _, raw = subject.partition(":")
    try:
        ident = uuid.UUID(raw)
    except ValueError:
        return None
    if kind == "account":
        return await load_account_actor(session, tenant_id, ident)
    if kind == "token":
        row = (await session.execute(
            select(ApiToken, Tenant.kind).join(Tenant, Tenant.id == ApiToken.tenant_id)
            .where(ApiToken.id == ident, ApiToken.tenant_id == tenant_id))).first()
        if row is None or row[0].revoked_at is not None:
            return None
        roles = frozenset(Role(r) for r in row[0].roles) - {Role.city_organization_department}
        return Actor(tenant_id=tenant_id, tenant_kind=row[1], roles=roles, token_id=ident)
    return None


async def load_token_actor(session: AsyncSession, parts: ApiTokenParts) -> Actor | None:
    row = (await session.execute(
        select(ApiToken, Tenant.kind).join(Tenant, Tenant.id == ApiToken.tenant_id)
        .where(ApiToken.id == parts.token_id, ApiToken.tenant_id == parts.tenant_id)
    )).first()
    if row is None or row[0].revoked_at is not None or not parts.matches(row[0].secret_hash):
        return None
    token, kind = row
    # A token never carries the platform role: integrating systems act inside one unit.
    roles = frozenset(Role(r) for r in token.roles) - {Role.city_organization_department}
    return Actor(tenant_id=parts.tenant_id, tenant_kind=kind, roles=roles, token_id=token.id)
