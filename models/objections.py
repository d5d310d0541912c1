"""Objections (异议) to a published result, raised within the publicity period (公示期).

The raiser is always stored (``raised_by_person_id``: they read their own objections); whether the
committee may read who it was is ``named_to_committee`` ("仅向考核委员会署名"). Nobody else ever
reads the raiser through the API. An answer may change the grade (``grade_before`` ->
``grade_after``), through the review's rules and audit (resolvers.appraisal.review).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKeyConstraint,
    Index,
    String,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TenantOwned, Timestamped, enum_check
from vocab.objections import ObjectionStatus


class Objection(TenantOwned, Timestamped, Base):
    __tablename__ = "objections"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "period_id"], ["periods.tenant_id", "periods.id"]),
        ForeignKeyConstraint(["tenant_id", "person_result_id"],
                             ["person_results.tenant_id", "person_results.id"],
                             ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "person_id"], ["people.tenant_id", "people.id"]),
        ForeignKeyConstraint(["tenant_id", "raised_by_person_id"],
                             ["people.tenant_id", "people.id"]),
        CheckConstraint(enum_check("status", list(ObjectionStatus)), name="status"),
        CheckConstraint("(status = 'answered') = (answered_at IS NOT NULL)",
                        name="answered_when_answered"),
        Index("ix_objections_period", "tenant_id", "period_id", "status"),
        Index("ix_objections_result", "tenant_id", "person_result_id"),
        Index("ix_objections_raiser", "tenant_id", "raised_by_person_id"),
    )

    period_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    person_result_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    # The person whose result is objected to.
    person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    raised_by_person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    named_to_committee: Mapped[bool] = mapped_column(Boolean, default=False)
    reasons: Mapped[str] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(20), default=ObjectionStatus.open.value)
    answer: Mapped[str | None] = mapped_column(String(2000))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered_by: Mapped[str | None] = mapped_column(String(200))  # the actor's subject
    # The grade in force when answered and after the answer (equal when it was kept).
    grade_before: Mapped[str | None] = mapped_column(String(30))
    grade_after: Mapped[str | None] = mapped_column(String(30))
