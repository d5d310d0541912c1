"""bonus_lines_lean: line ids from the database, explanations rendered when read

Revision ID: 0026
Revises: 0025

A 100,000-person run wrote 100,000 ids made in Python and 100,000 explanation texts. Now:
- ``bonus_lines.id`` defaults to ``gen_random_uuid()``, so lines are copied in without ids;
- a person line's explanation is rendered when read from its numbers and its department's
  (``rules.bonus.explain.person_explanation``): the department line keeps what that needs,
  ``bound_cents`` (money of its people held at their floor or cap) and ``free_coefficient`` (the
  sum of the coefficients of those paid in proportion), backfilled here from the stored lines
  (tenant by tenant: row-level security is forced on the owner too), and
  ``bonus_lines.explanation`` is dropped.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | tuple[str, ...] | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BACKFILL = """
DO $$
DECLARE
    previous_tenant text := coalesce(current_setting('app.tenant_id', true), '');
    previous_scope text := coalesce(current_setting('app.scope', true), '');
    t uuid;
BEGIN
    PERFORM set_config('app.scope', 'platform', true);
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        UPDATE bonus_departments d
           SET bound_cents = s.bound_cents, free_coefficient = s.free_coefficient
          FROM (SELECT run_id, unit_id,
                       coalesce(sum(cents) FILTER (WHERE floor_applied OR cap_applied), 0)
                           AS bound_cents,
                       coalesce(sum(coefficient) FILTER (
                           WHERE included AND NOT floor_applied AND NOT cap_applied), 0)
                           AS free_coefficient
                  FROM bonus_lines WHERE unit_id IS NOT NULL
                 GROUP BY run_id, unit_id) s
         WHERE d.run_id = s.run_id AND d.unit_id = s.unit_id;
    END LOOP;
    PERFORM set_config('app.tenant_id', previous_tenant, true);
    PERFORM set_config('app.scope', previous_scope, true);
END $$
"""


def upgrade() -> None:
    op.alter_column("bonus_lines", "id", server_default=sa.text("gen_random_uuid()"))
    op.add_column("bonus_departments", sa.Column("bound_cents", sa.BigInteger(),
                                                 server_default="0", nullable=False))
    op.add_column("bonus_departments", sa.Column("free_coefficient", sa.Numeric(),
                                                 server_default="0", nullable=False))
    op.execute(BACKFILL)
    op.drop_column("bonus_lines", "explanation")


def downgrade() -> None:
    op.add_column("bonus_lines", sa.Column("explanation", sa.Text(), server_default="",
                                           nullable=False))
    op.drop_column("bonus_departments", "free_coefficient")
    op.drop_column("bonus_departments", "bound_cents")
    op.alter_column("bonus_lines", "id", server_default=None)
