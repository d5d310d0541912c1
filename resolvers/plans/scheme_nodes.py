"""Editing the nodes and rating dimensions of a draft version; dynamic indicators.

Every edit of a draft checks the node and the tree (codes, parents, cycles, caps); the weight
sums are checked when publishing, since a draft may be mid-edit. A dynamic indicator (动态指标)
is the one addition a published version accepts: a credit or deduction with a start date and a
reason, audited, counted only from that date.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from authz import Permission
from models import IndicatorScheme, SchemeDimension, SchemeNode, SchemeVersion
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail, not_found
from resolvers.plans.schemes import (
    get_version,
    node_spec,
    raise_problems,
    require_draft,
    version_nodes,
)
from rules.scheme_validation import DimensionSpec, NodeSpec, check_dimensions, check_scheme
from vocab.plans import AppliesTo, IndicatorKind, SchemeStatus

DYNAMIC_KINDS = (IndicatorKind.credit, IndicatorKind.deduction)


@dataclass(frozen=True)
class NodeInput:
    code: str
    name: str
    kind: str
    parent_id: uuid.UUID | None = None
    weight: int | None = None
    cap: Decimal | None = None
    points: Decimal | None = None
    applies_to: str = AppliesTo.everyone.value
    needs_confirmation: bool = False
    confirmation_note: str = ""
    serious: bool = False
    description: str = ""
    sort_order: int | None = None


@dataclass(frozen=True)
class DimensionInput:
    code: str
    name: str
    weight: int
    rater_roles: tuple[str, ...] = ()


def _spec(data: NodeInput, key: uuid.UUID) -> NodeSpec:
    return NodeSpec(key=key, code=data.code.strip(), name=data.name.strip(), kind=data.kind,
                    parent_key=data.parent_id, weight=data.weight, cap=data.cap,
                    points=data.points)


def _check(nodes: list[SchemeNode], data: NodeInput, key: uuid.UUID, *, sums: bool) -> None:
    if data.applies_to not in set(AppliesTo):
        raise fail(ErrorCode.INVALID, "适用范围只能是全员或岗位责任书", "appliesTo")
    specs = [node_spec(n) for n in nodes if n.id != key] + [_spec(data, key)]
    # Report the problems of this node and of the tree, not older ones of other nodes.
    raise_problems([p for p in check_scheme(specs, sums=sums) if p.key in (key, None)
                    or p.field == "parent"])


def _apply(row: SchemeNode, data: NodeInput) -> None:
    row.code, row.name, row.kind = data.code.strip(), data.name.strip(), data.kind
    row.parent_id, row.weight, row.cap, row.points = (data.parent_id, data.weight, data.cap,
                                                      data.points)
    row.applies_to, row.needs_confirmation = data.applies_to, data.needs_confirmation
    row.confirmation_note, row.serious = data.confirmation_note.strip(), data.serious
    row.description = data.description.strip()
    if data.sort_order is not None:
        row.sort_order = data.sort_order


async def _next_order(ctx: Context, version_id: uuid.UUID) -> int:
    value = await ctx.session.scalar(select(func.max(SchemeNode.sort_order))
                                     .where(SchemeNode.version_id == version_id))
    return int(value or 0) + 1


async def get_node(ctx: Context, node_id: uuid.UUID) -> SchemeNode:
    ctx.require(Permission.scheme_read)
    node = await ctx.session.get(SchemeNode, (ctx.me.tenant_id, node_id))
    if node is None:
        raise not_found("指标")
    return node


async def save_node(ctx: Context, version_id: uuid.UUID, data: NodeInput,
                    node_id: uuid.UUID | None = None) -> SchemeNode:
    ctx.require(Permission.scheme_write)
    version = await get_version(ctx, version_id, lock=True)
    require_draft(version)
    nodes = await version_nodes(ctx, version_id)
    if node_id is not None and not any(n.id == node_id for n in nodes):
        raise not_found("指标")
    key = node_id or uuid.uuid4()
    _check(nodes, data, key, sums=False)
    if node_id is None:
        row = SchemeNode(tenant_id=ctx.me.tenant_id, id=key, version_id=version_id,
                         sort_order=await _next_order(ctx, version_id))
        ctx.session.add(row)
        before = None
    else:
        row = next(n for n in nodes if n.id == node_id)
        before = audit.snapshot(row)
    _apply(row, data)
    await ctx.session.flush()
    audit.record(ctx, "scheme.node.save", "scheme_node", row.id, before, audit.snapshot(row))
    return row


async def delete_node(ctx: Context, node_id: uuid.UUID) -> uuid.UUID:
    ctx.require(Permission.scheme_write)
    node = await get_node(ctx, node_id)
    version = await get_version(ctx, node.version_id, lock=True)
    require_draft(version)
    kids = await ctx.session.scalar(select(func.count()).select_from(SchemeNode)
                                    .where(SchemeNode.parent_id == node_id))
    if kids:
        raise fail(ErrorCode.CONFLICT, f"「{node.name}」下还有下级指标，请先删除下级指标")
    before = audit.snapshot(node)
    await ctx.session.delete(node)
    await ctx.session.flush()
    audit.record(ctx, "scheme.node.delete", "scheme_node", node_id, before=before)
    return node_id


async def set_dimensions(ctx: Context, version_id: uuid.UUID,
                         dimensions: list[DimensionInput]) -> list[SchemeDimension]:
    """Replaces the rating dimensions of a draft (weights sum to 100)."""
    ctx.require(Permission.scheme_write)
    version = await get_version(ctx, version_id, lock=True)
    require_draft(version)
    raise_problems(check_dimensions([DimensionSpec(i, d.code, d.name, d.weight)
                                     for i, d in enumerate(dimensions)]))
    old = list((await ctx.session.scalars(select(SchemeDimension).where(
        SchemeDimension.version_id == version_id))).all())
    before = {"dimensions": [audit.snapshot(d) for d in old]}
    for row in old:
        await ctx.session.delete(row)
    await ctx.session.flush()
    rows = [SchemeDimension(tenant_id=ctx.me.tenant_id, version_id=version_id,
                            code=d.code.strip(), name=d.name.strip(), weight=d.weight,
                            rater_roles=list(d.rater_roles), sort_order=i)
            for i, d in enumerate(dimensions)]
    ctx.session.add_all(rows)
    await ctx.session.flush()
    audit.record(ctx, "scheme.dimensions.set", "scheme_version", version_id, before,
                 {"dimensions": [audit.snapshot(d) for d in rows]})
    return rows


async def add_dynamic_indicator(ctx: Context, version_id: uuid.UUID, data: NodeInput,
                                effective_from: date, reason: str) -> SchemeNode:
    """A dynamic indicator on a published version, counted only from ``effective_from``.

    If the next version is already being drafted, the indicator is copied into it too, so
    publishing that draft does not drop it.
    """
    ctx.require(Permission.scheme_add_dynamic)
    version = await get_version(ctx, version_id, lock=True)
    if version.status != SchemeStatus.published:
        raise fail(ErrorCode.INVALID, "动态指标只能加入已发布的指标体系；草稿版本请直接编辑",
                   "versionId")
    if data.kind not in DYNAMIC_KINDS:
        raise fail(ErrorCode.INVALID, "动态指标只能是加分项或减分项（按记录日期计分）", "kind")
    if not reason.strip():
        raise fail(ErrorCode.INVALID, "请填写增设动态指标的原因", "reason")
    scheme = await ctx.session.get(IndicatorScheme, (ctx.me.tenant_id, version.scheme_id))
    assert scheme is not None
    if effective_from.year != scheme.year:
        raise fail(ErrorCode.INVALID, f"生效日期须在{scheme.year}年度内", "effectiveFrom")
    nodes = await version_nodes(ctx, version_id)
    key = uuid.uuid4()
    _check(nodes, data, key, sums=True)
    row = SchemeNode(tenant_id=ctx.me.tenant_id, id=key, version_id=version_id,
                     sort_order=await _next_order(ctx, version_id), dynamic=True,
                     effective_from=effective_from, dynamic_reason=reason.strip())
    _apply(row, data)
    ctx.session.add(row)
    await ctx.session.flush()
    audit.record(ctx, "scheme.dynamic.add", "scheme_node", row.id, None, audit.snapshot(row),
                 reason=reason.strip())
    await _carry_to_draft(ctx, version, row, data)
    return row


async def _carry_to_draft(ctx: Context, version: SchemeVersion, row: SchemeNode,
                          data: NodeInput) -> None:
    draft = await ctx.session.scalar(select(SchemeVersion).where(
        SchemeVersion.scheme_id == version.scheme_id, SchemeVersion.status == SchemeStatus.draft))
    if draft is None:
        return
    nodes = await version_nodes(ctx, draft.id)
    if any(n.code == row.code for n in nodes):
        return
    parent_code = next((n.code for n in await version_nodes(ctx, version.id)
                        if n.id == row.parent_id), None)
    parent = next((n.id for n in nodes if n.code == parent_code), None)
    copy = SchemeNode(tenant_id=ctx.me.tenant_id, version_id=draft.id,
                      sort_order=await _next_order(ctx, draft.id), dynamic=True,
                      effective_from=row.effective_from, dynamic_reason=row.dynamic_reason)
    _apply(copy, replace(data, parent_id=parent))
    ctx.session.add(copy)
    await ctx.session.flush()
    audit.record(ctx, "scheme.dynamic.carry", "scheme_node", copy.id, None,
                 audit.snapshot(copy), reason=row.dynamic_reason)


__all__ = ["DimensionInput", "NodeInput", "add_dynamic_indicator", "delete_node", "get_node",
           "save_node", "set_dimensions"]
