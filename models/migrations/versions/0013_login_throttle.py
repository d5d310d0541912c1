"""login throttle per client address: (account, address) and (address) counters

Revision ID: 0013
Revises: 0012

``login_throttle`` was keyed by (tenant, username) only, so anyone could keep a known user
locked out. It is now keyed by (tenant, username, client address) and remembers the last
failure (a quiet window forgets old failures); ``login_address_throttle`` counts failures per
(tenant, client address) over all usernames, to slow password spraying. Both are under
row-level security. The old rows hold no address and only short-lived waits: they are dropped.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.migrations.rls import tenant_table

revision: str = "0013"
down_revision: str | tuple[str, ...] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # TRUNCATE, not DELETE: row-level security (forced on the owner too) would hide every row.
    op.execute("TRUNCATE login_throttle")
    op.drop_constraint('pk_login_throttle', 'login_throttle', type_='primary')
    op.add_column('login_throttle', sa.Column('client_address', sa.String(length=64), nullable=False))
    op.add_column('login_throttle', sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=True))
    op.create_primary_key('pk_login_throttle', 'login_throttle',
                          ['tenant_id', 'username', 'client_address'])
    op.create_table('login_address_throttle',
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('client_address', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_login_address_throttle_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'client_address', name=op.f('pk_login_address_throttle'))
    )
    tenant_table('login_address_throttle')


def downgrade() -> None:
    op.drop_table('login_address_throttle')
    op.execute("TRUNCATE login_throttle")
    op.drop_constraint('pk_login_throttle', 'login_throttle', type_='primary')
    op.drop_column('login_throttle', 'last_failure_at')
    op.drop_column('login_throttle', 'client_address')
    op.create_primary_key('pk_login_throttle', 'login_throttle', ['tenant_id', 'username'])
