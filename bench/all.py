"""Every figure of issue 16's target table, side by side with its reference and its target.

    python -m bench.all [--quick] [--no-postgraphile] [--parts api bonus pdf city]
                        [--size city_units=10 ...]

Starts one throwaway PostgreSQL (``bench.support.shared_cluster``: migrated once, a fresh copy
of the database per part), then runs the parts one after another through the benchmark
modules' own functions: the API's reads against PostGraphile v4 and a hand-written SQL query
(``bench.api_load``: wrk at fixed concurrency, the servers alternating, medians of rounds), the
bonus run (``bench.bonus_run``), the quarterly PDFs (``bench.report_pdf``) and the city
comparison (``bench.oversight``). Each part prints its own lines as it goes; the table comes
last, as Markdown. References: PostGraphile and the SQL query where the issue compares with
them, otherwise the figure the issue measured before the work. The machine is shared and
noisy: compare figures of one run, and read ratios rather than absolute numbers.

``--quick`` runs small sizes (a 120-person unit, 2,000 people in the bonus run, 20- and
60-person PDFs, 2 units x 2 quarters) with two-second load runs and without PostGraphile: it
checks that the command works end to end (tests/test_bench_all.py); its figures say nothing
about the targets (the "met" column says so).
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench import api_load, bonus_run, oversight, report_pdf, serving
from bench.support import Database, shared_cluster

PARTS = ("api", "bonus", "pdf", "city")


@dataclass(frozen=True)
class Sizes:
    unit_people: int = 2000
    seconds: float = 10
    rounds: int = 3
    dashboard_requests: int = 20
    bonus_people: int = 100_000
    bonus_departments: int = 2_000
    pdf_small: int = 500
    pdf_large: int = 5000
    pdf_runs: int = 3
    city_units: int = 50
    city_people: int = 2000
    city_quarters: int = 8
    city_runs: int = 3


QUICK = Sizes(unit_people=120, seconds=2, rounds=1, dashboard_requests=1, bonus_people=2_000,
              bonus_departments=40, pdf_small=20, pdf_large=60, pdf_runs=1, city_units=2,
              city_people=20, city_quarters=2, city_runs=1)


@dataclass(frozen=True)
class Row:
    """One line of the table. ``value`` and ``limit`` give the ratio to the target (None: not
    measured); ``at_least``: the target is a floor (a throughput ratio), else a ceiling."""

    figure: str
    measured: str
    reference: str
    target: str
    value: float | None
    limit: float
    at_least: bool = False

    def cells(self) -> list[str]:
        if self.value is None:
            return [self.figure, self.measured, self.reference, self.target, "—", "—"]
        ratio = self.value / self.limit
        met = self.value >= self.limit if self.at_least else self.value <= self.limit
        return [self.figure, self.measured, self.reference, self.target, f"{ratio:.2f}",
                "yes" if met else "no"]


def table(rows: list[Row], quick: bool = False) -> str:
    head = ["figure", "measured", "reference", "target", "measured / target", "met"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        cells = row.cells()
        if quick:
            cells[-1] = "n/a (--quick)"
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _ms(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f} ms"


def _statements(counts: dict[str, int], name: str) -> str:
    pings = counts[f"{name} pings"]
    return f"{counts[name]}" + (f" + {pings} pre-ping" if pings else "")


def api_rows(figures: api_load.Figures, sizes: Sizes) -> list[Row]:
    median = serving.median
    api_rate = median(figures.people_api, "per_second")
    pg_rate = median(figures.people_postgraphile, "per_second")
    api_cpu = median(figures.people_api, "cpu_ms")
    pg_cpu = median(figures.people_postgraphile, "cpu_ms")
    if figures.people_postgraphile and api_rate is not None and pg_rate:
        throughput = Row("page of 50 people, throughput vs PostGraphile v4, c=8, one API process",
                         f"{api_rate / pg_rate:.2f}x (API {api_rate:.0f}/s)",
                         f"PostGraphile {pg_rate:.0f}/s", ">= 0.5x", api_rate / pg_rate, 0.5,
                         at_least=True)
    else:
        throughput = Row("page of 50 people, throughput vs PostGraphile v4, c=8, one API process",
                         f"API {api_rate or 0:.0f}/s", f"PostGraphile: {figures.postgraphile_note}",
                         ">= 0.5x", None, 0.5, at_least=True)
    cpu_reference = (f"PostGraphile {_ms(pg_cpu)}" if pg_cpu is not None
                     else f"PostGraphile: {figures.postgraphile_note}")
    statements = figures.statements
    api_p95 = median(figures.dashboard_api, "p95_ms")
    sql_p95 = median(figures.dashboard_sql, "p95_ms")
    api_dash_rate = median(figures.dashboard_api, "per_second")
    sql_rate = median(figures.dashboard_sql, "per_second")
    dashboard_ratio = api_p95 / sql_p95 if api_p95 is not None and sql_p95 else None
    return [
        throughput,
        Row("server CPU per request, same query", f"API {_ms(api_cpu)}", cpu_reference,
            "<= 5 ms", api_cpu, 5.0),
        Row("SQL statements of an authenticated `{ __typename }`",
            f"{_statements(statements, 'typename')} (people page "
            f"{_statements(statements, 'people')}, dashboard "
            f"{_statements(statements, 'dashboard')})", "7 before", "<= 3",
            statements["typename"] + statements["typename pings"], 3),
        Row(f"dashboard of a {sizes.unit_people:,}-person unit, p95 at c=4 vs hand-written SQL",
            ("—" if dashboard_ratio is None else f"{dashboard_ratio:.1f}x")
            + f" (API p95 {_ms(api_p95, 0)}, {api_dash_rate or 0:.1f}/s)",
            f"one SQL query: p95 {_ms(sql_p95)}, {sql_rate or 0:.0f}/s", "<= 3x",
            dashboard_ratio, 3.0),
    ]


def bonus_row(sizes: Sizes, database: Database) -> Row:
    runs = bonus_run.run(sizes.bonus_people, sizes.bonus_departments, trace=False,
                         database=database)
    seconds = statistics.median(m.seconds for m in runs)
    return Row(f"bonus run, {sizes.bonus_people:,} people / {sizes.bonus_departments:,} "
               "departments, end to end", f"{seconds:.1f} s (median of {len(runs)})",
               "15 s before", "<= 5 s", seconds, 5.0)


def rendering(case: dict[str, Any]) -> str:
    """The rendering's time (from the first layout to the PDF written) and the whole export
    job's (its data read, the file stored)."""
    return f"{case['render_seconds']:.1f} s (the job {case['seconds']:.1f} s)"


def pdf_rows(sizes: Sizes, database: Database) -> list[Row]:
    cases = report_pdf.run_cases([sizes.pdf_small, sizes.pdf_large], compare=False,
                                 repeat=sizes.pdf_runs, database=database)
    small, large = (next(c for c in cases if c["people"] == n)
                    for n in (sizes.pdf_small, sizes.pdf_large))
    cached = small.get("cached_seconds")
    # Peak memory of the job's process and of the largest layout process beside it.
    large_rss = max(large["rss_peak_mb"], large.get("children_rss_peak_mb") or 0)
    return [
        Row(f"{sizes.pdf_small}-person quarterly PDF, first download after confirmation",
            f"{cached:.3f} s (from the report cache)" if cached is not None
            else "not measured", "~6 s before", "<= 0.5 s (cached)",
            cached if cached is not None else float("inf"), 0.5),
        Row(f"{sizes.pdf_small}-person quarterly PDF, rendering", rendering(small),
            "~6 s before", "<= 3 s", small["render_seconds"], 3.0),
        Row(f"{sizes.pdf_large:,}-person quarterly PDF rendering", rendering(large),
            "63 s before", "<= 30 s", large["render_seconds"], 30.0),
        Row(f"{sizes.pdf_large:,}-person quarterly PDF rendering, peak RSS",
            f"{large_rss:.0f} MB (largest process)", "1.3 GB before (unchunked)", "< 400 MB",
            large_rss, 400.0),
    ]


def city_row(sizes: Sizes, database: Database) -> Row:
    timings = oversight.run(sizes.city_units, sizes.city_people, sizes.city_quarters,
                            sizes.city_runs, with_years=False, database=database)
    ms = 1000 * statistics.median(timings["quarters"])
    return Row(f"city comparison, {sizes.city_units} units x {sizes.city_quarters} closed "
               "quarters", f"{ms:.0f} ms (median of {sizes.city_runs})", "11-17 s before",
               "<= 200 ms", ms, 200.0)


def run(sizes: Sizes, parts: tuple[str, ...], postgraphile: str | None,
        say: Callable[[str], None] = print) -> list[Row]:
    """Runs the ``parts``; ``postgraphile`` is None to include it, else why it is skipped."""
    rows: list[Row] = []
    started = time.perf_counter()
    with shared_cluster() as database:
        say(f"PostgreSQL started and migrated in {time.perf_counter() - started:.0f} s")
        if "api" in parts:
            say("== the API's reads ==")
            if postgraphile:
                say(f"PostGraphile: {postgraphile}")
            figures = api_load.run(sizes.unit_people, sizes.seconds, sizes.rounds,
                                   postgraphile is None, database, say,
                                   sizes.dashboard_requests)
            figures.postgraphile_note = postgraphile
            rows += api_rows(figures, sizes)
        if "bonus" in parts:
            say("== bonus run ==")
            rows.append(bonus_row(sizes, database))
        if "pdf" in parts:
            say("== quarterly PDFs ==")
            rows += pdf_rows(sizes, database)
        if "city" in parts:
            say("== city comparison ==")
            rows.append(city_row(sizes, database))
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="small sizes, short runs, no PostGraphile (checks the command)")
    parser.add_argument("--no-postgraphile", action="store_true")
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS))
    parser.add_argument("--size", action="append", default=[], metavar="NAME=VALUE",
                        help="change one size, e.g. city_units=10 (names: "
                             + ", ".join(f.name for f in dataclasses.fields(Sizes)) + ")")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else Sizes()
    for change in args.size:
        name, _, value = change.partition("=")
        if name not in {f.name for f in dataclasses.fields(Sizes)}:
            parser.error(f"no size called {name}")
        changed: dict[str, Any] = {
            name: float(value) if isinstance(getattr(sizes, name), float) else int(value)}
        sizes = dataclasses.replace(sizes, **changed)
    skipped = ("skipped (--quick)" if args.quick
               else "skipped (--no-postgraphile)" if args.no_postgraphile else None)
    started = time.perf_counter()
    rows = run(sizes, tuple(args.parts), skipped)
    which = "quick sizes" if args.quick else "the issue's sizes"
    if args.size:
        which += " except " + ", ".join(args.size)
    print(f"\nissue 16, figures of this run ({which}, {time.perf_counter() - started:.0f} s; "
          "a shared, noisy machine):\n", flush=True)
    print(table(rows, args.quick))


if __name__ == "__main__":
    main()
