"""Post history (岗位调整): which post a person holds from which day.

``Person.post_id`` stays the current post; each adjustment adds a row here with the post before
and after and the day it takes effect. A change effective today or earlier is applied to
``Person.post_id`` when it is recorded; a future-dated one is stored pending (``applied_at``
NULL) and applied by ``resolvers.feedback.post_history.apply_due`` once its day has come (run by
every post-history use case: recording, reading the history, and the care list).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKeyConstraint, Index, String
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TenantOwned, Timestamped


class PostAssignment(TenantOwned, Timestamped, Base):
    __tablename__ = "post_assignments"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "person_id"], ["people.tenant_id", "people.id"]),
        ForeignKeyConstraint(["tenant_id", "post_id"], ["posts.tenant_id", "posts.id"]),
        ForeignKeyConstraint(["tenant_id", "previous_post_id"], ["posts.tenant_id", "posts.id"]),
        ForeignKeyConstraint(["tenant_id", "care_action_id"],
                             ["care_actions.tenant_id", "care_actions.id"]),
        ForeignKeyConstraint(["tenant_id", "results_use_entry_id"],
                             ["results_use_entries.tenant_id", "results_use_entries.id"]),
        CheckConstraint("previous_post_id IS DISTINCT FROM post_id", name="changes_post"),
        Index("ix_post_assignments_person", "tenant_id", "person_id", "effective_on"),
    )

    person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    post_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))  # the new post
    # The post held before: as recorded, and set again when a pending change is applied.
    previous_post_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    effective_on: Mapped[date] = mapped_column(Date)
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    care_action_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    results_use_entry_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    reason: Mapped[str] = mapped_column(String(10000), default="", server_default="")
    recorded_by: Mapped[str] = mapped_column(String(200))
