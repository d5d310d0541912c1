"""Indicator schemes and their versions: read, create, copy to a new version, publish.

A draft version is edited; publishing validates the whole version and freezes it; any later
edit of it is refused with ``FROZEN`` (only dynamic indicators may be added to a published
version, see ``resolvers.scheme_nodes``). A new version starts as a copy of the latest one.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta, timezone

from sqlalchemy import func, select

from authz import Permission
from models import IndicatorScheme, SchemeDimension, SchemeNode, SchemeVersion, Tenant
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, Problem, UserFacingError, fail, not_found
from rules.scheme_validation import DimensionSpec, NodeSpec, SchemeProblem, check_scheme
from rules.scoring import DEFAULT_ROLE_LABELS
from tenants.plan_setup import apply_template
from tenants.templates import DEFAULT_DIMENSIONS, template_for_kind
from vocab.plans import INDICATOR_KIND_LABELS, IndicatorKind, SchemeStatus

CHINA = timezone(timedelta(hours=8))


def today(ctx: Context) -> date:
    """The date in Chengdu (UTC+8) now."""
    return ctx.now().astimezone(CHINA).date()


def kind_label(kind: str) -> str:
    return INDICATOR_KIND_LABELS[IndicatorKind(kind)]


def role_label(role: str) -> str:
    return DEFAULT_ROLE_LABELS.get(role, role)


def node_spec(row: SchemeNode) -> NodeSpec:
    return NodeSpec(key=row.id, code=row.code, name=row.name, kind=row.kind,
                    parent_key=row.parent_id, weight=row.weight, cap=row.cap, points=row.points)


def dimension_spec(row: SchemeDimension) -> DimensionSpec:
    return DimensionSpec(key=row.id, code=row.code, name=row.name, weight=row.weight)


def raise_problems(problems: Sequence[SchemeProblem]) -> None:
    if problems:
        raise UserFacingError(*(Problem(ErrorCode.INVALID, p.message, p.field)
                                for p in problems))


def frozen() -> UserFacingError:
    return fail(ErrorCode.FROZEN, "该版本指标体系已发布，不能修改；请新建版本后修改")


def require_draft(version: SchemeVersion) -> None:
    if version.status != SchemeStatus.draft:
        raise frozen()


# --- reading ---------------------------------------------------------------------------------


async def list_schemes(ctx: Context) -> Sequence[IndicatorScheme]:
    ctx.require(Permission.scheme_read)
    return (await ctx.session.scalars(
        select(IndicatorScheme).order_by(IndicatorScheme.year.desc()))).all()


async def scheme_of_year(ctx: Context, year: int) -> IndicatorScheme | None:
    ctx.require(Permission.scheme_read)
    return await ctx.session.scalar(select(IndicatorScheme).where(IndicatorScheme.year == year))


async def get_scheme(ctx: Context, scheme_id: uuid.UUID) -> IndicatorScheme:
    ctx.require(Permission.scheme_read)
    scheme = await ctx.session.get(IndicatorScheme, (ctx.me.tenant_id, scheme_id))
    if scheme is None:
        raise not_found("指标体系")
    return scheme


async def get_version(ctx: Context, version_id: uuid.UUID, *, lock: bool = False
                      ) -> SchemeVersion:
    ctx.require(Permission.scheme_read)
    version = await ctx.session.get(SchemeVersion, (ctx.me.tenant_id, version_id),
                                    with_for_update=lock)
    if version is None:
        raise not_found("指标体系版本")
    return version


async def versions_by_scheme(ctx: Context, scheme_ids: Sequence[uuid.UUID]
                             ) -> list[list[SchemeVersion]]:
    if not ctx.can(Permission.scheme_read):
        return [[] for _ in scheme_ids]
    rows = (await ctx.session.scalars(select(SchemeVersion).where(
        SchemeVersion.scheme_id.in_(scheme_ids)).order_by(SchemeVersion.number))).all()
    out: dict[uuid.UUID, list[SchemeVersion]] = defaultdict(list)
    for row in rows:
        out[row.scheme_id].append(row)
    return [out.get(i, []) for i in scheme_ids]


async def nodes_by_version(ctx: Context, version_ids: Sequence[uuid.UUID]
                           ) -> list[list[SchemeNode]]:
    if not ctx.can(Permission.scheme_read):
        return [[] for _ in version_ids]
    rows = (await ctx.session.scalars(select(SchemeNode).where(
        SchemeNode.version_id.in_(version_ids)).order_by(SchemeNode.sort_order,
                                                          SchemeNode.code))).all()
    out: dict[uuid.UUID, list[SchemeNode]] = defaultdict(list)
    for row in rows:
        out[row.version_id].append(row)
    return [out.get(i, []) for i in version_ids]


async def dimensions_by_version(ctx: Context, version_ids: Sequence[uuid.UUID]
                                ) -> list[list[SchemeDimension]]:
    if not ctx.can(Permission.scheme_read):
        return [[] for _ in version_ids]
    rows = (await ctx.session.scalars(select(SchemeDimension).where(
        SchemeDimension.version_id.in_(version_ids)).order_by(SchemeDimension.sort_order))
    ).all()
    out: dict[uuid.UUID, list[SchemeDimension]] = defaultdict(list)
    for row in rows:
        out[row.version_id].append(row)
    return [out.get(i, []) for i in version_ids]


async def version_nodes(ctx: Context, version_id: uuid.UUID) -> list[SchemeNode]:
    return (await nodes_by_version(ctx, [version_id]))[0]


async def version_dimensions(ctx: Context, version_id: uuid.UUID) -> list[SchemeDimension]:
    return (await dimensions_by_version(ctx, [version_id]))[0]


async def validate_version(ctx: Context, version_id: uuid.UUID) -> list[SchemeProblem]:
    """Everything publishing would refuse, without refusing (to show beside a draft)."""
    await get_version(ctx, version_id)
    nodes = await version_nodes(ctx, version_id)
    dimensions = await version_dimensions(ctx, version_id)
    return check_scheme([node_spec(n) for n in nodes], [dimension_spec(d) for d in dimensions])


async def latest_published(ctx: Context, year: int) -> SchemeVersion | None:
    ctx.require(Permission.scheme_read)
    return await ctx.session.scalar(
        select(SchemeVersion).join(IndicatorScheme,
                                   IndicatorScheme.id == SchemeVersion.scheme_id)
        .where(IndicatorScheme.year == year, SchemeVersion.status == SchemeStatus.published)
        .order_by(SchemeVersion.number.desc()).limit(1))


# --- writing ---------------------------------------------------------------------------------


async def create_scheme(ctx: Context, year: int, name: str, from_template: bool
                        ) -> IndicatorScheme:
    """A scheme for ``year`` with a first draft: the unit kind's template, or empty."""
    ctx.require(Permission.scheme_write)
    if not 2000 <= year <= 2100:
        raise fail(ErrorCode.INVALID, "年度无效", "year")
    if await scheme_of_year(ctx, year) is not None:
        raise fail(ErrorCode.DUPLICATE, f"{year}年度的指标体系已存在，请新建版本", "year")
    tenant = await ctx.session.get(Tenant, ctx.me.tenant_id)
    template = template_for_kind(tenant.kind) if tenant and from_template else None
    if template is not None:
        await apply_template(ctx.session, ctx.me.tenant_id, year, template, publish=False,
                             actor=ctx.me.subject)
        scheme = await scheme_of_year(ctx, year)
        assert scheme is not None
    else:
        scheme = IndicatorScheme(tenant_id=ctx.me.tenant_id, year=year,
                                 name=name.strip() or f"{year}年度指标体系")
        ctx.session.add(scheme)
        await ctx.session.flush()
        version = SchemeVersion(tenant_id=ctx.me.tenant_id, scheme_id=scheme.id, number=1,
                                status=SchemeStatus.draft)
        ctx.session.add(version)
        await ctx.session.flush()
        ctx.session.add_all([SchemeDimension(
            tenant_id=ctx.me.tenant_id, version_id=version.id, code=d.code, name=d.name,
            weight=d.weight, rater_roles=list(d.rater_roles), sort_order=i)
            for i, d in enumerate(DEFAULT_DIMENSIONS)])
    if name.strip():
        scheme.name = name.strip()
    await ctx.session.flush()
    audit.record(ctx, "scheme.create", "indicator_scheme", scheme.id,
                 after=audit.snapshot(scheme))
    return scheme


async def copy_version(ctx: Context, source: SchemeVersion, number: int, note: str
                       ) -> SchemeVersion:
    """A draft copy of ``source``: dimensions and nodes (dynamic ones included) with new ids."""
    version = SchemeVersion(tenant_id=ctx.me.tenant_id, scheme_id=source.scheme_id,
                            number=number, status=SchemeStatus.draft, based_on_id=source.id,
                            note=note)
    ctx.session.add(version)
    await ctx.session.flush()
    for dim in await version_dimensions(ctx, source.id):
        ctx.session.add(SchemeDimension(
            tenant_id=ctx.me.tenant_id, version_id=version.id, code=dim.code, name=dim.name,
            weight=dim.weight, rater_roles=list(dim.rater_roles), sort_order=dim.sort_order))
    nodes = await version_nodes(ctx, source.id)
    new_ids = {n.id: uuid.uuid4() for n in nodes}
    for node in _parents_first(nodes):
        ctx.session.add(SchemeNode(
            tenant_id=ctx.me.tenant_id, id=new_ids[node.id], version_id=version.id,
            parent_id=new_ids.get(node.parent_id) if node.parent_id else None, code=node.code,
            name=node.name, kind=node.kind, description=node.description, weight=node.weight,
            cap=node.cap, points=node.points, applies_to=node.applies_to,
            needs_confirmation=node.needs_confirmation,
            confirmation_note=node.confirmation_note, serious=node.serious,
            dynamic=node.dynamic, effective_from=node.effective_from,
            dynamic_reason=node.dynamic_reason, sort_order=node.sort_order))
        await ctx.session.flush()
    return version


def _parents_first(nodes: Sequence[SchemeNode]) -> list[SchemeNode]:
    children: dict[uuid.UUID | None, list[SchemeNode]] = defaultdict(list)
    ids = {n.id for n in nodes}
    for node in nodes:
        children[node.parent_id if node.parent_id in ids else None].append(node)
    out: list[SchemeNode] = []
    stack = list(reversed(children[None]))
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(children.get(node.id, [])))
    return out


async def new_version(ctx: Context, scheme_id: uuid.UUID, note: str = "") -> SchemeVersion:
    """The next version, as a draft copy of the latest one (one draft at a time)."""
    ctx.require(Permission.scheme_write)
    scheme = await get_scheme(ctx, scheme_id)
    versions = (await versions_by_scheme(ctx, [scheme.id]))[0]
    if any(v.status == SchemeStatus.draft for v in versions):
        raise fail(ErrorCode.CONFLICT, "已有未发布的草稿版本，请先修改并发布该草稿", "schemeId")
    if not versions:
        raise not_found("指标体系版本")
    latest = versions[-1]
    version = await copy_version(ctx, latest, latest.number + 1,
                                 note.strip() or f"由第{latest.number}版复制")
    audit.record(ctx, "scheme.version.create", "scheme_version", version.id,
                 after={"scheme_id": scheme.id, "number": version.number,
                        "based_on_id": latest.id})
    return version


async def publish_version(ctx: Context, version_id: uuid.UUID) -> SchemeVersion:
    ctx.require(Permission.scheme_publish)
    version = await get_version(ctx, version_id, lock=True)
    require_draft(version)
    raise_problems(await validate_version(ctx, version_id))
    count = await ctx.session.scalar(select(func.count()).select_from(SchemeNode)
                                     .where(SchemeNode.version_id == version_id))
    if not count:
        raise fail(ErrorCode.INVALID, "指标体系没有任何指标，不能发布", "versionId")
    before = audit.snapshot(version)
    version.status = SchemeStatus.published
    version.published_at = ctx.now()
    version.published_by = ctx.me.subject
    await ctx.session.flush()
    audit.record(ctx, "scheme.publish", "scheme_version", version.id, before,
                 audit.snapshot(version))
    return version
