"""Engines and the tenant-scoped transaction: the one place where the RLS tenant is set."""

from __future__ import annotations

import select
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from enum import StrEnum
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool


class Scope(StrEnum):
    tenant = "tenant"
    # The city organization department: lists tenants and reads aggregate views only.
    platform = "platform"


# A pooled connection older than this is replaced before use: firewalls and load balancers
# drop idle connections silently, and the server's settings may change.
POOL_RECYCLE_SECONDS = 1800


def make_engine(url: str, *, pooled: bool = True) -> AsyncEngine:
    """A pooled engine checks its connections without a round trip (no ``pool_pre_ping``, one
    ``SELECT 1`` per checkout): ``_discard_closed`` drops those the server has closed (a
    restart, a terminated backend), ``pool_recycle`` those that grew old, and a connection that
    fails anyway is invalidated by SQLAlchemy on the disconnect error, together with every
    pooled connection older than it."""
    if not pooled:
        return create_async_engine(url, poolclass=NullPool)
    engine = create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=False,
                                 pool_recycle=POOL_RECYCLE_SECONDS)
    event.listen(engine.sync_engine, "checkout", _discard_closed)
    return engine


def _discard_closed(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    """An idle connection has nothing to read unless the server sent its farewell (FATAL
    "terminating connection") or closed the socket: then the pool takes another one
    (``DisconnectionError`` at checkout). Costs one ``select()`` call, no round trip."""
    connection = dbapi_connection.driver_connection
    if connection.closed or connection.broken:
        raise DisconnectionError("the connection is closed")
    readable, _, _ = select.select([connection.fileno()], [], [], 0)
    if readable:
        raise DisconnectionError("the server closed the connection")


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)


async def set_tenant(
    session: AsyncSession, tenant_id: uuid.UUID | None, scope: Scope = Scope.tenant
) -> None:
    """Bind the current transaction to a tenant (``is_local``: it ends with the transaction)."""
    await session.execute(_SET_TENANT, {"t": str(tenant_id) if tenant_id else "",
                                        "s": scope.value})


_SET_TENANT = text(
    "SELECT set_config('app.tenant_id', :t, true), set_config('app.scope', :s, true)")


@asynccontextmanager
async def tenant_transaction(
    sessionmaker: async_sessionmaker[AsyncSession],
    tenant_id: uuid.UUID | None,
    scope: Scope = Scope.tenant,
) -> AsyncIterator[AsyncSession]:
    """One transaction for one tenant: committed on success, rolled back on any exception."""
    async with sessionmaker() as session, session.begin():
        await set_tenant(session, tenant_id, scope)
        yield session


async def tenant_id_for_code(session: AsyncSession, code: str) -> uuid.UUID | None:
    value = await session.scalar(text("SELECT tenant_id_for_code(:c)"), {"c": code})
    return value if isinstance(value, uuid.UUID) else None
