"""The city organization department's tenant registry: list and provision tenants, and reset
a unit admin's password (a unit locked out of its only admin account has nobody else to ask)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from authz import Permission
from models import Account, RoleGrant, Tenant
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail, not_found
from resolvers.org import sessions
from tenants.config import AccountSecurityConfig, ConfigError, load_config
from tenants.db import Scope, set_tenant
from tenants.provisioning import ProvisioningError, TenantSpec, provision_tenant
from vocab.accounts import SessionEnd
from vocab.org import Role, TenantKind


async def list_tenants(ctx: Context) -> Sequence[Tenant]:
    ctx.require(Permission.tenant_list)
    return (await ctx.session.scalars(select(Tenant).order_by(Tenant.code))).all()


async def provision(ctx: Context, *, code: str, name: str, kind: str, admin_username: str,
                    admin_password: str) -> Tenant:
    ctx.require(Permission.tenant_provision)
    # A new tenant has the default rules; its admin changes this password at the first login.
    sessions.check_password(admin_password, admin_username, AccountSecurityConfig(),
                            "adminPassword")
    spec = TenantSpec(code=code, name=name, kind=kind, admin_username=admin_username,
                      admin_password=admin_password)
    try:
        tenant = await provision_tenant(ctx.session, spec, back_to=ctx.me.tenant_id,
                                        back_scope=Scope.platform, actor=ctx.me.subject)
    except ProvisioningError as exc:
        raise fail(ErrorCode.INVALID, str(exc), exc.field) from exc
    return tenant


@dataclass(frozen=True)
class AdminReset:
    tenant: Tenant
    username: str
    password: str


async def reset_admin_password(ctx: Context, tenant_id: uuid.UUID,
                               username: str | None = None) -> AdminReset:
    """A one-time initial password for a unit's admin (``username``, or the unit's first
    tenant_admin account), returned once: every session of the account ends and the password
    must be changed at the next login. Written under the unit's own tenant id (the platform
    scope may do so, as provisioning does), audited in the unit's log and the city's."""
    ctx.require(Permission.tenant_reset_admin)
    tenant = await ctx.session.get(Tenant, tenant_id)
    if tenant is None or tenant.kind == TenantKind.organization_department:
        raise not_found("单位")
    try:
        security = load_config(tenant.settings).account_security
    except ConfigError:
        security = AccountSecurityConfig()
    await set_tenant(ctx.session, tenant.id, Scope.platform)
    stmt = (select(Account).join(RoleGrant, (RoleGrant.tenant_id == Account.tenant_id)
                                 & (RoleGrant.account_id == Account.id))
            .where(Account.tenant_id == tenant.id, RoleGrant.role == Role.tenant_admin.value)
            .order_by(Account.created_at, Account.username).limit(1))
    if username is not None:
        stmt = stmt.where(Account.username == username.strip())
    account = await ctx.session.scalar(stmt)
    if account is None:
        await set_tenant(ctx.session, ctx.me.tenant_id, Scope.platform)
        raise fail(ErrorCode.NOT_FOUND, "该单位没有这个管理员账号", "username")
    password = sessions.initial_password(security, account.username)
    sessions.set_password(ctx, account, password, must_change=True)
    await sessions.revoke_sessions(ctx, account.id, SessionEnd.password_reset)
    after = {"username": account.username, "mustChangePassword": True}
    audit.record(ctx, "account.password_reset", "account", account.id, after=after,
                 tenant_id=tenant.id)
    await ctx.session.flush()
    await set_tenant(ctx.session, ctx.me.tenant_id, Scope.platform)
    audit.record(ctx, "tenant.admin_password_reset", "tenant", tenant.id,
                 after={"code": tenant.code, **after})
    return AdminReset(tenant, account.username, password)
