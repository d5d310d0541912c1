"""Reading and changing a tenant's rules (weights, quotas, limits); every change is audited."""

from __future__ import annotations

from typing import Any

from authz import Permission
from models import Tenant
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail, not_found
from tenants.config import ConfigError, TenantConfig, as_document, load_config
from tenants.notify_config import keep_webhooks, masked
from tenants.origins import ALLOWLISTS


async def read(ctx: Context) -> dict[str, Any]:
    """The settings document; secrets in it (the robots' webhook addresses) masked."""
    ctx.require(Permission.tenant_read)
    tenant = await ctx.session.get(Tenant, ctx.me.tenant_id)
    if tenant is None:
        raise not_found("单位")
    return _shown(as_document(load_config(tenant.settings)))


def _shown(document: dict[str, Any]) -> dict[str, Any]:
    shown = masked(document)
    assert shown is not None
    return shown


def defaults(ctx: Context) -> dict[str, Any]:
    """The settings of a unit that never changed any (every default)."""
    ctx.require(Permission.tenant_read)
    return as_document(TenantConfig())


async def update(ctx: Context, changes: object, reason: str = "") -> dict[str, Any]:
    """``changes`` is a partial document merged into the stored settings (a webhook address
    left out or sent back masked is kept; "" clears it)."""
    ctx.require(Permission.tenant_update)
    if not isinstance(changes, dict):  # the JSON scalar also lets a string or a list through
        raise fail(ErrorCode.INVALID, "设置须为 JSON 对象（键值对）", "settings")
    tenant = await ctx.session.get(Tenant, ctx.me.tenant_id, with_for_update=True)
    if tenant is None:
        raise not_found("单位")
    try:
        # A webhook address sent back masked (as read) keeps the stored one.
        merged = _deep_merge(dict(tenant.settings or {}),
                             keep_webhooks(dict(tenant.settings or {}), changes))
        config = load_config(merged)
    except ConfigError as exc:
        # The field names the setting (settings.grading.good_quota_share), so a form can show
        # the message beside it.
        raise fail(ErrorCode.INVALID, str(exc),
                   f"settings.{exc.path}" if exc.path else "settings") from exc
    except (TypeError, ValueError) as exc:
        raise fail(ErrorCode.INVALID, "配置格式无效", "settings") from exc
    before = dict(tenant.settings or {})
    tenant.settings = merged
    audit.record(ctx, "tenant.settings", "tenant", tenant.id, masked(before), masked(merged),
                 reason)
    # CORS reads the allowed origins from a process cache: reload it once this commits.
    ctx.defer(ALLOWLISTS.invalidate)
    return _shown(as_document(config))


def _deep_merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key != "role_weights":
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out
