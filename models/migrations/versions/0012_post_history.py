"""post history: post assignments (岗位调整 from an effective date), the outcome of a care action

Revision ID: 0012
Revises: 0011

``post_assignments`` keeps every post change of a person (before, after, effective date,
applied or pending) under row-level security; ``care_actions.outcome`` records how a
mentoring pair (结对帮带) ended. The results-use ledger's kind already admits
``post_adjustment`` (0005), so its CHECK is unchanged.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.migrations.rls import tenant_table

revision: str = "0012"
down_revision: str | tuple[str, ...] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('care_actions', sa.Column('outcome', sa.String(length=10000), server_default='', nullable=False))
    op.create_table('post_assignments',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('person_id', sa.UUID(), nullable=False),
    sa.Column('post_id', sa.UUID(), nullable=False),
    sa.Column('previous_post_id', sa.UUID(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('care_action_id', sa.UUID(), nullable=True),
    sa.Column('results_use_entry_id', sa.UUID(), nullable=True),
    sa.Column('reason', sa.String(length=10000), server_default='', nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('previous_post_id IS DISTINCT FROM post_id', name=op.f('ck_post_assignments_changes_post')),
    sa.ForeignKeyConstraint(['tenant_id', 'care_action_id'], ['care_actions.tenant_id', 'care_actions.id'], name=op.f('fk_post_assignments_care_action')),
    sa.ForeignKeyConstraint(['tenant_id', 'person_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_post_assignments_tenant_id_person_id_people')),
    sa.ForeignKeyConstraint(['tenant_id', 'post_id'], ['posts.tenant_id', 'posts.id'], name=op.f('fk_post_assignments_tenant_id_post_id_posts')),
    sa.ForeignKeyConstraint(['tenant_id', 'previous_post_id'], ['posts.tenant_id', 'posts.id'], name=op.f('fk_post_assignments_previous_post')),
    sa.ForeignKeyConstraint(['tenant_id', 'results_use_entry_id'], ['results_use_entries.tenant_id', 'results_use_entries.id'], name=op.f('fk_post_assignments_results_use_entry')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_post_assignments_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_post_assignments'))
    )
    op.create_index('ix_post_assignments_person', 'post_assignments', ['tenant_id', 'person_id', 'effective_on'], unique=False)
    tenant_table('post_assignments')


def downgrade() -> None:
    op.drop_index('ix_post_assignments_person', table_name='post_assignments')
    op.drop_table('post_assignments')
    op.drop_column('care_actions', 'outcome')
