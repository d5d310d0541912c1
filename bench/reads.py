"""Benchmark: deep reads, the page of 50 people and a department's results board (issue 16, 2).

    python -m bench.reads [--people 2000] [--concurrency 8] [--board-concurrency 4]
                          [--seconds 10] [--runs 3] [--only LABEL]

Starts a throwaway PostgreSQL, loads a synthetic tenant (``tests.factories``: its accounts) and
bulk-loads under its row-level security ten more departments of ``--people / 10`` people, a
publicized quarter with every person's result (a score, a rank, a grade, twelve explanation
lines and four dimension scores, as ``resolvers.appraisal.grading`` stores them) and a
declaration of one to five items for nearly everyone. Then it serves the app with uvicorn (one
process, as deployed) and drives it at fixed concurrency (clients back to back; a request in
flight at the end is waited for, not cut off), as the tenant admin:

- ``people page``: ``people(first: 50)`` with each person's unit and post names (the portal's
  人员管理 page);
- ``board, typed``: the period's first 200 results (by rank) with their explanations and
  dimension scores, and its first 200 declarations with their items, through the typed lists
  (``periodResults``, ``declarations``) as a client reads them today;
- ``board, JSON fields``: the same through ``explanationJson`` / ``dimensionScoresJson``;
- ``board, one statement``: ``resultsBoard``, the same built in SQL (``json_agg``) in one
  statement under RLS;

and the floor: the hand-written SQL of the board run straight on psycopg at the boards'
concurrency (no HTTP, no GraphQL; the JSON encoded as a server would send it). Each figure is
the median of ``--runs`` runs; the machine is shared and noisy, so compare the figures of one
run of the command (the cases alternate) rather than absolute figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from bench.support import throwaway_database
from jixiao.localservers import free_port
from jixiao.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CODE = "reads"

# Under the tenant's RLS (app.tenant_id set); %(people)s people in ten departments b0..b9.
TENANT_SQL = [
    """INSERT INTO org_units (id, code, name, kind, sort_order)
       SELECT gen_random_uuid(), 'b' || d, '基准第' || d || '科', 'department', 10 + d
         FROM generate_series(0, 9) AS d""",
    """INSERT INTO posts (id, code, name, unit_id)
       SELECT gen_random_uuid(), 'bp' || d, '基准岗位' || d, u.id
         FROM generate_series(0, 9) AS d JOIN org_units u ON u.code = 'b' || d""",
    """INSERT INTO people (id, employee_no, name, gender, rank_title, unit_id, post_id,
                           comparison_group, appraised, status)
       SELECT gen_random_uuid(), 'E' || lpad(i::text, 5, '0'), '干部' || i,
              CASE WHEN i %% 2 = 0 THEN '男' ELSE '女' END, '一级主任科员', u.id, p.id,
              CASE WHEN i %% 20 = 0 THEN 'leader' ELSE 'staff' END, true, 'active'
         FROM generate_series(1, %(people)s) AS i
         JOIN org_units u ON u.code = 'b' || (i %% 10)
         JOIN posts p ON p.code = 'bp' || (i %% 10)""",
    """INSERT INTO tasks (id, year, code, title, source_kind, level, unit_id, due_on, status)
       SELECT gen_random_uuid(), 2026, 'T1', '基准任务', 'municipal', 'unit', u.id,
              '2026-06-30', 'in_progress' FROM org_units u WHERE u.code = 'b0'""",
    """INSERT INTO periods (id, kind, year, quarter, name, state, deadlines)
       VALUES (gen_random_uuid(), 'quarter', 2026, 1, '2026年第1季度', 'publicizing', '{}')""",
    """INSERT INTO person_results (id, period_id, person_id, unit_id, comparison_group, score,
                                   rank, group_rank, proposed_grade, grade, confirmed_at,
                                   reasons, explanation, status)
       SELECT gen_random_uuid(), r.period_id, r.person_id, r.unit_id, r.grp, r.score, r.rnk,
              r.rnk, r.grade, r.grade, now(),
              '["得分位于前列", "按分数段拟定"]'::jsonb, r.explanation, 'appraised'
         FROM (SELECT p.id AS period_id, pe.id AS person_id, pe.unit_id,
                      pe.comparison_group AS grp, s.score,
                      rank() OVER (ORDER BY s.score DESC) AS rnk,
                      CASE WHEN s.score >= 90 THEN 'good' WHEN s.score >= 80 THEN 'fairly_good'
                           WHEN s.score >= 60 THEN 'average' ELSE 'poor' END AS grade,
                      (SELECT jsonb_agg(line ORDER BY n) FROM (
                         SELECT n, jsonb_build_object(
                                  'kind', k.kind, 'source', k.source,
                                  'delta', CASE WHEN k.kind = 'dimension' THEN '0'
                                                ELSE round((s.score / 10)::numeric, 2)::text END,
                                  'text', k.text) ||
                                CASE WHEN k.kind = 'dimension'
                                     THEN jsonb_build_object('score', s.score::text)
                                     ELSE '{}'::jsonb END AS line
                           FROM (VALUES (1, 'conduct', '政治素质', '政治素质负面清单：无扣分'),
                                   (2, 'rater_role', '部门负责人', '部门负责人评价（权重40%%）'),
                                   (3, 'rater_role', '分管领导', '分管领导评价（权重30%%）'),
                                   (4, 'rater_role', '主要领导', '主要领导评价（权重30%%）'),
                                   (5, 'indicator', 'GZ01', '重点工作完成情况'),
                                   (6, 'indicator', 'GZ02', '日常工作完成情况'),
                                   (7, 'indicator', 'GZ03', '工作作风'),
                                   (8, 'credit', '点赞事项', '点赞事项加分'),
                                   (9, 'credit_cap', '加分上限', '加分未超过上限'),
                                   (10, 'deduction', '错情通报', '错情通报减分'),
                                   (11, 'deduction_cap', '减分上限', '减分未超过上限'),
                                   (12, 'rounding', '舍入', '四舍五入保留两位小数'),
                                   (13, 'dimension', 'completion', '任务完成'),
                                   (14, 'dimension', 'difficulty', '工作难度'),
                                   (15, 'dimension', 'innovation', '创新程度'),
                                   (16, 'dimension', 'conduct', '作风表现'))
                                AS k(n, kind, source, text)) lines) AS explanation
                 FROM periods p CROSS JOIN people pe
                 CROSS JOIN LATERAL (SELECT round((55 + 45 * random())::numeric, 4) AS score
                                      WHERE pe.id IS NOT NULL) s) r""",
    """INSERT INTO declarations (id, period_id, person_id, status, submitted_at)
       SELECT gen_random_uuid(), r.period_id, r.person_id, 'submitted', now()
         FROM person_results r WHERE random() < 0.97""",
    """INSERT INTO declaration_items (id, declaration_id, position, title, content,
                                      self_assessment, task_id)
       SELECT gen_random_uuid(), d.id, n, '实绩' || n, '完成了一项重要工作，按期高质量办结',
              '较好', (SELECT id FROM tasks LIMIT 1)
         FROM declarations d
        CROSS JOIN LATERAL generate_series(1, 1 + (abs(hashtext(d.id::text)) %% 5)) AS n""",
]

PEOPLE_PAGE = """query { people(first: 50) { totalCount pageInfo { hasNextPage endCursor }
  nodes { id employeeNo name gender rankTitle comparisonGroup appraised status unitId postId
          unit { name } post { name } } } }"""

_RESULT = """id personId score rank groupRank grade gradeLabel proposedGradeLabel confirmedAt
  status statusLabel reasons person { name employeeNo } unit { name }"""
_DECLARATIONS = """declarations(periodId: $p, first: 200) { totalCount
  nodes { id personId status submittedAt person { name employeeNo }
          items { position title content selfAssessment taskId indicatorId } } }"""
BOARD_TYPED = f"""query($p: ID!) {{
  periodResults(periodId: $p, first: 200) {{ totalCount nodes {{ {_RESULT}
    explanation {{ kind source delta text }} dimensionScores {{ code name score }} }} }}
  {_DECLARATIONS} }}"""
BOARD_JSON_FIELDS = f"""query($p: ID!) {{
  periodResults(periodId: $p, first: 200) {{ totalCount nodes {{ {_RESULT}
    explanationJson dimensionScoresJson }} }}
  {_DECLARATIONS} }}"""
BOARD_ONE_STATEMENT = "query($p: ID!) { resultsBoard(periodId: $p) }"

# The floor: the board as one hand-written statement (the tenant set, as the app sets it).
FLOOR_SQL = """
SELECT json_build_object(
  'results', (SELECT coalesce(json_agg(json_build_object(
       'id', r.id, 'personId', r.person_id, 'score', trim_scale(r.score), 'rank', r.rank,
       'grade', r.grade, 'reasons', r.reasons, 'explanation', r.explanation,
       'person', json_build_object('name', pe.name, 'employeeNo', pe.employee_no),
       'unit', json_build_object('name', u.name)) ORDER BY r.rank, pe.employee_no), '[]')
     FROM (SELECT r.*, pe.name, pe.employee_no FROM person_results r
             JOIN people pe ON pe.id = r.person_id WHERE r.period_id = %(p)s
            ORDER BY r.rank NULLS LAST, pe.employee_no LIMIT 200) r
     JOIN people pe ON pe.id = r.person_id JOIN org_units u ON u.id = r.unit_id),
  'declarations', (SELECT coalesce(json_agg(json_build_object(
       'id', d.id, 'personId', d.person_id, 'status', d.status, 'submittedAt', d.submitted_at,
       'person', json_build_object('name', pe.name, 'employeeNo', pe.employee_no),
       'items', (SELECT coalesce(json_agg(json_build_object(
                   'position', i.position, 'title', i.title, 'content', i.content,
                   'selfAssessment', i.self_assessment, 'taskId', i.task_id,
                   'indicatorId', i.node_id) ORDER BY i.position), '[]')
                   FROM declaration_items i WHERE i.declaration_id = d.id))
       ORDER BY pe.employee_no), '[]')
     FROM (SELECT d.* FROM declarations d JOIN people pe ON pe.id = d.person_id
            WHERE d.period_id = %(p)s ORDER BY pe.employee_no LIMIT 200) d
     JOIN people pe ON pe.id = d.person_id))"""


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def seed(settings: Settings, code: str, people: int) -> dict[str, str]:
    """Adds the board's rows to the existing tenant ``code`` (as the application role, under
    its RLS): ten departments of ``people / 10``, a quarter, results and declarations. Returns
    the ids of the tenant (``tenant``), the quarter (``p``) and department b0 (``u``)."""
    with psycopg.connect(_plain(settings.database_url), autocommit=True) as conn, \
            psycopg.connect(_plain(settings.owner_database_url), autocommit=True) as owner:
        with conn.transaction():
            conn.execute("SELECT set_config('app.scope', 'platform', true)")
            tenant = conn.execute("SELECT id FROM tenants WHERE code = %s",
                                  (code,)).fetchone()[0]  # type: ignore[index]
        conn.execute("SELECT set_config('app.tenant_id', %s, false), "
                     "set_config('app.scope', 'tenant', false)", (str(tenant),))
        for statement in TENANT_SQL:
            conn.execute(statement, {"people": people})
        owner.execute("ANALYZE")
        period = conn.execute("SELECT id FROM periods WHERE year = 2026 AND quarter = 1"
                              ).fetchone()[0]  # type: ignore[index]
        unit = conn.execute("SELECT id FROM org_units WHERE code = 'b0'"
                            ).fetchone()[0]  # type: ignore[index]
    return {"tenant": str(tenant), "p": str(period), "u": str(unit)}


def load(settings: Settings, people: int) -> dict[str, str]:
    from tests.factories import load_synthetic

    asyncio.run(load_synthetic(settings, CODE, 12))
    return seed(settings, CODE, people)


def _post(url: str, body: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    request = urllib.request.Request(f"{url}/graphql", json.dumps(body).encode(), headers)
    with urllib.request.urlopen(request, timeout=120) as response:
        answer: dict[str, Any] = json.load(response)
        return answer


def login(url: str) -> str:
    answer = _post(url, {"query": "mutation($t:String!,$u:String!,$p:String!){login("
                                  "tenantCode:$t,username:$u,password:$p){token}}",
                         "variables": {"t": CODE, "u": "admin", "p": "Demo@2026"}})
    token: str = answer["data"]["login"]["token"]
    return token


@dataclass(frozen=True)
class Load:
    per_second: float
    p50_ms: float
    p95_ms: float


def drive(url: str, token: str, body: dict[str, Any], concurrency: int, seconds: float) -> Load:
    """``concurrency`` clients posting ``body`` back to back for ``seconds`` (each finishes the
    request it has in flight, so a slow query is counted, not cut off): requests/s and the
    latencies' median and 95th percentile."""
    payload = json.dumps(body).encode()
    headers = {"content-type": "application/json", "authorization": f"Bearer {token}"}
    stop = time.perf_counter() + seconds

    def client() -> list[float]:
        latencies = []
        while time.perf_counter() < stop:
            started = time.perf_counter()
            request = urllib.request.Request(f"{url}/graphql", payload, headers)
            with urllib.request.urlopen(request, timeout=600) as response:
                answer = response.read()
            if response.status != 200 or answer.startswith(b'{"errors"'):
                raise RuntimeError(answer[:300])
            latencies.append(time.perf_counter() - started)
        return latencies

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        runs = [f.result() for f in [pool.submit(client) for _ in range(concurrency)]]
    elapsed = time.perf_counter() - started
    latencies = sorted(x for run in runs for x in run)
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
    return Load(len(latencies) / elapsed, 1000 * statistics.median(latencies), 1000 * p95)


async def _floor_run(settings: Settings, ids: dict[str, str], concurrency: int,
                     seconds: float) -> Load:
    """The hand-written board statement on ``concurrency`` connections, back to back."""
    latencies: list[float] = []
    stop = time.perf_counter() + seconds

    async def client() -> None:
        async with await psycopg.AsyncConnection.connect(_plain(settings.database_url),
                                                         autocommit=True) as conn:
            while time.perf_counter() < stop:
                started = time.perf_counter()
                async with conn.transaction():
                    await conn.execute("SELECT set_config('app.tenant_id', %s, true)",
                                       (ids["tenant"],))
                    row = await (await conn.execute(FLOOR_SQL, ids)).fetchone()
                    assert row is not None
                    # the bytes a server would send, as an HTTP answer would be encoded
                    json.dumps(row[0]).encode()
                latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
    return Load(len(latencies) / elapsed, 1000 * statistics.median(latencies), 1000 * p95)


def serve(settings: Settings) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "JIXIAO_DATABASE_URL": settings.database_url,
           "JIXIAO_OWNER_DATABASE_URL": settings.owner_database_url}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "jixiao.asgi:app", "--host", "127.0.0.1", "--port",
         str(port), "--log-level", "warning", "--no-access-log"], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{url}/graphql", b'{"query": "{ __typename }"}', timeout=1)
            return server, url
        except urllib.error.HTTPError:  # answering (a 4xx or 5xx without the portal built)
            return server, url
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("uvicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8, help="of the people page")
    parser.add_argument("--board-concurrency", type=int, default=4, help="of the boards")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", help="run only the figures whose label contains this")
    args = parser.parse_args()
    floor_label = "board, hand-written SQL floor"
    with throwaway_database() as settings:
        started = time.perf_counter()
        ids = load(settings, args.people)
        print(f"loaded {args.people} people in {time.perf_counter() - started:.0f} s")
        server, url = serve(settings)
        try:
            token = login(url)
            variables = {"p": ids["p"]}
            cases: list[tuple[str, dict[str, Any]]] = [
                ("people page (first 50)", {"query": PEOPLE_PAGE}),
                ("board, typed", {"query": BOARD_TYPED, "variables": variables}),
                ("board, JSON fields", {"query": BOARD_JSON_FIELDS, "variables": variables}),
                ("board, one statement", {"query": BOARD_ONE_STATEMENT,
                                          "variables": variables}),
            ]
            figures: dict[str, list[Load]] = {}
            for label, body in cases:
                if args.only and args.only not in label:
                    continue
                answer = _post(url, body, token)
                if answer.get("errors"):
                    print(f"{label}: not available ({answer['errors'][0]['message']})")
                    continue
                figures[label] = []
            for _ in range(args.runs):  # alternate the cases, run after run
                for label, body in cases:
                    if label in figures:
                        c = args.concurrency if label.startswith("people") else \
                            args.board_concurrency
                        figures[label].append(drive(url, token, body, c, args.seconds))
                figures.setdefault(floor_label, []).append(asyncio.run(
                    _floor_run(settings, {**variables, "tenant": ids["tenant"]},
                               args.board_concurrency, args.seconds)))
        finally:
            server.terminate()
            server.wait(timeout=30)
    floor = figures[floor_label]
    floor_p95 = statistics.median(f.p95_ms for f in floor)
    print(f"one API process; people page at c={args.concurrency}, boards at "
          f"c={args.board_concurrency}; medians of {args.runs} alternating runs of "
          f"{args.seconds:g} s (a shared, noisy 2-core machine: compare figures of one run "
          f"of the command, not across runs):")
    for label, loads in figures.items():
        rate = statistics.median(f.per_second for f in loads)
        p50 = statistics.median(f.p50_ms for f in loads)
        p95 = statistics.median(f.p95_ms for f in loads)
        versus = (f"; p95 {p95 / floor_p95:.1f}x the floor's"
                  if label.startswith("board") and label != floor_label else "")
        print(f"  {label}: {rate:.1f} req/s, p50 {p50:.0f} ms, p95 {p95:.0f} ms (req/s of the "
              f"runs: {', '.join(f'{f.per_second:.1f}' for f in loads)}){versus}")


if __name__ == "__main__":
    main()
