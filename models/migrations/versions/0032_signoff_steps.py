"""signoff_steps: the sign-off chain's history (逐级审核), one row per step

Revision ID: 0032
Revises: 0030

A level passing a scope (a department, or the whole unit when department_id is NULL) on, or
returning it to the level before with a reason; append-only, deleted with its period.
Tenant-owned under row-level security.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from models.migrations.rls import tenant_table

revision: str = "0032"
down_revision: str | tuple[str, ...] | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "signoff_steps",
        sa.Column("tenant_id", sa.UUID(), server_default=sa.text(
            "CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("period_id", sa.UUID(), nullable=False),
        sa.Column("department_id", sa.UUID(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("to_level", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("chain", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.CheckConstraint("action IN ('passed', 'returned')",
                           name=op.f("ck_signoff_steps_action")),
        sa.CheckConstraint("level >= 0 AND to_level >= 0", name=op.f("ck_signoff_steps_levels")),
        sa.ForeignKeyConstraint(["tenant_id", "period_id"], ["periods.tenant_id", "periods.id"],
                                name=op.f("fk_signoff_steps_tenant_id_period_id_periods"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id", "department_id"],
                                ["org_units.tenant_id", "org_units.id"],
                                name=op.f("fk_signoff_steps_tenant_id_department_id_org_units")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"],
                                name=op.f("fk_signoff_steps_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_signoff_steps")),
    )
    op.create_index("ix_signoff_steps_tenant_period", "signoff_steps",
                    ["tenant_id", "period_id", "created_at"])
    tenant_table("signoff_steps")


def downgrade() -> None:
    op.drop_table("signoff_steps")
