"""The profile's extension sections: their names, their records and the loader signature.

Shared by the profile (which assembles the sections) and the section loaders (which fill them),
so that neither imports the other's module for these names.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from models import Person
from resolvers.context import Context


class ProfileSection(StrEnum):
    achievements = "achievements"  # 实绩申报 (the declarations capability)
    commendations = "commendations"  # 点赞事项 and 错情通报 (the supervision capability)


@dataclass(frozen=True)
class ProfileRecord:
    """One line of an extension section of the profile."""

    kind: str  # e.g. "achievement", "commendation", "error_notice"
    title: str
    period_id: uuid.UUID | None = None
    occurred_on: date | None = None
    detail: str = ""
    points: Decimal | None = None  # + for a commendation, - for an error notice
    source_id: uuid.UUID | None = None


# A loader receives the context and the person (already authorized) and must run a fixed number
# of statements (one query for the person), so the profile stays constant in statements.
SectionLoader = Callable[[Context, Person], Awaitable[Sequence[ProfileRecord]]]
