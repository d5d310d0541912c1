"""Benchmark: the whole demo with its year, as the run command loads it.

    python -m bench.demo_load [--runs 3] [--processes N] [--profile CODE] [--unit CODE]

Each run starts a throwaway PostgreSQL, migrates it (not timed), then loads the pilot's demo
tenants and the year of every appraised unit as ``jixiao local`` does (``jixiao.cli.load_demo``:
the tenants, then ``demo.load.load_demo_years``, the units side by side in worker processes),
timing the whole and each unit's year (seconds and SQL statements, as its worker counted
them), and the CPU seconds of the loader's processes and of PostgreSQL (on a quiet machine
with two cores the wall time approaches half their sum). Prints each run and the medians.
``--profile CODE`` loads the tenants, then one unit's year in this process under cProfile,
and prints the costliest functions by own and cumulative time. ``--unit CODE`` times one unit's
year alone in this process (wall, loader CPU, PostgreSQL CPU, statements): the CPU seconds stay
comparable when the machine is busy, the wall time does not.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import statistics
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import make_url

from bench.support import throwaway_database
from jixiao.settings import Settings


@dataclass
class Run:
    total: float = 0.0
    tenants: float = 0.0
    loader_cpu: float = 0.0
    postgres_cpu: float = 0.0
    units: dict[str, tuple[float, int]] = field(default_factory=dict)


def _postgres_cpu(port: int) -> float:
    """CPU seconds of the cluster listening on ``port``: its postmaster and live backends, plus
    the ended backends the postmaster reaped (Linux /proc; 0 elsewhere)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if args and args[0].endswith(b"postgres") and str(port).encode() in args:
            # the postmaster: utime stime cutime cstime (its reaped backends included)
            total += sum(int(v) for v in stat[11:15]) / tick
            children = [p for p in Path("/proc").iterdir() if p.name.isdigit()]
            for child in children:
                try:
                    cstat = (child / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if cstat[1] == entry.name:
                    total += sum(int(v) for v in cstat[11:13]) / tick
    return total


def one_run(settings: Settings, processes: int | None) -> Run:
    from demo.load import load_demo_years
    from jixiao.cli import load_demo

    run = Run()
    port = make_url(settings.database_url).port or 5432
    pg_before = _postgres_cpu(port)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    self_before = time.process_time()
    start = time.perf_counter()
    load_demo(settings)
    run.tenants = time.perf_counter() - start
    years = load_demo_years(settings.database_url, settings.use_cases(), date.today(),
                            processes=processes)
    run.total = time.perf_counter() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    run.loader_cpu = (time.process_time() - self_before + children.ru_utime + children.ru_stime
                      - children_before.ru_utime - children_before.ru_stime)
    run.postgres_cpu = _postgres_cpu(port) - pg_before
    run.units = {y.code: (y.seconds, y.statements) for y in years}
    return run


def profile(settings: Settings, code: str) -> None:
    from demo.load import load_demo_years
    from jixiao.cli import load_demo

    load_demo(settings)
    profiler = cProfile.Profile()
    profiler.enable()
    load_demo_years(settings.database_url, settings.use_cases(), date.today(), (code,),
                    processes=1)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(60)


def one_unit(settings: Settings, code: str) -> None:
    from demo.load import load_demo_years
    from jixiao.cli import load_demo

    load_demo(settings)
    port = make_url(settings.database_url).port or 5432
    pg_before, cpu_before = _postgres_cpu(port), time.process_time()
    start = time.perf_counter()
    [loaded] = load_demo_years(settings.database_url, settings.use_cases(), date.today(),
                               (code,), processes=1)
    wall = time.perf_counter() - start
    print(f"{code}: {wall:.1f} s wall, loader CPU {time.process_time() - cpu_before:.1f} s, "
          f"PostgreSQL CPU {_postgres_cpu(port) - pg_before:.1f} s, "
          f"{loaded.statements} statements")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--processes", type=int,
                        help="worker processes for the years (default: the run command's)")
    parser.add_argument("--profile", metavar="CODE", help="profile one unit's year instead")
    parser.add_argument("--unit", metavar="CODE", help="time one unit's year alone")
    args = parser.parse_args()
    if args.unit:
        for _ in range(args.runs):
            with throwaway_database() as settings:
                one_unit(settings, args.unit)
        return
    if args.profile:
        with throwaway_database() as settings:
            profile(settings, args.profile)
        return
    runs = []
    for n in range(args.runs):
        with throwaway_database() as settings:
            run = one_run(settings, args.processes)
        runs.append(run)
        units = ", ".join(f"{code} {s:.1f} s / {q:,} statements"
                          for code, (s, q) in run.units.items())
        print(f"run {n + 1}: total {run.total:.1f} s (tenants {run.tenants:.1f} s; CPU: "
              f"loader {run.loader_cpu:.1f} s, PostgreSQL {run.postgres_cpu:.1f} s; "
              f"years: {units})", flush=True)
    print(f"median of {len(runs)}: total {statistics.median(r.total for r in runs):.1f} s "
          f"(tenants {statistics.median(r.tenants for r in runs):.1f} s); CPU: loader "
          f"{statistics.median(r.loader_cpu for r in runs):.1f} s, PostgreSQL "
          f"{statistics.median(r.postgres_cpu for r in runs):.1f} s; each unit's year:")
    for code in sorted(runs[0].units, key=lambda c: -runs[0].units[c][0]):
        seconds = statistics.median(r.units[code][0] for r in runs)
        statements = statistics.median(r.units[code][1] for r in runs)
        print(f"  {code:<8} {seconds:6.1f} s  {statements:9,.0f} statements")


if __name__ == "__main__":
    main()
