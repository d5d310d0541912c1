"""The tenant's rules (``TenantConfig``) as a use case reads them: once per call, typed."""

from __future__ import annotations

from models import Tenant
from resolvers.context import Context
from tenants.config import TenantConfig, load_config


async def tenant_config(ctx: Context) -> TenantConfig:
    tenant = await ctx.session.get(Tenant, ctx.me.tenant_id)
    return load_config(tenant.settings if tenant else None)
