"""Each account's inbox: its notifications newest first, the unread count, marking read. An
account sees its own rows only (by account id, under the tenant's RLS)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import BigInteger, String, cast, extract, func, select, update

from models import Notification
from resolvers.context import Context
from resolvers.pagination import Page, check_page_size, keyset_page_by

MAX_PAGE = 100
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_US = cast(extract("epoch", Notification.created_at) * 1_000_000, BigInteger)
# Newest first: the creation time (microseconds, zero-padded) and the id break ties.
_KEY = func.lpad(cast(_EPOCH_US, String), 20, "0") + cast(Notification.id, String)


def cursor(row: Notification) -> str:
    micros = (row.created_at - EPOCH) // timedelta(microseconds=1)
    return f"{micros:020d}{row.id}"


def _account(ctx: Context) -> uuid.UUID:
    if ctx.me.account_id is None:  # an API token has no inbox
        return uuid.UUID(int=0)
    return ctx.me.account_id


async def page(ctx: Context, first: int, after: str | None,
               unread_only: bool = False) -> Page[Notification]:
    check_page_size(first, MAX_PAGE)
    stmt = select(Notification).where(Notification.account_id == _account(ctx))
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return await keyset_page_by(ctx.session, stmt, _KEY, cursor, first, after,
                                descending=True)


async def unread_count(ctx: Context) -> int:
    return int(await ctx.session.scalar(select(func.count()).where(
        Notification.account_id == _account(ctx), Notification.read_at.is_(None))) or 0)


async def mark_read(ctx: Context, ids: Sequence[uuid.UUID] | None) -> int:
    """Marks the caller's notifications read (``ids``: these; None: all); returns how many
    changed. Ids of others' notifications change nothing."""
    stmt = update(Notification).where(Notification.account_id == _account(ctx),
                                      Notification.read_at.is_(None))
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(list(ids)))
    result = await ctx.session.execute(stmt.values(read_at=ctx.now()))
    return int(result.rowcount)  # type: ignore[attr-defined]
