"""The reminder scheduler inside a running worker (issue 17, part 1): the worker process is
started the way the Helm chart starts it (``dramatiq jixiao.worker --processes 1 --threads 2``,
configured by the environment only), a reminder falls due, and with no test code calling the
pass every person's reminder is in their inbox and reaches a real WeCom robot receiver:
APScheduler in the worker ran the pass and the worker's own actor delivered it; several more
passes send nothing twice. SIGTERM then stops the worker cleanly: APScheduler shut down with it,
exit status 0, no traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis

from jixiao.settings import Settings
from tests.conftest import Api
from tests.robots import Robots, robot_receiver
from tests.tenant_sql import tenant_connection
from tests.test_periods import advance_to, new_period

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ("mutation($s:JSON!){ updateTenantSettings(settings:$s) { userErrors { code message "
            "field } } }")
DUE = "实绩申报将于3天后截止"


@pytest.fixture
def robot() -> Iterator[tuple[int, Robots]]:
    """A WeCom robot on loopback (tests/robots.py)."""
    with robot_receiver() as receiver:
        yield receiver


def robot_deliveries(settings: Settings, code: str) -> int:
    """The reminders' deliveries to the robot (one per person: a person with two accounts has
    two inbox rows and one delivery)."""
    with tenant_connection(settings, code) as conn:
        row = conn.execute("SELECT count(*) FROM notification_deliveries d JOIN notifications n "
                           "ON n.id = d.notification_id WHERE n.event = 'deadline_approaching' "
                           "AND d.channel = 'wecom'").fetchone()
    assert row is not None
    return int(row[0])


def reminded(settings: Settings, code: str) -> int:
    """The tenant's inbox rows of deadline reminders (one per account and deadline)."""
    with tenant_connection(settings, code) as conn:
        row = conn.execute("SELECT count(*) FROM notifications "
                           "WHERE event = 'deadline_approaching'").fetchone()
    assert row is not None
    return int(row[0])


def wait_until(check: Any, timeout: float, what: str, log: Path) -> None:
    end = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < end, f"timed out: {what}\n{log.read_text()[-4000:]}"
        time.sleep(0.5)


def test_the_running_worker_sends_due_reminders_and_stops_cleanly(
        api: Api, make_tenant: Any, settings: Settings,
        robot: tuple[int, Robots]) -> None:
    port, seen = robot
    code = make_tenant(people=9)
    body = api.as_(code, "admin", SETTINGS, {"s": {"notifications": {"wecom": {
        "enabled": True, "url": f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key=k"}}}})
    assert body["data"]["updateTenantSettings"]["userErrors"] == []
    closes = (datetime.now(UTC) + timedelta(days=2, hours=12)).replace(microsecond=0)
    period = new_period(api, code, quarter=1,
                        deadlines=[{"state": "declaring", "at": closes.isoformat()}])
    advance_to(api, code, period, "declaring")
    assert reminded(settings, code) == 0  # nobody ran the pass

    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIXIAO_", "dramatiq_"))}
    # A Redis database of its own: the session's shared queues hold other tests' messages,
    # which this worker would otherwise run (and log) alongside the reminders.
    own_queue = settings.redis_url.rsplit("/", 1)[0] + "/3"
    redis.Redis.from_url(own_queue).flushdb()
    env.update(JIXIAO_DATABASE_URL=settings.database_url, JIXIAO_REDIS_URL=own_queue,
               JIXIAO_SECRET_KEY=settings.secret_key, JIXIAO_REMINDER_INTERVAL_SECONDS="2",
               PYTHONUNBUFFERED="1")
    log = Path(tempfile.mkdtemp(prefix="jixiao-worker-")) / "worker.log"
    with log.open("w") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "dramatiq", "jixiao.worker", "--processes", "1",
             "--threads", "2"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
    try:
        wait_until(lambda: reminded(settings, code) > 0, 120, "the scheduled pass", log)
        inbox = reminded(settings, code)
        people = robot_deliveries(settings, code)
        assert inbox >= people >= 6

        def delivered() -> int:
            return sum(1 for t in seen.texts() if DUE in t)

        wait_until(lambda: delivered() >= people, 120, "the robot's messages", log)
        time.sleep(6)  # several more passes: each reminder still once
        assert (reminded(settings, code), delivered()) == (inbox, people)

        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=90) == 0
    finally:
        if worker.poll() is None:  # only this test's worker and its children
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    output = log.read_text()
    assert "Scheduler started" in output, output[-4000:]
    assert "Scheduler has been shut down" in output, output[-4000:]
    # The worker also re-sends jobs left pending in the shared test database by other tests
    # (some deliberately broken); only the scheduler's and the reminders' own errors count.
    errors = [line for line in output.splitlines()
              if "[ERROR]" in line and ("apscheduler" in line or "remind" in line)]
    assert errors == [], output[-4000:]
