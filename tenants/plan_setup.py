"""Writes a scheme template (tenants.templates) into a tenant: at provisioning and in the demo.

Runs inside a transaction whose tenant is already set. Never commits.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    AuditEntry,
    IndicatorScheme,
    Post,
    ResponsibilityLetterLine,
    SchemeDimension,
    SchemeNode,
    SchemeVersion,
)
from tenants.templates import SchemeTemplate, walk
from vocab.plans import SchemeStatus


def scheme_name(year: int, template: SchemeTemplate) -> str:
    return f"{year}年度{template.name}"


async def apply_template(session: AsyncSession, tenant_id: uuid.UUID, year: int,
                         template: SchemeTemplate, *, publish: bool, actor: str,
                         now: datetime | None = None) -> SchemeVersion | None:
    """The year's scheme from ``template``: a new scheme, or the refill of a first draft.

    A scheme that already has a published version is left alone (returns ``None``).
    """
    scheme = await session.scalar(select(IndicatorScheme).where(IndicatorScheme.year == year))
    if scheme is None:
        scheme = IndicatorScheme(tenant_id=tenant_id, id=uuid.uuid4(), year=year,
                                 name=scheme_name(year, template))
        session.add(scheme)
        await session.flush()
    versions = (await session.scalars(
        select(SchemeVersion).where(SchemeVersion.scheme_id == scheme.id))).all()
    if any(v.status == SchemeStatus.published for v in versions):
        return None
    if versions:
        version = versions[0]
        await session.execute(delete(SchemeNode).where(SchemeNode.version_id == version.id))
        await session.execute(
            delete(SchemeDimension).where(SchemeDimension.version_id == version.id))
        scheme.name = scheme_name(year, template)
    else:
        version = SchemeVersion(tenant_id=tenant_id, id=uuid.uuid4(), scheme_id=scheme.id,
                                number=1, status=SchemeStatus.draft,
                                note=f"由模板“{template.name}”生成")
        session.add(version)
        await session.flush()
    session.add_all([SchemeDimension(
        tenant_id=tenant_id, version_id=version.id, code=d.code, name=d.name, weight=d.weight,
        rater_roles=list(d.rater_roles), sort_order=i) for i, d in enumerate(template.dimensions)])
    ids: dict[str, uuid.UUID] = {}
    for order, (node, parent) in enumerate(walk(template.nodes)):
        ids[node.code] = uuid.uuid4()
        session.add(SchemeNode(
            tenant_id=tenant_id, id=ids[node.code], version_id=version.id,
            parent_id=ids[parent] if parent else None, code=node.code, name=node.name,
            kind=node.kind, description=node.description, weight=node.weight, cap=node.cap,
            points=node.points, applies_to=node.applies_to,
            needs_confirmation=node.needs_confirmation,
            confirmation_note=node.confirmation_note, serious=node.serious, sort_order=order))
        await session.flush()  # parents before children (self-referencing rows)
    if publish:
        version.status = SchemeStatus.published
        version.published_at = now or datetime.now(UTC)
        version.published_by = actor
    await _letters(session, tenant_id, scheme.id, template)
    session.add(AuditEntry(tenant_id=tenant_id, actor=actor, action="scheme.template",
                           entity="scheme_version", entity_id=str(version.id),
                           after={"template": template.key, "year": year,
                                  "status": version.status}))
    await session.flush()
    return version


async def _letters(session: AsyncSession, tenant_id: uuid.UUID, scheme_id: uuid.UUID,
                   template: SchemeTemplate) -> None:
    """Letters by post name; posts the tenant does not have are skipped."""
    if not template.letters:
        return
    posts = {p.name: p.id for p in (await session.scalars(select(Post))).all()}
    for post_name, lines in template.letters:
        post_id = posts.get(post_name)
        if post_id is None:
            continue
        session.add_all([ResponsibilityLetterLine(
            tenant_id=tenant_id, scheme_id=scheme_id, post_id=post_id, indicator_code=code,
            target=target, sort_order=i) for i, (code, target) in enumerate(lines)])
