"""Achievement declarations (实绩申报): each person, each quarter, at most N items."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TenantOwned, Timestamped, enum_check
from vocab.rating import DeclarationStatus


class Declaration(TenantOwned, Timestamped, Base):
    __tablename__ = "declarations"
    __table_args__ = (
        UniqueConstraint("tenant_id", "period_id", "person_id"),
        ForeignKeyConstraint(["tenant_id", "period_id"], ["periods.tenant_id", "periods.id"]),
        ForeignKeyConstraint(["tenant_id", "person_id"], ["people.tenant_id", "people.id"]),
        CheckConstraint(enum_check("status", list(DeclarationStatus)), name="status"),
        CheckConstraint("(status = 'submitted') = (submitted_at IS NOT NULL)",
                        name="submitted_iff_date"),
    )

    period_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(String(20), default=DeclarationStatus.draft)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DeclarationItem(TenantOwned, Timestamped, Base):
    """One achievement; its source is a task or an indicator of the period's scheme."""

    __tablename__ = "declaration_items"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "declaration_id"],
                             ["declarations.tenant_id", "declarations.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "task_id"], ["tasks.tenant_id", "tasks.id"]),
        ForeignKeyConstraint(["tenant_id", "version_id", "node_id"],
                             ["scheme_nodes.tenant_id", "scheme_nodes.version_id",
                              "scheme_nodes.id"]),
        UniqueConstraint("tenant_id", "declaration_id", "position"),
        CheckConstraint("(task_id IS NOT NULL) OR (node_id IS NOT NULL)", name="has_source"),
        CheckConstraint("(node_id IS NULL) = (version_id IS NULL)", name="node_with_version"),
        Index("ix_declaration_items_declaration", "tenant_id", "declaration_id"),
    )

    declaration_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(String(4000))
    self_assessment: Mapped[str] = mapped_column(String(2000), default="", server_default="")
    task_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    version_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    node_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
