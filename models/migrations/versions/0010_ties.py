"""ties: person_results.tie_review (并列跨线，须研判)

Revision ID: 0010
Revises: 0009

A tie of equal scores cut by the 好 quota or the top-50% line is flagged on each person's result;
the review decides it with a reason before grades can be confirmed. Existing rows: not flagged.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("person_results", sa.Column("tie_review", sa.Boolean(),
                                              server_default=sa.text("false"), nullable=False))


def downgrade() -> None:
    op.drop_column("person_results", "tie_review")
