"""bonus_lines_tenant_key: a bonus line's tenant is checked through its run

Revision ID: 0037
Revises: 0036

Issue 16: a bonus run writes one line per person (100,000 in the benchmark), and PostgreSQL
checks each line's foreign keys as it inserts it. The line's key to ``tenants`` adds nothing to
its key to its run, ``(tenant_id, run_id)``, whose run has its own key to ``tenants``: the
tenant of every line still exists. That key is dropped.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0037"
down_revision: str | tuple[str, ...] | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = "fk_bonus_lines_tenant_id_tenants"


def upgrade() -> None:
    op.drop_constraint(KEY, "bonus_lines", type_="foreignkey")


def downgrade() -> None:
    op.create_foreign_key(KEY, "bonus_lines", "tenants", ["tenant_id"], ["id"])
