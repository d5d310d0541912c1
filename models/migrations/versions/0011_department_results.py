"""department results: computed and adjusted score and level, explanation, who adjusted

Revision ID: 0011
Revises: 0010

``unit_results`` existed (issue 6) without a way to enter or compute them; the existing columns
``level`` and ``score`` keep the result in force, the new ones keep what was computed, its
explanation, and an adjustment with its reason and author.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add = op.add_column
    add("unit_results", sa.Column("computed_score", sa.Numeric(10, 4), nullable=True))
    add("unit_results", sa.Column("computed_level", sa.String(30), nullable=True))
    add("unit_results", sa.Column("components", postgresql.JSONB(astext_type=sa.Text()),
                                  server_default="[]", nullable=False))
    add("unit_results", sa.Column("computed_at", sa.DateTime(timezone=True), nullable=True))
    add("unit_results", sa.Column("adjusted_score", sa.Numeric(10, 4), nullable=True))
    add("unit_results", sa.Column("adjusted_level", sa.String(30), nullable=True))
    add("unit_results", sa.Column("adjust_reason", sa.String(1000), server_default="",
                                  nullable=False))
    add("unit_results", sa.Column("adjusted_by", sa.String(200), nullable=True))
    add("unit_results", sa.Column("adjusted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for column in ("adjusted_at", "adjusted_by", "adjust_reason", "adjusted_level",
                   "adjusted_score", "computed_at", "components", "computed_level",
                   "computed_score"):
        op.drop_column("unit_results", column)
