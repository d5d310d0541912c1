"""City oversight (市委组织部): experience reports, the city's answers, reports shared with the
city, and the platform's own settings.

Experience reports (经验总结 / 问题建议) belong to the tenant that wrote them, like every tenant
row; the city's comments on a report are stored in that same tenant (``tenant_id`` is the
submitting tenant), so the tenant reads the answers to its own submissions under its own
row-level security. The city never reads these tables directly: it reads and writes them only
through the SECURITY DEFINER functions of migration 0008, which switch ``app.tenant_id`` to one
tenant at a time (RLS stays on).

A report share (报送市委组织部) names one rendered export job of the tenant: the city lists and
downloads exactly the shared files, again through those functions.

``PlatformSetting`` is not tenant data: one row of settings of the platform (the minimum group
size below which cross-unit figures are suppressed), read and changed in the platform scope
only (its RLS policy).
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
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TenantOwned, Timestamped, enum_check
from vocab.oversight import CycleStage, ExperienceKind

DEFAULT_MIN_GROUP_SIZE = 5


class ExperienceReport(TenantOwned, Timestamped, Base):
    __tablename__ = "experience_reports"
    __table_args__ = (
        CheckConstraint(enum_check("kind", list(ExperienceKind)), name="kind"),
        CheckConstraint(enum_check("stage", list(CycleStage)), name="stage"),
        Index("ix_experience_reports_created", "tenant_id", "created_at"),
    )

    kind: Mapped[str] = mapped_column(String(20))
    stage: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    submitted_by: Mapped[str] = mapped_column(String(200))  # the actor's subject
    # Set by the city (through platform_review_experience).
    good_practice: Mapped[bool] = mapped_column(Boolean, default=False,
                                                server_default=text("false"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ExperienceComment(TenantOwned, Timestamped, Base):
    """The city's answer to a submission, stored in the submitting tenant."""

    __tablename__ = "experience_comments"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "report_id"],
                             ["experience_reports.tenant_id", "experience_reports.id"],
                             ondelete="CASCADE"),
        Index("ix_experience_comments_report", "tenant_id", "report_id"),
    )

    report_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    body: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))  # the city actor's subject
    author_name: Mapped[str] = mapped_column(String(100))  # shown to the tenant: "市委组织部"


class ReportShare(TenantOwned, Timestamped, Base):
    """A rendered export the tenant shares with the city, under a name."""

    __tablename__ = "report_shares"
    __table_args__ = (
        UniqueConstraint("tenant_id", "job_id"),
        ForeignKeyConstraint(["tenant_id", "job_id"], ["jobs.tenant_id", "jobs.id"],
                             ondelete="CASCADE"),
    )

    job_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    title: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(String(2000), default="", server_default="")
    shared_by: Mapped[str] = mapped_column(String(200))


class PlatformSetting(Base):
    """The platform's settings: a single row (``id`` is always true)."""

    __tablename__ = "platform_settings"
    __table_args__ = (
        CheckConstraint("id", name="single_row"),
        CheckConstraint("min_group_size BETWEEN 2 AND 1000", name="min_group_size_range"),
    )

    id: Mapped[bool] = mapped_column(Boolean, primary_key=True, default=True,
                                     server_default=text("true"))
    min_group_size: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_MIN_GROUP_SIZE, server_default=str(DEFAULT_MIN_GROUP_SIZE))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str | None] = mapped_column(String(200))
