"""Keyset pagination, written once: pages of rows ordered by a unique text key.

A row's cursor is its key (an employee number: unique in a tenant and stable under inserts), so
the page after a cursor holds the rows whose key is greater, and a row inserted meanwhile never
shifts the pages a client is walking. Each page also carries the total over all pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from resolvers.errors import ErrorCode, fail

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    total: int
    has_next: bool
    # The name of the rows' key attribute: a row's cursor.
    key: str

    def cursor(self, item: T) -> str:
        return str(getattr(item, self.key))

    @property
    def end_cursor(self) -> str | None:
        return self.cursor(self.items[-1]) if self.items else None


def empty_page(key: InstrumentedAttribute[str]) -> Page[T]:
    return Page([], 0, False, key.key)


def check_page_size(first: int, max_page: int) -> None:
    if first < 1 or first > max_page:
        raise fail(ErrorCode.INVALID, f"每页数量须在1到{max_page}之间", "first")


async def keyset_page(session: AsyncSession, stmt: Select[T], key: InstrumentedAttribute[str],
                      first: int, after: str | None) -> Page[T]:
    """The ``first`` rows of ``stmt`` by ``key`` after the cursor ``after``, and the total."""
    total = int(await session.scalar(
        select(func.count()).select_from(stmt.order_by(None).subquery())) or 0)
    if after:
        stmt = stmt.where(key > after)
    rows = (await session.scalars(stmt.order_by(key).limit(first + 1))).all()
    return Page(rows[:first], total, len(rows) > first, key.key)
