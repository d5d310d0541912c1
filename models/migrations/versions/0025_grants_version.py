"""grants_version: a counter per tenant, bumped by any change of roles, relations or org units

Revision ID: 0025
Revises: 0024

An authenticated request reads the counter with its login session (one statement) and reuses
the actor it built before (roles, managed units, org tree) while the counter is unchanged. The
triggers bump it in the transaction of the change, whoever writes (use cases, roster import,
provisioning, the demo, a person deleted with their relations by cascade, a manual fix), so no
writer can forget. They fire once per statement: under row-level security every row a statement
changes belongs to the transaction's tenant (``app.tenant_id``); a statement run without a
tenant set (the owner, maintenance) bumps every tenant it can see.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | tuple[str, ...] | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("role_grants", "management_relations", "org_units")

FUNCTION = """
CREATE FUNCTION bump_grants_version() RETURNS trigger
LANGUAGE plpgsql SET search_path = public AS $fn$
DECLARE
    current_tenant uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
BEGIN
    UPDATE tenants SET grants_version = grants_version + 1
     WHERE current_tenant IS NULL OR id = current_tenant;
    RETURN NULL;
END $fn$;
"""


def upgrade() -> None:
    op.add_column("tenants", sa.Column("grants_version", sa.BigInteger(), nullable=False,
                                       server_default="0"))
    op.execute(FUNCTION)
    for table in TABLES:
        op.execute(f"CREATE TRIGGER {table}_grants_version "
                   f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION bump_grants_version()")


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_grants_version ON {table}")
    op.execute("DROP FUNCTION IF EXISTS bump_grants_version()")
    op.drop_column("tenants", "grants_version")
