"""Purges audit records older than each tenant's retention (at least 180 days), once a day.

Run by the job sweeper's thread (workers/sweeper.py), which every worker process has; a
database-wide advisory lock keeps two workers from purging together, and each purge is itself
an audit record ("audit.purge"), whose time says when the tenant's log is due again. The rows
go through ``purge_audit_log(days)`` (migration 0015): the table stays append-only otherwise.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from sqlalchemy import Boolean, Integer, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import AuditEntry, Tenant
from rules.audit_retention import cutoff, purge_due
from tenants.config import AdminSecurityConfig, ConfigError, load_config
from tenants.db import Scope, tenant_transaction

log = logging.getLogger("jixiao.workers.audit_purge")

PURGE_LOCK = "jixiao:audit-purge"
PURGE_ACTION = "audit.purge"


async def purge_audit_logs(sessionmaker: async_sessionmaker[AsyncSession], now: datetime
                           ) -> dict[uuid.UUID, int]:
    """Purges every tenant whose log is due; returns the rows removed per tenant purged."""
    async with tenant_transaction(sessionmaker, None, Scope.platform) as outer:
        locked = await outer.scalar(select(func.pg_try_advisory_xact_lock(
            func.hashtextextended(PURGE_LOCK, 0), type_=Boolean)))
        if not locked:
            return {}
        tenants = (await outer.execute(select(Tenant.id, Tenant.settings))).all()
        removed: dict[uuid.UUID, int] = {}
        for tenant_id, settings in tenants:
            count = await _purge_tenant(sessionmaker, tenant_id, settings, now)
            if count is not None:
                removed[tenant_id] = count
        return removed


def _retention(settings: dict[str, object] | None) -> int:
    try:
        return load_config(settings).admin_security.audit_retention_days
    except (ConfigError, TypeError, ValueError):  # stored settings are validated on write
        return AdminSecurityConfig().audit_retention_days


async def _purge_tenant(sessionmaker: async_sessionmaker[AsyncSession], tenant_id: uuid.UUID,
                        settings: dict[str, object] | None, now: datetime) -> int | None:
    async with tenant_transaction(sessionmaker, tenant_id) as session:
        last = await session.scalar(select(func.max(AuditEntry.at)).where(
            AuditEntry.entity == "audit_log", AuditEntry.entity_id == str(tenant_id),
            AuditEntry.action == PURGE_ACTION))
        if not purge_due(last, now):
            return None
        days = _retention(settings)
        removed = int(await session.scalar(select(func.purge_audit_log(days, type_=Integer)))
                      or 0)
        session.add(AuditEntry(tenant_id=tenant_id, actor="system", action=PURGE_ACTION,
                               entity="audit_log", entity_id=str(tenant_id),
                               after={"retentionDays": days, "removed": removed,
                                      "olderThan": cutoff(now, days).isoformat()}))
        if removed:
            log.info("purged %s audit records of tenant %s (older than %s days)", removed,
                     tenant_id, days)
        return removed
