"""plans: indicator schemes and versions, responsibility letters, point records, tasks

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from models.migrations.rls import tenant_table

TABLES = ("indicator_schemes", "scheme_versions", "scheme_dimensions", "scheme_nodes",
          "responsibility_letters", "period_scheme_versions", "point_records", "tasks",
          "task_milestones")

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('indicator_schemes',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_indicator_schemes_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_indicator_schemes')),
    sa.UniqueConstraint('tenant_id', 'year', name=op.f('uq_indicator_schemes_tenant_id_year'))
    )
    op.create_table('scheme_versions',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('scheme_id', sa.UUID(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('based_on_id', sa.UUID(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by', sa.String(length=200), server_default='', nullable=False),
    sa.Column('note', sa.String(length=1000), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("(status = 'published') = (published_at IS NOT NULL)", name=op.f('ck_scheme_versions_published_iff_date')),
    sa.CheckConstraint("status IN ('draft', 'published')", name=op.f('ck_scheme_versions_status')),
    sa.ForeignKeyConstraint(['tenant_id', 'based_on_id'], ['scheme_versions.tenant_id', 'scheme_versions.id'], name=op.f('fk_scheme_versions_tenant_id_based_on_id_scheme_versions')),
    sa.ForeignKeyConstraint(['tenant_id', 'scheme_id'], ['indicator_schemes.tenant_id', 'indicator_schemes.id'], name=op.f('fk_scheme_versions_tenant_id_scheme_id_indicator_schemes')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_scheme_versions_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_scheme_versions')),
    sa.UniqueConstraint('tenant_id', 'scheme_id', 'number', name=op.f('uq_scheme_versions_tenant_id_scheme_id_number'))
    )
    op.create_index('uq_scheme_versions_one_draft', 'scheme_versions', ['tenant_id', 'scheme_id'], unique=True, postgresql_where=sa.text("status = 'draft'"))
    op.create_table('period_scheme_versions',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('period_id', sa.UUID(), nullable=False),
    sa.Column('version_id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'period_id'], ['periods.tenant_id', 'periods.id'], name=op.f('fk_period_scheme_versions_tenant_id_period_id_periods')),
    sa.ForeignKeyConstraint(['tenant_id', 'version_id'], ['scheme_versions.tenant_id', 'scheme_versions.id'], name=op.f('fk_period_scheme_versions_tenant_id_version_id_scheme_versions')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_period_scheme_versions_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_period_scheme_versions')),
    sa.UniqueConstraint('tenant_id', 'period_id', name=op.f('uq_period_scheme_versions_tenant_id_period_id'))
    )
    op.create_table('responsibility_letters',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('scheme_id', sa.UUID(), nullable=False),
    sa.Column('post_id', sa.UUID(), nullable=False),
    sa.Column('indicator_code', sa.String(length=64), nullable=False),
    sa.Column('target', sa.String(length=500), server_default='', nullable=False),
    sa.Column('sort_order', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'post_id'], ['posts.tenant_id', 'posts.id'], name=op.f('fk_responsibility_letters_tenant_id_post_id_posts')),
    sa.ForeignKeyConstraint(['tenant_id', 'scheme_id'], ['indicator_schemes.tenant_id', 'indicator_schemes.id'], name=op.f('fk_responsibility_letters_tenant_id_scheme_id_indicator_schemes')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_responsibility_letters_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_responsibility_letters')),
    sa.UniqueConstraint('tenant_id', 'scheme_id', 'post_id', 'indicator_code', name='uq_responsibility_letters_line')
    )
    op.create_table('scheme_dimensions',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('version_id', sa.UUID(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('rater_roles', postgresql.ARRAY(sa.String(length=40)), server_default='{}', nullable=False),
    sa.Column('sort_order', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('weight >= 0', name=op.f('ck_scheme_dimensions_weight_non_negative')),
    sa.ForeignKeyConstraint(['tenant_id', 'version_id'], ['scheme_versions.tenant_id', 'scheme_versions.id'], name=op.f('fk_scheme_dimensions_tenant_id_version_id_scheme_versions')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_scheme_dimensions_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_scheme_dimensions')),
    sa.UniqueConstraint('tenant_id', 'version_id', 'code', name=op.f('uq_scheme_dimensions_tenant_id_version_id_code'))
    )
    op.create_table('scheme_nodes',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('version_id', sa.UUID(), nullable=False),
    sa.Column('parent_id', sa.UUID(), nullable=True),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('description', sa.String(length=2000), server_default='', nullable=False),
    sa.Column('weight', sa.Integer(), nullable=True),
    sa.Column('cap', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('points', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('applies_to', sa.String(length=20), nullable=False),
    sa.Column('needs_confirmation', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('confirmation_note', sa.String(length=500), server_default='', nullable=False),
    sa.Column('serious', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('dynamic', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=True),
    sa.Column('dynamic_reason', sa.String(length=1000), server_default='', nullable=False),
    sa.Column('sort_order', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("applies_to IN ('everyone', 'posts')", name=op.f('ck_scheme_nodes_applies_to')),
    sa.CheckConstraint("kind IN ('category', 'rated', 'credit', 'deduction', 'conduct_standard')", name=op.f('ck_scheme_nodes_kind')),
    sa.CheckConstraint('cap IS NULL OR cap >= 0', name=op.f('ck_scheme_nodes_cap_non_negative')),
    sa.CheckConstraint('dynamic = (effective_from IS NOT NULL)', name=op.f('ck_scheme_nodes_dynamic_iff_start')),
    sa.CheckConstraint('parent_id IS NULL OR parent_id <> id', name=op.f('ck_scheme_nodes_not_own_parent')),
    sa.CheckConstraint('points IS NULL OR points >= 0', name=op.f('ck_scheme_nodes_points_non_negative')),
    sa.CheckConstraint('weight IS NULL OR weight BETWEEN 0 AND 100', name=op.f('ck_scheme_nodes_weight_range')),
    sa.ForeignKeyConstraint(['tenant_id', 'version_id', 'parent_id'], ['scheme_nodes.tenant_id', 'scheme_nodes.version_id', 'scheme_nodes.id'], name=op.f('fk_scheme_nodes_tenant_id_version_id_parent_id_scheme_nodes')),
    sa.ForeignKeyConstraint(['tenant_id', 'version_id'], ['scheme_versions.tenant_id', 'scheme_versions.id'], name=op.f('fk_scheme_nodes_tenant_id_version_id_scheme_versions')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_scheme_nodes_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_scheme_nodes')),
    sa.UniqueConstraint('tenant_id', 'version_id', 'code', name=op.f('uq_scheme_nodes_tenant_id_version_id_code')),
    sa.UniqueConstraint('tenant_id', 'version_id', 'id', name=op.f('uq_scheme_nodes_tenant_id_version_id_id'))
    )
    op.create_table('point_records',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('version_id', sa.UUID(), nullable=False),
    sa.Column('node_id', sa.UUID(), nullable=False),
    sa.Column('person_id', sa.UUID(), nullable=True),
    sa.Column('unit_id', sa.UUID(), nullable=True),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('points', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('reason', sa.String(length=1000), nullable=False),
    sa.Column('evidence', sa.String(length=2000), server_default='', nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('confirmed_by', sa.String(length=200), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('external_id', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('claimed', 'confirmed', 'rejected', 'withdrawn')", name=op.f('ck_point_records_status')),
    sa.CheckConstraint('person_id IS NOT NULL OR unit_id IS NOT NULL', name=op.f('ck_point_records_has_subject')),
    sa.CheckConstraint('points >= 0', name=op.f('ck_point_records_points_non_negative')),
    sa.ForeignKeyConstraint(['tenant_id', 'person_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_point_records_tenant_id_person_id_people')),
    sa.ForeignKeyConstraint(['tenant_id', 'unit_id'], ['org_units.tenant_id', 'org_units.id'], name=op.f('fk_point_records_tenant_id_unit_id_org_units')),
    sa.ForeignKeyConstraint(['tenant_id', 'version_id', 'node_id'], ['scheme_nodes.tenant_id', 'scheme_nodes.version_id', 'scheme_nodes.id'], name=op.f('fk_point_records_tenant_id_version_id_node_id_scheme_nodes')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_point_records_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_point_records'))
    )
    op.create_index('ix_point_records_person_date', 'point_records', ['tenant_id', 'person_id', 'occurred_on'], unique=False)
    op.create_index('uq_point_records_external_id', 'point_records', ['tenant_id', 'external_id'], unique=True, postgresql_where=sa.text('external_id IS NOT NULL'))
    op.create_table('tasks',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.String(length=4000), server_default='', nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('source_text', sa.String(length=1000), server_default='', nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('parent_id', sa.UUID(), nullable=True),
    sa.Column('unit_id', sa.UUID(), nullable=True),
    sa.Column('person_id', sa.UUID(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('indicator_codes', postgresql.ARRAY(sa.String(length=64)), server_default='{}', nullable=False),
    sa.Column('sort_order', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("(level = 'person') = (person_id IS NOT NULL)", name=op.f('ck_tasks_person_iff_level')),
    sa.CheckConstraint("(level = 'tenant') = (unit_id IS NULL)", name=op.f('ck_tasks_unit_unless_tenant')),
    sa.CheckConstraint("level IN ('tenant', 'unit', 'person')", name=op.f('ck_tasks_level')),
    sa.CheckConstraint("source_kind IN ('central', 'provincial', 'municipal', 'plenary', 'ad_hoc')", name=op.f('ck_tasks_source_kind')),
    sa.CheckConstraint("status IN ('not_started', 'in_progress', 'done', 'cancelled')", name=op.f('ck_tasks_status')),
    sa.CheckConstraint('parent_id IS NULL OR parent_id <> id', name=op.f('ck_tasks_not_own_parent')),
    sa.ForeignKeyConstraint(['tenant_id', 'parent_id'], ['tasks.tenant_id', 'tasks.id'], name=op.f('fk_tasks_tenant_id_parent_id_tasks')),
    sa.ForeignKeyConstraint(['tenant_id', 'person_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_tasks_tenant_id_person_id_people')),
    sa.ForeignKeyConstraint(['tenant_id', 'unit_id'], ['org_units.tenant_id', 'org_units.id'], name=op.f('fk_tasks_tenant_id_unit_id_org_units')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_tasks_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_tasks')),
    sa.UniqueConstraint('tenant_id', 'year', 'code', name=op.f('uq_tasks_tenant_id_year_code'))
    )
    op.create_index('ix_tasks_tenant_parent', 'tasks', ['tenant_id', 'parent_id'], unique=False)
    op.create_index('ix_tasks_tenant_person', 'tasks', ['tenant_id', 'person_id'], unique=False)
    op.create_index('ix_tasks_tenant_unit', 'tasks', ['tenant_id', 'unit_id'], unique=False)
    op.create_table('task_milestones',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('task_id', sa.UUID(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('sort_order', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'task_id'], ['tasks.tenant_id', 'tasks.id'], name=op.f('fk_task_milestones_tenant_id_task_id_tasks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_task_milestones_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_task_milestones'))
    )
    op.create_index('ix_task_milestones_task', 'task_milestones', ['tenant_id', 'task_id'], unique=False)
    for table in TABLES:
        tenant_table(table)


def downgrade() -> None:
    op.drop_index('ix_task_milestones_task', table_name='task_milestones')
    op.drop_table('task_milestones')
    op.drop_index('ix_tasks_tenant_unit', table_name='tasks')
    op.drop_index('ix_tasks_tenant_person', table_name='tasks')
    op.drop_index('ix_tasks_tenant_parent', table_name='tasks')
    op.drop_table('tasks')
    op.drop_index('uq_point_records_external_id', table_name='point_records', postgresql_where=sa.text('external_id IS NOT NULL'))
    op.drop_index('ix_point_records_person_date', table_name='point_records')
    op.drop_table('point_records')
    op.drop_table('scheme_nodes')
    op.drop_table('scheme_dimensions')
    op.drop_table('responsibility_letters')
    op.drop_table('period_scheme_versions')
    op.drop_index('uq_scheme_versions_one_draft', table_name='scheme_versions', postgresql_where=sa.text("status = 'draft'"))
    op.drop_table('scheme_versions')
    op.drop_table('indicator_schemes')
