"""oversight: experience reports, report shares, platform settings, and the platform functions

Revision ID: 0008
Revises: 0004, 0005, 0007

The city organization department (the platform scope, ``app.scope = 'platform'``) reads across
tenants only through the SECURITY DEFINER functions below. Each refuses unless the caller is in
the platform scope, then visits the tenants one at a time: it sets ``app.tenant_id`` to that
tenant (``set_config(..., true)``), reads under that tenant's own row-level security (FORCE RLS
applies to the owner too; RLS is never turned off) and restores the caller's tenant at the end.

* ``platform_figures``: the measures of ``rules.oversight`` (counts and sums only, never an id
  of a person) for every requested tenant and period, in one call; a unit-period below the
  minimum group size (``platform_settings``) answers ``suppressed`` and nothing else.
* ``platform_experience_reports`` / ``platform_review_experience``: the city reads every
  tenant's experience reports and problem suggestions, comments on them and marks good practices
  (the comment is stored in the submitting tenant, which reads it under its own RLS).
* ``platform_shared_reports`` / ``platform_shared_report_file``: exactly the rendered reports a
  tenant shared with the city.

The application role gets EXECUTE on these functions; on the new tables, tenants get what their
use cases need (comments: read only, the city writes them through its function).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.migrations.rls import app_role, tenant_table

revision: str = "0008"
down_revision: str | tuple[str, ...] | None = ("0004", "0005", "0007")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('experience_comments', 'experience_reports', 'report_shares')


def upgrade() -> None:
    op.create_table('platform_settings',
    sa.Column('id', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('min_group_size', sa.Integer(), server_default='5', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_by', sa.String(length=200), nullable=True),
    sa.CheckConstraint('id', name=op.f('ck_platform_settings_single_row')),
    sa.CheckConstraint('min_group_size BETWEEN 2 AND 1000', name=op.f('ck_platform_settings_min_group_size_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_platform_settings'))
    )
    op.create_table('experience_reports',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('submitted_by', sa.String(length=200), nullable=False),
    sa.Column('good_practice', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('experience', 'problem')", name=op.f('ck_experience_reports_kind')),
    sa.CheckConstraint("stage IN ('plan', 'execute', 'evaluate', 'feedback', 'results_use')", name=op.f('ck_experience_reports_stage')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_experience_reports_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_experience_reports'))
    )
    op.create_index('ix_experience_reports_created', 'experience_reports', ['tenant_id', 'created_at'], unique=False)
    op.create_table('experience_comments',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('report_id', sa.UUID(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('author_name', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'report_id'], ['experience_reports.tenant_id', 'experience_reports.id'], name=op.f('fk_experience_comments_tenant_id_report_id_experience_reports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_experience_comments_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_experience_comments'))
    )
    op.create_index('ix_experience_comments_report', 'experience_comments', ['tenant_id', 'report_id'], unique=False)
    op.create_table('report_shares',
    sa.Column('tenant_id', sa.UUID(), server_default=sa.text("CAST(current_setting('app.tenant_id', true) AS UUID)"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('job_id', sa.UUID(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('note', sa.String(length=2000), server_default='', nullable=False),
    sa.Column('shared_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'job_id'], ['jobs.tenant_id', 'jobs.id'], name=op.f('fk_report_shares_tenant_id_job_id_jobs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_report_shares_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_report_shares')),
    sa.UniqueConstraint('tenant_id', 'job_id', name=op.f('uq_report_shares_tenant_id_job_id'))
    )
    tenant_table("experience_reports", writable=False)  # tenants submit; the city reviews
    tenant_table("experience_comments", writable=False)
    op.execute(f"REVOKE INSERT ON experience_comments FROM {app_role()}")
    tenant_table("report_shares")
    _platform_settings()
    for statement in FUNCTIONS:
        op.execute(statement)
    for signature in SIGNATURES:
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {app_role()}")


def _platform_settings() -> None:
    """Not tenant data: readable and changeable in the platform scope only."""
    op.execute("ALTER TABLE platform_settings ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE platform_settings FORCE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY platform_only ON platform_settings "
               "USING (current_setting('app.scope', true) = 'platform') "
               "WITH CHECK (current_setting('app.scope', true) = 'platform')")
    op.execute(f"GRANT SELECT, UPDATE ON platform_settings TO {app_role()}")
    op.execute("SELECT set_config('app.scope', 'platform', true)")
    op.execute("INSERT INTO platform_settings (id, min_group_size) VALUES (true, 5)")
    op.execute("SELECT set_config('app.scope', '', true)")


def downgrade() -> None:
    for signature in SIGNATURES:
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")
    op.drop_table('report_shares')
    op.drop_index('ix_experience_comments_report', table_name='experience_comments')
    op.drop_table('experience_comments')
    op.drop_index('ix_experience_reports_created', table_name='experience_reports')
    op.drop_table('experience_reports')
    op.drop_table('platform_settings')


SIGNATURES = (
    "platform_figures(uuid[], text[], jsonb)",
    "platform_experience_reports(uuid[])",
    "platform_review_experience(uuid, uuid, text, boolean, text, text)",
    "platform_shared_reports(uuid[])",
    "platform_shared_report_file(uuid, uuid, text)",
)

# Refuse outside the platform scope (the city organization department).
_GUARD = """
    IF coalesce(current_setting('app.scope', true), '') <> 'platform' THEN
        RAISE EXCEPTION '仅市委组织部可以调用 %', '{name}' USING ERRCODE = '42501';
    END IF;
"""

# The measures of rules.oversight.RAW_MEASURES, per tenant and period key ("2025Q1", "2025").
PLATFORM_FIGURES = """
CREATE FUNCTION platform_figures(p_tenants uuid[], p_periods text[], p_care jsonb)
RETURNS TABLE (tenant uuid, period_key text, measure text, value numeric)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
-- short aggregate statements: JIT compilation would cost more than it saves; hashed lookups
-- (rater coverage) need room; enable_nestloop is switched off for one statement below (the SET
-- clause scopes that change to the function)
SET jit = off SET work_mem = '64MB' SET enable_nestloop = on
AS $fn$
#variable_conflict use_column
DECLARE
    previous text := coalesce(current_setting('app.tenant_id', true), '');
    min_group integer;
    t uuid;
    -- the tenant's selected periods (a_) and those large enough to be released (r_)
    a_ids uuid[]; a_keys text[]; a_n bigint[]; a_res boolean[];
    r_ids uuid[]; r_keys text[]; r_kinds text[]; r_qi integer[]; r_starts date[];
    r_ends date[]; r_due timestamptz[]; r_res boolean[];
    pol jsonb;
    share numeric; steps integer; rank_drop integer; low_fit integer;
    poor_count integer; poor_window integer; win integer; sep boolean;
    grade_order constant text[] := ARRAY['good', 'fairly_good', 'average', 'poor'];
BEGIN
""" + _GUARD.format(name="platform_figures") + """
    SELECT s.min_group_size INTO min_group FROM platform_settings s WHERE s.id;
    min_group := coalesce(min_group, 5);
    tenant := NULL; period_key := NULL; measure := 'min_group_size'; value := min_group;
    RETURN NEXT;
    FOR t IN SELECT DISTINCT x FROM unnest(p_tenants) AS x WHERE x IS NOT NULL LOOP
        PERFORM set_config('app.tenant_id', t::text, true);

        -- 1. The periods and their populations: the people with a result in the period, or,
        --    before results exist, the active people marked as appraised.
        SELECT array_agg(s.id), array_agg(s.key),
               array_agg(coalesce(nullif(s.results, 0), s.people)),
               array_agg(s.results > 0)
          INTO a_ids, a_keys, a_n, a_res
          FROM (SELECT p.id, k.key,
                       (SELECT count(*) FROM person_results r WHERE r.period_id = p.id)
                           AS results,
                       (SELECT count(*) FROM people pe
                         WHERE pe.appraised AND pe.status = 'active') AS people
                  FROM periods p
                 CROSS JOIN LATERAL (SELECT CASE WHEN p.kind = 'quarter'
                                                 THEN p.year::text || 'Q' || p.quarter::text
                                                 ELSE p.year::text END AS key) k
                 WHERE k.key = ANY (p_periods)) s;
        CONTINUE WHEN a_ids IS NULL;
        RETURN QUERY
            SELECT t, x.key,
                   CASE WHEN x.n >= min_group THEN 'headcount' ELSE 'suppressed' END,
                   CASE WHEN x.n >= min_group THEN x.n::numeric ELSE 1 END
              FROM unnest(a_keys, a_n) AS x(key, n);
        SELECT array_agg(p.id), array_agg(x.key), array_agg(p.kind::text),
               array_agg(p.year * 4 + coalesce(p.quarter, 1) - 1),
               array_agg(CASE WHEN p.kind = 'quarter' THEN make_date(p.year, 3 * p.quarter - 2, 1)
                              ELSE make_date(p.year, 1, 1) END),
               array_agg(CASE WHEN p.kind = 'quarter'
                              THEN (make_date(p.year, 3 * p.quarter - 2, 1)
                                    + interval '3 months')::date
                              ELSE make_date(p.year + 1, 1, 1) END),
               array_agg(nullif(p.deadlines ->> 'declaring', '')::timestamptz), array_agg(x.res)
          INTO r_ids, r_keys, r_kinds, r_qi, r_starts, r_ends, r_due, r_res
          FROM unnest(a_ids, a_keys, a_n, a_res) AS x(id, key, n, res)
          JOIN periods p ON p.id = x.id
         WHERE x.n >= min_group;
        CONTINUE WHEN r_ids IS NULL;

        -- 2. Grades.
        RETURN QUERY
            WITH ok AS (SELECT * FROM unnest(r_ids, r_keys) AS ok(id, key)),
            res AS (SELECT ok.key, r.grade::text AS grade, r.comparison_group::text AS grp
                      FROM person_results r JOIN ok ON ok.id = r.period_id
                     WHERE r.grade IS NOT NULL)
            SELECT t, res.key, 'grade_' || res.grade, count(*)::numeric
              FROM res GROUP BY res.key, res.grade
            UNION ALL
            SELECT t, res.key, 'graded', count(*)::numeric FROM res GROUP BY res.key
            UNION ALL
            SELECT t, res.key, 'ranked_' || res.grp, count(*)::numeric
              FROM res WHERE res.grade <> 'not_graded' GROUP BY res.key, res.grp;

        -- 3. Declarations (submitted, on time, items) and feedback interviews of the
        --    population (see 1): joined to the period's results, or, for a period without
        --    results yet, to the active appraised people. Whole periods are joined: hash
        --    joins (the planner cannot size the periods it is given, and would probe one row
        --    at a time).
        PERFORM set_config('enable_nestloop', 'off', true);
        RETURN QUERY
            WITH ok AS (SELECT * FROM unnest(r_ids, r_keys, r_due, r_res)
                                   AS ok(id, key, due, res)),
            pop AS (SELECT r.period_id, r.person_id FROM person_results r
                     WHERE r.period_id = ANY (r_ids)
                    UNION ALL
                    SELECT ok.id, pe.id FROM ok JOIN people pe ON NOT ok.res
                     WHERE pe.appraised AND pe.status = 'active'),
            decl AS (SELECT ok.key, d.id, (ok.due IS NULL OR d.submitted_at <= ok.due) AS on_time
                       FROM declarations d
                       JOIN ok ON ok.id = d.period_id
                       JOIN pop ON pop.period_id = d.period_id AND pop.person_id = d.person_id
                      WHERE d.period_id = ANY (r_ids) AND d.status = 'submitted'),
            items AS (SELECT i.declaration_id, count(*) AS n FROM declaration_items i
                       GROUP BY i.declaration_id)
            SELECT t, s.key, m.code, m.n
              FROM (SELECT decl.key, count(*)::numeric AS submitted,
                           count(*) FILTER (WHERE decl.on_time)::numeric AS on_time,
                           coalesce(sum(items.n), 0)::numeric AS items
                      FROM decl LEFT JOIN items ON items.declaration_id = decl.id
                     GROUP BY decl.key) s
             CROSS JOIN LATERAL (VALUES ('decl_submitted', s.submitted),
                                        ('decl_on_time', s.on_time),
                                        ('decl_items', s.items)) AS m(code, n)
            UNION ALL
            SELECT t, ok.key, 'interviews_held', count(*)::numeric
              FROM feedback_interviews f
              JOIN ok ON ok.id = f.period_id
              JOIN pop ON pop.period_id = f.period_id AND pop.person_id = f.person_id
             WHERE f.period_id = ANY (r_ids)
             GROUP BY ok.key;
        PERFORM set_config('enable_nestloop', 'on', true);

        -- 4. Rater coverage: assignments with at least one rating value (a hashed lookup
        --    while the tenant's rating rows fit in work_mem, else one probe per assignment).
        RETURN QUERY
            SELECT t, s.key, m.code, m.n
              FROM (SELECT ok.key, count(*)::numeric AS assigned,
                           count(*) FILTER (WHERE a.id IN (
                               SELECT v.assignment_id FROM ratings v))::numeric AS done
                      FROM rater_assignments a
                      JOIN unnest(r_ids, r_keys) AS ok(id, key) ON ok.id = a.period_id
                     GROUP BY ok.key) s
             CROSS JOIN LATERAL (VALUES ('rating_assigned', s.assigned),
                                        ('rating_done', s.done)) AS m(code, n);

        -- 5. Dated records: commendations and error notices, tasks, rectifications, results use.
        RETURN QUERY
            WITH ok AS (SELECT * FROM unnest(r_keys, r_starts, r_ends) AS ok(key, starts, ends))
            SELECT t, ok.key, CASE WHEN n.kind = 'credit' THEN 'credits' ELSE 'deductions' END,
                   count(*)::numeric
              FROM point_records pr
              JOIN scheme_nodes n ON n.id = pr.node_id AND n.version_id = pr.version_id
              JOIN ok ON pr.occurred_on >= ok.starts AND pr.occurred_on < ok.ends
             WHERE pr.status = 'confirmed' AND n.kind IN ('credit', 'deduction')
             GROUP BY ok.key, n.kind
            UNION ALL
            SELECT t, s.key, m.code, m.n
              FROM (SELECT ok.key, count(*)::numeric AS due,
                           count(*) FILTER (WHERE k.due_on < current_date AND (
                               k.status <> 'done' OR k.completed_on > k.due_on))::numeric AS late
                      FROM tasks k JOIN ok ON k.due_on >= ok.starts AND k.due_on < ok.ends
                     WHERE k.status <> 'cancelled'
                     GROUP BY ok.key) s
             CROSS JOIN LATERAL (VALUES ('tasks_due', s.due), ('tasks_late', s.late)) AS m(code, n)
            UNION ALL
            SELECT t, s.key, m.code, m.n
              FROM (SELECT ok.key, count(*)::numeric AS items,
                           sum(greatest(x.rectified - x.due, 0))::numeric AS days
                      FROM (SELECT min(rc.rectified_on) AS rectified,
                                   coalesce(ms.due_on, k.due_on) AS due
                              FROM rectifications rc
                              JOIN tasks k ON k.id = rc.task_id
                              LEFT JOIN task_milestones ms ON ms.id = rc.milestone_id
                             WHERE k.status <> 'cancelled'
                             GROUP BY rc.task_id, rc.milestone_id, ms.due_on, k.due_on) x
                      JOIN ok ON x.due >= ok.starts AND x.due < ok.ends
                     GROUP BY ok.key) s
             CROSS JOIN LATERAL (VALUES ('rectified_items', s.items),
                                        ('rectification_days', s.days)) AS m(code, n)
            UNION ALL
            SELECT t, u.key, u.code, count(*)::numeric
              FROM (SELECT ok.key, CASE e.kind WHEN 'promotion' THEN 'use_promotion'
                                               WHEN 'rank_advancement' THEN 'use_promotion'
                                               WHEN 'promotion_deferral' THEN 'use_deferral'
                                               WHEN 'post_adjustment' THEN 'use_post_adjustment'
                                               ELSE 'use_training' END AS code
                      FROM results_use_entries e
                      JOIN ok ON e.decided_on >= ok.starts AND e.decided_on < ok.ends
                     WHERE e.kind IN ('promotion', 'rank_advancement', 'promotion_deferral',
                                      'post_adjustment', 'training')) u
             GROUP BY u.key, u.code;

        -- 6. Bonus differentiation of the period's confirmed run: the paid lines (included,
        --    more than 0) of grades and departments with at least min_group people.
        RETURN QUERY
            WITH ok AS (SELECT * FROM unnest(r_ids, r_keys) AS ok(id, key)),
            paid AS (SELECT ok.key, l.grade::text AS grade, l.unit_id, l.cents
                       FROM bonus_runs b
                       JOIN ok ON ok.id = b.period_id
                       JOIN bonus_lines l ON l.run_id = b.id
                      WHERE b.status = 'confirmed' AND l.included AND l.cents > 0),
            grades AS (SELECT paid.key, paid.grade, count(*) AS n, sum(paid.cents) AS s
                         FROM paid WHERE paid.grade IS NOT NULL
                        GROUP BY paid.key, paid.grade HAVING count(*) >= min_group),
            depts AS (SELECT paid.key, paid.unit_id, count(*) AS n, sum(paid.cents) AS s,
                             max(paid.cents) AS hi, min(paid.cents) AS lo
                        FROM paid WHERE paid.unit_id IS NOT NULL
                       GROUP BY paid.key, paid.unit_id HAVING count(*) >= min_group)
            SELECT t, g.key, 'bonus_paid_' || g.grade, g.n::numeric FROM grades g
            UNION ALL
            SELECT t, g.key, 'bonus_cents_' || g.grade, g.s::numeric FROM grades g
            UNION ALL
            SELECT t, d.key, m.code, m.v
              FROM (SELECT depts.key, count(*) AS cnt,
                           max(depts.s::numeric / depts.n) AS pmax,
                           min(depts.s::numeric / depts.n) AS pmin,
                           sum(depts.hi::numeric / depts.lo) AS rsum
                      FROM depts GROUP BY depts.key) d
             CROSS JOIN LATERAL (VALUES ('bonus_within_ratio_sum', d.rsum),
                                        ('bonus_within_departments', d.cnt::numeric),
                                        ('bonus_dept_percap_max',
                                         CASE WHEN d.cnt >= 2 THEN d.pmax END),
                                        ('bonus_dept_percap_min',
                                         CASE WHEN d.cnt >= 2 THEN d.pmin END)) AS m(code, v)
             WHERE m.v IS NOT NULL;

        -- 7. The care list of each quarter, by the tenant's care rules (rules.care; the policy
        --    comes from the caller, read from the tenant's settings): bottom of the ranking,
        --    regressed from the quarter before, low person-post fit, long-term poor; active
        --    people only. Mentoring: a mentoring pair not ended before the quarter began.
        pol := p_care -> t::text;
        IF pol IS NOT NULL AND 'quarter' = ANY (r_kinds) THEN
            share := (pol ->> 'bottom_share')::numeric;
            steps := (pol ->> 'regression_steps')::integer;
            rank_drop := (pol ->> 'rank_drop')::integer;
            low_fit := (pol ->> 'low_fit_threshold')::integer;
            poor_count := (pol ->> 'poor_count')::integer;
            poor_window := (pol ->> 'poor_window')::integer;
            sep := (pol ->> 'separately')::boolean;
            win := greatest(poor_window, 2);
            RETURN QUERY
                WITH q AS (SELECT ok.id, ok.key, ok.qi, ok.starts
                             FROM unnest(r_ids, r_keys, r_kinds, r_qi, r_starts)
                                  AS ok(id, key, kind, qi, starts)
                            WHERE ok.kind = 'quarter'),
                w AS (SELECT p.id, p.year * 4 + p.quarter - 1 AS qi FROM periods p
                       WHERE p.kind = 'quarter'
                         AND p.year * 4 + p.quarter - 1 > (SELECT min(q.qi) FROM q) - win
                         AND p.year * 4 + p.quarter - 1 <= (SELECT max(q.qi) FROM q)),
                rec AS (SELECT r.person_id, w.qi, r.grade::text AS grade,
                               CASE WHEN sep THEN r.group_rank ELSE r.rank END AS rnk,
                               CASE WHEN sep THEN r.comparison_group::text ELSE '' END AS grp
                          FROM person_results r JOIN w ON w.id = r.period_id),
                pos AS (SELECT rec.*,
                               count(rec.rnk) OVER (PARTITION BY rec.qi, rec.grp) AS n,
                               count(*) OVER (PARTITION BY rec.qi, rec.grp, rec.rnk) AS tied
                          FROM rec),
                -- each fit rating, with the quarter of the person's next one: it is the
                -- latest as of every quarter from its own up to (not including) that one
                fits AS MATERIALIZED (SELECT f.person_id, w.qi, f.fit_rating,
                                lead(w.qi) OVER (PARTITION BY f.person_id ORDER BY w.qi)
                                    AS next_qi
                           FROM feedback_interviews f JOIN w ON w.id = f.period_id),
                flagged AS (
                    SELECT q.id, cur.person_id FROM q JOIN pos cur ON cur.qi = q.qi
                     WHERE cur.rnk IS NOT NULL AND share > 0 AND cur.n > 0
                       AND cur.rnk + greatest(cur.tied, 1) - 1
                           > cur.n - greatest(1, floor(cur.n * share))
                    UNION
                    SELECT q.id, cur.person_id FROM q
                      JOIN pos cur ON cur.qi = q.qi
                      JOIN pos prev ON prev.person_id = cur.person_id AND prev.qi = q.qi - 1
                     WHERE array_position(grade_order, cur.grade)
                           - array_position(grade_order, prev.grade) >= steps
                        OR (rank_drop > 0 AND cur.grp = prev.grp
                            AND cur.rnk - prev.rnk >= rank_drop)
                    UNION
                    SELECT q.id, fits.person_id
                      FROM q JOIN fits ON fits.qi <= q.qi AND fits.qi > q.qi - win
                           AND (fits.next_qi IS NULL OR fits.next_qi > q.qi)
                     WHERE fits.fit_rating <= low_fit
                    UNION
                    SELECT q.id, rec.person_id
                      FROM q JOIN rec ON rec.qi <= q.qi AND rec.qi > q.qi - poor_window
                     WHERE rec.grade = 'poor'
                     GROUP BY q.id, rec.person_id HAVING count(*) >= poor_count),
                listed AS (SELECT f.id, f.person_id FROM flagged f
                             JOIN people pe ON pe.id = f.person_id
                            WHERE pe.status = 'active')
                SELECT t, s.key, m.code, m.n
                  FROM (SELECT q.key, count(*)::numeric AS listed,
                               count(*) FILTER (WHERE EXISTS (
                                   SELECT 1 FROM care_actions ca
                                    WHERE ca.person_id = l.person_id AND ca.kind = 'mentoring'
                                      AND (ca.ends_on IS NULL OR ca.ends_on >= q.starts)))::numeric
                                   AS mentored
                          FROM listed l JOIN q ON q.id = l.id
                         GROUP BY q.key) s
                 CROSS JOIN LATERAL (VALUES ('care_list', s.listed),
                                            ('care_mentored', s.mentored)) AS m(code, n);
        END IF;
    END LOOP;
    PERFORM set_config('app.tenant_id', previous, true);
    RETURN;
END $fn$
"""

PLATFORM_EXPERIENCE_REPORTS = """
CREATE FUNCTION platform_experience_reports(p_tenants uuid[])
RETURNS TABLE (tenant uuid, id uuid, kind text, stage text, title text, body text,
               good_practice boolean, created_at timestamptz, reviewed_at timestamptz,
               comments jsonb)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $fn$
#variable_conflict use_column
DECLARE
    previous text := coalesce(current_setting('app.tenant_id', true), '');
    t uuid;
BEGIN
""" + _GUARD.format(name="platform_experience_reports") + """
    FOR t IN SELECT x.id FROM tenants x
              WHERE p_tenants IS NULL OR x.id = ANY (p_tenants) ORDER BY x.code LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        RETURN QUERY
            SELECT e.tenant_id, e.id, e.kind::text, e.stage::text, e.title::text, e.body,
                   e.good_practice, e.created_at, e.reviewed_at,
                   (SELECT coalesce(jsonb_agg(jsonb_build_object(
                               'id', c.id, 'body', c.body, 'author_name', c.author_name,
                               'created_at', c.created_at) ORDER BY c.created_at, c.id),
                           '[]'::jsonb)
                      FROM experience_comments c WHERE c.report_id = e.id)
              FROM experience_reports e
             ORDER BY e.created_at DESC, e.id;
    END LOOP;
    PERFORM set_config('app.tenant_id', previous, true);
    RETURN;
END $fn$
"""

PLATFORM_REVIEW_EXPERIENCE = """
CREATE FUNCTION platform_review_experience(p_tenant uuid, p_report uuid, p_comment text,
                                           p_good_practice boolean, p_author text,
                                           p_author_name text)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $fn$
DECLARE
    previous text := coalesce(current_setting('app.tenant_id', true), '');
    found uuid;
BEGIN
""" + _GUARD.format(name="platform_review_experience") + """
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    UPDATE experience_reports e
       SET good_practice = coalesce(p_good_practice, e.good_practice), reviewed_at = now()
     WHERE e.id = p_report
    RETURNING e.id INTO found;
    IF found IS NOT NULL AND nullif(btrim(coalesce(p_comment, '')), '') IS NOT NULL THEN
        INSERT INTO experience_comments (tenant_id, id, report_id, body, author, author_name)
        VALUES (p_tenant, gen_random_uuid(), found, btrim(p_comment), p_author, p_author_name);
    END IF;
    PERFORM set_config('app.tenant_id', previous, true);
    RETURN found;
END $fn$
"""

PLATFORM_SHARED_REPORTS = """
CREATE FUNCTION platform_shared_reports(p_tenants uuid[])
RETURNS TABLE (tenant uuid, share_id uuid, title text, note text, shared_at timestamptz,
               report text, files jsonb)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $fn$
#variable_conflict use_column
DECLARE
    previous text := coalesce(current_setting('app.tenant_id', true), '');
    t uuid;
BEGIN
""" + _GUARD.format(name="platform_shared_reports") + """
    FOR t IN SELECT x.id FROM tenants x
              WHERE p_tenants IS NULL OR x.id = ANY (p_tenants) ORDER BY x.code LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        RETURN QUERY
            SELECT s.tenant_id, s.id, s.title::text, s.note::text, s.created_at,
                   j.params ->> 'report',
                   (SELECT coalesce(jsonb_agg(jsonb_build_object(
                               'format', f.format, 'filename', f.filename, 'size', f.size,
                               'pages', f.pages) ORDER BY f.format), '[]'::jsonb)
                      FROM report_files f WHERE f.job_id = s.job_id)
              FROM report_shares s JOIN jobs j ON j.id = s.job_id
             WHERE j.status = 'done'
             ORDER BY s.created_at DESC, s.id;
    END LOOP;
    PERFORM set_config('app.tenant_id', previous, true);
    RETURN;
END $fn$
"""

PLATFORM_SHARED_REPORT_FILE = """
CREATE FUNCTION platform_shared_report_file(p_tenant uuid, p_share uuid, p_format text)
RETURNS TABLE (filename text, content bytea)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $fn$
#variable_conflict use_column
DECLARE
    previous text := coalesce(current_setting('app.tenant_id', true), '');
BEGIN
""" + _GUARD.format(name="platform_shared_report_file") + """
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    RETURN QUERY
        SELECT f.filename::text, f.content
          FROM report_shares s
          JOIN jobs j ON j.id = s.job_id AND j.status = 'done'
          JOIN report_files f ON f.job_id = s.job_id AND f.format = p_format
         WHERE s.id = p_share;
    PERFORM set_config('app.tenant_id', previous, true);
    RETURN;
END $fn$
"""

FUNCTIONS = (PLATFORM_FIGURES, PLATFORM_EXPERIENCE_REPORTS, PLATFORM_REVIEW_EXPERIENCE,
             PLATFORM_SHARED_REPORTS, PLATFORM_SHARED_REPORT_FILE)
