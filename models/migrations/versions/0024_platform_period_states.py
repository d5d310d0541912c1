"""platform_period_states: the stage of each unit's period, for the city's comparison

Revision ID: 0024
Revises: 0017

The comparison marks the units whose period is still open (figures may still change). Like the
functions of 0008, this SECURITY DEFINER function refuses outside the platform scope, reads each
tenant under that tenant's own row-level security (``app.tenant_id`` set per tenant, restored at
the end) and returns no person's data: one row per tenant and period key ("2025Q1", "2025").
"""

from collections.abc import Sequence

from alembic import op

from models.migrations.rls import app_role

revision: str = "0024"
down_revision: str | tuple[str, ...] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIGNATURE = "platform_period_states(uuid[], text[])"

FUNCTION = """
CREATE FUNCTION platform_period_states(p_tenants uuid[], p_periods text[])
RETURNS TABLE (tenant uuid, period_key text, state text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $fn$
#variable_conflict use_column
DECLARE
    previous text := coalesce(current_setting('app.tenant_id', true), '');
    t uuid;
BEGIN
    IF coalesce(current_setting('app.scope', true), '') <> 'platform' THEN
        RAISE EXCEPTION '仅市委组织部可以调用 %', 'platform_period_states' USING ERRCODE = '42501';
    END IF;
    FOR t IN SELECT DISTINCT x FROM unnest(p_tenants) AS x WHERE x IS NOT NULL LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        RETURN QUERY
            SELECT t, k.key, p.state::text
              FROM periods p
             CROSS JOIN LATERAL (SELECT CASE WHEN p.kind = 'quarter'
                                             THEN p.year::text || 'Q' || p.quarter::text
                                             ELSE p.year::text END AS key) k
             WHERE k.key = ANY (p_periods);
    END LOOP;
    PERFORM set_config('app.tenant_id', previous, true);
    RETURN;
END $fn$
"""


def upgrade() -> None:
    op.execute(FUNCTION)
    op.execute(f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO {app_role()}")


def downgrade() -> None:
    op.execute(f"DROP FUNCTION IF EXISTS {SIGNATURE}")
