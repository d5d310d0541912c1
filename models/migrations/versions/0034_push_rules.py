"""push_rules: rules on pushed data and the deductions/credits they propose (issue 17, part 6)

Revision ID: 0034
Revises: 0033

A rule names the kind of pushed data it reads, its condition (days overdue), the points and the
indicator row; a proposal is unique per rule and source item, counts nowhere until confirmed,
and then points to the point record its confirmation created. Both tables are tenant-owned
under row-level security.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from models.migrations.rls import tenant_table

revision: str = "0034"
down_revision: str | tuple[str, ...] | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_DEFAULT = sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)")


def upgrade() -> None:
    op.create_table(
        "push_rules",
        sa.Column("tenant_id", sa.UUID(), server_default=TENANT_DEFAULT, nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("min_days", sa.Integer(), nullable=True),
        sa.Column("points", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("node_id", sa.UUID(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.CheckConstraint("kind IN ('supervision_overdue', 'error_notice')",
                           name=op.f("ck_push_rules_kind")),
        sa.CheckConstraint("points > 0", name=op.f("ck_push_rules_points_positive")),
        sa.CheckConstraint("min_days IS NULL OR min_days >= 0",
                           name=op.f("ck_push_rules_min_days_non_negative")),
        sa.ForeignKeyConstraint(["tenant_id", "node_id"],
                                ["scheme_nodes.tenant_id", "scheme_nodes.id"],
                                name=op.f("fk_push_rules_tenant_id_node_id_scheme_nodes")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"],
                                name=op.f("fk_push_rules_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_push_rules")),
    )
    op.create_table(
        "point_proposals",
        sa.Column("tenant_id", sa.UUID(), server_default=TENANT_DEFAULT, nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("rule_id", sa.UUID(), nullable=False),
        sa.Column("source_key", sa.String(length=300), nullable=False),
        sa.Column("source", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("source_text", sa.String(length=1000), nullable=False),
        sa.Column("node_id", sa.UUID(), nullable=False),
        sa.Column("person_id", sa.UUID(), nullable=True),
        sa.Column("unit_id", sa.UUID(), nullable=True),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("points", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refusal_reason", sa.String(length=1000), nullable=True),
        sa.Column("record_id", sa.UUID(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.CheckConstraint("status IN ('proposed', 'confirmed', 'refused')",
                           name=op.f("ck_point_proposals_status")),
        sa.CheckConstraint("person_id IS NOT NULL OR unit_id IS NOT NULL",
                           name=op.f("ck_point_proposals_has_subject")),
        sa.CheckConstraint("points > 0", name=op.f("ck_point_proposals_points_positive")),
        sa.ForeignKeyConstraint(["tenant_id", "rule_id"], ["push_rules.tenant_id", "push_rules.id"],
                                name=op.f("fk_point_proposals_tenant_id_rule_id_push_rules")),
        sa.ForeignKeyConstraint(["tenant_id", "node_id"],
                                ["scheme_nodes.tenant_id", "scheme_nodes.id"],
                                name=op.f("fk_point_proposals_tenant_id_node_id_scheme_nodes")),
        sa.ForeignKeyConstraint(["tenant_id", "person_id"], ["people.tenant_id", "people.id"],
                                name=op.f("fk_point_proposals_tenant_id_person_id_people")),
        sa.ForeignKeyConstraint(["tenant_id", "unit_id"], ["org_units.tenant_id", "org_units.id"],
                                name=op.f("fk_point_proposals_tenant_id_unit_id_org_units")),
        sa.ForeignKeyConstraint(["tenant_id", "record_id"],
                                ["point_records.tenant_id", "point_records.id"],
                                name=op.f("fk_point_proposals_tenant_id_record_id_point_records")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"],
                                name=op.f("fk_point_proposals_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_point_proposals")),
        sa.UniqueConstraint("tenant_id", "rule_id", "source_key",
                            name=op.f("uq_point_proposals_tenant_id_rule_id_source_key")),
    )
    op.create_index("ix_point_proposals_status", "point_proposals",
                    ["tenant_id", "status", "created_at"])
    tenant_table("push_rules")
    tenant_table("point_proposals")


def downgrade() -> None:
    op.drop_table("point_proposals")
    op.drop_table("push_rules")
