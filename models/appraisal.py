"""The appraisal core shared by later capabilities: periods and their results.

A period is a quarter (平时考核) or a year (年度考核) of one tenant. ``PersonResult`` holds a
person's score, rank and grade for a period (issue 5 computes it; bonus runs and reports read
it); ``UnitResult`` holds a department's organizational result (考事), which drives the
department coefficient of the two-level bonus distribution.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKeyConstraint,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TenantOwned, Timestamped, enum_check
from vocab.grades import ALL_GRADES, ResultStatus
from vocab.periods import PeriodKind, PeriodState


class Period(TenantOwned, Timestamped, Base):
    __tablename__ = "periods"
    __table_args__ = (
        UniqueConstraint("tenant_id", "kind", "year", "quarter"),
        CheckConstraint(enum_check("kind", list(PeriodKind)), name="kind"),
        CheckConstraint(enum_check("state", list(PeriodState)), name="state"),
        CheckConstraint("(kind = 'year') = (quarter IS NULL)", name="quarter_iff_quarterly"),
        CheckConstraint("quarter IS NULL OR quarter BETWEEN 1 AND 4", name="quarter_range"),
    )

    kind: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(20), default=PeriodState.planning)
    # Deadlines of the steps, by state name (ISO timestamps), e.g. {"declaring": "..."}.
    deadlines: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict,
                                                      server_default="{}")
    starts_on: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ends_on: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PersonResult(TenantOwned, Timestamped, Base):
    __tablename__ = "person_results"
    __table_args__ = (
        UniqueConstraint("tenant_id", "period_id", "person_id"),
        ForeignKeyConstraint(["tenant_id", "period_id"], ["periods.tenant_id", "periods.id"]),
        ForeignKeyConstraint(["tenant_id", "person_id"], ["people.tenant_id", "people.id"]),
        ForeignKeyConstraint(["tenant_id", "unit_id"], ["org_units.tenant_id", "org_units.id"]),
        CheckConstraint(f"proposed_grade IS NULL OR {enum_check('proposed_grade', ALL_GRADES)}",
                        name="proposed_grade"),
        CheckConstraint(f"grade IS NULL OR {enum_check('grade', ALL_GRADES)}", name="grade"),
        CheckConstraint(enum_check("status", list(ResultStatus)), name="status"),
    )

    period_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    # The person's unit when the result was computed (people move between departments).
    unit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    comparison_group: Mapped[str] = mapped_column(String(20), default="staff")
    score: Mapped[Decimal | None] = mapped_column(Numeric(10, 4))
    rank: Mapped[int | None] = mapped_column(Integer)
    group_rank: Mapped[int | None] = mapped_column(Integer)
    proposed_grade: Mapped[str | None] = mapped_column(String(30))
    grade: Mapped[str | None] = mapped_column(String(30))
    serious_conduct_breach: Mapped[bool] = mapped_column(Boolean, default=False,
                                                         server_default=text("false"))
    reasons: Mapped[list[str]] = mapped_column(JSONB, default=list, server_default="[]")
    explanation: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list,
                                                              server_default="[]")
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # appraised: score, rank and grade; unrated (未评价) and by_higher_level (由上级考核): none of
    # them, and outside the ranking, the quotas and the care list (resolvers.appraisal.grading).
    status: Mapped[str] = mapped_column(String(20), default=ResultStatus.appraised,
                                        server_default=ResultStatus.appraised.value)
    # 并列跨线，须研判: a tie cut by a quota or the top-50% line; the review decides the grade
    # (with a reason) before grades can be confirmed. Decided once confirmed_at is set.
    tie_review: Mapped[bool] = mapped_column(Boolean, default=False,
                                             server_default=text("false"))


class UnitResult(TenantOwned, Timestamped, Base):
    """A department's organizational result for a period (考事), e.g. level "A"."""

    __tablename__ = "unit_results"
    __table_args__ = (
        UniqueConstraint("tenant_id", "period_id", "unit_id"),
        ForeignKeyConstraint(["tenant_id", "period_id"], ["periods.tenant_id", "periods.id"]),
        ForeignKeyConstraint(["tenant_id", "unit_id"], ["org_units.tenant_id", "org_units.id"]),
    )

    period_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    # The result in force (the adjusted one when adjusted, else the computed one): what the
    # bonus and the 好 quota allocation read.
    level: Mapped[str] = mapped_column(String(30))
    score: Mapped[Decimal | None] = mapped_column(Numeric(10, 4))
    note: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    # rules.department_results: the computed result and its explanation ({kind, delta, text}).
    computed_score: Mapped[Decimal | None] = mapped_column(Numeric(10, 4))
    computed_level: Mapped[str | None] = mapped_column(String(30))
    components: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list,
                                                             server_default="[]")
    computed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # An adjustment by the admin or the office, always with a reason (audited).
    adjusted_score: Mapped[Decimal | None] = mapped_column(Numeric(10, 4))
    adjusted_level: Mapped[str | None] = mapped_column(String(30))
    adjust_reason: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    adjusted_by: Mapped[str | None] = mapped_column(String(200))
    adjusted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
