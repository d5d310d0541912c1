"""The city organization department's tenant registry: list and provision tenants."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from authz import Permission
from models import Tenant
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail
from resolvers.org import sessions
from tenants.config import AccountSecurityConfig
from tenants.db import Scope
from tenants.provisioning import ProvisioningError, TenantSpec, provision_tenant


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
