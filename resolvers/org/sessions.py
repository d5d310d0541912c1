"""Login sessions and passwords: sign-in sessions, logout, refresh, password change and reset.

A session token carries the id of its ``account_sessions`` row (``jixiao.auth`` refuses it
once the row is revoked, expired or idle). Changing or resetting a password and disabling an
account revoke every session of the account, so re-enabling it never revives an old token.
Passwords follow the tenant's rules (``rules.password_policy``); they are never audited.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update

from authz import Permission
from authz.credentials import (
    hash_password,
    issue_session_token,
    new_initial_password,
    verify_password,
)
from models import Account, AccountSession
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, Problem, UserFacingError, fail, not_found
from resolvers.tenant_config import tenant_config
from rules.password_policy import PasswordPolicy, password_problems
from tenants.config import AccountSecurityConfig, TenantConfig
from vocab.accounts import SessionEnd


@dataclass(frozen=True)
class IssuedSession:
    token: str
    expires_at: datetime


def policy_of(security: AccountSecurityConfig) -> PasswordPolicy:
    return PasswordPolicy(security.password_min_length, security.password_min_classes,
                          security.password_forbid_username)


def check_password(password: str, username: str, security: AccountSecurityConfig,
                   field: str = "password") -> None:
    """Refuses a password that breaks the tenant's rules, naming every rule it breaks."""
    problems = password_problems(password, username, policy_of(security))
    if problems:
        raise UserFacingError(Problem(ErrorCode.WEAK_PASSWORD,
                                      "密码不符合要求：" + "；".join(problems), field))


def initial_password(security: AccountSecurityConfig, username: str) -> str:
    """A random one-time password that meets the rules: all four classes, drawn again in the
    unlikely case it contains the username."""
    while True:
        password = new_initial_password(max(security.password_min_length, 12))
        if not password_problems(password, username, policy_of(security)):
            return password


async def start_session(ctx: Context, account: Account) -> IssuedSession:
    """A new login session of the account and its token."""
    now = ctx.now()
    expires = now + timedelta(seconds=ctx.settings.token_ttl_seconds)
    row = AccountSession(tenant_id=account.tenant_id, id=uuid.uuid4(), account_id=account.id,
                         created_at=now, last_seen_at=now, expires_at=expires)
    ctx.session.add(row)
    await ctx.session.flush()
    token = issue_session_token(ctx.settings.secret_key, account.id, account.tenant_id, row.id,
                                expires, now)
    return IssuedSession(token, expires)


async def revoke_sessions(ctx: Context, account_id: uuid.UUID, reason: SessionEnd) -> None:
    """Ends every live session of the account."""
    await ctx.session.execute(
        update(AccountSession)
        .where(AccountSession.account_id == account_id, AccountSession.revoked_at.is_(None))
        .values(revoked_at=ctx.now(), revoked_reason=reason.value)
        .execution_options(synchronize_session=False))


def _own_session(ctx: Context) -> uuid.UUID:
    if ctx.me.session_id is None or ctx.me.account_id is None:
        raise fail(ErrorCode.FORBIDDEN, "只有登录的账号才能执行此操作（接口令牌不适用）")
    return ctx.me.session_id


async def logout(ctx: Context) -> None:
    session_id = _own_session(ctx)
    row = await ctx.session.get(AccountSession, (ctx.me.tenant_id, session_id))
    if row is not None and row.revoked_at is None:
        row.revoked_at, row.revoked_reason = ctx.now(), SessionEnd.logout.value
        audit.record(ctx, "session.logout", "account", ctx.me.account_id,
                     after={"sessionId": str(session_id)})


async def refresh(ctx: Context) -> IssuedSession:
    """A fresh token with a new expiry for the caller's live session."""
    session_id = _own_session(ctx)
    row = await ctx.session.get(AccountSession, (ctx.me.tenant_id, session_id))
    if row is None or row.revoked_at is not None:
        raise fail(ErrorCode.UNAUTHENTICATED, "登录已失效，请重新登录")
    now = ctx.now()
    row.expires_at = now + timedelta(seconds=ctx.settings.token_ttl_seconds)
    row.last_seen_at = now
    token = issue_session_token(ctx.settings.secret_key, row.account_id, row.tenant_id, row.id,
                                row.expires_at, now)
    return IssuedSession(token, row.expires_at)


async def change_password(ctx: Context, current: str, new: str) -> IssuedSession:
    """The caller's own password. Every session ends, this one included: the answer carries a
    token of a new session, so the caller goes on while any stolen token stops working."""
    _own_session(ctx)
    account = await ctx.session.get(Account, (ctx.me.tenant_id, ctx.me.account_id))
    if account is None:
        raise not_found("账号")
    if not verify_password(account.password_hash, current):
        raise fail(ErrorCode.INVALID_CREDENTIALS, "当前密码不正确", "currentPassword")
    if new == current:
        raise fail(ErrorCode.INVALID, "新密码不能与当前密码相同", "newPassword")
    config = await tenant_config(ctx)
    check_password(new, account.username, config.account_security, "newPassword")
    set_password(ctx, account, new, must_change=False)
    await revoke_sessions(ctx, account.id, SessionEnd.password_changed)
    audit.record(ctx, "account.password_change", "account", account.id,
                 after={"username": account.username})
    return await start_session(ctx, account)


def set_password(ctx: Context, account: Account, password: str, must_change: bool) -> None:
    account.password_hash = hash_password(password)
    account.password_changed_at = ctx.now()
    account.must_change_password = must_change


@dataclass(frozen=True)
class ResetPassword:
    account: Account
    password: str


async def reset_password(ctx: Context, account_id: uuid.UUID) -> ResetPassword:
    """A one-time initial password for an account, returned once; it must be changed at the
    next login, and every session of the account ends."""
    ctx.require(Permission.account_write)
    account = await ctx.session.get(Account, (ctx.me.tenant_id, account_id))
    if account is None:
        raise not_found("账号")
    config: TenantConfig = await tenant_config(ctx)
    password = initial_password(config.account_security, account.username)
    set_password(ctx, account, password, must_change=True)
    await revoke_sessions(ctx, account.id, SessionEnd.password_reset)
    audit.record(ctx, "account.password_reset", "account", account.id,
                 after={"username": account.username, "mustChangePassword": True})
    return ResetPassword(account, password)
