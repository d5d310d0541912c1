"""jobs, bonus runs and report files

Revision ID: 0004
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from models.migrations.rls import tenant_table

revision: str = '0004'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("jobs", "report_files", "bonus_runs", "bonus_departments", "bonus_lines")


def upgrade() -> None:
    op.create_table('jobs',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('progress', sa.Integer(), server_default='0', nullable=False),
    sa.Column('params', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('result_id', sa.UUID(), nullable=True),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('bonus_run', 'export')", name=op.f('ck_jobs_kind')),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_jobs_status')),
    sa.CheckConstraint('progress BETWEEN 0 AND 100', name=op.f('ck_jobs_progress_range')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_jobs_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_jobs'))
    )
    op.create_index('ix_jobs_tenant_created_by', 'jobs', ['tenant_id', 'created_by', 'created_at'], unique=False)
    op.create_table('bonus_runs',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('period_id', sa.UUID(), nullable=False),
    sa.Column('job_id', sa.UUID(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('pool_cents', sa.BigInteger(), nullable=False),
    sa.Column('inputs', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('people_count', sa.Integer(), nullable=False),
    sa.Column('paid_count', sa.Integer(), nullable=False),
    sa.Column('excluded_count', sa.Integer(), nullable=False),
    sa.Column('department_count', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'confirmed')", name=op.f('ck_bonus_runs_status')),
    sa.CheckConstraint('pool_cents >= 0', name=op.f('ck_bonus_runs_pool_non_negative')),
    sa.ForeignKeyConstraint(['tenant_id', 'job_id'], ['jobs.tenant_id', 'jobs.id'], name=op.f('fk_bonus_runs_tenant_id_job_id_jobs')),
    sa.ForeignKeyConstraint(['tenant_id', 'period_id'], ['periods.tenant_id', 'periods.id'], name=op.f('fk_bonus_runs_tenant_id_period_id_periods')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_bonus_runs_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_bonus_runs')),
    sa.UniqueConstraint('tenant_id', 'job_id', name=op.f('uq_bonus_runs_tenant_id_job_id'))
    )
    op.create_index('uq_bonus_runs_one_confirmed', 'bonus_runs', ['tenant_id', 'period_id'], unique=True, postgresql_where=sa.text("status = 'confirmed'"))
    op.create_index('uq_bonus_runs_one_draft', 'bonus_runs', ['tenant_id', 'period_id'], unique=True, postgresql_where=sa.text("status = 'draft'"))
    op.create_table('report_files',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('job_id', sa.UUID(), nullable=False),
    sa.Column('format', sa.String(length=10), nullable=False),
    sa.Column('filename', sa.String(length=300), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("format IN ('pdf', 'xlsx')", name=op.f('ck_report_files_format')),
    sa.ForeignKeyConstraint(['tenant_id', 'job_id'], ['jobs.tenant_id', 'jobs.id'], name=op.f('fk_report_files_tenant_id_job_id_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_report_files_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_report_files')),
    sa.UniqueConstraint('tenant_id', 'job_id', 'format', name=op.f('uq_report_files_tenant_id_job_id_format'))
    )
    op.create_table('bonus_departments',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('run_id', sa.UUID(), nullable=False),
    sa.Column('unit_id', sa.UUID(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('result', sa.String(length=30), nullable=False),
    sa.Column('coefficient', sa.Numeric(precision=20, scale=10), nullable=False),
    sa.Column('configured_base', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('base', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.Column('weight', sa.String(length=100), nullable=False),
    sa.Column('exact_cents', sa.String(length=100), nullable=False),
    sa.Column('cents', sa.BigInteger(), nullable=False),
    sa.Column('rounding_cents', sa.Integer(), nullable=False),
    sa.Column('people_count', sa.Integer(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'run_id'], ['bonus_runs.tenant_id', 'bonus_runs.id'], name=op.f('fk_bonus_departments_tenant_id_run_id_bonus_runs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'unit_id'], ['org_units.tenant_id', 'org_units.id'], name=op.f('fk_bonus_departments_tenant_id_unit_id_org_units')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_bonus_departments_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_bonus_departments')),
    sa.UniqueConstraint('tenant_id', 'run_id', 'unit_id', name=op.f('uq_bonus_departments_tenant_id_run_id_unit_id'))
    )
    op.create_table('bonus_lines',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('run_id', sa.UUID(), nullable=False),
    sa.Column('person_id', sa.UUID(), nullable=False),
    sa.Column('employee_no', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('person_unit_id', sa.UUID(), nullable=False),
    sa.Column('unit_id', sa.UUID(), nullable=True),
    sa.Column('result_grade', sa.String(length=30), nullable=True),
    sa.Column('grade', sa.String(length=30), nullable=True),
    sa.Column('included', sa.Boolean(), nullable=False),
    sa.Column('coefficient', sa.Numeric(precision=20, scale=10), nullable=True),
    sa.Column('exact_cents', sa.String(length=100), nullable=False),
    sa.Column('cents', sa.BigInteger(), nullable=False),
    sa.Column('floor_applied', sa.Boolean(), nullable=False),
    sa.Column('cap_applied', sa.Boolean(), nullable=False),
    sa.Column('rounding_cents', sa.Integer(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('note', sa.String(length=500), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'person_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_bonus_lines_tenant_id_person_id_people')),
    sa.ForeignKeyConstraint(['tenant_id', 'run_id'], ['bonus_runs.tenant_id', 'bonus_runs.id'], name=op.f('fk_bonus_lines_tenant_id_run_id_bonus_runs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_bonus_lines_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_bonus_lines')),
    sa.UniqueConstraint('tenant_id', 'run_id', 'person_id', name=op.f('uq_bonus_lines_tenant_id_run_id_person_id'))
    )
    op.create_index('ix_bonus_lines_run_unit', 'bonus_lines', ['tenant_id', 'run_id', 'unit_id'], unique=False)

    for table in TABLES:
        tenant_table(table)


def downgrade() -> None:
    op.drop_index('ix_bonus_lines_run_unit', table_name='bonus_lines')
    op.drop_table('bonus_lines')
    op.drop_table('bonus_departments')
    op.drop_table('report_files')
    op.drop_index('uq_bonus_runs_one_draft', table_name='bonus_runs')
    op.drop_index('uq_bonus_runs_one_confirmed', table_name='bonus_runs')
    op.drop_table('bonus_runs')
    op.drop_index('ix_jobs_tenant_created_by', table_name='jobs')
    op.drop_table('jobs')
