"""The plan (计划): indicator schemes with versions, responsibility letters, credit/deduction
records, and tasks decomposed tenant -> unit -> person with milestones.

A scheme (指标体系) belongs to a tenant and a year and has numbered versions. A draft version is
edited; publishing freezes it (only dynamic indicators may still be added to it); a new version
starts as a copy. Nodes (categories and indicators) and rating dimensions belong to one version,
so everything that refers to a node row (records, results) refers to that version for good.
Responsibility letters (岗位责任书) name indicator codes per post and scheme, so they carry over
from one version to the next. A period pins the scheme version it is appraised with.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

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
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TenantOwned, Timestamped, enum_check
from vocab.plans import (
    AppliesTo,
    IndicatorKind,
    RecordStatus,
    SchemeStatus,
    TaskLevel,
    TaskSource,
    TaskStatus,
)


class IndicatorScheme(TenantOwned, Timestamped, Base):
    __tablename__ = "indicator_schemes"
    __table_args__ = (UniqueConstraint("tenant_id", "year"),)

    year: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))


class SchemeVersion(TenantOwned, Timestamped, Base):
    __tablename__ = "scheme_versions"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "scheme_id"],
                             ["indicator_schemes.tenant_id", "indicator_schemes.id"]),
        ForeignKeyConstraint(["tenant_id", "based_on_id"],
                             ["scheme_versions.tenant_id", "scheme_versions.id"]),
        UniqueConstraint("tenant_id", "scheme_id", "number"),
        CheckConstraint(enum_check("status", list(SchemeStatus)), name="status"),
        CheckConstraint("(status = 'published') = (published_at IS NOT NULL)",
                        name="published_iff_date"),
        # At most one draft per scheme: the next version being prepared.
        Index("uq_scheme_versions_one_draft", "tenant_id", "scheme_id", unique=True,
              postgresql_where=text("status = 'draft'")),
    )

    scheme_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=SchemeStatus.draft)
    based_on_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    note: Mapped[str] = mapped_column(String(1000), default="", server_default="")


class SchemeDimension(TenantOwned, Timestamped, Base):
    """A rating dimension of a version (任务完成情况, 工作难度, ...), with its weight."""

    __tablename__ = "scheme_dimensions"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "version_id"],
                             ["scheme_versions.tenant_id", "scheme_versions.id"]),
        UniqueConstraint("tenant_id", "version_id", "code"),
        CheckConstraint("weight >= 0", name="weight_non_negative"),
    )

    version_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    weight: Mapped[int] = mapped_column(Integer)
    # The rater roles who rate this dimension; empty means every assigned rater.
    rater_roles: Mapped[list[str]] = mapped_column(ARRAY(String(40)), default=list,
                                                   server_default="{}")
    sort_order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class SchemeNode(TenantOwned, Timestamped, Base):
    """A category or an indicator of one scheme version."""

    __tablename__ = "scheme_nodes"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "version_id"],
                             ["scheme_versions.tenant_id", "scheme_versions.id"]),
        # The parent lies in the same version.
        ForeignKeyConstraint(["tenant_id", "version_id", "parent_id"],
                             ["scheme_nodes.tenant_id", "scheme_nodes.version_id",
                              "scheme_nodes.id"]),
        UniqueConstraint("tenant_id", "version_id", "code"),
        UniqueConstraint("tenant_id", "version_id", "id"),
        CheckConstraint(enum_check("kind", list(IndicatorKind)), name="kind"),
        CheckConstraint(enum_check("applies_to", list(AppliesTo)), name="applies_to"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        CheckConstraint("weight IS NULL OR weight BETWEEN 0 AND 100", name="weight_range"),
        CheckConstraint("cap IS NULL OR cap >= 0", name="cap_non_negative"),
        CheckConstraint("points IS NULL OR points >= 0", name="points_non_negative"),
        CheckConstraint("dynamic = (effective_from IS NOT NULL)", name="dynamic_iff_start"),
    )

    version_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(2000), default="", server_default="")
    weight: Mapped[int | None] = mapped_column(Integer)
    cap: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    points: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    applies_to: Mapped[str] = mapped_column(String(20), default=AppliesTo.everyone)
    # Credits: each claim counts only once an authorized role confirmed it.
    needs_confirmation: Mapped[bool] = mapped_column(Boolean, default=False,
                                                     server_default=text("false"))
    confirmation_note: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # Conduct standards: a breach is serious (caps the grade).
    serious: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # Dynamic indicators (动态指标): counted only from effective_from; added with a reason.
    dynamic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    effective_from: Mapped[date | None] = mapped_column(Date)
    dynamic_reason: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ResponsibilityLetterLine(TenantOwned, Timestamped, Base):
    """One indicator of a post's responsibility letter (岗位责任书), with its target."""

    __tablename__ = "responsibility_letters"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "scheme_id"],
                             ["indicator_schemes.tenant_id", "indicator_schemes.id"]),
        ForeignKeyConstraint(["tenant_id", "post_id"], ["posts.tenant_id", "posts.id"]),
        UniqueConstraint("tenant_id", "scheme_id", "post_id", "indicator_code",
                         name="uq_responsibility_letters_line"),
    )

    scheme_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    post_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    indicator_code: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(500), default="", server_default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class PeriodSchemeVersion(TenantOwned, Timestamped, Base):
    """The scheme version a period is appraised with (pinned once, so later versions never
    change an earlier period's results)."""

    __tablename__ = "period_scheme_versions"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "period_id"], ["periods.tenant_id", "periods.id"]),
        ForeignKeyConstraint(["tenant_id", "version_id"],
                             ["scheme_versions.tenant_id", "scheme_versions.id"]),
        UniqueConstraint("tenant_id", "period_id"),
    )

    period_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    version_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))


class PointRecord(TenantOwned, Timestamped, Base):
    """A dated credit, deduction or conduct finding against one indicator row of a version.

    ``points`` is positive; the indicator's kind says whether it adds or removes. A record
    counts when ``rules.indicator_effect.record_counts`` says so (dated on or after a dynamic
    indicator's start; credits only once confirmed). ``external_id`` makes pushes from an
    integrating office system idempotent.
    """

    __tablename__ = "point_records"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "version_id", "node_id"],
                             ["scheme_nodes.tenant_id", "scheme_nodes.version_id",
                              "scheme_nodes.id"]),
        ForeignKeyConstraint(["tenant_id", "person_id"], ["people.tenant_id", "people.id"]),
        ForeignKeyConstraint(["tenant_id", "unit_id"], ["org_units.tenant_id", "org_units.id"]),
        CheckConstraint(enum_check("status", list(RecordStatus)), name="status"),
        CheckConstraint("points >= 0", name="points_non_negative"),
        CheckConstraint("person_id IS NOT NULL OR unit_id IS NOT NULL", name="has_subject"),
        Index("ix_point_records_person_date", "tenant_id", "person_id", "occurred_on"),
        Index("uq_point_records_external_id", "tenant_id", "external_id", unique=True,
              postgresql_where=text("external_id IS NOT NULL")),
    )

    version_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    node_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    person_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    occurred_on: Mapped[date] = mapped_column(Date)
    points: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    reason: Mapped[str] = mapped_column(String(1000))
    evidence: Mapped[str] = mapped_column(String(2000), default="", server_default="")
    status: Mapped[str] = mapped_column(String(20), default=RecordStatus.claimed)
    recorded_by: Mapped[str] = mapped_column(String(200))
    confirmed_by: Mapped[str | None] = mapped_column(String(200))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    external_id: Mapped[str | None] = mapped_column(String(200))


class Task(TenantOwned, Timestamped, Base):
    """A target task (目标任务) of the year; children are its decomposition."""

    __tablename__ = "tasks"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "parent_id"], ["tasks.tenant_id", "tasks.id"]),
        ForeignKeyConstraint(["tenant_id", "unit_id"], ["org_units.tenant_id", "org_units.id"]),
        ForeignKeyConstraint(["tenant_id", "person_id"], ["people.tenant_id", "people.id"]),
        UniqueConstraint("tenant_id", "year", "code"),
        CheckConstraint(enum_check("source_kind", list(TaskSource)), name="source_kind"),
        CheckConstraint(enum_check("status", list(TaskStatus)), name="status"),
        CheckConstraint(enum_check("level", list(TaskLevel)), name="level"),
        CheckConstraint("(level = 'tenant') = (unit_id IS NULL)", name="unit_unless_tenant"),
        CheckConstraint("(level = 'person') = (person_id IS NOT NULL)", name="person_iff_level"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        Index("ix_tasks_tenant_parent", "tenant_id", "parent_id"),
        Index("ix_tasks_tenant_person", "tenant_id", "person_id"),
        Index("ix_tasks_tenant_unit", "tenant_id", "unit_id"),
    )

    year: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(String(4000), default="", server_default="")
    source_kind: Mapped[str] = mapped_column(String(20))
    source_text: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    level: Mapped[str] = mapped_column(String(10))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    person_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=TaskStatus.not_started)
    completed_on: Mapped[date | None] = mapped_column(Date)
    # Codes of the indicators of the year's scheme the task counts toward (stable across
    # versions, unlike node ids).
    indicator_codes: Mapped[list[str]] = mapped_column(ARRAY(String(64)), default=list,
                                                       server_default="{}")
    sort_order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class TaskMilestone(TenantOwned, Timestamped, Base):
    """A dated node of a task (时间节点); overdue when past due and not done."""

    __tablename__ = "task_milestones"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "task_id"], ["tasks.tenant_id", "tasks.id"],
                             ondelete="CASCADE"),
        Index("ix_task_milestones_task", "tenant_id", "task_id"),
    )

    task_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    title: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    sort_order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
