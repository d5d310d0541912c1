"""The TOTP second factor (RFC 6238, pyotp) of administrators.

With the tenant's ``admin_security.totp_for_admins`` on, an account holding an administrator
role (rules/duties.py) must enroll: ``begin_enrollment`` makes a secret and shows it once (as
an otpauth URI for the phone's authenticator), ``confirm_enrollment`` checks a first code and
turns the factor on. From then on, login needs a current code (TOTP_REQUIRED without one,
TOTP_INVALID for a wrong one, which counts as a failed login). An account that enrolled on its
own keeps needing the code. The secret is stored sealed under the server's key
(``authz.credentials.seal_text``), never returned again nor written to the audit log; a
security administrator resets a lost factor.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pyotp
from sqlalchemy import select

from authz import Permission
from authz.credentials import open_text, seal_text
from models import Account, RoleGrant, Tenant
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, UserFacingError, fail, not_found
from rules.duties import holds_admin_role
from tenants.config import load_config

ISSUER = "绩效管理"
SEALED_PURPOSE = "totp"
# Codes of the previous and next 30-second step are accepted too (clock drift of a phone).
VALID_WINDOW = 1


@dataclass(frozen=True)
class Enrollment:
    secret: str
    uri: str


async def _own_account(ctx: Context) -> Account:
    if ctx.me.account_id is None:
        raise fail(ErrorCode.FORBIDDEN, "只有账号可以启用双因素认证")
    account = await ctx.session.get(Account, (ctx.me.tenant_id, ctx.me.account_id),
                                    with_for_update=True)
    if account is None:
        raise not_found("账号")
    return account


async def begin_enrollment(ctx: Context) -> Enrollment:
    account = await _own_account(ctx)
    if account.totp_enabled_at is not None:
        raise fail(ErrorCode.CONFLICT, "已启用双因素认证；更换设备请联系安全管理员重置")
    secret = pyotp.random_base32()
    account.totp_secret = seal_text(ctx.settings.secret_key, SEALED_PURPOSE, secret)
    tenant = await ctx.session.get(Tenant, ctx.me.tenant_id)
    label = f"{tenant.code if tenant else ''}:{account.username}"
    uri = pyotp.TOTP(secret).provisioning_uri(name=label, issuer_name=ISSUER)
    audit.record(ctx, "totp.begin", "account", account.id)
    return Enrollment(secret, uri)


async def confirm_enrollment(ctx: Context, code: str) -> Account:
    account = await _own_account(ctx)
    if account.totp_enabled_at is not None:
        raise fail(ErrorCode.CONFLICT, "已启用双因素认证")
    if account.totp_secret is None:
        raise fail(ErrorCode.CONFLICT, "请先开始绑定双因素认证")
    if not _verify(ctx, account.totp_secret, code):
        raise fail(ErrorCode.TOTP_INVALID, "动态验证码不正确", "code")
    account.totp_enabled_at = ctx.now()
    audit.record(ctx, "totp.enable", "account", account.id,
                 after={"totpEnabledAt": account.totp_enabled_at})
    return account


async def reset(ctx: Context, account_id: uuid.UUID) -> Account:
    """A security administrator clears a lost factor; the account enrolls again."""
    ctx.require(Permission.account_write)
    account = await ctx.session.get(Account, (ctx.me.tenant_id, account_id))
    if account is None:
        raise not_found("账号")
    before = {"totpEnabledAt": account.totp_enabled_at}
    account.totp_secret, account.totp_enabled_at = None, None
    audit.record(ctx, "totp.reset", "account", account.id, before, {"totpEnabledAt": None})
    return account


def _verify(ctx: Context, sealed: str, code: str) -> bool:
    secret = open_text(ctx.settings.secret_key, SEALED_PURPOSE, sealed)
    digits = code.strip()
    return (secret is not None and len(digits) == 6 and digits.isdigit()
            and pyotp.TOTP(secret).verify(digits, valid_window=VALID_WINDOW))


@dataclass(frozen=True)
class LoginFactor:
    """What the second factor says of a login whose password was right."""

    problem: UserFacingError | None  # refuse with this
    counts_as_failure: bool  # a wrong code is a guess, throttled like a wrong password
    enrollment_required: bool  # an administrator who must still enroll


async def login_factor(ctx: Context, account: Account, code: str | None) -> LoginFactor:
    """Called by login inside the account's tenant, after the password was checked."""
    if account.totp_enabled_at is not None and account.totp_secret:
        if not code or not code.strip():
            return LoginFactor(fail(ErrorCode.TOTP_REQUIRED, "请输入动态验证码", "totpCode"),
                               False, False)
        if not _verify(ctx, account.totp_secret, code):
            return LoginFactor(fail(ErrorCode.TOTP_INVALID, "动态验证码不正确", "totpCode"),
                               True, False)
        return LoginFactor(None, False, False)
    tenant = await ctx.session.get(Tenant, account.tenant_id)
    if not load_config(tenant.settings if tenant else None).admin_security.totp_for_admins:
        return LoginFactor(None, False, False)
    roles = (await ctx.session.scalars(select(RoleGrant.role).where(
        RoleGrant.account_id == account.id))).all()
    return LoginFactor(None, False, holds_admin_role(roles))
