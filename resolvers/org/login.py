"""Password login with throttling that cannot be turned against users, and the admin unlock.

Failed logins are counted per (username, client address) and per client address over all
usernames (rules/login_throttle.py). A wrong password only ever slows the address it came
from: the right password from another address still logs in, so nobody can lock a known user
out. The counters live in the database, so every API replica sees the same ones; the
(username, address) row is locked for the attempt, so parallel guesses are counted one by one.
Every login, failure, refusal and wait is audited, never with the password.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert

from authz import Permission
from authz.credentials import verify_password
from models import Account, LoginAddressThrottle, LoginThrottle, Tenant
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, Problem, UserFacingError, fail, not_found
from resolvers.org import totp
from resolvers.org.sessions import start_session
from rules.login_throttle import address_key, after_failure, retry_after
from rules.sessions import password_expired
from tenants.config import load_config
from tenants.db import set_tenant, tenant_id_for_code

# The audit actor of an attempt nobody is logged in for yet.
ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class LoginResult:
    token: str
    expires_at: datetime
    account: Account
    # Only changePassword (and logout, me) work until the password is changed.
    must_change_password: bool
    password_expired: bool
    # An administrator of a tenant that requires TOTP, not enrolled yet (resolvers/org/totp.py).
    totp_enrollment_required: bool = False


def _bad_credentials() -> UserFacingError:
    # One message for unknown unit, unknown user and wrong password: nothing to enumerate.
    return fail(ErrorCode.INVALID_CREDENTIALS, "单位代码、用户名或密码不正确")


def _too_many(wait: int) -> UserFacingError:
    return UserFacingError(Problem(
        ErrorCode.TOO_MANY_ATTEMPTS, f"登录失败次数过多，请在{wait}秒后再试",
        retry_after_seconds=wait))


Counter = TypeVar("Counter", LoginThrottle, LoginAddressThrottle)


async def _locked_row(ctx: Context, model: type[Counter], **key: Any) -> Counter:
    """The counter row, created if missing and locked until the request commits: replicas
    and parallel requests update it one after the other."""
    await ctx.session.execute(insert(model).values(failures=0, **key).on_conflict_do_nothing())
    stmt = select(model).filter_by(**key).with_for_update().execution_options(
        populate_existing=True)
    return (await ctx.session.scalars(stmt)).one()


async def login(ctx: Context, tenant_code: str, username: str, password: str,
                totp_code: str | None = None) -> LoginResult | UserFacingError:
    """Failures are returned, not raised: the failure counts and their audit must be kept."""
    tenant_id = await tenant_id_for_code(ctx.session, tenant_code.strip())
    if tenant_id is None:
        verify_password(None, password)
        return _bad_credentials()  # no unit: nothing to count or audit in
    ctx.named_tenant_id = tenant_id
    await set_tenant(ctx.session, tenant_id)
    now = ctx.now()
    address = ctx.client_address or "unknown"
    key = address_key(address)
    seen = {"username": username, "clientAddress": address}
    # Held during the password check: parallel guesses at one account from one address queue.
    mine = await _locked_row(ctx, LoginThrottle, tenant_id=tenant_id, username=username,
                             client_address=key)
    # Only read here: a shared address (an office behind NAT) must not queue all its logins.
    shared = await ctx.session.get(LoginAddressThrottle, (tenant_id, key),
                                   populate_existing=True)
    waits = [w for w in (retry_after(mine.locked_until, now),
                         retry_after(shared.locked_until if shared else None, now)) if w]
    if waits:
        audit.record(ctx, "login.refused", "login", username, after={
            **seen, "retryAfterSeconds": max(waits)}, tenant_id=tenant_id, actor=ANONYMOUS)
        return _too_many(max(waits))
    account = await ctx.session.scalar(select(Account).where(Account.username == username))
    password_ok = verify_password(account.password_hash if account else None, password)
    if account is None or account.disabled or not password_ok:
        reason = ("unknown_user" if account is None else
                  "disabled" if account.disabled else "wrong_password")
        await _count_failure(ctx, tenant_id, mine, key, now, {**seen, "reason": reason})
        return _bad_credentials()
    factor = await totp.login_factor(ctx, account, totp_code)
    if factor.problem is not None:
        if factor.counts_as_failure:  # a guessed code is throttled like a guessed password
            await _count_failure(ctx, tenant_id, mine, key, now, {**seen, "reason": "wrong_totp"})
        else:
            audit.record(ctx, "login.totp_required", "login", username, after=seen,
                         tenant_id=tenant_id, actor=ANONYMOUS)
        return factor.problem
    await ctx.session.delete(mine)
    issued = await start_session(ctx, account)
    tenant = await ctx.session.get(Tenant, tenant_id)
    security = load_config(tenant.settings if tenant else None).account_security
    expired = password_expired(account.password_changed_at, now,
                               security.password_max_age_days)
    audit.record(ctx, "login.success", "login", username, after=seen, tenant_id=tenant_id,
                 actor=f"account:{account.id}")
    return LoginResult(issued.token, issued.expires_at, account,
                       account.must_change_password or expired, expired,
                       factor.enrollment_required)


async def _count_failure(ctx: Context, tenant_id: uuid.UUID, mine: LoginThrottle, key: str,
                         now: datetime, seen: dict[str, str]) -> None:
    shared = await _locked_row(ctx, LoginAddressThrottle, tenant_id=tenant_id,
                               client_address=key)
    waits: dict[str, object] = {}
    for row, policy, scope in ((mine, ctx.settings.account_throttle, "account"),
                               (shared, ctx.settings.address_throttle, "address")):
        state = after_failure(row.failures, row.last_failure_at, now, policy)
        row.failures, row.last_failure_at = state.failures, now
        if state.wait_until is not None:
            row.locked_until = state.wait_until
            waits[scope] = {"failures": state.failures, "lockedUntil": state.wait_until,
                            "waitSeconds": (state.wait_until - now).total_seconds()}
    audit.record(ctx, "login.failure", "login", seen["username"], after={
        **seen, "failures": mine.failures, "addressFailures": shared.failures},
        tenant_id=tenant_id, actor=ANONYMOUS)
    if waits:
        audit.record(ctx, "login.locked", "login", seen["username"], after={**seen, **waits},
                     tenant_id=tenant_id, actor=ANONYMOUS)
    await ctx.session.flush()


async def unlock_account(ctx: Context, account_id: uuid.UUID) -> Account:
    """Clears the account's login waits from every address (a tenant administrator's help
    for a user who forgot the password and was slowed down)."""
    ctx.require(Permission.account_write)
    account = await ctx.session.get(Account, (ctx.me.tenant_id, account_id))
    if account is None:
        raise not_found("账号")
    rows = (await ctx.session.scalars(select(LoginThrottle).where(
        LoginThrottle.username == account.username))).all()
    await ctx.session.execute(delete(LoginThrottle).where(
        LoginThrottle.username == account.username))
    audit.record(ctx, "account.unlock", "account", account.id, before={
        "username": account.username,
        "throttles": [{"clientAddress": r.client_address, "failures": r.failures,
                       "lockedUntil": r.locked_until} for r in rows]},
        after={"username": account.username, "throttles": []})
    return account
