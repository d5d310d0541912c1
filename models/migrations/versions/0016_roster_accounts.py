"""accounts from the roster: forced change of an initial password, files handed out once

Revision ID: 0016
Revises: 0013

``accounts.must_change_password`` (also added by the forced-password-change work, hence
IF NOT EXISTS) marks an initial password. ``one_time_files`` holds a file that is downloaded
once, sealed with a key only its link carries (the initial passwords of a roster import).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.migrations.rls import tenant_table

revision: str = "0016"
down_revision: str | tuple[str, ...] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("ALTER TABLE accounts ADD COLUMN IF NOT EXISTS must_change_password boolean "
               "NOT NULL DEFAULT false")
    op.create_table('one_time_files',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('filename', sa.String(length=300), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('owner', sa.String(length=100), nullable=False),
    sa.Column('key_digest', sa.String(length=128), nullable=False),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_one_time_files_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_one_time_files'))
    )
    tenant_table('one_time_files')


def downgrade() -> None:
    op.drop_table('one_time_files')
    op.execute("ALTER TABLE accounts DROP COLUMN IF EXISTS must_change_password")
