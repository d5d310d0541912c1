"""Helpers the migrations use to put a table under row-level security and grant the app role.

The policy compares ``tenant_id`` to the transaction's ``app.tenant_id`` setting; FORCE makes
it apply to the owner too, and the application role owns nothing, so nobody reads across tenants
by accident. An unset setting reads as NULL and matches no row.
"""

from __future__ import annotations

from alembic import op

TENANT_PREDICATE = "tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid"


def app_role() -> str:
    from alembic import context

    return context.get_x_argument(as_dictionary=True).get("app_role", "jixiao_app")


def tenant_table(table: str, *, writable: bool = True) -> None:
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {table} "
        f"USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE})"
    )
    privileges = "SELECT, INSERT, UPDATE, DELETE" if writable else "SELECT, INSERT"
    op.execute(f"GRANT {privileges} ON {table} TO {app_role()}")
