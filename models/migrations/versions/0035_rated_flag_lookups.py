"""rated_flag_lookups: the ``rated`` flag set by primary-key lookups

Revision ID: 0035
Revises: 0034

Migration 0028's statement trigger set ``rater_assignments.rated`` with one UPDATE joining the
statement's new ratings. With no statistics for the transition table, PostgreSQL may join by
reading all of ``rater_assignments`` (every tenant's rows, filtered by row-level security): one
big transaction (a unit's whole year, a large grid) then paid a scan per saved grid. The flag is
now set assignment by assignment through the primary key: the work follows the rows saved.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0035"
down_revision: str | tuple[str, ...] | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOOKUPS = """
CREATE OR REPLACE FUNCTION ratings_mark_rated() RETURNS trigger
LANGUAGE plpgsql SET search_path = public AS $fn$
DECLARE
    n record;
BEGIN
    FOR n IN SELECT DISTINCT tenant_id, assignment_id FROM new_ratings LOOP
        UPDATE rater_assignments SET rated = true
         WHERE tenant_id = n.tenant_id AND id = n.assignment_id AND NOT rated;
    END LOOP;
    RETURN NULL;
END $fn$;
"""

JOIN = """
CREATE OR REPLACE FUNCTION ratings_mark_rated() RETURNS trigger
LANGUAGE plpgsql SET search_path = public AS $fn$
BEGIN
    UPDATE rater_assignments a SET rated = true
      FROM (SELECT DISTINCT n.tenant_id, n.assignment_id FROM new_ratings n) n
     WHERE a.tenant_id = n.tenant_id AND a.id = n.assignment_id AND NOT a.rated;
    RETURN NULL;
END $fn$;
"""


def upgrade() -> None:
    op.execute(LOOKUPS)


def downgrade() -> None:
    op.execute(JOIN)
