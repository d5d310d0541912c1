"""Engines and the tenant-scoped transaction: the one place where the RLS tenant is set."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from enum import StrEnum

from sqlalchemy import text
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


def make_engine(url: str, *, pooled: bool = True) -> AsyncEngine:
    if pooled:
        return create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)
    return create_async_engine(url, poolclass=NullPool)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)


async def set_tenant(
    session: AsyncSession, tenant_id: uuid.UUID | None, scope: Scope = Scope.tenant
) -> None:
    """Bind the current transaction to a tenant (``is_local``: it ends with the transaction)."""
    await session.execute(
        text("SELECT set_config('app.tenant_id', :t, true), set_config('app.scope', :s, true)"),
        {"t": str(tenant_id) if tenant_id else "", "s": scope.value},
    )


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
