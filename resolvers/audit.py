"""Writes to the append-only audit log. Helpers never commit: the request does."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, inspect, select

from authz import Permission
from models import AuditEntry, Base
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail
from resolvers.pagination import MAX_PAGE, Page, check_page_size, keyset_page_by

# Days of a date filter are the days people live in (Beijing time).
LOCAL_TIME = ZoneInfo("Asia/Shanghai")
MAX_LISTED = 500


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


def snapshot(row: Base | None,
             exclude: tuple[str, ...] = ("password_hash", "secret_hash", "totp_secret")
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


@dataclass(frozen=True)
class AuditFilter:
    """Which records: an entity (and id), a range of days (both included), an actor subject
    ("account:<id>", "token:<id>", "system", "anonymous"), an action or an action prefix
    ("login." for every login event)."""

    entity: str | None = None
    entity_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    actor: str | None = None
    action: str | None = None

    def check(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise fail(ErrorCode.INVALID, "开始日期不能晚于结束日期", "dateFrom")


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, LOCAL_TIME)


def filtered(where: AuditFilter) -> Select[AuditEntry]:
    """The records ``where`` selects, newest first (the one filter of the list and export)."""
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc())
    if where.entity:
        stmt = stmt.where(AuditEntry.entity == where.entity)
    if where.entity_id:
        stmt = stmt.where(AuditEntry.entity_id == where.entity_id)
    if where.date_from:
        stmt = stmt.where(AuditEntry.at >= _day_start(where.date_from))
    if where.date_to:
        stmt = stmt.where(AuditEntry.at < _day_start(where.date_to + timedelta(days=1)))
    if where.actor:
        stmt = stmt.where(AuditEntry.actor == where.actor)
    if where.action:
        stmt = stmt.where(AuditEntry.action.startswith(where.action, autoescape=True)
                          if where.action.endswith(".") else AuditEntry.action == where.action)
    return stmt


async def list_entries(ctx: Context, where: AuditFilter, first: int = 100
                       ) -> Sequence[AuditEntry]:
    ctx.require(Permission.audit_read)
    where.check()
    stmt = filtered(where).limit(min(max(first, 1), MAX_LISTED))
    return (await ctx.session.scalars(stmt)).all()


async def page_entries(ctx: Context, where: AuditFilter, first: int,
                       after: str | None) -> Page[AuditEntry]:
    """The log newest first, by its identity (the cursor: an entry's number)."""
    ctx.require(Permission.audit_read)
    where.check()
    check_page_size(first, MAX_PAGE)
    return await keyset_page_by(ctx.session, filtered(where).order_by(None), AuditEntry.id,
                                lambda e: str(e.id), first, after, parse=int, descending=True)
