"""The GraphQL context: the use-case context plus the request's DataLoaders."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from strawberry.dataloader import DataLoader

from models import Person
from resolvers.context import Context
from resolvers.org import structure as org

K = TypeVar("K")
V = TypeVar("V")

BatchFn = Callable[[Context, Sequence[K]], Awaitable[Sequence[V]]]


@dataclass
class GraphQLContext(Context):
    # The request's DataLoaders, one per batch function (see ``loader_for``).
    loaders: dict[Callable[..., Any], DataLoader[Any, Any]] = field(default_factory=dict)
    # Set when an unexpected error was masked: the request's transaction is rolled back.
    failed: bool = False
    # Resolver tasks still running (see ``schema.extensions.SettledFields``).
    pending: set[asyncio.Future[Any]] = field(default_factory=set)

    async def settle(self) -> None:
        """Waits for every resolver task, so none touches the session after the request."""
        while self.pending:
            await asyncio.gather(*self.pending, return_exceptions=True)


def later(awaitable: Awaitable[V]) -> V:
    """What a synchronous resolver returns when its value must still be loaded.

    A resolver written ``async def`` costs an awaitable on every call, and each awaitable a task
    (``SettledFields``) and a turn of the event loop, even when the value was at hand (a list
    that read each person's unit with the person). A resolver that usually has its value is
    written ``def``: it returns the value, or ``later(coroutine)`` when it must load it; GraphQL
    awaits what it gets. Typed as the value, which is what the field's type says."""
    return cast(V, awaitable)


def loader_for(ctx: GraphQLContext, fn: BatchFn[K, V]) -> DataLoader[K, V]:
    """The request's DataLoader for a batch function, made on first use (keyed by it)."""
    if fn not in ctx.loaders:
        async def load(keys: list[K]) -> list[V]:
            return list(await fn(ctx, keys))

        ctx.loaders[fn] = DataLoader(load_fn=load)
    loader: DataLoader[K, V] = ctx.loaders[fn]
    return loader


async def managers_by_person(ctx: Context, keys: Sequence[tuple[uuid.UUID, uuid.UUID]]
                             ) -> list[list[org.ManagerLink]]:
    """Batch function: the managers of each (person id, unit id)."""
    index = await org.management_index(ctx)
    return [index.managers_of(Person(id=pid, unit_id=uid)) for pid, uid in keys]
