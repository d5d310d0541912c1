"""annual inputs: duty reports (述职报告) and democratic evaluations (民主测评)

Revision ID: 0033
Revises: 0032

``duty_reports``: one per person and year period, with its deadline, text and one attachment.
``democratic_votes``: a vote of a year period among the unit or a department.
``democratic_vote_voters``: who may vote and whether they have voted (never what).
``democratic_vote_counts``: one counter per candidate and choice, with no voter, time or
sequence: nothing links a choice to its voter. Tenant-owned under row-level security.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from models.migrations.rls import tenant_table

revision: str = "0033"
down_revision: str | tuple[str, ...] | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_DEFAULT = sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)")


def _tenant() -> sa.Column[Any]:
    return sa.Column("tenant_id", sa.UUID(), sa.ForeignKey("tenants.id"),
                     server_default=TENANT_DEFAULT, nullable=False)


def upgrade() -> None:
    op.create_table(
        "duty_reports",
        _tenant(),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("period_id", sa.UUID(), nullable=False),
        sa.Column("person_id", sa.UUID(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("text", sa.String(20000), server_default="", nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attachment_name", sa.String(300), nullable=True),
        sa.Column("attachment_type", sa.String(100), nullable=True),
        sa.Column("attachment", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_duty_reports"),
        sa.UniqueConstraint("tenant_id", "period_id", "person_id",
                            name="uq_duty_reports_tenant_id_period_id_person_id"),
        sa.ForeignKeyConstraint(["tenant_id", "period_id"], ["periods.tenant_id", "periods.id"],
                                name="fk_duty_reports_tenant_id_period_id_periods"),
        sa.ForeignKeyConstraint(["tenant_id", "person_id"], ["people.tenant_id", "people.id"],
                                name="fk_duty_reports_tenant_id_person_id_people"),
    )
    op.create_table(
        "democratic_votes",
        _tenant(),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("period_id", sa.UUID(), nullable=False),
        sa.Column("unit_id", sa.UUID(), nullable=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("opened_by", sa.String(200), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_democratic_votes"),
        sa.CheckConstraint("state IN ('open', 'closed')", name="ck_democratic_votes_state"),
        sa.ForeignKeyConstraint(["tenant_id", "period_id"], ["periods.tenant_id", "periods.id"],
                                name="fk_democratic_votes_tenant_id_period_id_periods"),
        sa.ForeignKeyConstraint(["tenant_id", "unit_id"], ["org_units.tenant_id", "org_units.id"],
                                name="fk_democratic_votes_tenant_id_unit_id_org_units"),
    )
    op.create_table(
        "democratic_vote_voters",
        _tenant(),
        sa.Column("vote_id", sa.UUID(), nullable=False),
        sa.Column("person_id", sa.UUID(), nullable=False),
        sa.Column("has_voted", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "vote_id", "person_id",
                                name="pk_democratic_vote_voters"),
        sa.ForeignKeyConstraint(["tenant_id", "vote_id"],
                                ["democratic_votes.tenant_id", "democratic_votes.id"],
                                name="fk_democratic_vote_voters_tenant_id_vote_id_democr_f3a1",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id", "person_id"], ["people.tenant_id", "people.id"],
                                name="fk_democratic_vote_voters_tenant_id_person_id_people"),
    )
    op.create_table(
        "democratic_vote_counts",
        _tenant(),
        sa.Column("vote_id", sa.UUID(), nullable=False),
        sa.Column("candidate_id", sa.UUID(), nullable=False),
        sa.Column("choice", sa.String(30), nullable=False),
        sa.Column("votes", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "vote_id", "candidate_id", "choice",
                                name="pk_democratic_vote_counts"),
        sa.CheckConstraint("choice IN ('excellent', 'competent', 'basically_competent', "
                           "'incompetent')", name="ck_democratic_vote_counts_choice"),
        sa.CheckConstraint("votes >= 0", name="ck_democratic_vote_counts_votes_not_negative"),
        sa.ForeignKeyConstraint(["tenant_id", "vote_id"],
                                ["democratic_votes.tenant_id", "democratic_votes.id"],
                                name="fk_democratic_vote_counts_tenant_id_vote_id_democr_9b2e",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id", "candidate_id"], ["people.tenant_id", "people.id"],
                                name="fk_democratic_vote_counts_tenant_id_candidate_id_people"),
    )
    for table in ("duty_reports", "democratic_votes", "democratic_vote_voters",
                  "democratic_vote_counts"):
        tenant_table(table)


def downgrade() -> None:
    for table in ("democratic_vote_counts", "democratic_vote_voters", "democratic_votes",
                  "duty_reports"):
        op.drop_table(table)
