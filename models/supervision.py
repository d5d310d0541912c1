"""Supervision (督办): progress records at milestones, rectification of overdue items, and the
ledger that makes pushes from integrating office systems idempotent."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Date, ForeignKeyConstraint, Index, Integer, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TenantOwned, Timestamped


class TaskProgress(TenantOwned, Timestamped, Base):
    __tablename__ = "task_progress"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "task_id"], ["tasks.tenant_id", "tasks.id"]),
        ForeignKeyConstraint(["tenant_id", "milestone_id"],
                             ["task_milestones.tenant_id", "task_milestones.id"]),
        Index("ix_task_progress_task", "tenant_id", "task_id"),
    )

    task_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    milestone_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    recorded_on: Mapped[date] = mapped_column(Date)
    percent: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(2000), default="", server_default="")
    problems: Mapped[str] = mapped_column(String(2000), default="", server_default="")
    recorded_by: Mapped[str] = mapped_column(String(200))


class Rectification(TenantOwned, Timestamped, Base):
    """Closes an overdue item (a task or one of its milestones) with a note: 整改."""

    __tablename__ = "rectifications"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "task_id"], ["tasks.tenant_id", "tasks.id"]),
        ForeignKeyConstraint(["tenant_id", "milestone_id"],
                             ["task_milestones.tenant_id", "task_milestones.id"]),
        Index("ix_rectifications_task", "tenant_id", "task_id"),
    )

    task_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    milestone_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    rectified_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(2000))
    recorded_by: Mapped[str] = mapped_column(String(200))


class ExternalPush(TenantOwned, Timestamped, Base):
    """One push of an office system, by its own id: a retry finds the row and changes nothing."""

    __tablename__ = "external_pushes"
    __table_args__ = (UniqueConstraint("tenant_id", "source", "external_id"),)

    source: Mapped[str] = mapped_column(String(200))  # the API token (or account) that pushed
    external_id: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    result: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
