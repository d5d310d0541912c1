"""ratings

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.migrations.rls import tenant_table

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('rater_assignments', 'ratings')


def upgrade() -> None:
    op.create_table('rater_assignments',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('period_id', sa.UUID(), nullable=False),
    sa.Column('person_id', sa.UUID(), nullable=False),
    sa.Column('rater_id', sa.UUID(), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("role IN ('department_head', 'supervising_leader', 'principal_leader', 'peer', 'subordinate', 'external_rater')", name=op.f('ck_rater_assignments_role')),
    sa.CheckConstraint("source IN ('generated', 'manual')", name=op.f('ck_rater_assignments_source')),
    sa.CheckConstraint('rater_id <> person_id', name=op.f('ck_rater_assignments_not_self')),
    sa.ForeignKeyConstraint(['tenant_id', 'period_id'], ['periods.tenant_id', 'periods.id'], name=op.f('fk_rater_assignments_tenant_id_period_id_periods')),
    sa.ForeignKeyConstraint(['tenant_id', 'person_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_rater_assignments_tenant_id_person_id_people')),
    sa.ForeignKeyConstraint(['tenant_id', 'rater_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_rater_assignments_tenant_id_rater_id_people')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_rater_assignments_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_rater_assignments')),
    sa.UniqueConstraint('tenant_id', 'period_id', 'person_id', 'rater_id', name=op.f('uq_rater_assignments_tenant_id_period_id_person_id_rater_id'))
    )
    op.create_index('ix_rater_assignments_rater', 'rater_assignments', ['tenant_id', 'period_id', 'rater_id'], unique=False)
    op.create_table('ratings',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('assignment_id', sa.UUID(), nullable=False),
    sa.Column('version_id', sa.UUID(), nullable=False),
    sa.Column('node_id', sa.UUID(), nullable=False),
    sa.Column('dimension', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('comment', sa.String(length=500), server_default='', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('value >= 0 AND value <= 100', name=op.f('ck_ratings_value_range')),
    sa.ForeignKeyConstraint(['tenant_id', 'assignment_id'], ['rater_assignments.tenant_id', 'rater_assignments.id'], name=op.f('fk_ratings_tenant_id_assignment_id_rater_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'version_id', 'node_id'], ['scheme_nodes.tenant_id', 'scheme_nodes.version_id', 'scheme_nodes.id'], name=op.f('fk_ratings_tenant_id_version_id_node_id_scheme_nodes')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_ratings_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_ratings')),
    sa.UniqueConstraint('tenant_id', 'assignment_id', 'node_id', 'dimension', name=op.f('uq_ratings_tenant_id_assignment_id_node_id_dimension'))
    )
    for table in TABLES:
        tenant_table(table)


def downgrade() -> None:
    op.drop_table('ratings')
    op.drop_index('ix_rater_assignments_rater', table_name='rater_assignments')
    op.drop_table('rater_assignments')
