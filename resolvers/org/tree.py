"""The org tree of the request or job: loaded at most once, forgotten when a unit changes."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from authz.loading import load_org_tree, org_tree_of
from resolvers.context import Context
from rules.org_tree import OrgTree


async def org_tree(ctx: Context) -> OrgTree[uuid.UUID]:
    """The tenant's org tree, cached on the context (one statement the first time)."""
    if ctx.org_tree is None:
        ctx.org_tree = await load_org_tree(ctx.session)
    return ctx.org_tree


def org_tree_from_rows(ctx: Context,
                       units: Iterable[tuple[uuid.UUID, uuid.UUID | None, int, str]]
                       ) -> OrgTree[uuid.UUID]:
    """The request's tree; when not loaded yet, built from ``units`` (id, parent id, sort
    order, code of every unit of the tenant, which the caller read anyway): no second
    statement for the same rows."""
    if ctx.org_tree is None:
        ctx.org_tree = org_tree_of(units)
    return ctx.org_tree


def forget_org_tree(ctx: Context) -> None:
    """After a unit is created, moved or deleted: the next walk loads the tree again."""
    ctx.org_tree = None


async def units_below(ctx: Context, unit_id: uuid.UUID) -> frozenset[uuid.UUID]:
    """``unit_id`` and every unit under it."""
    return (await org_tree(ctx)).subtree(unit_id)


__all__ = ["forget_org_tree", "org_tree", "org_tree_from_rows", "units_below"]
