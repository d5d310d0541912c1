"""report_cache: a period's reports rendered once, reused while their data is unchanged

Revision ID: 0027
Revises: 0026

One row per report (its ids in ``cache_key``) and format, with the digest of the data it was
rendered from; deleted with its period (and by the application when the period is reopened).
Tenant-owned under row-level security like ``report_files``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.migrations.rls import tenant_table

revision: str = "0027"
down_revision: str | tuple[str, ...] | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_cache",
        sa.Column("tenant_id", sa.UUID(), server_default=sa.text(
            "CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("cache_key", sa.String(length=200), nullable=False),
        sa.Column("period_id", sa.UUID(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.CheckConstraint("format IN ('pdf', 'xlsx')", name=op.f("ck_report_cache_format")),
        sa.ForeignKeyConstraint(["tenant_id", "period_id"], ["periods.tenant_id", "periods.id"],
                                name=op.f("fk_report_cache_tenant_id_period_id_periods"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"],
                                name=op.f("fk_report_cache_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_report_cache")),
        sa.UniqueConstraint("tenant_id", "cache_key", "format",
                            name=op.f("uq_report_cache_tenant_id_cache_key_format")),
    )
    op.create_index("ix_report_cache_tenant_period", "report_cache", ["tenant_id", "period_id"])
    tenant_table("report_cache")


def downgrade() -> None:
    op.drop_table("report_cache")
