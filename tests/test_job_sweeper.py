"""No job is lost: the worker's sweeper (workers/sweeper.py) sends again what Redis never got
and what a killed worker left running.

Real Redis, real ``dramatiq jixiao.worker`` processes against the test database, sweeping every
second. Dramatiq's own redelivery (heartbeat timeout, queue maintenance) is switched off here, so
only the sweeper can bring a job back. All waits are bounded.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import psycopg
from starlette.testclient import TestClient

from jixiao.localservers import LocalRedis, free_port
from jixiao.settings import Settings
from tests.appraisal_data import JOB, seed_results
from tests.conftest import Api
from tests.test_worker_redelivery import (  # noqa: F401 - start_worker is a fixture
    GRADE_CYCLE,
    PEOPLE,
    POOL,
    start_bonus_job,
    start_worker,
    wait_for,
    worker_env,
)

QUARTER = {f"P{i:03d}": ("good", "fairly_good", "average")[i % 3] for i in range(1, 13)}
EXPORT = """mutation($i:StartExportInput!){ startExport(input:$i){ job { id status }
  userErrors { message } } }"""
SWEEPING = {"JIXIAO_JOB_SWEEP_INTERVAL_SECONDS": "1", "JIXIAO_JOB_RESEND_AFTER_SECONDS": "1",
            # Dramatiq's own redelivery off: only the sweeper can bring a job back.
            "JIXIAO_WORKER_HEARTBEAT_TIMEOUT_MS": "3600000",
            "JIXIAO_WORKER_MAINTENANCE_CHANCE": "0"}


def test_an_export_started_while_redis_is_down_completes_once_redis_is_back(
        settings: Settings, make_tenant: Any, start_worker: Any,  # noqa: F811
        tmp_path: Path) -> None:
    redis = LocalRedis(tmp_path / "redis", free_port()).start()
    try:
        own = settings.replace(redis_url=redis.url)
        code = make_tenant(people=12)
        period = seed_results(settings, code, QUARTER, kind="quarter", quarter=2)
        start_worker(worker_env(own, **SWEEPING), queues="exports")
        redis.stop()
        from jixiao.app import create_app

        with TestClient(create_app(own)) as client:
            api = Api(client)
            body = api.as_(code, "admin", EXPORT, {"i": {"report": "unit_quarterly",
                                                         "periodId": period}})
            started = body["data"]["startExport"]
            assert started["userErrors"] == [], body
            assert started["job"]["status"] == "queued"
            job_id = started["job"]["id"]
            redis.process = None
            redis.start()  # no manual step beyond the server coming back
            done = wait_for("the export", lambda: (
                j if (j := api.as_(code, "admin", JOB, {"id": job_id})["data"]["job"])[
                    "status"] in ("done", "failed") else None), 90)
        assert done["status"] == "done", done
        assert done["attempts"] == 1
    finally:
        redis.stop()


def test_a_job_whose_worker_was_killed_is_sent_again_by_the_sweeper_and_runs_once(
        settings: Settings, make_tenant: Any, start_worker: Any,  # noqa: F811
        raw_app_connection: psycopg.Connection[Any]) -> None:
    own = settings.replace(redis_url=settings.redis_url.rsplit("/", 1)[0] + "/2")
    code = make_tenant(people=PEOPLE, kind="subdistrict")
    grades = {f"P{i:03d}": GRADE_CYCLE[i % len(GRADE_CYCLE)] for i in range(1, PEOPLE + 1)}
    period = seed_results(settings, code, grades, {"ldbz": "A", "d1": "A", "d2": "B"})
    from jixiao.app import create_app

    first = start_worker(worker_env(own, JIXIAO_JOB_TEST_DELAY_SECONDS="0.4", **SWEEPING))
    with TestClient(create_app(own)) as client:
        api = Api(client)
        job_id, job = start_bonus_job(api, code, period)

        wait_for("the first worker to write", lambda: (
            j if (j := job())["status"] == "running" and j["progress"] >= 50 else None), 90)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        assert job()["status"] == "running"

        start_worker(worker_env(own, **SWEEPING))
        done = wait_for("the job sent again", lambda: (
            j if (j := job())["status"] in ("done", "failed") else None), 60)
    assert done["status"] == "done", done
    assert done["attempts"] == 2
    conn = raw_app_connection
    row = conn.execute("SELECT tenant_id_for_code(%s)", (code,)).fetchone()
    assert row
    conn.rollback()
    with conn.transaction():
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(row[0]),))
        runs = conn.execute("SELECT id FROM bonus_runs WHERE job_id = %s", (job_id,)).fetchall()
        assert [str(r[0]) for r in runs] == [done["resultId"]]
        lines = conn.execute("SELECT count(*), sum(cents) FROM bonus_lines WHERE run_id = %s",
                             (runs[0][0],)).fetchone()
        assert lines == (PEOPLE, POOL)
