"""The origins each tenant lets browsers call the API from (``portal.allowed_origins``), kept
in the process for CORS.

A preflight carries no token, so it can only ask "does any tenant allow this origin?"; the
answer to the actual request then depends on the caller's tenant. Both read this cache: one
query over the tenant registry (the platform scope may list tenants: the registry holds no
personal data, see migration 0001), at most every ``TTL_SECONDS``, and again right after a
tenant changes its settings in this process (other replicas follow within the TTL).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Tenant
from tenants.db import Scope, set_tenant

# How stale another replica's change may be: short, and a reload is one small query.
TTL_SECONDS = 30.0


async def load_allowlists(session: AsyncSession) -> dict[uuid.UUID, frozenset[str]]:
    """Every tenant's allowed origins (only tenants that name some)."""
    await set_tenant(session, None, Scope.platform)
    rows = (await session.execute(select(Tenant.id, Tenant.settings))).all()
    out: dict[uuid.UUID, frozenset[str]] = {}
    for tenant_id, settings in rows:
        origins = ((settings or {}).get("portal") or {}).get("allowed_origins") or []
        if isinstance(origins, list) and origins:
            out[tenant_id] = frozenset(o for o in origins if isinstance(o, str))
    return out


class OriginAllowlists:
    """The cached allowlists and their union; ``invalidate`` forces a reload."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._by_tenant: Mapping[uuid.UUID, frozenset[str]] = {}
        self._union: frozenset[str] = frozenset()
        self._loaded_at: float | None = None

    def invalidate(self) -> None:
        self._loaded_at = None

    async def _fresh(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        now = self._clock()
        if self._loaded_at is not None and now - self._loaded_at < TTL_SECONDS:
            return
        async with sessionmaker() as session, session.begin():
            by_tenant = await load_allowlists(session)
        self._by_tenant = by_tenant
        self._union = frozenset().union(*by_tenant.values())
        self._loaded_at = now

    async def any_allows(self, sessionmaker: async_sessionmaker[AsyncSession],
                         origin: str) -> bool:
        await self._fresh(sessionmaker)
        return origin in self._union

    async def tenant_allows(self, sessionmaker: async_sessionmaker[AsyncSession],
                            tenant_id: uuid.UUID, origin: str) -> bool:
        await self._fresh(sessionmaker)
        return origin in self._by_tenant.get(tenant_id, frozenset())


# The process's one cache (the middleware reads it; a settings change invalidates it).
ALLOWLISTS = OriginAllowlists()
