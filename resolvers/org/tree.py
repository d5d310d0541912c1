"""The org tree of the request or job: loaded at most once, forgotten when a unit changes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from authz.loading import load_org_tree, org_tree_of
from models import OrgUnit
from resolvers.context import Context
from rules.org_tree import OrgTree


async def org_tree(ctx: Context) -> OrgTree[uuid.UUID]:
    """The tenant's org tree, cached on the context (one statement the first time)."""
    if ctx.org_tree is None:
        ctx.org_tree = await load_org_tree(ctx.session)
    return ctx.org_tree


def org_tree_from_units(ctx: Context, units: Sequence[OrgUnit]) -> OrgTree[uuid.UUID]:
    """The request's tree, built from ``units`` (every unit of the tenant, already loaded)
    when it has not been loaded yet: no second statement for the same rows."""
    if ctx.org_tree is None:
        ctx.org_tree = org_tree_of((u.id, u.parent_id, u.sort_order, u.code) for u in units)
    return ctx.org_tree


def forget_org_tree(ctx: Context) -> None:
    """After a unit is created, moved or deleted: the next walk loads the tree again."""
    ctx.org_tree = None


async def units_below(ctx: Context, unit_id: uuid.UUID) -> frozenset[uuid.UUID]:
    """``unit_id`` and every unit under it."""
    return (await org_tree(ctx)).subtree(unit_id)


__all__ = ["forget_org_tree", "org_tree", "org_tree_from_units", "units_below"]
