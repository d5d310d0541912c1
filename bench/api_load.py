"""Benchmark: the API's reads under load, against PostGraphile v4 and a hand-written SQL query.

    python -m bench.api_load [--people 2000] [--seconds 10] [--rounds 3] [--no-postgraphile]

Loads one unit (``bench.oversight``'s set-based loader: people in ten departments, a quarter
and its year with results, declarations with their items, ratings ...; each result gets an
eight-line explanation) plus an account of the organization department, then serves the
database twice on free loopback ports: the API as in production (one ``uvicorn
jixiao.asgi:app`` process) and PostGraphile v4 (installed by npm into ``bench/.postgraphile``,
ignored by git; ``bench/postgraphile_server.js``), connected as the same non-owner role, the
tenant set per request through ``pgSettings`` as the API sets it per transaction, so
row-level security applies to both. Load comes from ``wrk`` (Debian's package, installed with
apt-get when missing) at fixed concurrency, the servers alternating, ``--rounds`` rounds of
``--seconds`` each; each figure is the median of the rounds. The machine is shared: figures
are noisy, compare them within one run.

Figures: the people page (``AdminPeoplePage``, first 50) at c=8 on both servers with the
server's CPU time per request (from /proc); the statements of an authenticated
``{ __typename }``, of the people page and of the dashboard (the app in this process, counted
at the engine); the dashboard (200 results with explanations and 200 declarations with their
items) at c=4 on the API against one SQL query returning the same data as JSON (``pgbench``
at c=4 as the application role, the tenant set through ``PGOPTIONS``), p95 and requests/s.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import event

from authz.credentials import hash_password
from bench.oversight import load, quarters_of
from bench.serving import Load, pgbench, server, wrk
from bench.support import Database, throwaway_database
from jixiao.localservers import free_port
from jixiao.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
POSTGRAPHILE_DIR = Path(__file__).resolve().parent / ".postgraphile"
POSTGRAPHILE_SERVER = Path(__file__).resolve().parent / "postgraphile_server.js"
USERNAME, PASSWORD = "zuzhibu", "Bench@2026"

# The portal's people page (portal/src/views/people.graphql), first page of 50.
PEOPLE_PAGE = """query AdminPeoplePage($first: Int!, $after: String, $filter: PeopleFilter) {
  people(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id employeeNo name gender rankTitle comparisonGroup appraised status unitId postId
      unit { name }
      post { name }
    }
  }
}"""

# The same page from PostGraphile: the same rows (by employee number), columns and joins.
POSTGRAPHILE_PEOPLE_PAGE = """query {
  allPeople(first: 50, orderBy: EMPLOYEE_NO_ASC) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id employeeNo name gender rankTitle comparisonGroup appraised status unitId postId
      orgUnitByTenantIdAndUnitId { name }
      postByTenantIdAndPostId { name }
    }
  }
}"""

# A department dashboard: 200 results with their explanations, 200 declarations with items.
DASHBOARD = """query Dashboard($periodId: ID!) {
  periodResults(periodId: $periodId, first: 200) {
    totalCount
    nodes {
      id personId unitId comparisonGroup score rank groupRank proposedGrade grade status
      explanation { kind source delta text }
      person { name employeeNo }
      unit { name }
    }
  }
  declarations(periodId: $periodId, first: 200) {
    totalCount
    nodes {
      id personId status submittedAt
      items { position title content }
      person { name employeeNo }
    }
  }
}"""

# The floor: one hand-written statement returning the dashboard's data as JSON, in the API's
# orders (results by rank then employee number, declarations by employee number).
DASHBOARD_SQL = """WITH r AS (
    SELECT r.*, p.name AS person_name, p.employee_no, u.name AS unit_name
      FROM person_results r
      JOIN people p ON p.tenant_id = r.tenant_id AND p.id = r.person_id
      JOIN org_units u ON u.tenant_id = r.tenant_id AND u.id = r.unit_id
     WHERE r.period_id = '{period}'
     ORDER BY r.rank NULLS LAST, p.employee_no LIMIT 200),
d AS (
    SELECT d.*, p.name AS person_name, p.employee_no
      FROM declarations d JOIN people p ON p.tenant_id = d.tenant_id AND p.id = d.person_id
     WHERE d.period_id = '{period}'
     ORDER BY p.employee_no LIMIT 200)
SELECT json_build_object(
  'periodResults', json_build_object(
    'totalCount', (SELECT count(*) FROM person_results WHERE period_id = '{period}'),
    'nodes', (SELECT json_agg(json_build_object(
        'id', id, 'personId', person_id, 'unitId', unit_id, 'comparisonGroup', comparison_group,
        'score', score, 'rank', rank, 'groupRank', group_rank, 'proposedGrade', proposed_grade,
        'grade', grade, 'status', status, 'explanation', explanation,
        'person', json_build_object('name', person_name, 'employeeNo', employee_no),
        'unit', json_build_object('name', unit_name)) ORDER BY rank NULLS LAST, employee_no)
      FROM r)),
  'declarations', json_build_object(
    'totalCount', (SELECT count(*) FROM declarations WHERE period_id = '{period}'),
    'nodes', (SELECT json_agg(json_build_object(
        'id', d.id, 'personId', d.person_id, 'status', d.status, 'submittedAt', d.submitted_at,
        'items', (SELECT json_agg(json_build_object('position', i.position, 'title', i.title,
                                                    'content', i.content) ORDER BY i.position)
                    FROM declaration_items i
                   WHERE i.tenant_id = d.tenant_id AND i.declaration_id = d.id),
        'person', json_build_object('name', d.person_name, 'employeeNo', d.employee_no))
        ORDER BY d.employee_no)
      FROM d)))::text;
"""

# Eight lines, as a result computed from three rater roles, two indicators and points carries.
EXPLANATION = [
    {"kind": kind, "source": source, "delta": delta, "text": text}
    for kind, source, delta, text in (
        ("rater_role", "主要领导", "27.3000", "主要领导评价 91.00 分 × 权重 30% = 27.30 分"),
        ("rater_role", "分管领导", "26.4000", "分管领导评价 88.00 分 × 权重 30% = 26.40 分"),
        ("rater_role", "同事", "34.0000", "同事评价 85.00 分 × 权重 40% = 34.00 分"),
        ("indicator", "GZ01", "60.1000", "重点工作：加权得分 60.10 分"),
        ("indicator", "GZ02", "27.6000", "日常工作：加权得分 27.60 分"),
        ("credit", "点赞事项", "1.0000", "加分：点赞事项 1 次，计 1.00 分"),
        ("deduction", "错情通报", "-0.5000", "减分：错情通报 1 次，扣 0.50 分"),
        ("rounding", "舍入", "0.0000", "按单位设置保留两位小数"))]


@dataclass(frozen=True)
class Seeded:
    tenant: uuid.UUID
    code: str
    period: uuid.UUID


@dataclass
class Figures:
    people_api: list[Load] = field(default_factory=list)
    people_postgraphile: list[Load] = field(default_factory=list)
    dashboard_api: list[Load] = field(default_factory=list)
    dashboard_sql: list[Load] = field(default_factory=list)
    statements: dict[str, int] = field(default_factory=dict)
    postgraphile_note: str | None = None


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def seed(settings: Settings, people: int) -> Seeded:
    """One unit of ``people`` (its last quarter ``2025Q4`` and the year 2025) and an account of
    the organization department (sees every result and declaration)."""
    (tenant,) = load(settings, 1, people, quarters_of(1))
    with psycopg.connect(_plain(settings.database_url)) as conn, conn.transaction():
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tenant),))
        row = conn.execute("SELECT code FROM tenants WHERE id = %s", (tenant,)).fetchone()
        period = conn.execute("SELECT id FROM periods WHERE kind = 'quarter'").fetchone()
        assert row is not None
        assert period is not None
        account = uuid.uuid4()
        conn.execute("INSERT INTO accounts (id, username, display_name, password_hash) "
                     "VALUES (%s, %s, '组织人事部门', %s)",
                     (account, USERNAME, hash_password(PASSWORD)))
        conn.execute("INSERT INTO role_grants (id, account_id, role) "
                     "VALUES (%s, %s, 'tenant_admin')", (uuid.uuid4(), account))
        conn.execute("UPDATE person_results SET explanation = %s",
                     (psycopg.types.json.Jsonb(EXPLANATION),))
        # a post per department, held by its people, as the people page shows them
        conn.execute("INSERT INTO posts (id, code, name, unit_id) SELECT gen_random_uuid(), "
                     "'P' || code, name || '科员', id FROM org_units")
        conn.execute("UPDATE people p SET post_id = s.id, rank_title = '一级科员', "
                     "gender = CASE WHEN substr(p.employee_no, 2)::int % 2 = 0 THEN '女' "
                     "ELSE '男' END FROM posts s WHERE s.unit_id = p.unit_id")
    with psycopg.connect(_plain(settings.owner_database_url), autocommit=True) as owner:
        owner.execute("VACUUM ANALYZE")
    return Seeded(tenant, str(row[0]), period[0])


def post(url: str, query: str, variables: dict[str, Any] | None = None,
         token: str | None = None) -> dict[str, Any]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        url, json.dumps({"query": query, "variables": variables or {}}).encode(), headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        body: dict[str, Any] = json.loads(response.read())
    assert not body.get("errors"), body["errors"]
    return body


def log_in(url: str, code: str) -> str:
    body = post(url, "mutation($t:String!,$u:String!,$p:String!){login(tenantCode:$t,"
                "username:$u,password:$p){token userErrors{code message}}}",
                {"t": code, "u": USERNAME, "p": PASSWORD})
    assert not body["data"]["login"]["userErrors"], body
    return str(body["data"]["login"]["token"])


@contextlib.contextmanager
def serving_api(settings: Settings) -> Iterator[tuple[str, int]]:
    """The API as in production: one uvicorn process; yields its GraphQL URL and pid."""
    port = free_port()
    env = dict(os.environ, JIXIAO_DATABASE_URL=settings.database_url,
               JIXIAO_OWNER_DATABASE_URL=settings.owner_database_url)
    command = [sys.executable, "-m", "uvicorn", "jixiao.asgi:app", "--host", "127.0.0.1",
               "--port", str(port), "--no-server-header"]
    with server(command, env, port, "the API") as process:
        yield f"http://127.0.0.1:{port}/graphql", process.pid


def install_postgraphile() -> None:
    """``npm install postgraphile@4`` into bench/.postgraphile (once; ignored by git)."""
    if (POSTGRAPHILE_DIR / "node_modules" / "postgraphile").is_dir():
        return
    POSTGRAPHILE_DIR.mkdir(exist_ok=True)
    print("installing PostGraphile v4 with npm into bench/.postgraphile ...", flush=True)
    subprocess.run(["npm", "install", "--prefix", str(POSTGRAPHILE_DIR), "--no-fund",
                    "--no-audit", "--loglevel=error", "--omit-lockfile-registry-resolved",
                    "postgraphile@4"], check=True)


@contextlib.contextmanager
def serving_postgraphile(settings: Settings, tenant: uuid.UUID) -> Iterator[tuple[str, int]]:
    install_postgraphile()
    port = free_port()
    env = dict(os.environ, DATABASE_URL=_plain(settings.database_url), PORT=str(port),
               TENANT_ID=str(tenant), NODE_ENV="production")
    with server(["node", str(POSTGRAPHILE_SERVER)], env, port, "PostGraphile") as process:
        yield f"http://127.0.0.1:{port}/graphql", process.pid


def count_statements(settings: Settings, seeded: Seeded, runs: int = 5) -> dict[str, int]:
    """Statements per request of the app in this process (the engine's cursor executions, as
    the tests' ``count_statements`` fixture counts them) under each query's name, and under
    ``<name> pings`` the pool's pre-ping round trips (a ``SELECT 1`` per checkout when the
    pool pings, which cursor events do not see); medians of ``runs`` requests after a first."""
    from starlette.testclient import TestClient

    from jixiao.app import create_app

    app = create_app(settings)
    counts: dict[str, int] = {}
    with TestClient(app) as client:
        statements: list[str] = []

        def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            statements.append(statement)

        def checkout(*args: Any) -> None:
            if getattr(engine.pool, "_pre_ping", False):
                statements.append("-- pre-ping")

        def call(query: str, variables: dict[str, Any], token: str | None) -> None:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            response = client.post("/graphql", json={"query": query, "variables": variables},
                                   headers=headers)
            assert response.status_code == 200, response.text
            assert not response.json().get("errors"), response.text

        body = client.post("/graphql", json={
            "query": "mutation($t:String!,$u:String!,$p:String!){login(tenantCode:$t,"
                     "username:$u,password:$p){token}}",
            "variables": {"t": seeded.code, "u": USERNAME, "p": PASSWORD}}).json()
        token = body["data"]["login"]["token"]
        engine = app.state.engine.sync_engine
        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "checkout", checkout)
        try:
            for name, query, variables in (
                    ("typename", "{ __typename }", {}),
                    ("people", PEOPLE_PAGE, {"first": 50}),
                    ("dashboard", DASHBOARD, {"periodId": str(seeded.period)})):
                seen, pings = [], []
                for _ in range(runs + 1):
                    statements.clear()
                    call(query, variables, token)
                    pings.append(statements.count("-- pre-ping"))
                    seen.append(len(statements) - pings[-1])
                counts[name] = int(statistics.median(seen[1:]))
                counts[f"{name} pings"] = int(statistics.median(pings[1:]))
        finally:
            event.remove(engine, "before_cursor_execute", before)
            event.remove(engine, "checkout", checkout)
    return counts


def check_same_page(api: dict[str, Any], postgraphile: dict[str, Any]) -> None:
    """Both servers answer the same 50 people (employee numbers, in order)."""
    ours = [n["employeeNo"] for n in api["data"]["people"]["nodes"]]
    theirs = [n["employeeNo"] for n in postgraphile["data"]["allPeople"]["nodes"]]
    assert len(ours) == 50, ours
    assert ours == theirs, (ours[:3], theirs[:3])


def run(people: int = 2000, seconds: float = 10, rounds: int = 3, postgraphile: bool = True,
        database: Database = throwaway_database, say: Callable[[str], None] = print,
        dashboard_requests: int = 20) -> Figures:
    """The figures; each dashboard run on the API lasts at least ``dashboard_requests`` times
    one dashboard's time alone (at least ``seconds``), so that its p95 rests on some requests
    even when they take seconds."""
    figures = Figures()
    with database() as settings:
        say(f"loading one unit of {people:,} people ...")
        seeded = seed(settings, people)
        figures.statements = count_statements(settings, seeded)
        say("statements per request: " + ", ".join(f"{k} {v}"
                                                   for k, v in figures.statements.items()))
        people_body = {"query": PEOPLE_PAGE, "variables": {"first": 50}}
        dashboard_body = {"query": DASHBOARD, "variables": {"periodId": str(seeded.period)}}
        with contextlib.ExitStack() as stack:
            api_url, api_pid = stack.enter_context(serving_api(settings))
            token = log_in(api_url, seeded.code)
            api_page = post(api_url, PEOPLE_PAGE, {"first": 50}, token)
            alone = time.perf_counter()
            dash = post(api_url, DASHBOARD, {"periodId": str(seeded.period)}, token)["data"]
            alone = time.perf_counter() - alone
            assert len(dash["periodResults"]["nodes"]) == min(200, people)
            pg_url = pg_pid = None
            if postgraphile:
                pg_url, pg_pid = stack.enter_context(serving_postgraphile(settings,
                                                                          seeded.tenant))
                check_same_page(api_page, post(pg_url, POSTGRAPHILE_PEOPLE_PAGE))
            pg_body = {"query": POSTGRAPHILE_PEOPLE_PAGE}
            # a short warm-up of each, not counted
            warm = min(2.0, seconds)
            wrk(api_url, people_body, token, 8, warm, api_pid)
            if pg_url and pg_pid:
                wrk(pg_url, pg_body, None, 8, warm, pg_pid)
            for n in range(rounds):
                a = wrk(api_url, people_body, token, 8, seconds, api_pid)
                figures.people_api.append(a)
                line = f"round {n + 1}: people page c=8: API {a.text()}"
                if pg_url and pg_pid:
                    b = wrk(pg_url, pg_body, None, 8, seconds, pg_pid)
                    figures.people_postgraphile.append(b)
                    line += f"; PostGraphile {b.text()}"
                say(line)
            floor = DASHBOARD_SQL.format(period=seeded.period)
            wrk(api_url, dashboard_body, token, 4, warm, api_pid)
            dashboard_seconds = max(seconds, dashboard_requests * alone)
            for n in range(rounds):
                a = wrk(api_url, dashboard_body, token, 4, dashboard_seconds, api_pid)
                b = pgbench(settings, seeded.tenant, floor, 4, seconds)
                figures.dashboard_api.append(a)
                figures.dashboard_sql.append(b)
                say(f"round {n + 1}: dashboard c=4: API {a.text()}; one SQL query {b.text()}")
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-postgraphile", action="store_true")
    args = parser.parse_args(argv)
    run(args.people, args.seconds, args.rounds, not args.no_postgraphile)


if __name__ == "__main__":
    main()
