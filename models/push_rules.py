"""Rules on pushed data (issue 17, part 6) and the proposals they make.

A rule turns data an office system pushes (an overdue, unrectified supervision item; an error
notice) into a proposed deduction or credit against one indicator row. A proposal never counts
in the score: confirming it creates the point record exactly as a manual one would
(``resolvers.execution.push_rules``); refusing it keeps the reason. One proposal per rule and
source item (UNIQUE ``(tenant_id, rule_id, source_key)``): a repeated push or pass adds nothing.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TenantOwned, Timestamped, enum_check
from vocab.push_rules import ProposalStatus, PushRuleKind


class PushRule(TenantOwned, Timestamped, Base):
    __tablename__ = "push_rules"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "node_id"],
                             ["scheme_nodes.tenant_id", "scheme_nodes.id"]),
        CheckConstraint(enum_check("kind", list(PushRuleKind)), name="kind"),
        CheckConstraint("points > 0", name="points_positive"),
        CheckConstraint("min_days IS NULL OR min_days >= 0", name="min_days_non_negative"),
    )

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    # supervision_overdue: days overdue and not rectified before the rule applies.
    min_days: Mapped[int | None] = mapped_column(Integer)
    points: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    node_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    created_by: Mapped[str] = mapped_column(String(200))


class PointProposal(TenantOwned, Timestamped, Base):
    __tablename__ = "point_proposals"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "rule_id"], ["push_rules.tenant_id", "push_rules.id"]),
        ForeignKeyConstraint(["tenant_id", "node_id"],
                             ["scheme_nodes.tenant_id", "scheme_nodes.id"]),
        ForeignKeyConstraint(["tenant_id", "person_id"], ["people.tenant_id", "people.id"]),
        ForeignKeyConstraint(["tenant_id", "unit_id"], ["org_units.tenant_id", "org_units.id"]),
        ForeignKeyConstraint(["tenant_id", "record_id"],
                             ["point_records.tenant_id", "point_records.id"]),
        UniqueConstraint("tenant_id", "rule_id", "source_key"),
        CheckConstraint(enum_check("status", list(ProposalStatus)), name="status"),
        CheckConstraint("person_id IS NOT NULL OR unit_id IS NOT NULL", name="has_subject"),
        CheckConstraint("points > 0", name="points_positive"),
        Index("ix_point_proposals_status", "tenant_id", "status", "created_at"),
    )

    rule_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    # What the proposal comes from, unique per rule: "task:<id>:<milestone id or ->", "push:<id>".
    source_key: Mapped[str] = mapped_column(String(300))
    source: Mapped[dict[str, Any]] = mapped_column(JSONB)  # the item as it was when proposed
    source_text: Mapped[str] = mapped_column(String(1000))  # what a person reads of it
    node_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    person_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    occurred_on: Mapped[date] = mapped_column(Date)
    points: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    status: Mapped[str] = mapped_column(String(20), default=ProposalStatus.proposed)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    refusal_reason: Mapped[str | None] = mapped_column(String(1000))
    record_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
