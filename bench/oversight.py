"""Benchmark: the city's cross-unit comparison over 50 units x 2,000 people x 8 quarters.

    python -m bench.oversight [--units 50] [--people 2000] [--quarters 8] [--runs 3]

Starts a throwaway PostgreSQL (a free loopback port), migrates it, and bulk-loads every unit with
``INSERT ... SELECT generate_series`` under the unit's own row-level security (as the
application role, ``app.tenant_id`` set per unit): people in ten departments, quarterly and
annual results with ranks and grades, declarations with one to five items, three rater
assignments per person and quarter (most rated), feedback interviews with fit ratings,
commendations and error notices, tasks with milestones and rectifications, results-use entries,
mentoring pairs, and a confirmed bonus run per year. Every period is loaded closed, and closed
the way the application closes one: its figures stored (``store_period_figures``, the time it
takes is printed). Then it times the comparison exactly as the ``oversightComparison`` query
runs it (``resolvers.oversight.read_comparison``: the tenant registry, the stored figures, the
live figures of whatever was not stored, the states of those periods), in the platform scope,
``--runs`` times, from the stored figures and then everything live (as for open periods).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
import uuid
from typing import Any

import psycopg

from bench.support import Database, throwaway_database
from jixiao.settings import Settings
from resolvers.oversight.closed_figures import care_policy_json
from resolvers.oversight.comparison import Comparison, PeriodRef, read_comparison
from tenants.config import TenantConfig
from tenants.db import Scope, make_engine, make_sessionmaker, tenant_transaction

KINDS = ("discipline_commission", "industrial_park", "county_bureau", "township", "subdistrict")


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def quarters_of(count: int, last_year: int = 2025) -> list[tuple[int, int]]:
    """The ``count`` quarters ending with the last quarter of ``last_year``."""
    out = []
    year, quarter = last_year, 4
    for _ in range(count):
        out.append((year, quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return sorted(out)


# One unit's data, all set-based; %(people)s people, the unit set in app.tenant_id.
UNIT_SQL = [
    """INSERT INTO org_units (id, code, name, kind, sort_order)
       SELECT gen_random_uuid(), 'd' || d, '第' || d || '科', 'department', d
         FROM generate_series(0, 9) AS d""",
    """INSERT INTO people (id, employee_no, name, unit_id, comparison_group, appraised, status)
       SELECT gen_random_uuid(), 'E' || lpad(i::text, 5, '0'), '干部' || i,
              (SELECT id FROM org_units WHERE code = 'd' || (i %% 10)),
              CASE WHEN i %% 20 = 0 THEN 'leader' ELSE 'staff' END, true, 'active'
         FROM generate_series(1, %(people)s) AS i""",
    """INSERT INTO indicator_schemes (id, year, name)
       SELECT gen_random_uuid(), y, y || '年度' FROM unnest(%(years)s::int[]) AS y""",
    """INSERT INTO scheme_versions (id, scheme_id, number, status, published_at)
       SELECT gen_random_uuid(), s.id, 1, 'published', now() FROM indicator_schemes s""",
    """INSERT INTO scheme_nodes (id, version_id, code, name, kind, weight, cap, points,
                                 applies_to)
       SELECT gen_random_uuid(), v.id, k.code, k.name, k.kind, k.weight, k.cap, k.points,
              'everyone'
         FROM scheme_versions v
        CROSS JOIN (VALUES ('GZ01', '重点工作', 'rated', 100, NULL::numeric, NULL::numeric),
                           ('JF01', '点赞事项', 'credit', NULL, 5, 1),
                           ('KF01', '错情通报', 'deduction', NULL, 5, 1))
              AS k(code, name, kind, weight, cap, points)""",
    """INSERT INTO periods (id, kind, year, quarter, name, state, deadlines)
       SELECT gen_random_uuid(), 'quarter', q.y, q.q, q.y || '年第' || q.q || '季度', 'closed',
              jsonb_build_object('declaring', to_char(make_date(q.y, 3 * q.q, 1)
                                 + interval '1 month' + interval '9 days',
                                 'YYYY-MM-DD"T"00:00:00+08:00'))
         FROM unnest(%(qy)s::int[], %(qq)s::int[]) AS q(y, q)
       UNION ALL
       SELECT gen_random_uuid(), 'year', y, NULL, y || '年度', 'closed', '{}'
         FROM unnest(%(years)s::int[]) AS y""",
    # results: a random score per person and period, ranked; grades by rank
    """INSERT INTO person_results (id, period_id, person_id, unit_id, comparison_group, score,
                                   rank, grade)
       SELECT gen_random_uuid(), r.period_id, r.person_id, r.unit_id, r.grp, r.score, r.rnk,
              CASE WHEN r.kind = 'quarter' THEN
                   CASE WHEN r.rnk <= 0.3 * %(people)s THEN 'good'
                        WHEN r.rnk <= 0.7 * %(people)s THEN 'fairly_good'
                        WHEN r.rnk <= 0.95 * %(people)s THEN 'average' ELSE 'poor' END
                   ELSE CASE WHEN r.rnk <= 0.2 * %(people)s THEN 'excellent'
                        WHEN r.rnk <= 0.97 * %(people)s THEN 'competent'
                        WHEN r.rnk <= 0.995 * %(people)s THEN 'basically_competent'
                        ELSE 'incompetent' END END
         FROM (SELECT p.id AS period_id, p.kind, pe.id AS person_id, pe.unit_id,
                      pe.comparison_group AS grp, s.score,
                      rank() OVER (PARTITION BY p.id ORDER BY s.score DESC) AS rnk
                 FROM periods p CROSS JOIN people pe
                 CROSS JOIN LATERAL (SELECT round((60 + 40 * random())::numeric, 4) AS score
                                      WHERE pe.id IS NOT NULL) s) r""",
    """INSERT INTO tasks (id, year, code, title, source_kind, level, unit_id, due_on, status,
                          completed_on)
       SELECT gen_random_uuid(), y, 'T' || y || '-' || i, '任务' || i, 'municipal', 'unit',
              (SELECT id FROM org_units WHERE code = 'd' || (i %% 10)),
              make_date(y, 1, 1) + (i * 7 %% 360),
              CASE WHEN i %% 10 < 7 THEN 'done' WHEN i %% 10 < 9 THEN 'in_progress'
                   ELSE 'cancelled' END,
              CASE WHEN i %% 10 < 7 THEN make_date(y, 1, 1) + (i * 7 %% 360) + (i %% 5) - 3 END
         FROM unnest(%(years)s::int[]) AS y CROSS JOIN generate_series(1, 200) AS i""",
    """INSERT INTO task_milestones (id, task_id, title, due_on, done_on)
       SELECT gen_random_uuid(), t.id, '节点', t.due_on - 30,
              CASE WHEN random() < 0.8 THEN t.due_on - 28 END FROM tasks t""",
    """INSERT INTO rectifications (id, task_id, milestone_id, rectified_on, note, recorded_by)
       SELECT gen_random_uuid(), m.task_id, m.id, m.due_on + 5 + (random() * 20)::int,
              '已整改', 'bench'
         FROM task_milestones m WHERE m.done_on IS NULL AND random() < 0.6""",
    # declarations of 95%%, one to five items each, 90%% on time
    """INSERT INTO declarations (id, period_id, person_id, status, submitted_at)
       SELECT gen_random_uuid(), p.id, r.person_id, 'submitted',
              (p.deadlines ->> 'declaring')::timestamptz
              + CASE WHEN random() < 0.9 THEN -interval '3 days' ELSE interval '2 days' END
         FROM periods p JOIN person_results r ON r.period_id = p.id
        WHERE p.kind = 'quarter' AND random() < 0.95""",
    """INSERT INTO declaration_items (id, declaration_id, position, title, content, task_id)
       SELECT gen_random_uuid(), d.id, n, '实绩' || n, '内容',
              (SELECT id FROM tasks ORDER BY id LIMIT 1)
         FROM declarations d
        CROSS JOIN LATERAL generate_series(1, 1 + (abs(hashtext(d.id::text)) %% 5)) AS n""",
    # three raters per person and quarter; 92%% rated, two values each
    """INSERT INTO rater_assignments (id, period_id, person_id, rater_id, role, source)
       WITH numbered AS MATERIALIZED (
           SELECT id, substr(employee_no, 2)::int AS n FROM people)
       SELECT gen_random_uuid(), r.period_id, r.person_id, rater.id, 'peer', 'generated'
         FROM person_results r JOIN periods p ON p.id = r.period_id AND p.kind = 'quarter'
         JOIN numbered pe ON pe.id = r.person_id
        CROSS JOIN (VALUES (1), (2), (3)) AS k(k)
         JOIN numbered rater ON rater.n = (pe.n + 7 * k.k - 1) %% %(people)s + 1""",
    """INSERT INTO ratings (id, assignment_id, version_id, node_id, dimension, value)
       SELECT gen_random_uuid(), a.id, n.version_id, n.id, d.d, 80
         FROM rater_assignments a
        CROSS JOIN (SELECT id, version_id FROM scheme_nodes WHERE code = 'GZ01' LIMIT 1) n
        CROSS JOIN (VALUES ('completion'), ('difficulty')) AS d(d)
        WHERE abs(hashtext(a.id::text)) %% 100 < 92""",
    """INSERT INTO feedback_interviews (id, period_id, person_id, unit_id, person_result_id,
           recorded_by, held_on, result_told, strengths, weaknesses, root_causes,
           improvement_plan, topics, praise, critique, encouragement, fit_rating)
       SELECT gen_random_uuid(), r.period_id, r.person_id, r.unit_id, r.id, 'bench',
              make_date(p.year, 3 * p.quarter, 28), '已告知', '优势', '不足', '原因', '[]', '{}',
              '肯定', '不足', '方向',
              CASE WHEN abs(hashtext(r.id::text)) %% 100 < 5 THEN 2
                   ELSE 3 + abs(hashtext(r.id::text)) %% 3 END
         FROM person_results r JOIN periods p ON p.id = r.period_id AND p.kind = 'quarter'
        WHERE random() < 0.97""",
    """INSERT INTO point_records (id, version_id, node_id, person_id, occurred_on, points,
                                  reason, status, recorded_by)
       SELECT gen_random_uuid(), n.version_id, n.id,
              (SELECT id FROM people WHERE employee_no = 'E' || lpad((i %% %(people)s + 1)::text,
                                                                     5, '0')),
              make_date(s.year, 1, 1) + (i %% 365), 1, '记录',
              CASE WHEN i %% 10 = 0 THEN 'claimed' ELSE 'confirmed' END, 'bench'
         FROM indicator_schemes s JOIN scheme_versions v ON v.scheme_id = s.id
         JOIN scheme_nodes n ON n.version_id = v.id AND n.kind IN ('credit', 'deduction')
        CROSS JOIN generate_series(1, CASE WHEN n.kind = 'credit' THEN 300 ELSE 100 END) AS i""",
    """INSERT INTO results_use_entries (id, kind, person_id, decided_on, title, recorded_by)
       SELECT gen_random_uuid(),
              (ARRAY['promotion', 'rank_advancement', 'promotion_deferral', 'post_adjustment',
                     'training', 'award'])[1 + (abs(hashtext(pe.id::text || y)) %% 6)],
              pe.id, make_date(y, 1, 1) + (abs(hashtext(pe.id::text)) %% 360), '运用', 'bench'
         FROM people pe CROSS JOIN unnest(%(years)s::int[]) AS y
        WHERE abs(hashtext(pe.id::text || 'u' || y)) %% 100 < 3""",
    """INSERT INTO care_actions (id, kind, person_id, mentor_id, starts_on, recorded_by)
       SELECT gen_random_uuid(), 'mentoring', r.person_id,
              (SELECT id FROM people WHERE employee_no = 'E00001'),
              make_date(p.year, 3 * p.quarter, 15), 'bench'
         FROM person_results r JOIN periods p ON p.id = r.period_id
        WHERE r.grade = 'poor' AND random() < 0.3
          AND r.person_id <> (SELECT id FROM people WHERE employee_no = 'E00001')""",
    # a confirmed bonus run per year: 5,000 yuan base x grade coefficient x department factor
    """INSERT INTO jobs (id, kind, status, progress, params, created_by)
       SELECT p.id, 'bonus_run', 'done', 100, '{}', 'bench' FROM periods p
        WHERE p.kind = 'year'""",
    """INSERT INTO bonus_runs (id, period_id, job_id, status, pool_cents, inputs, people_count,
                               paid_count, excluded_count, department_count, created_by,
                               confirmed_at)
       SELECT gen_random_uuid(), p.id, p.id, 'confirmed', 0, '{}', %(people)s, %(people)s, 0,
              10, 'bench', now() FROM periods p WHERE p.kind = 'year'""",
    """INSERT INTO bonus_lines (id, run_id, person_id, employee_no, name, person_unit_id, unit_id,
                                result_grade, grade, included, coefficient, exact_cents,
                                floor_applied, cap_applied, rounding_cents, cents)
       SELECT gen_random_uuid(), b.id, pe.id, pe.employee_no, pe.name, pe.unit_id, pe.unit_id,
              r.grade, r.grade, true, 1, '0', false, false, 0,
              (500000 * CASE r.grade WHEN 'excellent' THEN 1.2 WHEN 'competent' THEN 1.0
                                     WHEN 'basically_competent' THEN 0.5 ELSE 0.2 END
                             * (0.9 + (substr(u.code, 2)::int) / 50.0))::bigint
         FROM bonus_runs b JOIN person_results r ON r.period_id = b.period_id
         JOIN people pe ON pe.id = r.person_id JOIN org_units u ON u.id = pe.unit_id""",
]


# Closing every period as the application does (resolvers.oversight.closed_figures): its figures
# stored with the unit's care rules (the defaults here).
CLOSE_SQL = """SELECT store_period_figures(p.id, CAST(%(care)s AS jsonb))
                 FROM periods p WHERE p.state = 'closed'"""


def load(settings: Settings, units: int, people: int, quarters: list[tuple[int, int]]
         ) -> list[uuid.UUID]:
    years = sorted({y for y, _ in quarters})
    params: dict[str, Any] = {"people": people, "years": years,
                              "qy": [y for y, _ in quarters], "qq": [q for _, q in quarters]}
    care = json.dumps(care_policy_json(TenantConfig()))
    ids = []
    closing: list[float] = []
    # Autocommit, the unit set for the session: one transaction per statement, so that the
    # owner can ANALYZE the first unit's rows as they arrive (the foreign-key checks then see
    # realistic sizes). A new unit's id is in no statistics yet, so the planner expects one row
    # of it in every table (it estimates with the RLS setting's value): hash joins, not loops.
    with psycopg.connect(_plain(settings.database_url), autocommit=True) as conn, \
            psycopg.connect(_plain(settings.owner_database_url), autocommit=True) as owner:
        conn.execute("SET enable_nestloop = off")
        for n in range(units):
            tid = uuid.uuid4()
            ids.append(tid)
            started = time.perf_counter()
            with conn.transaction():
                conn.execute("SELECT set_config('app.scope', 'platform', true)")
                conn.execute("INSERT INTO tenants (id, code, name, kind) VALUES (%s, %s, %s, %s)",
                             (tid, f"u{n:03d}", f"基准单位{n:03d}", KINDS[n % len(KINDS)]))
            conn.execute("SELECT set_config('app.tenant_id', %s, false), "
                         "set_config('app.scope', 'tenant', false)", (str(tid),))
            for statement in UNIT_SQL:
                conn.execute(statement, params)
                if n == 0:
                    owner.execute("ANALYZE")
            closed = time.perf_counter()
            conn.execute(CLOSE_SQL, {"care": care})
            closing.append(time.perf_counter() - closed)
            print(f"  unit {n + 1}/{units} loaded in {time.perf_counter() - started:.1f} s, "
                  f"its {len(quarters) + len(years)} periods' figures stored in "
                  f"{closing[-1]:.2f} s", flush=True)
        owner.execute("VACUUM ANALYZE")
    print(f"storing one unit's closed periods' figures: median {statistics.median(closing):.2f} s "
          f"({len(quarters) + len(years)} periods)")
    return ids


def row_counts(settings: Settings) -> dict[str, int]:
    tables = ("people", "person_results", "declarations", "declaration_items",
              "rater_assignments", "ratings", "feedback_interviews", "point_records", "tasks",
              "rectifications", "results_use_entries", "care_actions", "bonus_lines")
    with psycopg.connect(_plain(settings.owner_database_url)) as owner:
        # estimates of the planner's statistics (RLS would hide the rows from a count)
        return {t: int(owner.execute("SELECT reltuples FROM pg_class WHERE relname = %s",
                                     (t,)).fetchone()[0])  # type: ignore[index]
                for t in tables}


async def time_comparison(settings: Settings, tenants: list[uuid.UUID],
                          periods: list[PeriodRef], runs: int, stored: bool
                          ) -> tuple[list[tuple[float, int, int]], Comparison]:
    engine = make_engine(settings.database_url, pooled=False)
    out = []
    try:
        sessionmaker = make_sessionmaker(engine)
        for _ in range(runs):
            async with tenant_transaction(sessionmaker, None, Scope.platform) as session:
                started = time.perf_counter()
                comparison = await read_comparison(session, tenants, periods, stored=stored)
                seconds = time.perf_counter() - started
            out.append((seconds, len(comparison.unit_rows), len(comparison.group_rows)))
    finally:
        await engine.dispose()
    return out, comparison


def sample(comparison: Comparison) -> str:
    """The figures of the first unit in the last quarter, as a sanity check."""
    row = next(r for r in reversed(comparison.unit_rows)
               if r.unit == comparison.units[0] and r.period.quarter is not None)
    values = ", ".join(f"{v.code} {v.value}" for v in row.figures if v.value is not None)
    return f"{row.label} {row.period.label}: {values}"


def run(units: int, people: int, quarter_count: int, runs: int, *, with_years: bool = True,
        database: Database = throwaway_database) -> dict[str, list[float]]:
    """Loads the units, then times the comparison over the quarters (and, ``with_years``, over
    the quarters and their years) ``runs`` times each, from stored figures and all live; prints
    each run and returns the seconds by case ("quarters", "quarters + years", each also
    ", all live")."""
    quarters = quarters_of(quarter_count)
    out: dict[str, list[float]] = {}
    with database() as settings:
        print(f"loading {units} units x {people} people x {len(quarters)} quarters "
              f"({quarters[0][0]}Q{quarters[0][1]}-{quarters[-1][0]}Q{quarters[-1][1]}) ...")
        started = time.perf_counter()
        tenants = load(settings, units, people, quarters)
        print(f"loaded in {time.perf_counter() - started:.0f} s; rows: "
              + ", ".join(f"{t} {n:,}" for t, n in row_counts(settings).items()))
        cases = [("quarters", [PeriodRef(y, q) for y, q in quarters])]
        if with_years:
            cases.append(("quarters + years", [PeriodRef(y, q) for y, q in quarters]
                          + [PeriodRef(y, None) for y in sorted({y for y, _ in quarters})]))
        for case, periods in cases:
            label = case.replace("quarters", f"{len(quarters)} quarters", 1)
            answers = []
            for stored in (True, False):
                timings, comparison = asyncio.run(time_comparison(settings, tenants, periods,
                                                                  runs, stored))
                answers.append(comparison)
                how = "stored figures" if stored else "all live"
                out[case if stored else f"{case}, all live"] = [t for t, _, _ in timings]
                for i, (seconds, unit_rows, group_rows) in enumerate(timings, 1):
                    print(f"comparison ({how}), {units} units x {label}, run {i}: "
                          f"{seconds:.3f} s ({unit_rows} unit rows, {group_rows} kind rows, "
                          "2 SQL statements)", flush=True)
            print("stored and live figures equal:", answers[0] == answers[1])
        print("sample:", sample(comparison))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--quarters", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    timings = run(args.units, args.people, args.quarters, args.runs)
    for case, seconds in timings.items():
        print(f"comparison, {args.units} units x {case}: median "
              f"{statistics.median(seconds):.3f} s")


if __name__ == "__main__":
    main()
