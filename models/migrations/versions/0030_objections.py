"""objections: 异议 to a published result, raised within the publicity period

Revision ID: 0030
Revises: 0029

One row per objection: the result objected to, the raiser (read back only by themselves, and by
the committee when they chose to name themselves), the reasons, and the answer with the grade
before and after it. Tenant-owned under row-level security.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.migrations.rls import tenant_table

revision: str = "0030"
down_revision: str | tuple[str, ...] | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "objections",
        sa.Column("tenant_id", sa.UUID(), server_default=sa.text(
            "CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("period_id", sa.UUID(), nullable=False),
        sa.Column("person_result_id", sa.UUID(), nullable=False),
        sa.Column("person_id", sa.UUID(), nullable=False),
        sa.Column("raised_by_person_id", sa.UUID(), nullable=False),
        sa.Column("named_to_committee", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.String(length=2000), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("answer", sa.String(length=2000), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by", sa.String(length=200), nullable=True),
        sa.Column("grade_before", sa.String(length=30), nullable=True),
        sa.Column("grade_after", sa.String(length=30), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.CheckConstraint("status IN ('open', 'answered')", name=op.f("ck_objections_status")),
        sa.CheckConstraint("(status = 'answered') = (answered_at IS NOT NULL)",
                           name=op.f("ck_objections_answered_when_answered")),
        sa.ForeignKeyConstraint(["tenant_id", "period_id"], ["periods.tenant_id", "periods.id"],
                                name=op.f("fk_objections_tenant_id_period_id_periods")),
        sa.ForeignKeyConstraint(["tenant_id", "person_result_id"],
                                ["person_results.tenant_id", "person_results.id"],
                                name=op.f("fk_objections_tenant_id_person_result_id_person_results"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id", "person_id"], ["people.tenant_id", "people.id"],
                                name=op.f("fk_objections_tenant_id_person_id_people")),
        sa.ForeignKeyConstraint(["tenant_id", "raised_by_person_id"],
                                ["people.tenant_id", "people.id"],
                                name=op.f("fk_objections_tenant_id_raised_by_person_id_people")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"],
                                name=op.f("fk_objections_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_objections")),
    )
    op.create_index("ix_objections_period", "objections", ["tenant_id", "period_id", "status"])
    op.create_index("ix_objections_result", "objections", ["tenant_id", "person_result_id"])
    op.create_index("ix_objections_raiser", "objections", ["tenant_id", "raised_by_person_id"])
    tenant_table("objections")


def downgrade() -> None:
    op.drop_table("objections")
