"""GraphQL ids are UUIDs; a malformed id reads as an unknown one."""

from __future__ import annotations

import uuid

import strawberry

NO_ID = uuid.UUID(int=0)


def parse_id(value: strawberry.ID | str | None) -> uuid.UUID | None:
    """Nothing to learn from the difference between a malformed id and a missing one."""
    if value is None:
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return NO_ID


def require_id(value: strawberry.ID | str) -> uuid.UUID:
    return parse_id(value) or NO_ID


def gid(value: uuid.UUID | None) -> strawberry.ID | None:
    return strawberry.ID(str(value)) if value is not None else None
