"""The annual appraisal's inputs: duty reports (述职报告) and democratic evaluations (民主测评).

A duty report is asked of a person for a year period with a deadline; the person writes its text
and may attach one file (kept here, at most ``resolvers.appraisal.annual_inputs.MAX_ATTACHMENT``).

A democratic evaluation stores NO link from a choice to its voter: ``democratic_vote_voters``
says who may vote and whether they have voted (no choices), ``democratic_vote_counts`` holds one
counter per candidate and choice (no voter, no time). A ballot adds one to the chosen counters
and touches every counter of the vote in the same statement, so even the rows' system columns
(xmin) say only "the last ballot changed every counter".
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TenantOwned, Timestamped, enum_check
from vocab.annual_inputs import BALLOT_CHOICES, VoteState


class DutyReport(TenantOwned, Timestamped, Base):
    __tablename__ = "duty_reports"
    __table_args__ = (
        UniqueConstraint("tenant_id", "period_id", "person_id"),
        ForeignKeyConstraint(["tenant_id", "period_id"], ["periods.tenant_id", "periods.id"]),
        ForeignKeyConstraint(["tenant_id", "person_id"], ["people.tenant_id", "people.id"]),
    )

    period_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    deadline: Mapped[date] = mapped_column(Date)  # the last day a report is accepted
    requested_by: Mapped[str] = mapped_column(String(200))  # the actor's subject
    text: Mapped[str] = mapped_column(String(20000), default="", server_default="")
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attachment_name: Mapped[str | None] = mapped_column(String(300))
    attachment_type: Mapped[str | None] = mapped_column(String(100))
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)


class DemocraticVote(TenantOwned, Base):
    __tablename__ = "democratic_votes"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "period_id"], ["periods.tenant_id", "periods.id"]),
        ForeignKeyConstraint(["tenant_id", "unit_id"], ["org_units.tenant_id", "org_units.id"]),
        CheckConstraint(enum_check("state", list(VoteState)), name="state"),
    )

    period_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    # The department whose people vote and are voted on (with its sub-units); None: the unit.
    unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    state: Mapped[str] = mapped_column(String(20), default=VoteState.open)
    opened_by: Mapped[str] = mapped_column(String(200))
    opened_on: Mapped[date] = mapped_column(Date)  # days only: nothing finer is kept
    closed_on: Mapped[date | None] = mapped_column(Date)


class DemocraticVoteVoter(Base):
    """Who may vote, and whether they have: never what."""

    __tablename__ = "democratic_vote_voters"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "vote_id"],
                             ["democratic_votes.tenant_id", "democratic_votes.id"],
                             ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "person_id"], ["people.tenant_id", "people.id"]),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tenants.id"), primary_key=True,
        server_default=func.cast(func.current_setting("app.tenant_id", True), UUID))
    vote_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    has_voted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))


class DemocraticVoteCount(Base):
    """One counter per candidate and choice: no voter, no time, no order."""

    __tablename__ = "democratic_vote_counts"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "vote_id"],
                             ["democratic_votes.tenant_id", "democratic_votes.id"],
                             ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "candidate_id"], ["people.tenant_id", "people.id"]),
        CheckConstraint(enum_check("choice", [c.value for c in BALLOT_CHOICES]), name="choice"),
        CheckConstraint("votes >= 0", name="votes_not_negative"),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tenants.id"), primary_key=True,
        server_default=func.cast(func.current_setting("app.tenant_id", True), UUID))
    vote_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    candidate_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    choice: Mapped[str] = mapped_column(String(30), primary_key=True)
    votes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
