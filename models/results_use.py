"""The results use ledger (考用结合): how appraisal results were used, and what they rest on.

An entry is a decision taken on the strength of results: a promotion or a rank advancement, a
promotion deferral or a post adjustment for low results, an award, or a targeted training for a
unit (小切口培训). Each entry links to the person results it rests on. The ledger is append-only:
a correction is a new entry.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TenantOwned, Timestamped, enum_check
from vocab.feedback import ResultsUseKind


class ResultsUseEntry(TenantOwned, Timestamped, Base):
    __tablename__ = "results_use_entries"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "person_id"], ["people.tenant_id", "people.id"]),
        ForeignKeyConstraint(["tenant_id", "unit_id"], ["org_units.tenant_id", "org_units.id"]),
        CheckConstraint(enum_check("kind", list(ResultsUseKind)), name="kind"),
        # A training may address a whole unit; every other use is about one person.
        CheckConstraint("person_id IS NOT NULL OR (kind = 'training' AND unit_id IS NOT NULL)",
                        name="has_subject"),
        Index("ix_results_use_entries_person", "tenant_id", "person_id"),
    )

    kind: Mapped[str] = mapped_column(String(30))
    person_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    decided_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))  # the post, rank, award or course
    note: Mapped[str] = mapped_column(String(10000), default="", server_default="")
    recorded_by: Mapped[str] = mapped_column(String(200))


class ResultsUseBasis(TenantOwned, Base):
    """One person result an entry rests on."""

    __tablename__ = "results_use_basis"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "entry_id"],
                             ["results_use_entries.tenant_id", "results_use_entries.id"]),
        ForeignKeyConstraint(["tenant_id", "person_result_id"],
                             ["person_results.tenant_id", "person_results.id"]),
        UniqueConstraint("tenant_id", "entry_id", "person_result_id"),
    )

    entry_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    person_result_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
