"""Accounts, role grants and API tokens (login and its throttling: resolvers/org/login.py)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from authz import Permission
from authz.credentials import new_api_token
from models import Account, ApiToken, Person, RoleGrant, Tenant
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail, not_found
from resolvers.org import sessions
from resolvers.tenant_config import tenant_config
from rules.duties import check_not_self, check_separation
from rules.errors import RuleError
from tenants.db import Scope
from vocab.accounts import SessionEnd
from vocab.org import Role

# --- accounts and roles ------------------------------------------------------------------


@dataclass(frozen=True)
class AccountInput:
    username: str
    password: str
    person_id: uuid.UUID | None = None
    display_name: str = ""
    roles: tuple[str, ...] = ()


def _roles(values: Sequence[str], field: str) -> list[Role]:
    allowed = set(Role) - {Role.city_organization_department}
    bad = [v for v in values if v not in allowed]
    if bad:
        raise fail(ErrorCode.INVALID, f"角色无效：{'、'.join(bad)}", field)
    checked = [Role(v) for v in values]
    _separated(checked, field)
    return checked


def _separated(roles: Sequence[str], field: str) -> None:
    try:
        check_separation(roles)
    except RuleError as exc:
        raise fail(ErrorCode.ROLES_INCOMPATIBLE, str(exc), field) from exc


async def _check_grant(ctx: Context, account_id: uuid.UUID, role: Role) -> None:
    """三员分立 over the account's roles after the grant, and no grant to oneself."""
    try:
        check_not_self(ctx.me.account_id, account_id)
    except RuleError as exc:
        raise fail(ErrorCode.SELF_GRANT, str(exc), "accountId") from exc
    held = (await ctx.session.scalars(select(RoleGrant.role).where(
        RoleGrant.account_id == account_id))).all()
    _separated([*held, role], "role")


async def list_accounts(ctx: Context) -> Sequence[Account]:
    ctx.require(Permission.account_read)
    return (await ctx.session.scalars(select(Account).order_by(Account.username))).all()


async def roles_by_account(ctx: Context, ids: Sequence[uuid.UUID]) -> list[list[str]]:
    rows = (await ctx.session.execute(select(RoleGrant.account_id, RoleGrant.role)
                                      .where(RoleGrant.account_id.in_(ids))
                                      .order_by(RoleGrant.role))).all()
    out: dict[uuid.UUID, list[str]] = {}
    for account_id, role in rows:
        out.setdefault(account_id, []).append(role)
    return [out.get(i, []) for i in ids]


async def create_account(ctx: Context, data: AccountInput) -> Account:
    ctx.require(Permission.account_write)
    if not data.username.strip():
        raise fail(ErrorCode.INVALID, "用户名不能为空", "username")
    config = await tenant_config(ctx)
    sessions.check_password(data.password, data.username, config.account_security)
    roles = _roles(data.roles, "roles")
    if data.person_id is not None and await ctx.session.get(
            Person, (ctx.me.tenant_id, data.person_id)) is None:
        raise not_found("人员")
    if await ctx.session.scalar(select(Account.id).where(Account.username == data.username)):
        raise fail(ErrorCode.DUPLICATE, f"用户名“{data.username}”已存在", "username")
    account = Account(tenant_id=ctx.me.tenant_id, username=data.username.strip(),
                      display_name=data.display_name, person_id=data.person_id)
    # Set by an administrator: the person changes it at the first login.
    sessions.set_password(ctx, account, data.password, must_change=True)
    ctx.session.add(account)
    await ctx.session.flush()
    for role in roles:
        ctx.session.add(RoleGrant(tenant_id=ctx.me.tenant_id, account_id=account.id, role=role))
    audit.record(ctx, "account.create", "account", account.id,
                 after={**(audit.snapshot(account) or {}), "roles": list(data.roles)})
    return account


async def _account(ctx: Context, account_id: uuid.UUID) -> Account:
    account = await ctx.session.get(Account, (ctx.me.tenant_id, account_id))
    if account is None:
        raise not_found("账号")
    return account


async def grant_role(ctx: Context, account_id: uuid.UUID, role: str) -> Account:
    ctx.require(Permission.role_grant_write)
    (checked,) = _roles([role], "role")
    account = await _account(ctx, account_id)
    await _check_grant(ctx, account_id, checked)
    exists = await ctx.session.scalar(select(RoleGrant.id).where(
        RoleGrant.account_id == account_id, RoleGrant.role == checked))
    if exists is None:
        ctx.session.add(RoleGrant(tenant_id=ctx.me.tenant_id, account_id=account_id,
                                  role=checked))
        audit.record(ctx, "role.grant", "account", account_id, after={"role": checked.value})
    return account


async def revoke_role(ctx: Context, account_id: uuid.UUID, role: str) -> Account:
    ctx.require(Permission.role_grant_write)
    account = await _account(ctx, account_id)
    grant = await ctx.session.scalar(select(RoleGrant).where(
        RoleGrant.account_id == account_id, RoleGrant.role == role))
    if grant is not None:
        await ctx.session.delete(grant)
        audit.record(ctx, "role.revoke", "account", account_id, before={"role": role})
    return account


async def set_account_disabled(ctx: Context, account_id: uuid.UUID, disabled: bool) -> Account:
    ctx.require(Permission.account_write)
    account = await _account(ctx, account_id)
    before = audit.snapshot(account)
    account.disabled = disabled
    if disabled:  # so that enabling it again never revives an old token
        await sessions.revoke_sessions(ctx, account.id, SessionEnd.disabled)
    audit.record(ctx, "account.disable" if disabled else "account.enable", "account",
                 account_id, before, audit.snapshot(account))
    return account


# --- API tokens --------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedToken:
    token: str
    row: ApiToken


async def list_api_tokens(ctx: Context) -> Sequence[ApiToken]:
    ctx.require(Permission.api_token_write)
    return (await ctx.session.scalars(select(ApiToken).order_by(ApiToken.created_at))).all()


async def create_api_token(ctx: Context, name: str, roles: Sequence[str]) -> IssuedToken:
    ctx.require(Permission.api_token_write)
    if not name.strip():
        raise fail(ErrorCode.INVALID, "令牌名称不能为空", "name")
    checked = _roles(roles, "roles")
    if not checked:
        raise fail(ErrorCode.INVALID, "令牌至少需要一个角色", "roles")
    token_id = uuid.uuid4()
    token, digest = new_api_token(ctx.me.tenant_id, token_id)
    row = ApiToken(tenant_id=ctx.me.tenant_id, id=token_id, name=name.strip(),
                   roles=[r.value for r in checked], secret_hash=digest,
                   created_by=ctx.me.account_id)
    ctx.session.add(row)
    await ctx.session.flush()
    audit.record(ctx, "api_token.create", "api_token", token_id, after=audit.snapshot(row))
    return IssuedToken(token, row)


async def revoke_api_token(ctx: Context, token_id: uuid.UUID) -> ApiToken:
    ctx.require(Permission.api_token_write)
    row = await ctx.session.get(ApiToken, (ctx.me.tenant_id, token_id))
    if row is None:
        raise not_found("令牌")
    if row.revoked_at is None:
        before = audit.snapshot(row)
        row.revoked_at = ctx.now()
        audit.record(ctx, "api_token.revoke", "api_token", token_id, before,
                     audit.snapshot(row))
    return row


async def own_account(ctx: Context) -> Account | None:
    if ctx.me.account_id is None:
        return None
    return await ctx.session.get(Account, (ctx.me.tenant_id, ctx.me.account_id))


async def current_tenant(ctx: Context) -> Tenant:
    ctx.require(Permission.tenant_read)
    tenant = await ctx.session.get(Tenant, ctx.me.tenant_id)
    if tenant is None:
        raise not_found("单位")
    return tenant


__all__ = ["Scope"]


async def subject_names(ctx: Context, subjects: Sequence[str]) -> dict[str, str]:
    """What a person reads for stored subjects ("account:<id>", "token:<id>"): the account's
    person or display name, else its username; a token's name. One statement per kind used."""
    ids: dict[str, set[uuid.UUID]] = {"account": set(), "token": set()}
    for subject in subjects:
        kind, _, raw = subject.partition(":")
        try:
            ids.setdefault(kind, set()).add(uuid.UUID(raw))
        except ValueError:
            continue
    # An objection's raiser is recorded as nobody in particular (resolvers/appraisal/objections.py).
    names: dict[str, str] = {s: "异议提出人（不记录身份）" for s in subjects if s == "objector"}
    if ids["account"]:
        rows = await ctx.session.execute(
            select(Account.id, Person.name, Account.display_name, Account.username)
            .outerjoin(Person, (Person.tenant_id == Account.tenant_id)
                       & (Person.id == Account.person_id))
            .where(Account.id.in_(ids["account"])))
        names.update({f"account:{aid}": person or display or username
                      for aid, person, display, username in rows.all()})
    if ids["token"]:
        tokens = await ctx.session.execute(
            select(ApiToken.id, ApiToken.name).where(ApiToken.id.in_(ids["token"])))
        names.update({f"token:{tid}": f"接口令牌“{name}”" for tid, name in tokens.all()})
    return names


async def names_by_subject(ctx: Context, subjects: Sequence[str]) -> list[str | None]:
    """Batch form of ``subject_names`` for a DataLoader."""
    names = await subject_names(ctx, subjects)
    return [names.get(subject) for subject in subjects]
