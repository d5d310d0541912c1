"""feedback interviews, care actions and the results use ledger

Revision ID: 0005
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from models.migrations.rls import tenant_table

revision: str = "0005"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('care_actions', 'feedback_interviews')
# The results use ledger is append-only: a correction is a new entry.
LEDGER = ('results_use_basis', 'results_use_entries')


def upgrade() -> None:
    op.create_table('care_actions',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('person_id', sa.UUID(), nullable=False),
    sa.Column('mentor_id', sa.UUID(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=10000), server_default='', nullable=False),
    sa.Column('flags', postgresql.JSONB(astext_type=sa.Text()), server_default='[]', nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("(kind = 'mentoring') = (mentor_id IS NOT NULL)", name=op.f('ck_care_actions_mentor_iff_mentoring')),
    sa.CheckConstraint("kind IN ('mentoring', 'post_adjustment', 'follow_up_interview')", name=op.f('ck_care_actions_kind')),
    sa.CheckConstraint('ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_care_actions_ends_after_start')),
    sa.CheckConstraint('mentor_id IS NULL OR mentor_id <> person_id', name=op.f('ck_care_actions_not_own_mentor')),
    sa.ForeignKeyConstraint(['tenant_id', 'mentor_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_care_actions_tenant_id_mentor_id_people')),
    sa.ForeignKeyConstraint(['tenant_id', 'person_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_care_actions_tenant_id_person_id_people')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_care_actions_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_care_actions'))
    )
    op.create_index('ix_care_actions_person', 'care_actions', ['tenant_id', 'person_id'], unique=False)
    op.create_table('results_use_entries',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('person_id', sa.UUID(), nullable=True),
    sa.Column('unit_id', sa.UUID(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('note', sa.String(length=10000), server_default='', nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('promotion', 'rank_advancement', 'promotion_deferral', 'post_adjustment', 'award', 'training')", name=op.f('ck_results_use_entries_kind')),
    sa.CheckConstraint("person_id IS NOT NULL OR (kind = 'training' AND unit_id IS NOT NULL)", name=op.f('ck_results_use_entries_has_subject')),
    sa.ForeignKeyConstraint(['tenant_id', 'person_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_results_use_entries_tenant_id_person_id_people')),
    sa.ForeignKeyConstraint(['tenant_id', 'unit_id'], ['org_units.tenant_id', 'org_units.id'], name=op.f('fk_results_use_entries_tenant_id_unit_id_org_units')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_results_use_entries_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_results_use_entries'))
    )
    op.create_index('ix_results_use_entries_person', 'results_use_entries', ['tenant_id', 'person_id'], unique=False)
    op.create_table('feedback_interviews',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('period_id', sa.UUID(), nullable=False),
    sa.Column('person_id', sa.UUID(), nullable=False),
    sa.Column('unit_id', sa.UUID(), nullable=False),
    sa.Column('person_result_id', sa.UUID(), nullable=True),
    sa.Column('interviewer_id', sa.UUID(), nullable=True),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('result_told', sa.String(length=10000), nullable=False),
    sa.Column('strengths', sa.String(length=10000), nullable=False),
    sa.Column('weaknesses', sa.String(length=10000), nullable=False),
    sa.Column('root_causes', sa.String(length=10000), nullable=False),
    sa.Column('improvement_plan', postgresql.JSONB(astext_type=sa.Text()), server_default='[]', nullable=False),
    sa.Column('topics', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.Column('praise', sa.String(length=10000), nullable=False),
    sa.Column('critique', sa.String(length=10000), nullable=False),
    sa.Column('encouragement', sa.String(length=10000), nullable=False),
    sa.Column('fit_rating', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('person_comment', sa.String(length=10000), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('fit_rating BETWEEN 1 AND 5', name=op.f('ck_feedback_interviews_fit_rating_range')),
    sa.CheckConstraint('interviewer_id IS NULL OR interviewer_id <> person_id', name=op.f('ck_feedback_interviews_not_own_interviewer')),
    sa.ForeignKeyConstraint(['tenant_id', 'interviewer_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_feedback_interviews_tenant_id_interviewer_id_people')),
    sa.ForeignKeyConstraint(['tenant_id', 'period_id'], ['periods.tenant_id', 'periods.id'], name=op.f('fk_feedback_interviews_tenant_id_period_id_periods')),
    sa.ForeignKeyConstraint(['tenant_id', 'person_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_feedback_interviews_tenant_id_person_id_people')),
    sa.ForeignKeyConstraint(['tenant_id', 'person_result_id'], ['person_results.tenant_id', 'person_results.id'], name=op.f('fk_feedback_interviews_tenant_id_person_result_id_person_results')),
    sa.ForeignKeyConstraint(['tenant_id', 'unit_id'], ['org_units.tenant_id', 'org_units.id'], name=op.f('fk_feedback_interviews_tenant_id_unit_id_org_units')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_feedback_interviews_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_feedback_interviews')),
    sa.UniqueConstraint('tenant_id', 'period_id', 'person_id', name=op.f('uq_feedback_interviews_tenant_id_period_id_person_id'))
    )
    op.create_index('ix_feedback_interviews_person', 'feedback_interviews', ['tenant_id', 'person_id'], unique=False)
    op.create_table('results_use_basis',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('entry_id', sa.UUID(), nullable=False),
    sa.Column('person_result_id', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'entry_id'], ['results_use_entries.tenant_id', 'results_use_entries.id'], name=op.f('fk_results_use_basis_tenant_id_entry_id_results_use_entries')),
    sa.ForeignKeyConstraint(['tenant_id', 'person_result_id'], ['person_results.tenant_id', 'person_results.id'], name=op.f('fk_results_use_basis_tenant_id_person_result_id_person_results')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_results_use_basis_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_results_use_basis')),
    sa.UniqueConstraint('tenant_id', 'entry_id', 'person_result_id', name=op.f('uq_results_use_basis_tenant_id_entry_id_person_result_id'))
    )
    for table in TABLES:
        tenant_table(table)
    for table in LEDGER:
        tenant_table(table, writable=False)


def downgrade() -> None:
    op.drop_table('results_use_basis')
    op.drop_index('ix_feedback_interviews_person', table_name='feedback_interviews')
    op.drop_table('feedback_interviews')
    op.drop_index('ix_results_use_entries_person', table_name='results_use_entries')
    op.drop_table('results_use_entries')
    op.drop_index('ix_care_actions_person', table_name='care_actions')
    op.drop_table('care_actions')
