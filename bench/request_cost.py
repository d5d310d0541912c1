"""What one authenticated request costs the API process: CPU and SQL statements.

    python -m bench.request_cost [--runs 5] [--requests 200]

Starts its own PostgreSQL and Redis, loads a synthetic unit of 60 people (tests/factories.py)
and serves the app with uvicorn in a child process (one worker, as in production). Then, for
each query and caller, it sends ``--requests`` requests one after another over one keep-alive
connection, ``--runs`` times, and prints the medians of:

- server CPU per request: user + system time of the uvicorn process (``/proc/<pid>/stat``)
  divided by the requests, so the load generator's own CPU is not counted;
- wall time per request (client included: loopback HTTP, JSON);
- SQL statements per request, counted by a ``before_cursor_execute`` listener on an
  in-process app's engine (the session's last-use write, at most once a minute, excluded).

The queries: ``{ __typename }`` (only authentication) and a page of 50 people with their unit,
post and managers. The machine is shared and noisy: compare medians, run it twice.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import event
from starlette.testclient import TestClient

from bench.support import throwaway_database
from jixiao.localservers import LocalRedis, free_port, port_open
from jixiao.settings import Settings
from tests.factories import load_synthetic

CODE = "benchreq"
TYPENAME = "{ __typename }"
PEOPLE_PAGE = """{ people(first: 50) { totalCount edges { node { id name employeeNo
  unit { id name parent { name } } post { name } managers { kind name unit { name } } } } } }"""
QUERIES = {"{ __typename }": TYPENAME, "50 人名册页": PEOPLE_PAGE}
# Callers: the administrator (no managed units) and a department head (manages a subtree).
CALLERS = ("admin", "kezhang")
LOGIN = ("mutation($t:String!,$u:String!,$p:String!){login(tenantCode:$t,username:$u,"
         "password:$p){token userErrors{code message}}}")
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    root = Path(tempfile.mkdtemp(prefix="jixiao-bench-redis-"))
    redis = LocalRedis(root, free_port()).start()
    try:
        yield redis.url
    finally:
        redis.stop()
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def uvicorn_process(settings: Settings) -> Iterator[tuple[str, int]]:
    port = free_port()
    env = {**os.environ, "JIXIAO_DATABASE_URL": settings.database_url,
           "JIXIAO_OWNER_DATABASE_URL": settings.owner_database_url,
           "JIXIAO_REDIS_URL": settings.redis_url, "JIXIAO_SECRET_KEY": settings.secret_key}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "jixiao.asgi:app", "--host", "127.0.0.1", "--port",
         str(port), "--log-level", "warning", "--no-access-log"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not port_open(port):
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def login(post: Any, username: str) -> str:
    body = post(LOGIN, {"t": CODE, "u": username, "p": "Demo@2026"}, None)
    token = body["data"]["login"]["token"]
    assert token, body
    return str(token)


def statements(settings: Settings) -> dict[tuple[str, str], int]:
    """Statements per request of each query and caller, in an in-process app."""
    from jixiao.app import create_app

    counted: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.startswith("UPDATE account_sessions SET last_seen_at"):
            counted.append(statement)

    result = {}
    with TestClient(create_app(settings)) as client:
        def post(query: str, variables: dict[str, Any] | None, token: str | None) -> Any:
            headers = {"authorization": f"Bearer {token}"} if token else {}
            return client.post("/graphql", json={"query": query, "variables": variables or {}},
                               headers=headers).json()

        engine = client.app.state.engine.sync_engine  # type: ignore[attr-defined]
        for username in CALLERS:
            token = login(post, username)
            for label, query in QUERIES.items():
                post(query, None, token)  # warm: caches, the session's last-use write
                event.listen(engine, "before_cursor_execute", before)
                counted.clear()
                body = post(query, None, token)
                event.remove(engine, "before_cursor_execute", before)
                assert "errors" not in body, body
                result[(label, username)] = len(counted)
    return result


def cpu_and_wall(url: str, pid: int, runs: int, requests: int
                 ) -> dict[tuple[str, str], tuple[float, float]]:
    """Median server CPU ms and wall ms per request of each query and caller."""
    result = {}
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        def post(query: str, variables: dict[str, Any] | None, token: str | None) -> Any:
            headers = {"content-type": "application/json"}
            if token:
                headers["authorization"] = f"Bearer {token}"
            connection.request("POST", "/graphql", json.dumps(
                {"query": query, "variables": variables or {}}), headers)
            return json.loads(connection.getresponse().read())

        tokens = {u: login(post, u) for u in CALLERS}
        for username in CALLERS:
            for label, query in QUERIES.items():
                for _ in range(20):  # warm
                    assert "errors" not in post(query, None, tokens[username])
                cpu, wall = [], []
                for _ in range(runs):
                    c0, w0 = cpu_seconds(pid), time.perf_counter()
                    for _ in range(requests):
                        post(query, None, tokens[username])
                    wall.append((time.perf_counter() - w0) * 1000 / requests)
                    cpu.append((cpu_seconds(pid) - c0) * 1000 / requests)
                result[(label, username)] = (statistics.median(cpu), statistics.median(wall))
    finally:
        connection.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with throwaway_database() as base, redis_server() as redis_url:
        settings = Settings(database_url=base.database_url,
                            owner_database_url=base.owner_database_url, redis_url=redis_url,
                            secret_key="bench-secret-key-0123456789abcdef0123456789")
        asyncio.run(load_synthetic(settings, CODE, 60))
        counts = statements(settings)
        with uvicorn_process(settings) as (url, pid):
            costs = cpu_and_wall(url, pid, args.runs, args.requests)
    print(f"每次请求的开销（{args.runs} 轮 × {args.requests} 个顺序请求的中位数；"
          "本机 2 核、多人共用，数字有噪声）：")
    print(f"  {'查询':<16}{'账号':<10}{'服务端 CPU ms':>14}{'耗时 ms':>10}{'SQL 语句':>10}")
    for (label, username), (cpu, wall) in costs.items():
        print(f"  {label:<16}{username:<10}{cpu:>14.2f}{wall:>10.2f}"
              f"{counts[(label, username)]:>10}")


if __name__ == "__main__":
    main()
