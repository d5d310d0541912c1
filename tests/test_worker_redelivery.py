"""Killing a worker in the middle of a bonus run leaves exactly one result after redelivery.

A real Redis, a real ``dramatiq jixiao.worker`` process against the test database: the first
worker is slowed down between chunks of writes (test hook) and killed with SIGKILL while it is
writing; a second worker picks the unacknowledged message up once the first one's heartbeat is
stale (shortened to 1.5 s here, with queue maintenance on every poll) and runs the job again.
All waits are bounded.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from starlette.testclient import TestClient

from jixiao.settings import Settings
from tests.appraisal_data import JOB, seed_results
from tests.conftest import Api

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = 60
POOL = 987_654_321
GRADE_CYCLE = ("excellent", "competent", "competent", "basically_competent")


def worker_env(settings: Settings, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(JIXIAO_DATABASE_URL=settings.database_url, JIXIAO_REDIS_URL=settings.redis_url,
               JIXIAO_WORKER_HEARTBEAT_TIMEOUT_MS="1500",
               JIXIAO_WORKER_MAINTENANCE_CHANCE="1000000", JIXIAO_BONUS_WRITE_CHUNK="5",
               PYTHONUNBUFFERED="1")
    env.pop("JIXIAO_JOB_TEST_DELAY_SECONDS", None)
    env.update(extra)
    return env


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(env: dict[str, str], queues: str = "bonus") -> subprocess.Popen[bytes]:
        log = open(tmp_path / f"worker{len(started)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "dramatiq", "jixiao.worker", "--processes", "1",
             "--threads", "1", "--queues", queues],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        started.append(process)
        return process

    yield start
    for process in started:  # only the process groups this test started
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def wait_for(what: str, check: Callable[[], dict[str, Any] | None],
              timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found is not None:
            return found
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)



def start_bonus_job(api: Api, code: str, period: str
                    ) -> tuple[str, Callable[[], dict[str, Any]]]:
    """Starts the bonus run of ``period``; returns its job id and a reader of its job row."""
    body = api.as_(code, "admin", """mutation($i:StartBonusRunInput!){ startBonusRun(
        input:$i){ job { id } userErrors { message } } }""", {"i": {
        "periodId": period, "poolCents": POOL,
        "departmentCoefficients": [{"key": "A", "coefficient": "1.2"},
                                   {"key": "B", "coefficient": "1.0"}]}})
    job_id = body["data"]["startBonusRun"]["job"]["id"]

    def job() -> dict[str, Any]:
        found: dict[str, Any] = api.as_(code, "admin", JOB, {"id": job_id})["data"]["job"]
        return found

    return job_id, job

def test_killing_a_worker_mid_run_leaves_exactly_one_result(
        settings: Settings, make_tenant: Any, start_worker: Any,
        raw_app_connection: psycopg.Connection[Any]) -> None:
    # Its own Redis database: the in-process test worker (database 0) must not take the job.
    own = settings.replace(redis_url=settings.redis_url.rsplit("/", 1)[0] + "/1")
    code = make_tenant(people=PEOPLE, kind="subdistrict")
    grades = {f"P{i:03d}": GRADE_CYCLE[i % len(GRADE_CYCLE)] for i in range(1, PEOPLE + 1)}
    period = seed_results(settings, code, grades, {"ldbz": "A", "d1": "A", "d2": "B"})

    from jixiao.app import create_app

    first = start_worker(worker_env(own, JIXIAO_JOB_TEST_DELAY_SECONDS="0.4"))
    with TestClient(create_app(own)) as client:
        api = Api(client)
        job_id, job = start_bonus_job(api, code, period)

        # Wait until the first worker is writing lines (in its uncommitted transaction).
        writing = wait_for("the first worker to write", lambda: (
            j if (j := job())["status"] == "running" and j["progress"] >= 50 else None), 90)
        assert writing["attempts"] == 1
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        assert job()["status"] == "running"  # nothing was committed

        start_worker(worker_env(own))
        done = wait_for("the redelivered job", lambda: (
            j if (j := job())["status"] in ("done", "failed") else None), 120)
    assert done["status"] == "done", done
    assert done["attempts"] == 2  # delivered again after the first worker died
    conn = raw_app_connection
    row = conn.execute("SELECT tenant_id_for_code(%s)", (code,)).fetchone()
    assert row
    conn.rollback()
    with conn.transaction():
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(row[0]),))
        runs = conn.execute("SELECT id FROM bonus_runs WHERE job_id = %s", (job_id,)).fetchall()
        assert [str(r[0]) for r in runs] == [done["resultId"]]
        assert conn.execute("SELECT count(*) FROM bonus_runs").fetchone() == (1,)
        lines = conn.execute("SELECT count(*), sum(cents) FROM bonus_lines WHERE run_id = %s",
                             (runs[0][0],)).fetchone()
        assert lines == (PEOPLE, POOL)
