"""Benchmark: a two-level bonus run for 100,000 people in 2,000 departments, end to end.

    python -m bench.bonus_run [--people 100000] [--departments 2000] [--runs 3]

Starts a throwaway PostgreSQL, migrates it, loads one tenant (departments, people, a year
period with a result per person and per department), then runs the bonus job exactly
as the worker does (``workers.jobs.run_job`` with the bonus actor's body): read the snapshot
under RLS, allocate with ``rules.bonus``, write the run and its lines, mark the job done. A
few more jobs rerun it, replacing the draft (``--runs`` timed runs in all, then one more under
tracemalloc, for the peak of Python allocations). Prints time and peak memory of each run and the
median of the timed runs; checks every result sums to the pool. The machine is shared and noisy:
compare medians, not single runs.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import uuid
from decimal import Decimal
from typing import Any

import psycopg

from bench.support import Database, Measurement, measure, throwaway_database
from jixiao.settings import Settings
from rules.bonus.params import BonusRunParams
from vocab.jobs import JobKind

POOL_CENTS = 2_345_678_901_23  # 2,345,678,901.23 元
GRADES = (["excellent"] * 20 + ["competent"] * 70 + ["basically_competent"] * 7
          + ["incompetent"] + [None] * 2)
LEVELS = ("A", "B", "B", "C")


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def load_tenant(settings: Settings, people: int, departments: int) -> tuple[uuid.UUID, str]:
    """One tenant with ``departments`` departments under the root, ``people`` people spread
    over them, a year period, results. Returns (tenant id, period id)."""
    rnd = random.Random(20260101)
    tenant, root, period = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    with psycopg.connect(_plain(settings.database_url)) as conn, conn.transaction():
        conn.execute("SELECT set_config('app.scope', 'platform', true)")
        conn.execute("INSERT INTO tenants (id, code, name, kind) VALUES (%s, 'bench', "
                     "'基准测试街道', 'subdistrict')", (tenant,))
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tenant),))
        units = [uuid.uuid4() for _ in range(departments)]
        # COPY is refused under row-level security: batched INSERTs (psycopg pipelines them).
        cur = conn.cursor()
        cur.executemany(
            "INSERT INTO org_units (tenant_id, id, parent_id, code, name, kind, sort_order) "
            "VALUES (%s, %s, %s, %s, %s, 'department', %s)",
            [(tenant, root, None, "root", "基准测试街道", 0)]
            + [(tenant, u, root, f"d{i:04d}", f"第{i + 1}科", i) for i, u in enumerate(units)])
        cur.execute("INSERT INTO periods (tenant_id, id, kind, year, name, state) VALUES "
                    "(%s, %s, 'year', 2025, '2025年度', 'reviewing')", (tenant, period))
        cur.executemany(
            "INSERT INTO unit_results (tenant_id, id, period_id, unit_id, level) "
            "VALUES (%s, %s, %s, %s, %s)",
            [(tenant, uuid.uuid4(), period, u, LEVELS[i % len(LEVELS)])
             for i, u in enumerate(units)])
        person_ids = [uuid.uuid4() for _ in range(people)]
        homes = [units[i % departments] for i in range(people)]
        cur.executemany(
            "INSERT INTO people (tenant_id, id, employee_no, name, gender, unit_id, rank_title, "
            "comparison_group, appraised, status) "
            "VALUES (%s, %s, %s, %s, '男', %s, '科员', 'staff', true, 'active')",
            [(tenant, pid, f"E{i:06d}", f"人员{i:06d}", unit)
             for i, (pid, unit) in enumerate(zip(person_ids, homes, strict=True))])
        results = []
        for i, (pid, unit) in enumerate(zip(person_ids, homes, strict=True)):
            grade = rnd.choice(GRADES)
            if grade is not None:
                results.append((tenant, uuid.uuid4(), period, pid, unit,
                                f"{90 - i / people * 30:.4f}", i + 1, grade))
        cur.executemany(
            "INSERT INTO person_results (tenant_id, id, period_id, person_id, unit_id, "
            "comparison_group, score, rank, grade) "
            "VALUES (%s, %s, %s, %s, %s, 'staff', %s, %s, %s)", results)
    # Statistics, as autovacuum would gather them (the application role may not ANALYZE).
    with psycopg.connect(_plain(settings.owner_database_url), autocommit=True) as owner:
        owner.execute("ANALYZE")
    return tenant, str(period)


def add_job(settings: Settings, tenant: uuid.UUID, period: str) -> uuid.UUID:
    params = BonusRunParams(period_id=uuid.UUID(period), pool_cents=POOL_CENTS,
                            department_coefficients={"A": Decimal("1.2"), "B": Decimal("1.0"),
                                                     "C": Decimal("0.8")})
    data: dict[str, Any] = params.to_json() | {"period_name": "2025年度"}
    job = uuid.uuid4()
    with psycopg.connect(_plain(settings.database_url)) as conn, conn.transaction():
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tenant),))
        conn.execute("INSERT INTO jobs (tenant_id, id, kind, status, progress, params, "
                     "created_by, attempts) VALUES (%s, %s, 'bonus_run', 'queued', 0, %s, "
                     "'bench', 0)", (tenant, job, psycopg.types.json.Jsonb(data)))
    return job


def check(settings: Settings, tenant: uuid.UUID, job: uuid.UUID) -> dict[str, Any]:
    with psycopg.connect(_plain(settings.database_url)) as conn, conn.transaction():
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tenant),))
        status = conn.execute("SELECT status, error, result_id FROM jobs WHERE id = %s",
                              (job,)).fetchone()
        assert status is not None
        assert status[0] == "done", status
        lines = conn.execute("SELECT count(*), sum(cents), count(*) FILTER (WHERE included) "
                             "FROM bonus_lines WHERE run_id = %s", (status[2],)).fetchone()
        departments = conn.execute("SELECT count(*), sum(cents) FROM bonus_departments WHERE "
                                   "run_id = %s", (status[2],)).fetchone()
        runs = conn.execute("SELECT count(*) FROM bonus_runs").fetchone()
    assert lines is not None
    assert departments is not None
    assert lines[1] == POOL_CENTS, lines
    assert departments[1] == POOL_CENTS, departments
    assert runs == (1,)
    return {"lines": lines[0], "paid lines": lines[2], "departments": departments[0]}


def run(people: int, departments: int, *, runs: int = 3, trace: bool = True,
        database: Database = throwaway_database) -> list[Measurement]:
    """Loads the tenant, then runs the job ``runs`` times (each rerun replaces the draft), and
    once more under tracemalloc when ``trace``; prints and returns the measurements."""
    from jixiao.collector import tune_garbage_collector
    from workers.bonus import _body
    from workers.jobs import run_job

    out = []
    with database() as settings:
        print(f"loading {people:,} people in {departments:,} departments ...")
        with measure() as loading:
            tenant, period = load_tenant(settings, people, departments)
        print(f"  loaded in {loading.seconds:.1f} s (not part of the run)")
        labels = [(f"run {i + 1} of {runs} (read, compute, write"
                   + (")" if i == 0 else f"; replaces the {people:,}-line draft)"), False)
                  for i in range(runs)]
        if trace:
            labels.append(("one more, with tracemalloc (slower)", True))
        tune_garbage_collector()  # as the worker process tunes it (jixiao/worker.py)
        for label, traced in labels:
            job = add_job(settings, tenant, period)
            with measure(trace=traced) as m:
                outcome = asyncio.run(run_job(settings.worker(), tenant, job, JobKind.bonus_run,
                                             _body))
            assert outcome == "done", outcome
            m.notes.update(check(settings, tenant, job))
            print(m.line(label), flush=True)
            out.append(m)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else "")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--departments", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3, help="timed runs (median printed)")
    args = parser.parse_args(argv)
    runs = run(args.people, args.departments, runs=args.runs)
    seconds = [m.seconds for m in runs[:args.runs]]
    print(f"bonus run, {args.people:,} people / {args.departments:,} departments, end to end: "
          f"median {statistics.median(seconds):.2f} s of {len(seconds)} runs")

if __name__ == "__main__":
    main()
