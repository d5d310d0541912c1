"""Benchmark: the quarterly results report of a 500-person and of a 5,000-person unit, as PDF.

    python -m bench.report_pdf [--sizes 500 5000] [--chunk-rows 400] [--processes N]
                               [--repeat 3] [--no-compare]

Starts a throwaway PostgreSQL, loads a tenant with one department per size (people with a
quarterly result each), then runs the export job exactly as the worker does
(``workers.jobs.run_job`` with the export actor's body: read under RLS, render the PDF in chunks
with WeasyPrint, store it in ``report_files``, mark the job done). Each case runs in a fresh
process, so its peak RSS is its own; the runs laid out in parallel (``--processes``, default
the machine's cores up to 4) go to that process's pool of layout processes, started and warm
before the job is timed, as the worker starts them when it boots. Their CPU time for the job's
runs is added and their largest peak RSS is shown apart. ``--no-compare`` skips the reference
case: the largest unit laid out as one single document in one process (no chunks), which shows
what chunking saves.

Each rendering is then asked for again as a download would ask for it after confirmation: the
report's data read and digested and the cached files copied to a new job (no rendering), timed
as "cached". Every figure is the median of ``--repeat`` runs; on a shared machine wall time is
noisy (CPU seconds less so).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg

from bench.support import Database, max_rss_mb, measure, throwaway_database
from jixiao.settings import Settings
from resolvers.reports import ExportParams, ReportKind
from vocab.jobs import JobKind, ReportFormat

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂华建国志红文斌玉兰海燕鹏飞"
GRADES = ("good",) * 4 + ("fairly_good",) * 4 + ("average",) * 2


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def load_tenant(settings: Settings, sizes: list[int]) -> tuple[uuid.UUID, str, list[str]]:
    rnd = random.Random(7)
    tenant, root, period = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    units = [uuid.uuid4() for _ in sizes]
    with psycopg.connect(_plain(settings.database_url)) as conn, conn.transaction():
        cur = conn.cursor()
        cur.execute("SELECT set_config('app.scope', 'platform', true)")
        cur.execute("INSERT INTO tenants (id, code, name, kind) VALUES (%s, 'bench', "
                    "'基准测试区', 'county_bureau')", (tenant,))
        cur.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tenant),))
        cur.executemany(
            "INSERT INTO org_units (tenant_id, id, parent_id, code, name, kind, sort_order) "
            "VALUES (%s, %s, %s, %s, %s, 'department', %s)",
            [(tenant, root, None, "root", "基准测试区", 0)]
            + [(tenant, u, root, f"u{n}", f"{n}人测试局", i) for i, (u, n)
               in enumerate(zip(units, sizes, strict=True))])
        cur.execute("INSERT INTO periods (tenant_id, id, kind, year, quarter, name, state) VALUES "
                    "(%s, %s, 'quarter', 2025, 2, '2025年第二季度', 'publicizing')",
                    (tenant, period))
        people, results = [], []
        serial = 0
        for unit, n in zip(units, sizes, strict=True):
            for rank in range(1, n + 1):
                serial += 1
                pid = uuid.uuid4()
                name = rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN)
                people.append((tenant, pid, f"E{serial:06d}", name, unit))
                results.append((tenant, uuid.uuid4(), period, pid, unit,
                                f"{99 - 40 * rank / n:.4f}", rank, (rank + 1) // 2,
                                GRADES[min(9, 10 * (rank - 1) // n)]))
        cur.executemany(
            "INSERT INTO people (tenant_id, id, employee_no, name, gender, unit_id, rank_title, "
            "comparison_group, appraised, status) "
            "VALUES (%s, %s, %s, %s, '女', %s, '一级科员', 'staff', true, 'active')", people)
        cur.executemany(
            "INSERT INTO person_results (tenant_id, id, period_id, person_id, unit_id, "
            "comparison_group, score, rank, group_rank, grade) "
            "VALUES (%s, %s, %s, %s, %s, 'staff', %s, %s, %s, %s)", results)
    with psycopg.connect(_plain(settings.owner_database_url), autocommit=True) as owner:
        owner.execute("ANALYZE")
    return tenant, str(period), [str(u) for u in units]


def child(case: dict[str, Any]) -> dict[str, Any]:
    """One export job in this (fresh) process; returns its figures."""
    from workers.exports import _body
    from workers.jobs import run_job

    # The chunk size comes from the environment run_case sets (JIXIAO_REPORT_CHUNK_ROWS).
    settings = Settings.from_env().replace(database_url=case["database_url"])
    tenant, job = uuid.UUID(case["tenant"]), uuid.uuid4()
    params = ExportParams(ReportKind.unit_quarterly, period_id=uuid.UUID(case["period"]),
                          unit_id=uuid.UUID(case["unit"]), formats=(ReportFormat.pdf,))
    with psycopg.connect(_plain(settings.database_url)) as conn, conn.transaction():
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tenant),))
        conn.execute("INSERT INTO jobs (tenant_id, id, kind, status, progress, params, "
                     "created_by, attempts) VALUES (%s, %s, 'export', 'queued', 0, %s, "
                     "'bench', 0)", (tenant, job, psycopg.types.json.Jsonb(params.to_json())))
    import workers.exports
    from reports import layout_pool
    from reports.pdf import PdfRenderer

    # As the worker does when it boots (workers.exports.LayoutPoolWarmer): the layout
    # processes are started and warm before the first job.
    processes = workers.exports.layout_processes(settings.worker())
    if processes > 1:
        for ready in layout_pool.warm(processes):
            ready.result()

    renderers: list[Recorded] = []

    class Recorded(PdfRenderer):
        """The layout processes' CPU and memory as they report it, and the rendering's time
        (from the first layout to the PDF written)."""

        seconds = 0.0

        def __post_init__(self) -> None:
            super().__post_init__()
            renderers.append(self)

        def __iter__(self) -> Iterator[tuple[int, int]]:
            start = time.perf_counter()
            try:
                yield from super().__iter__()
            finally:
                self.seconds += time.perf_counter() - start

        def result(self) -> bytes:
            start = time.perf_counter()
            try:
                return super().result()
            finally:
                self.seconds += time.perf_counter() - start

    workers.exports.PdfRenderer = Recorded  # type: ignore[attr-defined]
    before = max_rss_mb()
    cpu = time.process_time()
    with measure(trace=case.get("trace", False)) as m:
        outcome = asyncio.run(run_job(settings.worker(), tenant, job, JobKind.export, _body))
    assert outcome == "done", outcome
    # This process's CPU and the layout processes' CPU for their runs, as they report it, with
    # their peak RSS.
    pool = [usage for r in renderers for usage in r.pool_usage.values()]
    cpu = time.process_time() - cpu + sum(spent for spent, _ in pool)
    layout_pool.shutdown()
    with psycopg.connect(_plain(settings.database_url)) as conn, conn.transaction():
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tenant),))
        row = conn.execute("SELECT pages, size FROM report_files WHERE job_id = %s",
                           (job,)).fetchone()
    assert row is not None
    cached = asyncio.run(_cached(settings, tenant, params))
    children = max([resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024]
                   + [rss for _, rss in pool])
    return {"seconds": m.seconds, "render_seconds": sum(r.seconds for r in renderers),
            "cpu_seconds": cpu, "rss_before_mb": before,
            "rss_peak_mb": m.rss_peak_mb, "children_rss_peak_mb": children,
            "python_peak_mb": m.python_peak_mb, "pages": row[0], "bytes": row[1],
            "cached_seconds": cached}


async def _cached(settings: Settings, tenant: uuid.UUID, params: ExportParams) -> float | None:
    """The request's work for a download after confirmation: the report's data read and
    digested, a job created done, the cached files copied to it. None: nothing cached."""
    from sqlalchemy import text

    from resolvers.context import Context
    from resolvers.reports import cache
    from tenants.db import make_engine, make_sessionmaker, tenant_transaction

    engine = make_engine(settings.database_url, pooled=False)
    try:
        start = time.perf_counter()
        async with tenant_transaction(make_sessionmaker(engine), tenant) as session:
            ctx = Context(session=session, settings=settings.use_cases())
            digest = await cache.cached_digest(ctx, params)
            if digest is None:
                return None
            job = uuid.uuid4()
            await session.execute(text(
                "INSERT INTO jobs (id, kind, status, progress, params, created_by, attempts) "
                "VALUES (:id, 'export', 'done', 100, '{}', 'bench', 0)"), {"id": job})
            assert await cache.copy_files(session, params, digest, job) == len(params.formats)
        return time.perf_counter() - start
    finally:
        await engine.dispose()


def run_case(case: dict[str, Any], chunk_rows: int, processes: int | None) -> dict[str, Any]:
    env = dict(os.environ, JIXIAO_REPORT_CHUNK_ROWS=str(chunk_rows))
    if processes is not None:
        env["JIXIAO_REPORT_PROCESSES"] = str(processes)
    done = subprocess.run([sys.executable, "-m", "bench.report_pdf", "--child", json.dumps(case)],
                          env=env, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run_cases(sizes: list[int], chunk_rows: int = 400, *, compare: bool = True,
              trace: bool = False, processes: int | None = None, repeat: int = 1,
              database: Database = throwaway_database) -> list[dict[str, Any]]:
    """Loads one unit per size and exports each unit's report in a fresh process ``repeat``
    times (then, with ``compare``, the largest as one document in one process); prints and
    returns each case's medians (``seconds``, ``cpu_seconds``, ``rss_peak_mb``,
    ``cached_seconds``: the download after confirmation), with ``people`` and ``chunk_rows``."""
    out = []
    with database() as settings:
        tenant, period, units = load_tenant(settings, sizes)
        cases = [(n, unit, chunk_rows, processes) for n, unit in zip(sizes, units, strict=True)]
        if compare:
            biggest = max(range(len(sizes)), key=lambda i: sizes[i])
            cases.append((sizes[biggest], units[biggest], 10**9, 1))
        for n, unit, chunk, procs in cases:
            case = {"database_url": settings.database_url, "tenant": str(tenant),
                    "period": period, "unit": unit, "trace": trace}
            runs = [run_case(case, chunk, procs) for _ in range(max(1, repeat))]

            def median(key: str, runs: list[dict[str, Any]] = runs) -> Any:
                values = [r[key] for r in runs if r.get(key) is not None]
                return statistics.median(values) if values else None

            r = runs[0]
            how = (f"chunks of {chunk} rows, {procs or 'default'} processes"
                   if chunk < 10**9 else "one document, no chunks, one process")
            line = (f"{n:>5} people ({how}): {median('seconds'):.1f} s, of which rendering "
                    f"{median('render_seconds'):.1f} s (CPU {median('cpu_seconds'):.1f} s), "
                    f"{r['pages']} pages, "
                    f"{r['bytes'] / 2**20:.1f} MB PDF, peak RSS {median('rss_peak_mb'):.0f} MB "
                    f"(process at start of the job {median('rss_before_mb'):.0f} MB; largest "
                    f"layout process {median('children_rss_peak_mb'):.0f} MB)")
            if median("python_peak_mb") is not None:
                line += f", peak Python allocations {median('python_peak_mb'):.0f} MB"
            if median("cached_seconds") is not None:
                line += f"; download after confirmation (cached) {median('cached_seconds'):.3f} s"
            print(f"{line} [median of {len(runs)}]", flush=True)
            out.append({key: median(key) for key in r} | {
                "pages": r["pages"], "bytes": r["bytes"], "people": n, "chunk_rows": chunk})
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="quarterly results report PDF benchmark")
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--chunk-rows", type=int, default=400)
    parser.add_argument("--processes", type=int, default=None,
                        help="layout processes (default: the code's, the cores up to 4)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (medians)")
    parser.add_argument("--no-compare", action="store_true")
    parser.add_argument("--trace", action="store_true", help="also run tracemalloc (slower)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return
    run_cases(args.sizes, args.chunk_rows, compare=not args.no_compare, trace=args.trace,
              processes=args.processes, repeat=args.repeat)


if __name__ == "__main__":
    main()
