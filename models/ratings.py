"""Rating (评价): who rates whom in a period, and the values they give.

``RaterAssignment``: one rater of one appraised person in one period, in one rater role
(department head, supervising leader, principal leader, peer, subordinate, external rater).
Generated from the management relations and adjusted by the tenant admin before rating opens;
only assigned raters may rate, and never themselves (a CHECK, besides the authorization).

``RatingValue``: one value (0..100) of one rated indicator (a node of the period's pinned scheme
version) on one rating dimension, with an optional comment. Removing an assignment removes its
values.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Numeric,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TenantOwned, Timestamped, enum_check
from vocab.rating import AssignmentSource, RaterRole


class RaterAssignment(TenantOwned, Timestamped, Base):
    __tablename__ = "rater_assignments"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "period_id"], ["periods.tenant_id", "periods.id"]),
        ForeignKeyConstraint(["tenant_id", "person_id"], ["people.tenant_id", "people.id"]),
        ForeignKeyConstraint(["tenant_id", "rater_id"], ["people.tenant_id", "people.id"]),
        UniqueConstraint("tenant_id", "period_id", "person_id", "rater_id"),
        CheckConstraint("rater_id <> person_id", name="not_self"),
        CheckConstraint(enum_check("role", list(RaterRole)), name="role"),
        CheckConstraint(enum_check("source", list(AssignmentSource)), name="source"),
        Index("ix_rater_assignments_rater", "tenant_id", "period_id", "rater_id"),
    )

    period_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))  # who is rated
    rater_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    role: Mapped[str] = mapped_column(String(30))
    source: Mapped[str] = mapped_column(String(20), default=AssignmentSource.generated)
    # at least one rating value saved (kept by a trigger on ``ratings``, migration 0028): the
    # city's rater coverage counts it instead of probing every rating
    rated: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class RatingValue(TenantOwned, Timestamped, Base):
    __tablename__ = "ratings"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "assignment_id"],
                             ["rater_assignments.tenant_id", "rater_assignments.id"],
                             ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "version_id", "node_id"],
                             ["scheme_nodes.tenant_id", "scheme_nodes.version_id",
                              "scheme_nodes.id"]),
        UniqueConstraint("tenant_id", "assignment_id", "node_id", "dimension"),
        CheckConstraint("value >= 0 AND value <= 100", name="value_range"),
    )

    assignment_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    version_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    node_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    dimension: Mapped[str] = mapped_column(String(64))
    value: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    comment: Mapped[str] = mapped_column(String(500), default="", server_default="")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
