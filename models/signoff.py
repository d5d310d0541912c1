"""The sign-off chain's history (逐级审核, resolvers/appraisal/signoff.py): one append-only row
per step, a level passing a scope on or returning it to the level before.

The scope is a department (``department_id``) for the department levels, the whole unit
(``department_id`` NULL) for the unit levels. The state of a period (the level each scope is
at) is folded from these rows; ``chain`` keeps the levels the step was taken under, so a period
keeps its chain when the tenant changes the setting.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TenantOwned, Timestamped, enum_check
from vocab.signoff import SignoffAction


class SignoffStep(TenantOwned, Timestamped, Base):
    __tablename__ = "signoff_steps"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "period_id"], ["periods.tenant_id", "periods.id"],
                             ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "department_id"],
                             ["org_units.tenant_id", "org_units.id"]),
        CheckConstraint(enum_check("action", list(SignoffAction)), name="action"),
        CheckConstraint("level >= 0 AND to_level >= 0", name="levels"),
        Index("ix_signoff_steps_tenant_period", "tenant_id", "period_id", "created_at"),
    )

    period_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    department_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    level: Mapped[int] = mapped_column(Integer)  # the level that acted (0: the first)
    to_level: Mapped[int] = mapped_column(Integer)  # where the scope is now (len(chain): done)
    action: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(100))  # the audit subject (account:<id>)
    actor_name: Mapped[str] = mapped_column(String(200))  # who, as a person reads it
    note: Mapped[str] = mapped_column(Text, default="")  # the note, or a return's reason
    chain: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
