"""declarations and supervision

Revision ID: 0006
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from models.migrations.rls import tenant_table

revision: str = "0006"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("declarations", "declaration_items", "task_progress", "rectifications",
          "external_pushes")


def upgrade() -> None:
    op.create_table('external_pushes',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('payload', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('result', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_external_pushes_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_external_pushes')),
    sa.UniqueConstraint('tenant_id', 'source', 'external_id', name=op.f('uq_external_pushes_tenant_id_source_external_id'))
    )
    op.create_table('declarations',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('period_id', sa.UUID(), nullable=False),
    sa.Column('person_id', sa.UUID(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("(status = 'submitted') = (submitted_at IS NOT NULL)", name=op.f('ck_declarations_submitted_iff_date')),
    sa.CheckConstraint("status IN ('draft', 'submitted')", name=op.f('ck_declarations_status')),
    sa.ForeignKeyConstraint(['tenant_id', 'period_id'], ['periods.tenant_id', 'periods.id'], name=op.f('fk_declarations_tenant_id_period_id_periods')),
    sa.ForeignKeyConstraint(['tenant_id', 'person_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_declarations_tenant_id_person_id_people')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_declarations_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_declarations')),
    sa.UniqueConstraint('tenant_id', 'period_id', 'person_id', name=op.f('uq_declarations_tenant_id_period_id_person_id'))
    )
    op.create_table('declaration_items',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('declaration_id', sa.UUID(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('content', sa.String(length=4000), nullable=False),
    sa.Column('self_assessment', sa.String(length=2000), server_default='', nullable=False),
    sa.Column('task_id', sa.UUID(), nullable=True),
    sa.Column('version_id', sa.UUID(), nullable=True),
    sa.Column('node_id', sa.UUID(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('(node_id IS NULL) = (version_id IS NULL)', name=op.f('ck_declaration_items_node_with_version')),
    sa.CheckConstraint('(task_id IS NOT NULL) OR (node_id IS NOT NULL)', name=op.f('ck_declaration_items_has_source')),
    sa.ForeignKeyConstraint(['tenant_id', 'declaration_id'], ['declarations.tenant_id', 'declarations.id'], name=op.f('fk_declaration_items_tenant_id_declaration_id_declarations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'task_id'], ['tasks.tenant_id', 'tasks.id'], name=op.f('fk_declaration_items_tenant_id_task_id_tasks')),
    sa.ForeignKeyConstraint(['tenant_id', 'version_id', 'node_id'], ['scheme_nodes.tenant_id', 'scheme_nodes.version_id', 'scheme_nodes.id'], name=op.f('fk_declaration_items_tenant_id_version_id_node_id_scheme_nodes')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_declaration_items_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_declaration_items')),
    sa.UniqueConstraint('tenant_id', 'declaration_id', 'position', name=op.f('uq_declaration_items_tenant_id_declaration_id_position'))
    )
    op.create_index('ix_declaration_items_declaration', 'declaration_items', ['tenant_id', 'declaration_id'], unique=False)
    op.create_table('rectifications',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('task_id', sa.UUID(), nullable=False),
    sa.Column('milestone_id', sa.UUID(), nullable=True),
    sa.Column('rectified_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=2000), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'milestone_id'], ['task_milestones.tenant_id', 'task_milestones.id'], name=op.f('fk_rectifications_tenant_id_milestone_id_task_milestones')),
    sa.ForeignKeyConstraint(['tenant_id', 'task_id'], ['tasks.tenant_id', 'tasks.id'], name=op.f('fk_rectifications_tenant_id_task_id_tasks')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_rectifications_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_rectifications'))
    )
    op.create_index('ix_rectifications_task', 'rectifications', ['tenant_id', 'task_id'], unique=False)
    op.create_table('task_progress',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('task_id', sa.UUID(), nullable=False),
    sa.Column('milestone_id', sa.UUID(), nullable=True),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=2000), server_default='', nullable=False),
    sa.Column('problems', sa.String(length=2000), server_default='', nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'milestone_id'], ['task_milestones.tenant_id', 'task_milestones.id'], name=op.f('fk_task_progress_tenant_id_milestone_id_task_milestones')),
    sa.ForeignKeyConstraint(['tenant_id', 'task_id'], ['tasks.tenant_id', 'tasks.id'], name=op.f('fk_task_progress_tenant_id_task_id_tasks')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_task_progress_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_task_progress'))
    )
    op.create_index('ix_task_progress_task', 'task_progress', ['tenant_id', 'task_id'], unique=False)
    for table in TABLES:
        tenant_table(table)
    # Leaders and the organization department search declarations in Chinese: trigram indexes
    # make substring (ILIKE) search fast without a word segmenter.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE INDEX ix_declaration_items_text_trgm ON declaration_items USING gin "
               "((title || ' ' || content) gin_trgm_ops)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_declaration_items_text_trgm")
    op.drop_index('ix_task_progress_task', table_name='task_progress')
    op.drop_table('task_progress')
    op.drop_index('ix_rectifications_task', table_name='rectifications')
    op.drop_table('rectifications')
    op.drop_index('ix_declaration_items_declaration', table_name='declaration_items')
    op.drop_table('declaration_items')
    op.drop_table('declarations')
    op.drop_table('external_pushes')
