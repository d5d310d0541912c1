"""result status: appraised, unrated (未评价) or appraised by the level above (由上级考核)

Revision ID: 0009
Revises: 0008

Existing results were all scored, hence the default ``appraised``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("person_results", sa.Column(
        "status", sa.String(length=20), server_default="appraised", nullable=False))
    op.create_check_constraint(
        op.f("ck_person_results_status"), "person_results",
        "status IN ('appraised', 'unrated', 'by_higher_level')")


def downgrade() -> None:
    op.drop_constraint(op.f("ck_person_results_status"), "person_results", type_="check")
    op.drop_column("person_results", "status")
