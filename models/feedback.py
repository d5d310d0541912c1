"""Feedback interviews (反馈谈话) and what follows them for people who need care (关心帮助).

One interview per person per quarter, recorded by whoever manages the person: the result told,
strengths, weaknesses, root causes, an agreed improvement plan with follow-up dates, the four
topics (四必谈) each ticked with notes, the praise-critique-encourage structure (正负正) and a
person-post fit rating (人岗契合度, 1-5) that the care list reads. The person acknowledges the
record and may add a comment; they never edit it.

Care actions are what the tenant records for people on the care list: mentoring pairs (结对帮带,
who mentors whom, from when), post adjustments (岗位调整) and follow-up interviews.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TenantOwned, Timestamped, enum_check
from vocab.feedback import CareActionKind


class FeedbackInterview(TenantOwned, Timestamped, Base):
    __tablename__ = "feedback_interviews"
    __table_args__ = (
        UniqueConstraint("tenant_id", "period_id", "person_id"),
        ForeignKeyConstraint(["tenant_id", "period_id"], ["periods.tenant_id", "periods.id"]),
        ForeignKeyConstraint(["tenant_id", "person_id"], ["people.tenant_id", "people.id"]),
        ForeignKeyConstraint(["tenant_id", "unit_id"], ["org_units.tenant_id", "org_units.id"]),
        ForeignKeyConstraint(["tenant_id", "interviewer_id"], ["people.tenant_id", "people.id"]),
        ForeignKeyConstraint(["tenant_id", "person_result_id"],
                             ["person_results.tenant_id", "person_results.id"]),
        CheckConstraint("fit_rating BETWEEN 1 AND 5", name="fit_rating_range"),
        CheckConstraint("interviewer_id IS NULL OR interviewer_id <> person_id",
                        name="not_own_interviewer"),
        Index("ix_feedback_interviews_person", "tenant_id", "person_id"),
    )

    period_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    # The person's unit when the interview was recorded (completion is counted per unit).
    unit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    # The result the interview tells, when the period has one for the person.
    person_result_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    # The person who held it (None when a granted role without a person record recorded it).
    interviewer_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    recorded_by: Mapped[str] = mapped_column(String(200))  # the actor's subject
    held_on: Mapped[date] = mapped_column(Date)
    result_told: Mapped[str] = mapped_column(String(10000))
    strengths: Mapped[str] = mapped_column(String(10000))
    weaknesses: Mapped[str] = mapped_column(String(10000))
    root_causes: Mapped[str] = mapped_column(String(10000))
    # [{"action": str, "follow_up_on": "YYYY-MM-DD"}], in the order agreed.
    improvement_plan: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list,
                                                                   server_default="[]")
    # {"thinking": {"covered": bool, "notes": str}, ...}: the four topics (四必谈).
    topics: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    # 正负正: praise (肯定成绩), critique (分析不足), encouragement (明确方向).
    praise: Mapped[str] = mapped_column(String(10000))
    critique: Mapped[str] = mapped_column(String(10000))
    encouragement: Mapped[str] = mapped_column(String(10000))
    fit_rating: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    person_comment: Mapped[str] = mapped_column(String(10000), default="", server_default="")


class CareAction(TenantOwned, Timestamped, Base):
    __tablename__ = "care_actions"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "person_id"], ["people.tenant_id", "people.id"]),
        ForeignKeyConstraint(["tenant_id", "mentor_id"], ["people.tenant_id", "people.id"]),
        CheckConstraint(enum_check("kind", list(CareActionKind)), name="kind"),
        CheckConstraint("(kind = 'mentoring') = (mentor_id IS NOT NULL)",
                        name="mentor_iff_mentoring"),
        CheckConstraint("mentor_id IS NULL OR mentor_id <> person_id", name="not_own_mentor"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
        Index("ix_care_actions_person", "tenant_id", "person_id"),
    )

    kind: Mapped[str] = mapped_column(String(30))
    person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))  # the mentee / subject
    mentor_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    # Mentoring: from when; post adjustment: effective on; follow-up interview: held on.
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(10000), default="", server_default="")
    # The care flags (rules.care.CareFlagKind values) that prompted it.
    flags: Mapped[list[str]] = mapped_column(JSONB, default=list, server_default="[]")
    recorded_by: Mapped[str] = mapped_column(String(200))
    # How it ended (e.g. a mentoring pair: 帮带成效), recorded with the end date.
    outcome: Mapped[str] = mapped_column(String(10000), default="", server_default="")
