"""city figures: closed periods' figures stored once, rater coverage flagged per assignment

Revision ID: 0028
Revises: 0027

The city's comparison (``platform_figures``, 0008) read every tenant's data for every period it
was asked about, each time: over 50 units x 8 closed quarters 11-17 s, 40% of it probing every
rating for rater coverage. Now:

* ``rater_assignments.rated``: the assignment has at least one rating value. Set by a statement
  trigger on ``ratings`` when values are saved (ratings are only ever added; they go with their
  assignment), backfilled here. ``platform_figures`` counts coverage from the flag.
* ``city_figure_sets``: the measures ``platform_figures`` answers for one tenant and one closed
  period, stored when the period closes (``store_period_figures``, called by the close in the
  tenant's own transaction), with the minimum group size and the care rules they were computed
  with. Any change of the period's state (reopening) deletes them (trigger on ``periods``), so a
  stored set always belongs to a period that is closed; the city then computes the period live
  until it closes again. A confirmed bonus run of the period coming or going deletes them too
  (trigger on ``bonus_runs``; runs may be confirmed after the annual closes, and the confirmation
  stores them anew). Other records dated within a closed period (commendations, tasks,
  rectifications, results-use entries, mentoring) count as they were at the close. The table is
  under the tenant's row-level security like every tenant table; the application role has no privilege on it: tenants write through
  ``store_period_figures`` and the city reads through ``platform_stored_figures``, which, like
  the functions of 0008, refuses outside the platform scope. Its rows are aggregates only (no
  person's id), so the platform scope may read them across tenants in one set-based statement
  (policy ``platform_read``, reads only) instead of a loop per tenant.
"""

import importlib
from collections.abc import Sequence

from alembic import op

from models.migrations.rls import TENANT_PREDICATE, app_role

revision: str = "0028"
down_revision: str | tuple[str, ...] | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_GUARD = """
    IF coalesce(current_setting('app.scope', true), '') <> 'platform' THEN
        RAISE EXCEPTION '仅市委组织部可以调用 %', '{name}' USING ERRCODE = '42501';
    END IF;
"""

# 0008's rater coverage, and what replaces it.
PROBE = """count(*) FILTER (WHERE a.id IN (
                               SELECT v.assignment_id FROM ratings v))::numeric AS done"""
FLAG = "count(*) FILTER (WHERE a.rated)::numeric AS done"
PROBE_COMMENT = """-- 4. Rater coverage: assignments with at least one rating value (a hashed lookup
        --    while the tenant's rating rows fit in work_mem, else one probe per assignment)."""
FLAG_COMMENT = """-- 4. Rater coverage: assignments with at least one rating value (the flag the
        --    ratings trigger keeps, migration 0028)."""


def _platform_figures(*, flagged: bool) -> str:
    """0008's ``platform_figures`` as ``CREATE OR REPLACE``, coverage from the flag or not."""
    source: str = importlib.import_module("models.migrations.versions.0008_oversight"
                                          ).PLATFORM_FIGURES
    assert source.count(PROBE) == 1
    assert source.count(PROBE_COMMENT) == 1
    if flagged:
        source = source.replace(PROBE, FLAG).replace(PROBE_COMMENT, FLAG_COMMENT)
    return source.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


RATED = """
CREATE FUNCTION ratings_mark_rated() RETURNS trigger
LANGUAGE plpgsql SET search_path = public AS $fn$
BEGIN
    UPDATE rater_assignments a SET rated = true
      FROM (SELECT DISTINCT n.tenant_id, n.assignment_id FROM new_ratings n) n
     WHERE a.tenant_id = n.tenant_id AND a.id = n.assignment_id AND NOT a.rated;
    RETURN NULL;
END $fn$;
CREATE TRIGGER ratings_mark_rated AFTER INSERT ON ratings
    REFERENCING NEW TABLE AS new_ratings FOR EACH STATEMENT
    EXECUTE FUNCTION ratings_mark_rated();
"""

TABLE = f"""
CREATE TABLE city_figure_sets (
    tenant_id uuid NOT NULL
        DEFAULT CAST(current_setting('app.tenant_id', true) AS uuid)
        REFERENCES tenants (id),
    period_id uuid NOT NULL,
    period_key text NOT NULL,
    min_group_size integer NOT NULL,
    care jsonb,
    figures jsonb NOT NULL,
    computed_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_city_figure_sets PRIMARY KEY (tenant_id, period_id),
    CONSTRAINT fk_city_figure_sets_period FOREIGN KEY (tenant_id, period_id)
        REFERENCES periods (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE city_figure_sets ENABLE ROW LEVEL SECURITY;
ALTER TABLE city_figure_sets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON city_figure_sets
    USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE});
CREATE POLICY platform_read ON city_figure_sets FOR SELECT
    USING (current_setting('app.scope', true) = 'platform');
"""

# A period's state changed (reopened, or closed again): its stored figures are no longer its
# figures. The close stores them anew after this has run.
FORGET = """
CREATE FUNCTION periods_forget_city_figures() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $fn$
BEGIN
    DELETE FROM city_figure_sets s WHERE s.tenant_id = NEW.tenant_id AND s.period_id = NEW.id;
    RETURN NULL;
END $fn$;
CREATE TRIGGER periods_forget_city_figures AFTER UPDATE OF state ON periods
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION periods_forget_city_figures();
"""

# A confirmed bonus run of a closed period (runs may be confirmed after the annual closes)
# changes the period's bonus figures: its stored set is forgotten; the confirmation stores it
# anew (resolvers.bonus.runs), a deletion leaves the city computing it live.
FORGET_ON_BONUS = """
CREATE FUNCTION bonus_runs_forget_city_figures() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $fn$
BEGIN
    -- Only a confirmed run counts in the figures: a draft coming or going changes nothing.
    IF TG_OP <> 'INSERT' AND OLD.status = 'confirmed' THEN
        DELETE FROM city_figure_sets s
         WHERE s.tenant_id = OLD.tenant_id AND s.period_id = OLD.period_id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.status = 'confirmed' THEN
        DELETE FROM city_figure_sets s
         WHERE s.tenant_id = NEW.tenant_id AND s.period_id = NEW.period_id;
    END IF;
    RETURN NULL;
END $fn$;
CREATE TRIGGER bonus_runs_forget_city_figures AFTER INSERT OR UPDATE OR DELETE ON bonus_runs
    FOR EACH ROW EXECUTE FUNCTION bonus_runs_forget_city_figures();
"""

STORE = """
CREATE FUNCTION store_period_figures(p_period uuid, p_care jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $fn$
DECLARE
    t uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
    previous_scope text := coalesce(current_setting('app.scope', true), '');
    k text;
    min_group integer;
    found jsonb;
BEGIN
    IF t IS NULL THEN
        RAISE EXCEPTION 'store_period_figures: no tenant set' USING ERRCODE = '42501';
    END IF;
    -- the caller's own period (row-level security), closed
    SELECT CASE WHEN p.kind = 'quarter' THEN p.year::text || 'Q' || p.quarter::text
                ELSE p.year::text END
      INTO k FROM periods p WHERE p.id = p_period AND p.state = 'closed';
    IF k IS NULL THEN
        RETURN;
    END IF;
    -- the city's own computation, of this tenant and period only
    PERFORM set_config('app.scope', 'platform', true);
    SELECT max(f.value) FILTER (WHERE f.tenant IS NULL AND f.measure = 'min_group_size'),
           coalesce(jsonb_object_agg(f.measure, f.value) FILTER (WHERE f.tenant = t), '{}')
      INTO min_group, found
      FROM platform_figures(ARRAY[t], ARRAY[k], jsonb_build_object(t::text, p_care)) f;
    PERFORM set_config('app.scope', previous_scope, true);
    INSERT INTO city_figure_sets AS s (tenant_id, period_id, period_key, min_group_size, care,
                                       figures)
    VALUES (t, p_period, k, min_group, p_care, found)
    ON CONFLICT (tenant_id, period_id) DO UPDATE
       SET period_key = EXCLUDED.period_key, min_group_size = EXCLUDED.min_group_size,
           care = EXCLUDED.care, figures = EXCLUDED.figures, computed_at = now();
END $fn$
"""

# The comparison's figures in one call: the stored figures of the requested tenants and periods
# that are still valid (computed with today's minimum group size and the care rules the caller
# passes; none when p_stored is false), in one set-based statement; then, only if some pair was
# not stored, platform_figures and platform_period_states for the tenants and periods of those
# pairs. Rows as platform_figures answers them (the minimum group size first, then tenant,
# period key, measure, value) and, measure 'state', the stage of each live pair's period
# (state; a stored pair's period is closed).
READ = """
CREATE FUNCTION platform_comparison(p_tenants uuid[], p_periods text[], p_care jsonb,
                                    p_stored boolean)
RETURNS TABLE (tenant uuid, period_key text, measure text, value numeric, state text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public SET jit = off AS $fn$
#variable_conflict use_column
DECLARE
    min_group integer;
    kept_tenants uuid[];
    kept_keys text[];
    kept_figures jsonb[];
    live_tenants uuid[];
    live_keys text[];
BEGIN
""" + _GUARD.format(name="platform_comparison") + """
    SELECT s.min_group_size INTO min_group FROM platform_settings s WHERE s.id;
    min_group := coalesce(min_group, 5);
    SELECT array_agg(s.tenant_id), array_agg(s.period_key), array_agg(s.figures)
      INTO kept_tenants, kept_keys, kept_figures
      FROM city_figure_sets s
     WHERE p_stored AND s.tenant_id = ANY (p_tenants) AND s.period_key = ANY (p_periods)
       AND s.min_group_size = min_group
       AND s.care IS NOT DISTINCT FROM p_care -> s.tenant_id::text;
    SELECT array_agg(DISTINCT u.t), array_agg(DISTINCT q.k) INTO live_tenants, live_keys
      FROM unnest(p_tenants) AS u(t) CROSS JOIN unnest(p_periods) AS q(k)
     WHERE u.t IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM unnest(kept_tenants, kept_keys) AS x(t, k)
            WHERE x.t = u.t AND x.k = q.k);
    tenant := NULL; period_key := NULL; measure := 'min_group_size'; value := min_group;
    state := NULL;
    RETURN NEXT;
    RETURN QUERY
        SELECT x.t, x.k, f.key, f.value::numeric, NULL::text
          FROM unnest(kept_tenants, kept_keys, kept_figures) AS x(t, k, figures)
         CROSS JOIN LATERAL jsonb_each_text(x.figures) AS f(key, value);
    IF live_tenants IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY
        SELECT f.tenant, f.period_key, f.measure, f.value, NULL::text
          FROM platform_figures(live_tenants, live_keys, p_care) f
         WHERE f.tenant IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM unnest(kept_tenants, kept_keys) AS x(t, k)
                WHERE x.t = f.tenant AND x.k = f.period_key);
    RETURN QUERY
        SELECT st.tenant, st.period_key, 'state', NULL::numeric, st.state
          FROM platform_period_states(live_tenants, p_periods) st;
END $fn$
"""

SIGNATURES = ("store_period_figures(uuid, jsonb)",
              "platform_comparison(uuid[], text[], jsonb, boolean)")


def upgrade() -> None:
    op.execute("ALTER TABLE rater_assignments ADD COLUMN rated boolean NOT NULL DEFAULT false")
    op.execute("""UPDATE rater_assignments a SET rated = true
                   WHERE EXISTS (SELECT 1 FROM ratings v
                                  WHERE v.tenant_id = a.tenant_id AND v.assignment_id = a.id)""")
    op.execute(RATED)
    op.execute(_platform_figures(flagged=True))
    op.execute(TABLE)
    op.execute(FORGET)
    op.execute(FORGET_ON_BONUS)
    op.execute(STORE)
    op.execute(READ)
    for signature in SIGNATURES:
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {app_role()}")


def downgrade() -> None:
    for signature in SIGNATURES:
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")
    op.execute("DROP TRIGGER IF EXISTS bonus_runs_forget_city_figures ON bonus_runs")
    op.execute("DROP FUNCTION IF EXISTS bonus_runs_forget_city_figures()")
    op.execute("DROP TRIGGER IF EXISTS periods_forget_city_figures ON periods")
    op.execute("DROP FUNCTION IF EXISTS periods_forget_city_figures()")
    op.execute("DROP TABLE IF EXISTS city_figure_sets")
    op.execute(_platform_figures(flagged=False))
    op.execute("DROP TRIGGER IF EXISTS ratings_mark_rated ON ratings")
    op.execute("DROP FUNCTION IF EXISTS ratings_mark_rated()")
    op.execute("ALTER TABLE rater_assignments DROP COLUMN rated")
