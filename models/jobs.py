"""Background jobs (bonus runs, report exports) and the files that exports produce.

A job row is the contract between the API and the Dramatiq workers: the API writes it (status
``queued``) and enqueues a message carrying only ``(tenant_id, job_id)`` after its transaction
commits; a worker moves it to ``running``, reports ``progress`` (0-100) and, in the same
transaction that writes the result, marks it ``done`` (or ``failed`` with a Chinese ``error``).
The row is also the outbox: a message that never reached Redis, or a run whose worker died, is
sent again by the workers' sweeper (workers/sweeper.py).

Rendered report files are stored in the database (``report_files.content``, bytea), under the
tenant's row-level security like every other tenant row: API and worker pods share no disk, a
file is tenant-scoped by construction, and it disappears with its job. One file per job and
format (unique), so a redelivered export message cannot store a second copy.

``report_cache`` keeps the last rendering of the reports that can be cached (a period's
results): one row per report, ids and format, with the digest of the data it was rendered from.
An export whose data has the same digest copies those files instead of rendering again (the
job is done when it starts); reopening the period deletes them (resolvers/reports/cache.py).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TenantOwned, Timestamped, enum_check
from vocab.jobs import JobKind, JobStatus, ReportFormat

# Dramatiq (queue, actor name) per kind: the API enqueues by name, so it never imports workers.
JOB_ACTORS: dict[JobKind, tuple[str, str]] = {
    JobKind.bonus_run: ("bonus", "run_bonus"),
    JobKind.export: ("exports", "export_report"),
}


REPORT_CONTENT_TYPES: dict[ReportFormat, str] = {
    ReportFormat.pdf: "application/pdf",
    ReportFormat.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class Job(TenantOwned, Timestamped, Base):
    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint(enum_check("kind", list(JobKind)), name="kind"),
        CheckConstraint(enum_check("status", list(JobStatus)), name="status"),
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress_range"),
        Index("ix_jobs_tenant_created_by", "tenant_id", "created_by", "created_at"),
    )

    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default=JobStatus.queued)
    progress: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The job's inputs (ids and numbers only); the worker reads them from here, not the message.
    params: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    # Shown to people: Chinese.
    error: Mapped[str | None] = mapped_column(Text)
    # What the job produced: the bonus run's id (exports: their report_files rows).
    result_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    # The actor subject ("account:<id>" / "token:<id>") who started it.
    created_by: Mapped[str] = mapped_column(String(200))
    # Deliveries that started work (more than one after a worker died mid-run).
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReportFile(TenantOwned, Timestamped, Base):
    __tablename__ = "report_files"
    __table_args__ = (
        UniqueConstraint("tenant_id", "job_id", "format"),
        ForeignKeyConstraint(["tenant_id", "job_id"], ["jobs.tenant_id", "jobs.id"],
                             ondelete="CASCADE"),
        CheckConstraint(enum_check("format", list(ReportFormat)), name="format"),
    )

    job_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    format: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int | None] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class CachedReport(TenantOwned, Timestamped, Base):
    """A report's last rendering, reused while the data it shows is unchanged."""

    __tablename__ = "report_cache"
    __table_args__ = (
        UniqueConstraint("tenant_id", "cache_key", "format"),
        ForeignKeyConstraint(["tenant_id", "period_id"], ["periods.tenant_id", "periods.id"],
                             ondelete="CASCADE"),
        CheckConstraint(enum_check("format", list(ReportFormat)), name="format"),
        Index("ix_report_cache_tenant_period", "tenant_id", "period_id"),
    )

    # The report and its ids ("unit_quarterly:<period>:<unit or all>").
    cache_key: Mapped[str] = mapped_column(String(200))
    period_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    # sha256 of the document rendered (reports.Document.digest): the data it shows.
    digest: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int | None] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
