"""TOTP secrets stored sealed (AES-256-GCM under a key derived from the server's secret)

Revision ID: 0017
Revises: 0015

The sealed text is longer than the base32 seed; a seed stored in clear before this revision
no longer verifies, so any enrollment is cleared and the administrator enrolls again.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | tuple[str, ...] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# ALTER ... USING rewrites every row, whatever the row-level security of the migrating role.
def upgrade() -> None:
    op.execute("ALTER TABLE accounts "
               "ALTER COLUMN totp_secret TYPE varchar(200) USING "
               "(CASE WHEN totp_secret LIKE 'v1:%' THEN totp_secret END), "
               "ALTER COLUMN totp_enabled_at TYPE timestamptz USING "
               "(CASE WHEN totp_secret LIKE 'v1:%' THEN totp_enabled_at END)")


def downgrade() -> None:
    op.execute("ALTER TABLE accounts "
               "ALTER COLUMN totp_secret TYPE varchar(64) USING NULL, "
               "ALTER COLUMN totp_enabled_at TYPE timestamptz USING NULL")
