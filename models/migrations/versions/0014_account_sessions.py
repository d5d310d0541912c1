"""revocable login sessions; forced change and age of passwords

Revision ID: 0014
Revises: 0016

A session token now carries the id of an ``account_sessions`` row, so logout, a password
change or reset and disabling the account end it, and an idle session times out. Accounts
gain ``must_change_password`` (an initial or reset password) and ``password_changed_at`` (for
the tenant's optional expiry; existing passwords count from now).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.migrations.rls import tenant_table

revision: str = "0014"
down_revision: str | tuple[str, ...] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('accounts', sa.Column('password_changed_at', sa.DateTime(timezone=True),
                                        server_default=sa.text('now()'), nullable=False))
    op.create_table('account_sessions',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('account_id', sa.UUID(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_reason', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("revoked_reason IN ('logout', 'password_changed', 'password_reset', 'disabled')", name=op.f('ck_account_sessions_revoked_reason')),
    sa.ForeignKeyConstraint(['tenant_id', 'account_id'], ['accounts.tenant_id', 'accounts.id'], name=op.f('fk_account_sessions_tenant_id_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_account_sessions_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_account_sessions'))
    )
    op.create_index(op.f('ix_account_sessions_account_id'), 'account_sessions', ['account_id'], unique=False)
    tenant_table('account_sessions')


def downgrade() -> None:
    op.drop_index(op.f('ix_account_sessions_account_id'), table_name='account_sessions')
    op.drop_table('account_sessions')
    op.drop_column('accounts', 'password_changed_at')
