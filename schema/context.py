"""The GraphQL context: the use-case context plus per-request DataLoaders."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from models import OrgUnit, Person, Post
from resolvers.context import Context
from resolvers.org import identity
from resolvers.org import structure as org

K = TypeVar("K")
V = TypeVar("V")


def _loader(ctx: Context, fn: Callable[[Context, Sequence[K]], Awaitable[Sequence[V]]]
            ) -> DataLoader[K, V]:
    async def load(keys: list[K]) -> list[V]:
        return list(await fn(ctx, keys))

    return DataLoader(load_fn=load)


@dataclass
class Loaders:
    unit: DataLoader[uuid.UUID, OrgUnit | None]
    unit_children: DataLoader[uuid.UUID, list[OrgUnit]]
    post: DataLoader[uuid.UUID, Post | None]
    person: DataLoader[uuid.UUID, Person | None]
    managers: DataLoader[tuple[uuid.UUID, uuid.UUID], list[org.ManagerLink]]
    manager_name: DataLoader[uuid.UUID, tuple[str, uuid.UUID] | None]
    account_roles: DataLoader[uuid.UUID, list[str]]
    extra: dict[str, DataLoader[Any, Any]] = field(default_factory=dict)


async def _managers(ctx: Context, keys: Sequence[tuple[uuid.UUID, uuid.UUID]]
                    ) -> list[list[org.ManagerLink]]:
    index = await org.management_index(ctx)
    return [index.managers_of(Person(id=pid, unit_id=uid)) for pid, uid in keys]


@dataclass
class GraphQLContext(Context):
    loaders: Loaders = field(init=False)
    # Set when an unexpected error was masked: the request's transaction is rolled back.
    failed: bool = False

    def __post_init__(self) -> None:
        self.loaders = Loaders(
            unit=_loader(self, org.units_by_ids),
            unit_children=_loader(self, org.unit_children_by_parent),
            post=_loader(self, org.posts_by_ids),
            person=_loader(self, org.people_by_ids),
            managers=_loader(self, _managers),
            manager_name=_loader(self, org.manager_names),
            account_roles=_loader(self, identity.roles_by_account),
        )


def loader_for(ctx: GraphQLContext, fn: Callable[[Context, Sequence[K]], Awaitable[Sequence[V]]]
               ) -> DataLoader[K, V]:
    """The request's DataLoader for a batch function, created on first use (keyed by it)."""
    key = f"{fn.__module__}.{fn.__qualname__}"
    if key not in ctx.loaders.extra:
        ctx.loaders.extra[key] = _loader(ctx, fn)
    loader: DataLoader[K, V] = ctx.loaders.extra[key]
    return loader
