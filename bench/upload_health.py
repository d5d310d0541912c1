"""Benchmark: /healthz latency while hostile spreadsheets are imported.

    python -m bench.upload_health [--rows 100000] [--bomb-mb 125] [--runs 5]

Starts a throwaway PostgreSQL, loads the demo units and serves the API with uvicorn in a child
process (as in production, so the client's threads here do not compete with the server). One
thread polls /healthz without pause; meanwhile the demo admin of 城东纪委 imports, ``--runs``
times each, a roster XLSX of ``--rows`` people and a zip bomb whose sheet inflates to
``--bomb-mb`` MB. Prints the health latency (p50, p99, max, failures) at rest and during the
imports, and what each import answered. The goal: p99 under 100 ms while importing.
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx2

from bench.support import throwaway_database
from bench.upload_files import long_roster, zip_bomb
from jixiao.localservers import free_port, port_open

ROOT = Path(__file__).resolve().parent.parent
IMPORT = ("mutation($f:String!,$c:String!){ importRoster(input:{filename:$f,contentBase64:$c})"
          " { created userErrors { code message } } }")
LOGIN = ("mutation($t:String!,$u:String!,$p:String!){login(tenantCode:$t,username:$u,password:$p)"
         "{token}}")


class Poller:
    def __init__(self, url: str) -> None:
        self.url = url
        self.latencies: list[float] = []
        self.failures = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        with httpx2.Client(timeout=5) as client:
            while not self.stop.is_set():
                start = time.perf_counter()
                try:
                    ok = client.get(f"{self.url}/healthz").status_code == 200
                except httpx2.HTTPError:
                    ok = False
                if ok:
                    self.latencies.append(time.perf_counter() - start)
                else:
                    self.failures += 1

    def take(self) -> tuple[list[float], int]:
        latencies, failures = self.latencies, self.failures
        self.latencies, self.failures = [], 0
        return latencies, failures


def summary(label: str, latencies: list[float], failures: int) -> str:
    if not latencies:
        return f"{label}: no answers, {failures} failures"
    ms = sorted(x * 1000 for x in latencies)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    return (f"{label}: {len(ms)} polls, p50 {statistics.median(ms):.1f} ms, p99 {p99:.1f} ms, "
            f"max {ms[-1]:.1f} ms, {failures} failures")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--bomb-mb", type=int, default=125)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    files = {f"{args.rows} 行花名册": long_roster(args.rows),
             f"解压 {args.bomb_mb} MB 的压缩炸弹": zip_bomb(args.bomb_mb)}
    for label, content in files.items():
        print(f"{label}: {len(content) / 1024:.0f} KB")
    from jixiao.cli import load_demo

    with throwaway_database() as settings:
        load_demo(settings)
        port = free_port()
        env = {**os.environ, "JIXIAO_DATABASE_URL": settings.database_url,
               "JIXIAO_OWNER_DATABASE_URL": settings.owner_database_url}
        server = subprocess.Popen([sys.executable, "-m", "uvicorn", "jixiao.asgi:app",
                                   "--port", str(port), "--log-level", "warning"],
                                  env=env, cwd=ROOT)
        try:
            while not port_open(port):
                time.sleep(0.1)
            url = f"http://127.0.0.1:{port}"
            run(url, files, args.runs)
        finally:
            server.terminate()
            server.wait(timeout=30)


def run(url: str, files: dict[str, bytes], runs: int) -> None:
    with httpx2.Client(base_url=url, timeout=600) as client:
        token = client.post("/graphql", json={"query": LOGIN, "variables": {
            "t": "cdjw", "u": "admin", "p": "Demo@2026"}}).json()["data"]["login"]["token"]
        client.headers["authorization"] = f"Bearer {token}"
        poller = Poller(url)
        poller.thread.start()
        time.sleep(2)
        print(summary("/healthz at rest", *poller.take()))
        for label, content in files.items():
            encoded = base64.b64encode(content).decode()
            seconds = []
            answer = ""
            for _ in range(runs):
                start = time.perf_counter()
                body = client.post("/graphql", json={"query": IMPORT, "variables": {
                    "f": "花名册.xlsx", "c": encoded}}).json()
                seconds.append(time.perf_counter() - start)
                payload = body["data"]["importRoster"]
                answer = "; ".join(e["message"] for e in payload["userErrors"]) or str(payload)
            print(f"importing {label}: {runs} runs, {statistics.median(seconds):.2f} s each "
                  f"(median), answered “{answer}”")
            print(summary(f"/healthz while importing {label}", *poller.take()))
        poller.stop.set()
        poller.thread.join()


if __name__ == "__main__":
    main()
