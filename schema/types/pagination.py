"""The one shape of a paginated list (a connection), for every list that can grow.

``first``/``after`` arguments; ``totalCount`` over all pages; ``pageInfo { hasNextPage
endCursor }``; the rows both as ``edges { cursor node }`` (as the people list has always had
them) and as ``nodes`` (the short form). ``Connection[X]`` is named ``XConnection`` in the SDL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Generic, Protocol, TypeVar

import strawberry

from resolvers.pagination import Page, ordered_page

T = TypeVar("T")
R = TypeVar("R")

# The two arguments of every paginated field, described once.
First = Annotated[int, strawberry.argument(description="每页条数")]
After = Annotated[str | None, strawberry.argument(
    description="上一页 pageInfo.endCursor 的值；不传为第一页")]


@strawberry.type(description="分页信息：是否还有下一页，本页最后一条的游标（作为下一页的 after）")
class PageInfo:
    has_next_page: bool = strawberry.field(description="是否还有下一页")
    end_cursor: str | None = strawberry.field(description="本页最后一条的游标；空页为 null")


@strawberry.type(description="分页列表中的一条及其游标")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="本条的游标")
    node: T = strawberry.field(description="本条")


@strawberry.type(description="分页列表：first 条一页，after 传上一页的 endCursor")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="本页各条及其游标")
    nodes: list[T] = strawberry.field(description="本页各条")
    page_info: PageInfo = strawberry.field(description="分页信息")
    total_count: int = strawberry.field(description="全部页的总条数")

    @classmethod
    def of(cls, page: Page[R], convert: Callable[[R], T]) -> Connection[T]:
        nodes = [convert(i) for i in page.items]
        return cls(edges=[Edge(cursor=page.cursor(i), node=n)
                          for i, n in zip(page.items, nodes, strict=True)],
                   nodes=nodes, total_count=page.total,
                   page_info=PageInfo(has_next_page=page.has_next, end_cursor=page.end_cursor))


def paged(nodes: Sequence[T], cursor: Callable[[T], str], first: int,
          after: str | None) -> Connection[T]:
    """A connection over a list a use case computed whole, in its own order (the paginated
    sibling of a plain list field); ``cursor`` is a row's unique id."""
    return Connection.of(ordered_page(nodes, cursor, first, after), _same)


def _same(node: T) -> T:
    return node


class HasId(Protocol):
    @property
    def id(self) -> str: ...


def node_id(node: HasId) -> str:
    """The usual cursor of ``paged``: the row's id."""
    return str(node.id)
