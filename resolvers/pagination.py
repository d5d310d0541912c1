"""Keyset pagination, written once: pages of rows ordered by a unique text key.

A row's cursor is its key (an employee number: unique in a tenant and stable under inserts), so
the page after a cursor holds the rows whose key is greater, and a row inserted meanwhile never
shifts the pages a client is walking. Each page also carries the total over all pages.
``keyset_page`` pages a query by a column, ``keyset_page_by`` by a text expression (a date and
an id joined, say) or a number (newest first), ``keyset_rows`` a select of plain columns,
``keyset_json`` the same with each row built as JSON by PostgreSQL (``resolvers.json_shape``;
``keyset_json_statement`` builds its statement, once for every page),
and ``list_page`` a list already computed in memory (overdue items), all with the same cursor
rule. ``ordered_page`` pages a list computed in memory in its own order (a ranking, the newest
first): the cursor is a row's id and the page after it holds the rows that follow it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Integer, Select, Text, bindparam, cast, func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.expression import ColumnCollection

from resolvers.errors import ErrorCode, fail

T = TypeVar("T")

# The largest page a client may ask for, unless a list says otherwise.
MAX_PAGE = 200
BAD_CURSOR = "分页游标无效，请从第一页重新开始"


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    total: int
    has_next: bool
    # The name of the rows' key attribute, or a function of a row: a row's cursor.
    key: str | Callable[[T], str]

    def cursor(self, item: T) -> str:
        if callable(self.key):
            return self.key(item)
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
    rows, total = await _keyset(session, stmt, key, first, after)
    return Page(rows[:first], total, len(rows) > first, key.key)


async def keyset_page_by(session: AsyncSession, stmt: Select[T],
                         key: ColumnElement[Any] | InstrumentedAttribute[Any],
                         cursor: Callable[[T], str], first: int, after: str | None,
                         parse: Callable[[str], Any] = str, descending: bool = False) -> Page[T]:
    """Like ``keyset_page``, by a unique expression; ``cursor`` computes it for a row as text
    and ``parse`` reads it back (``int`` for a numeric key); ``descending``: largest first."""
    try:
        value = parse(after) if after else None
    except ValueError as exc:
        raise fail(ErrorCode.INVALID, BAD_CURSOR, "after") from exc
    rows, total = await _keyset(session, stmt, key, first, value, descending)
    return Page(rows[:first], total, len(rows) > first, cursor)


async def _keyset(session: AsyncSession, stmt: Select[T],
                  key: ColumnElement[Any] | InstrumentedAttribute[Any], first: int,
                  after: object | None, descending: bool = False) -> tuple[Sequence[T], int]:
    """One row more than a page (so we know whether another follows), and the total."""
    total = int(await session.scalar(
        select(func.count()).select_from(stmt.order_by(None).subquery())) or 0)
    if after is not None and after != "":
        stmt = stmt.where(key < after if descending else key > after)
    order = key.desc() if descending else key
    return (await session.scalars(stmt.order_by(order).limit(first + 1))).all(), total


async def keyset_rows(session: AsyncSession, stmt: Select[Any],
                      key: ColumnElement[str] | InstrumentedAttribute[str],
                      convert: Callable[[Any], T], cursor: Callable[[T], str], first: int,
                      after: str | None) -> Page[T]:
    """Like ``keyset_page``, for a select of columns (Core rows, no ORM entities): each row is
    turned into a plain value by ``convert``, and the total rides on the page's statement as a
    scalar subquery, so a page that has rows costs one statement (an empty one asks again)."""
    total_of = select(func.count()).select_from(stmt.order_by(None).subquery()).scalar_subquery()
    paged = stmt.add_columns(total_of.label("page_total"))
    if after:
        paged = paged.where(key > after)
    rows = (await session.execute(paged.order_by(key).limit(first + 1))).all()
    if rows:
        total = int(rows[0].page_total)
    else:
        total = int(await session.scalar(
            select(func.count()).select_from(stmt.order_by(None).subquery())) or 0)
    items = [convert(row) for row in rows[:first]]
    return Page(items, total, len(rows) > first, cursor)


@dataclass(frozen=True)
class JsonPage:
    """A page built as JSON by PostgreSQL: the total, whether more follow, the last row's
    cursor, and the text of each JSON array asked for."""

    total: int
    has_next: bool
    end_cursor: str | None
    arrays: tuple[str, ...]


# An element of a page's JSON array, made of the page's row: ``cursor`` (its key as text) and
# ``node`` (its object).
PageElement = Callable[[ColumnCollection[str, Any]], ColumnElement[Any]]


def keyset_json_statement(stmt: Select[Any],
                          key: ColumnElement[str] | InstrumentedAttribute[str],
                          node: Callable[[ColumnCollection[str, Any]], ColumnElement[Any]],
                          arrays: Sequence[PageElement], paging_on: bool) -> Select[Any]:
    """Like ``keyset_rows``, each row built as JSON by PostgreSQL: ``node`` makes a row's
    object of the select's labelled columns (``selected_columns``: no subquery to rebuild
    them through, which costs more than the rest), each of ``arrays`` an element of an array
    of the page's rows (a connection's ``nodes``, its ``edges``), passed on as the text
    PostgreSQL wrote. One statement whatever the page holds, the total included. Its values
    are parameters (the page's size, the cursor after which it starts when ``paging_on``), so
    one statement serves every page: ``keyset_json`` runs it."""
    rows = stmt.with_only_columns(key.label("cursor"), node(stmt.selected_columns).label("node"),
                                  func.row_number().over(order_by=key).label("position"))
    if paging_on:
        rows = rows.where(key > bindparam("page_after", type_=Text))
    first = bindparam("page_first", type_=Integer)
    page = rows.order_by(key).limit(first + 1).subquery("page")
    total = select(func.count()).select_from(
        stmt.with_only_columns(key).order_by(None).subquery("lines")).scalar_subquery()
    on_page = page.c.position <= first  # the row after the page only says that one follows
    return select(total, func.count(), func.max(page.c.cursor).filter(on_page),
                  *(cast(func.json_agg(aggregate_order_by(element(page.c), page.c.position))
                         .filter(on_page), Text) for element in arrays)).select_from(page)


# The JSON lists' statements by what they are built from (a list's query value and the row's
# shape: ``people_list``, ``period_lists``): building one cost a quarter of a people page's CPU
# and a third of a dashboard's (bench.profile_request). Their values are parameters, so one
# serves every page. Bounded; the statements are plain SQL constructs.
_kept: dict[Hashable, Select[Any]] = {}
KEPT_STATEMENTS = 1024


def kept_statement(key: Hashable, build: Callable[[], Select[Any]]) -> Select[Any]:
    """The statement kept for ``key``, built now if there is none. ``build`` may use nothing
    the key does not hold: the statement serves every request with an equal key."""
    statement = _kept.get(key)
    if statement is None:
        if len(_kept) >= KEPT_STATEMENTS:
            _kept.clear()
        statement = _kept[key] = build()
    return statement


async def keyset_json(session: AsyncSession, statement: Select[Any], first: int,
                      after: str | None) -> JsonPage:
    """The page of ``first`` rows after the cursor ``after`` of a ``keyset_json_statement``
    (made with ``paging_on`` when ``after`` is given)."""
    values: dict[str, Any] = {"page_first": first}
    if after:
        values["page_after"] = after
    found = (await session.execute(statement, values)).one()
    return JsonPage(int(found[0]), found[1] > first, found[2],
                    tuple(text or "[]" for text in found[3:]))


def offset_json_statement(stmt: Select[Any],
                          order: Sequence[ColumnElement[Any] | InstrumentedAttribute[Any]],
                          count_by: ColumnElement[Any] | InstrumentedAttribute[Any],
                          node: Callable[[ColumnCollection[str, Any]], ColumnElement[Any]]
                          ) -> Select[Any]:
    """The total and a page of ``stmt`` in ``order`` (the lists paged by an offset), each row
    built as JSON by PostgreSQL as ``keyset_json_statement`` builds it, the page as the text
    of a JSON array (a dashboard's hundreds of rows are passed on as they are:
    ``schema.raw_json``); one statement. ``count_by``: a column of the rows, for the total.
    The page's size and offset are parameters: ``offset_json`` runs it."""
    page = (stmt.with_only_columns(node(stmt.selected_columns).label("node"),
                                   func.row_number().over(order_by=order).label("position"))
            .order_by(*order).offset(bindparam("page_offset", type_=Integer))
            .limit(bindparam("page_first", type_=Integer)).subquery("page"))
    total = select(func.count()).select_from(
        stmt.with_only_columns(count_by).order_by(None).subquery("lines")).scalar_subquery()
    return select(total, select(cast(func.json_agg(aggregate_order_by(
        page.c.node, page.c.position)), Text)).scalar_subquery())


async def offset_json(session: AsyncSession, statement: Select[Any], first: int,
                      offset: int) -> tuple[int, str]:
    """The total and the ``first`` rows from ``offset`` of an ``offset_json_statement``."""
    found = (await session.execute(statement, {"page_first": first,
                                               "page_offset": offset})).one()
    return int(found[0]), found[1] or "[]"


def ordered_page(items: Sequence[T], cursor: Callable[[T], str], first: int,
                 after: str | None, max_page: int = MAX_PAGE) -> Page[T]:
    """A page of a list in its own order; ``cursor`` is a row's unique id. A cursor whose row
    is gone cannot say where the page starts: the caller starts again from the first page."""
    check_page_size(first, max_page)
    start = 0
    if after:
        found = next((n for n, item in enumerate(items) if cursor(item) == after), None)
        if found is None:
            raise fail(ErrorCode.INVALID, BAD_CURSOR, "after")
        start = found + 1
    rest = items[start:]
    return Page(rest[:first], len(items), len(rest) > first, cursor)


def list_page(items: Sequence[T], cursor: Callable[[T], str], first: int,
              after: str | None) -> Page[T]:
    """A page of a list computed in memory, ordered by ``cursor`` (unique) like the others."""
    ordered = sorted(items, key=cursor)
    rest = [i for i in ordered if cursor(i) > after] if after else ordered
    return Page(rest[:first], len(ordered), len(rest) > first, cursor)
