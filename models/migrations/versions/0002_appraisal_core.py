"""appraisal core

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from models.migrations.rls import tenant_table

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('periods',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('deadlines', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.Column('starts_on', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ends_on', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("(kind = 'year') = (quarter IS NULL)", name=op.f('ck_periods_quarter_iff_quarterly')),
    sa.CheckConstraint("kind IN ('quarter', 'year')", name=op.f('ck_periods_kind')),
    sa.CheckConstraint("state IN ('planning', 'executing', 'declaring', 'rating', 'reviewing', 'publicizing', 'feedback', 'closed')", name=op.f('ck_periods_state')),
    sa.CheckConstraint('quarter IS NULL OR quarter BETWEEN 1 AND 4', name=op.f('ck_periods_quarter_range')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_periods_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_periods')),
    sa.UniqueConstraint('tenant_id', 'kind', 'year', 'quarter', name=op.f('uq_periods_tenant_id_kind_year_quarter'))
    )
    op.create_table('unit_results',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('period_id', sa.UUID(), nullable=False),
    sa.Column('unit_id', sa.UUID(), nullable=False),
    sa.Column('level', sa.String(length=30), nullable=False),
    sa.Column('score', sa.Numeric(precision=10, scale=4), nullable=True),
    sa.Column('note', sa.String(length=1000), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'period_id'], ['periods.tenant_id', 'periods.id'], name=op.f('fk_unit_results_tenant_id_period_id_periods')),
    sa.ForeignKeyConstraint(['tenant_id', 'unit_id'], ['org_units.tenant_id', 'org_units.id'], name=op.f('fk_unit_results_tenant_id_unit_id_org_units')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_unit_results_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_unit_results')),
    sa.UniqueConstraint('tenant_id', 'period_id', 'unit_id', name=op.f('uq_unit_results_tenant_id_period_id_unit_id'))
    )
    op.create_table('person_results',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('period_id', sa.UUID(), nullable=False),
    sa.Column('person_id', sa.UUID(), nullable=False),
    sa.Column('unit_id', sa.UUID(), nullable=False),
    sa.Column('comparison_group', sa.String(length=20), nullable=False),
    sa.Column('score', sa.Numeric(precision=10, scale=4), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('group_rank', sa.Integer(), nullable=True),
    sa.Column('proposed_grade', sa.String(length=30), nullable=True),
    sa.Column('grade', sa.String(length=30), nullable=True),
    sa.Column('serious_conduct_breach', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('reasons', postgresql.JSONB(astext_type=sa.Text()), server_default='[]', nullable=False),
    sa.Column('explanation', postgresql.JSONB(astext_type=sa.Text()), server_default='[]', nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("grade IS NULL OR grade IN ('good', 'fairly_good', 'average', 'poor', 'excellent', 'competent', 'basically_competent', 'incompetent', 'not_graded')", name=op.f('ck_person_results_grade')),
    sa.CheckConstraint("proposed_grade IS NULL OR proposed_grade IN ('good', 'fairly_good', 'average', 'poor', 'excellent', 'competent', 'basically_competent', 'incompetent', 'not_graded')", name=op.f('ck_person_results_proposed_grade')),
    sa.ForeignKeyConstraint(['tenant_id', 'period_id'], ['periods.tenant_id', 'periods.id'], name=op.f('fk_person_results_tenant_id_period_id_periods')),
    sa.ForeignKeyConstraint(['tenant_id', 'person_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_person_results_tenant_id_person_id_people')),
    sa.ForeignKeyConstraint(['tenant_id', 'unit_id'], ['org_units.tenant_id', 'org_units.id'], name=op.f('fk_person_results_tenant_id_unit_id_org_units')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_person_results_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_person_results')),
    sa.UniqueConstraint('tenant_id', 'period_id', 'person_id', name=op.f('uq_person_results_tenant_id_period_id_person_id'))
    )
    for table in ("periods", "person_results", "unit_results"):
        tenant_table(table)


def downgrade() -> None:
    op.drop_table('person_results')
    op.drop_table('unit_results')
    op.drop_table('periods')
