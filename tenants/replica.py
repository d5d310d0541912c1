"""Heavy reads on a streaming read replica (``JIXIAO_READ_DATABASE_URL``), never stale silently.

Reports, exports and the city comparison read a lot and write nothing: with a replica configured
they read there, in a read-only transaction, as the same application role with the same
``set_tenant`` (row-level security is part of the schema, which the replica replays: the
policies apply there exactly as on the primary).

Replication lag: before reading, the caller records the primary's WAL position
(``pg_current_wal_lsn()``, in its own transaction on the primary: a job when it starts, so
after it was queued and after every write that preceded it; a request when it asks). The
replica is used once it has replayed that position (``pg_last_wal_replay_lsn()``), polled for
at most ``max_wait_seconds``; past that, or when the replica cannot be reached, the read goes to
the primary (logged as a warning, never an error for the user). Without a replica everything
reads the primary, in the caller's own transaction, as before.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy import make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from tenants.db import Scope, make_engine, make_sessionmaker, set_tenant

log = logging.getLogger("jixiao.replica")

# How long a read waits for the replica to catch up before it goes to the primary.
DEFAULT_MAX_WAIT_SECONDS = 5.0
POLL_SECONDS = 0.05


@dataclass(frozen=True)
class ReadReplica:
    """A replica's engine and how long a read may wait for it."""

    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    max_wait_seconds: float = DEFAULT_MAX_WAIT_SECONDS

    @classmethod
    def connect(cls, url: str, max_wait_seconds: float = DEFAULT_MAX_WAIT_SECONDS,
                *, pooled: bool = True) -> ReadReplica:
        # A replica that does not answer costs at most about the wait, not the system's TCP
        # timeout (libpq's connect_timeout, unless the URL sets one).
        parsed = make_url(url)
        if "connect_timeout" not in parsed.query:
            parsed = parsed.update_query_dict(
                {"connect_timeout": str(max(2, math.ceil(max_wait_seconds)))})
        engine = make_engine(parsed.render_as_string(hide_password=False), pooled=pooled)
        return cls(engine, make_sessionmaker(engine), max_wait_seconds)

    async def dispose(self) -> None:
        await self.engine.dispose()


async def primary_position(session: AsyncSession) -> str:
    """The primary's current WAL position (a ``pg_lsn`` as text)."""
    return str(await session.scalar(text("SELECT pg_current_wal_lsn()::text")))


async def _replayed(session: AsyncSession, position: str) -> bool:
    # On a server that is not in recovery (a primary given as "replica") everything is there.
    caught_up = await session.scalar(text(
        "SELECT CASE WHEN pg_is_in_recovery() "
        "THEN coalesce(pg_last_wal_replay_lsn() >= CAST(:p AS pg_lsn), false) ELSE true END"),
        {"p": position})
    return bool(caught_up)


async def caught_up(replica: ReadReplica, position: str) -> bool:
    """Whether the replica replays ``position`` within its bounded wait."""
    deadline = time.monotonic() + replica.max_wait_seconds
    try:
        async with replica.sessionmaker() as session:
            while True:
                if await _replayed(session, position):
                    return True
                await session.rollback()  # a fresh snapshot of the replay position
                if time.monotonic() >= deadline:
                    log.warning("read replica has not replayed %s after %.1f s: reading the "
                                "primary", position, replica.max_wait_seconds)
                    return False
                await asyncio.sleep(POLL_SECONDS)
    except (DBAPIError, OSError) as e:
        log.warning("read replica unreachable: reading the primary (%s)",
                    str(e).splitlines()[0] if str(e) else type(e).__name__)
        return False


async def _binding(session: AsyncSession) -> tuple[uuid.UUID | None, Scope]:
    """The tenant and scope ``session``'s transaction is bound to (``set_tenant``)."""
    tenant, scope = (await session.execute(text(
        "SELECT current_setting('app.tenant_id', true), current_setting('app.scope', true)"
    ))).one()
    return (uuid.UUID(tenant) if tenant else None,
            Scope(scope) if scope in Scope.__members__ else Scope.tenant)


@asynccontextmanager
async def read_transaction(primary: AsyncSession, replica: ReadReplica | None,
                           *, position: str | None = None) -> AsyncIterator[AsyncSession]:
    """A session to read from: a read-only transaction on the replica, bound to the same tenant
    and scope as ``primary``'s, once the replica has replayed ``position`` (default: the
    primary's position now); otherwise ``primary`` itself (the caller's own transaction)."""
    if replica is None:
        yield primary
        return
    if position is None:
        position = await primary_position(primary)
    if not await caught_up(replica, position):
        yield primary
        return
    tenant_id, scope = await _binding(primary)
    async with replica.sessionmaker() as session, session.begin():
        await session.execute(text("SET TRANSACTION READ ONLY"))
        await set_tenant(session, tenant_id, scope)
        yield session
