"""Benchmark: what one API process serves at a declaration deadline (the write peak).

    python -m bench.declaration_deadline [--people 200] [--requests 300]

Starts a throwaway PostgreSQL, migrates it, loads a synthetic unit (tests/factories.py) with a
published scheme and tasks, opens a quarter for declaring, then plays what a staff member does
on the last day, in one API process (the real app through Starlette's test client: routing,
authentication, the request transaction, row-level security; no network): the page's query
(the offered sources and the own declaration), saving a draft of three items, submitting.
Prints the median and 95th percentile per request, the requests per second of one process
(the app runs one event loop per process), and the process's CPU time per request (the test
client included): what a core can serve when the machine is not shared; PostgreSQL's own CPU
time is counted apart (its processes' CPU time, from /proc).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from datetime import date
from pathlib import Path

from starlette.testclient import TestClient

from bench.support import max_rss_mb, throwaway_database
from tests.conftest import Api
from tests.factories import load_synthetic, seed_plan
from tests.test_periods import advance_to

PAGE = ("query($p:ID!){ declarationSources(periodId:$p) { tasks { id code sourceLabel } "
        "indicators { id code } } }")
SAVE = ("mutation($p:ID!,$items:[DeclarationItemInput!]!){ saveDeclaration(periodId:$p,"
        "items:$items) { declaration { id status } userErrors { code } } }")
CONTENT = "按期办结法律援助案件，群众满意度明显提升。"


def _stat(pid: str) -> tuple[int, float]:
    """A process's parent and CPU seconds (user + system), from /proc."""
    fields = (Path("/proc") / pid / "stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cluster_cpu_seconds(port: int) -> float:
    """CPU seconds used so far by the PostgreSQL listening on ``port`` and its live children
    (the pooled connections' backends)."""
    procs: dict[int, tuple[int, float]] = {}
    postmaster = None
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
            procs[int(entry.name)] = _stat(entry.name)
        except (OSError, ValueError, IndexError):
            continue
        if b"-p" in args and str(port).encode() in args:
            postmaster = int(entry.name)
    return sum(cpu for pid, (parent, cpu) in procs.items() if postmaster in (pid, parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    from jixiao.app import create_app

    with throwaway_database() as settings:
        settings = settings.replace(secret_key="bench-secret-" + "x" * 32)
        port = int(settings.database_url.rsplit(":", 1)[1].split("/")[0])
        asyncio.run(load_synthetic(settings, "bench", args.people))
        ids = asyncio.run(seed_plan(settings, "bench", date.today().year))
        with TestClient(create_app(settings)) as client:
            api = Api(client)
            period = api.as_("bench", "admin", "mutation($i:PeriodInput!){ createPeriod("
                             "input:$i) { period { id } } }", {"i": {
                                 "kind": "quarter", "year": date.today().year,
                                 "quarter": (date.today().month - 1) // 3 + 1}})
            period_id = period["data"]["createPeriod"]["period"]["id"]
            advance_to(api, "bench", period_id, "declaring")
            items = [{"title": f"实绩{n}", "content": CONTENT, "selfAssessment": "较好完成",
                      "taskId": ids["mine"] if n == 1 else None, "indicatorId": None}
                     for n in range(1, 4)]
            api.login("bench", "ganbu")
            timings: dict[str, list[float]] = {"page": [], "save": []}
            cpu, db_cpu = time.process_time(), cluster_cpu_seconds(port)
            for _ in range(args.requests):
                for name, query, variables in (("page", PAGE, {"p": period_id}),
                                               ("save", SAVE, {"p": period_id,
                                                               "items": items})):
                    start = time.perf_counter()
                    body = api.as_("bench", "ganbu", query, variables)
                    timings[name].append(time.perf_counter() - start)
                    assert "errors" not in body, body
            cpu = time.process_time() - cpu
            db_cpu = cluster_cpu_seconds(port) - db_cpu
        every = timings["page"] + timings["save"]
        for name, values in (*timings.items(), ("all", every)):
            ordered = sorted(values)
            print(f"{name}: median {statistics.median(ordered) * 1000:.1f} ms, p95 "
                  f"{ordered[int(len(ordered) * 0.95)] * 1000:.1f} ms over {len(ordered)}")
        print(f"one process: {len(every) / sum(every):.0f} requests/s; CPU "
              f"{cpu / len(every) * 1000:.1f} ms per request ({len(every) / cpu:.0f} requests/s "
              f"per core); PostgreSQL CPU {db_cpu / len(every) * 1000:.1f} ms per request; "
              f"peak RSS {max_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
