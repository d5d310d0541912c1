"""Two-level bonus runs (双拉差分配): a run, its department lines and its person lines.

A run stores everything needed to reproduce it: its configuration (``inputs``: pool, department
and grade coefficients, floor, cap, base choice, policy for people without a result), and, in
its lines, the snapshot of the people, their departments, the departments' results and the
grades used. Running ``rules.bonus.allocate`` again on that snapshot gives the same cents.

At most one draft and one confirmed run per period (partial unique indexes); a rerun replaces
the draft; a confirmed run is frozen. ``job_id`` is unique: a job writes one run, whatever
Dramatiq redelivers.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TenantOwned, Timestamped, enum_check, new_id
from vocab.jobs import BonusRunStatus


class BonusRun(TenantOwned, Timestamped, Base):
    __tablename__ = "bonus_runs"
    __table_args__ = (
        UniqueConstraint("tenant_id", "job_id"),
        ForeignKeyConstraint(["tenant_id", "period_id"], ["periods.tenant_id", "periods.id"]),
        ForeignKeyConstraint(["tenant_id", "job_id"], ["jobs.tenant_id", "jobs.id"]),
        CheckConstraint(enum_check("status", list(BonusRunStatus)), name="status"),
        CheckConstraint("pool_cents >= 0", name="pool_non_negative"),
        Index("uq_bonus_runs_one_draft", "tenant_id", "period_id", unique=True,
              postgresql_where=text("status = 'draft'")),
        Index("uq_bonus_runs_one_confirmed", "tenant_id", "period_id", unique=True,
              postgresql_where=text("status = 'confirmed'")),
    )

    period_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    job_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(String(10), default=BonusRunStatus.draft)
    pool_cents: Mapped[int] = mapped_column(BigInteger)
    # The configuration the run was computed with (see resolvers.bonus.BonusRunParams).
    inputs: Mapped[dict[str, Any]] = mapped_column(JSONB)
    people_count: Mapped[int] = mapped_column(Integer)
    paid_count: Mapped[int] = mapped_column(Integer)
    excluded_count: Mapped[int] = mapped_column(Integer)
    department_count: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(200))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_by: Mapped[str | None] = mapped_column(String(200))


class BonusDepartment(TenantOwned, Base):
    """Level 1: a department's share of the pool, with its result and weight."""

    __tablename__ = "bonus_departments"
    __table_args__ = (
        UniqueConstraint("tenant_id", "run_id", "unit_id"),
        ForeignKeyConstraint(["tenant_id", "run_id"], ["bonus_runs.tenant_id", "bonus_runs.id"],
                             ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "unit_id"], ["org_units.tenant_id", "org_units.id"]),
    )

    run_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    name: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer)
    result: Mapped[str] = mapped_column(String(30))
    coefficient: Mapped[Decimal] = mapped_column(Numeric(20, 10))
    # The configured base (编制数 ...) when the run used one; NULL: headcount.
    configured_base: Mapped[Decimal | None] = mapped_column(Numeric(20, 6))
    base: Mapped[Decimal] = mapped_column(Numeric(20, 6))
    weight: Mapped[str] = mapped_column(String(100))  # exact fraction "n/d"
    exact_cents: Mapped[str] = mapped_column(String(100))  # exact fraction "n/d"
    cents: Mapped[int] = mapped_column(BigInteger)
    rounding_cents: Mapped[int] = mapped_column(Integer)
    people_count: Mapped[int] = mapped_column(Integer)
    explanation: Mapped[str] = mapped_column(Text)
    # What its person lines' explanations need (rendered when read, not stored per person):
    # the money of its people held at their floor or cap, and the sum of the coefficients of
    # those paid in proportion (rules.bonus.explain.DepartmentFigures).
    bound_cents: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    free_coefficient: Mapped[Decimal] = mapped_column(Numeric, default=0, server_default="0")


class BonusLine(TenantOwned, Base):
    """Level 2: one person's line, with the grade used and why they get what they get.

    Excluded people (no result, no department result) have a line too: ``included`` false,
    0 cents and a ``note``, so the run shows everybody it considered. The explanation is not
    stored: ``resolvers.bonus.runs.line_explanation`` renders it from the line's numbers and its
    department line's. Ids come from the database (a run copies its lines in without them).
    """

    __tablename__ = "bonus_lines"
    __table_args__ = (
        UniqueConstraint("tenant_id", "run_id", "person_id"),
        ForeignKeyConstraint(["tenant_id", "run_id"], ["bonus_runs.tenant_id", "bonus_runs.id"],
                             ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "person_id"], ["people.tenant_id", "people.id"]),
        Index("ix_bonus_lines_run_unit", "tenant_id", "run_id", "unit_id"),
    )

    # Unlike every other table's, no foreign key to ``tenants``: the line's key to its run,
    # in the same tenant, already says the tenant exists, and a run writes 100,000 lines,
    # each checking every key it has (migration 0037).
    tenant_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, sort_order=-20,
        server_default=func.cast(func.current_setting("app.tenant_id", True), UUID))
    id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, default=new_id, sort_order=-10,
        insert_sentinel=True, server_default=func.gen_random_uuid(),
    )
    run_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    employee_no: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    # The person's own unit, and the department the money came through (NULL when excluded
    # for lack of a department result).
    person_unit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    # The grade of the period's result (NULL: none) and the grade the run used.
    result_grade: Mapped[str | None] = mapped_column(String(30))
    grade: Mapped[str | None] = mapped_column(String(30))
    included: Mapped[bool] = mapped_column(Boolean)
    coefficient: Mapped[Decimal | None] = mapped_column(Numeric(20, 10))
    exact_cents: Mapped[str] = mapped_column(String(100))
    cents: Mapped[int] = mapped_column(BigInteger)
    floor_applied: Mapped[bool] = mapped_column(Boolean, default=False)
    cap_applied: Mapped[bool] = mapped_column(Boolean, default=False)
    rounding_cents: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(String(500), default="", server_default="")
