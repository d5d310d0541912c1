"""Writes to the append-only audit log. Helpers never commit: the request does."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import inspect

from models import AuditEntry, Base
from resolvers.context import Context
from resolvers.pagination import MAX_PAGE, Page, check_page_size, keyset_page_by


def _jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return value


def snapshot(row: Base | None, exclude: tuple[str, ...] = ("password_hash", "secret_hash")
             ) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        attr.key: _jsonable(getattr(row, attr.key))
        for attr in inspect(row).mapper.column_attrs
        if attr.key not in exclude
    }


def record(ctx: Context, action: str, entity: str, entity_id: object,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
           reason: str = "", tenant_id: uuid.UUID | None = None,
           actor: str | None = None) -> None:
    """``actor`` names who acted when nobody is logged in yet (a login attempt)."""
    who = actor or (ctx.actor.subject if ctx.actor else "system")
    entry = AuditEntry(actor=who, action=action, entity=entity, entity_id=str(entity_id),
                       before=_jsonable(before), after=_jsonable(after), reason=reason)
    if tenant_id is not None:
        entry.tenant_id = tenant_id
    elif ctx.actor is not None:
        entry.tenant_id = ctx.actor.tenant_id
    ctx.session.add(entry)


async def list_entries(ctx: Context, entity: str | None, entity_id: str | None,
                       first: int = 100) -> list[AuditEntry]:
    from sqlalchemy import select

    from authz import Permission

    ctx.require(Permission.audit_read)
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(min(max(first, 1), 500))
    if entity:
        stmt = stmt.where(AuditEntry.entity == entity)
    if entity_id:
        stmt = stmt.where(AuditEntry.entity_id == entity_id)
    return list((await ctx.session.scalars(stmt)).all())


async def page_entries(ctx: Context, entity: str | None, entity_id: str | None, first: int,
                       after: str | None) -> Page[AuditEntry]:
    """The log newest first, by its identity (the cursor: an entry's number)."""
    from sqlalchemy import select

    from authz import Permission

    ctx.require(Permission.audit_read)
    check_page_size(first, MAX_PAGE)
    stmt = select(AuditEntry)
    if entity:
        stmt = stmt.where(AuditEntry.entity == entity)
    if entity_id:
        stmt = stmt.where(AuditEntry.entity_id == entity_id)
    return await keyset_page_by(ctx.session, stmt, AuditEntry.id, lambda e: str(e.id), first,
                                after, parse=int, descending=True)
