"""Fixtures: throwaway PostgreSQL and Redis on free loopback ports, migrated once per run.

Tests isolate by tenant: each test that writes creates its own small tenant, so nothing has to
be rolled back between tests and the demo tenants stay as loaded.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import event
from starlette.testclient import TestClient

from jixiao.localservers import LocalPostgres, LocalRedis, free_port
from jixiao.settings import Settings


@pytest.fixture(scope="session")
def servers() -> Iterator[tuple[LocalPostgres, LocalRedis]]:
    root = Path(tempfile.mkdtemp(prefix="jixiao-test-"))
    os.chmod(root, 0o755)
    pg = LocalPostgres(root / "pg", free_port()).start()
    redis = LocalRedis(root / "redis", free_port()).start()
    try:
        yield pg, redis
    finally:
        redis.stop()
        pg.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def settings(servers: tuple[LocalPostgres, LocalRedis]) -> Settings:
    pg, redis = servers
    os.environ["JIXIAO_REDIS_URL"] = redis.url
    s = Settings(database_url=pg.app_url, owner_database_url=pg.owner_url, redis_url=redis.url,
                 secret_key="test-secret-key-0123456789abcdef0123456789")
    from jixiao.cli import load_demo, migrate

    migrate(s)
    load_demo(s)
    return s


@pytest.fixture(scope="session")
def client(settings: Settings) -> Iterator[TestClient]:
    from jixiao.app import create_app

    with TestClient(create_app(settings)) as c:
        yield c


class Api:
    """A GraphQL caller with token cache; ``call`` returns the JSON body."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.tokens: dict[tuple[str, str], str] = {}

    def call(self, query: str, variables: dict[str, Any] | None = None,
             token: str | None = None) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        response = self.client.post("/graphql", json={"query": query, "variables": variables or {}},
                                    headers=headers)
        body: dict[str, Any] = response.json()
        body["_status"] = response.status_code
        return body

    def login(self, tenant: str, username: str, password: str = "Demo@2026") -> str:
        key = (tenant, username)
        if key not in self.tokens:
            body = self.call("mutation($t:String!,$u:String!,$p:String!){login(tenantCode:$t,"
                             "username:$u,password:$p){token userErrors{code message}}}",
                             {"t": tenant, "u": username, "p": password})
            token = body["data"]["login"]["token"]
            assert token, body
            self.tokens[key] = token
        return self.tokens[key]

    def as_(self, tenant: str, username: str, query: str,
            variables: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.call(query, variables, self.login(tenant, username))


@pytest.fixture(scope="session")
def api(client: TestClient) -> Api:
    return Api(client)


@pytest.fixture
def count_statements(client: TestClient) -> Iterator[list[str]]:
    """Collects the SQL statements the app's engine runs while the fixture is active."""
    statements: list[str] = []
    engine = client.app.state.engine.sync_engine  # type: ignore[attr-defined]

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        # A session's last use is written at most once a minute (rules.sessions.touch_due):
        # whether a request does depends on the time since the last one, not on its work.
        if not statement.startswith("UPDATE account_sessions SET last_seen_at"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    yield statements
    event.remove(engine, "before_cursor_execute", before)


@pytest.fixture
def raw_app_connection(settings: Settings) -> Iterator[psycopg.Connection[Any]]:
    """A plain connection as the application role (for checks below the ORM)."""
    url = settings.database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url) as conn:
        yield conn


def unique_code(prefix: str = "t") -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="session")
def make_tenant(settings: Settings, api: Api) -> Any:
    """Creates a small synthetic tenant (see tests/factories.py) and returns its code."""
    from tests.factories import load_synthetic

    def make(people: int = 12, kind: str = "county_bureau") -> str:
        code = unique_code()
        asyncio.run(load_synthetic(settings, code, people, kind))
        return code

    return make


@pytest.fixture(scope="module")
def worker(settings: Settings) -> Iterator[Any]:
    """A Dramatiq worker inside the test process, on the test Redis and the test database:
    jobs enqueued by the API run as in production (after commit, under RLS). Yields the worker;
    ``worker.join()`` waits for the work in progress. Per module: its threads (which draw from
    the global ``random``) must not run beside hypothesis tests."""
    import dramatiq
    from dramatiq.brokers.redis import RedisBroker

    os.environ["JIXIAO_DATABASE_URL"] = settings.database_url
    os.environ["JIXIAO_REDIS_URL"] = settings.redis_url
    # The deployment's one secret: the worker opens what the API sealed (channel secrets).
    os.environ["JIXIAO_SECRET_KEY"] = settings.secret_key
    # Notifications: retries within a second; the reminder pass only when a test runs it.
    os.environ.setdefault("JIXIAO_NOTIFY_MAX_RETRIES", "2")
    os.environ.setdefault("JIXIAO_NOTIFY_MIN_BACKOFF_MS", "50")
    os.environ.setdefault("JIXIAO_NOTIFY_MAX_BACKOFF_MS", "200")
    os.environ.setdefault("JIXIAO_REMINDER_INTERVAL_SECONDS", "0")
    from jixiao.worker import broker

    assert isinstance(broker, RedisBroker)
    kwargs = broker.client.connection_pool.connection_kwargs
    assert kwargs.get("port") == int(settings.redis_url.rsplit(":", 1)[1].split("/")[0]), (
        "jixiao.worker was imported before the test Redis was configured")
    running = dramatiq.Worker(broker, worker_threads=2, worker_timeout=100)
    running.start()
    try:
        yield running
    finally:
        running.stop(timeout=30_000)


# The units whose year the session loads (two at a time, as the run command does). Every
# appraised unit costs minutes on a busy 2-core machine (python -m bench.demo_load): the tests
# load the one with the bonus run (金牛区西华街道, the staff and office flows) and the units the
# browser tests change, each flow its own: 双流区黄水镇 (the department head's flows take its
# current quarter through rating to feedback), gtlg (bonus runs and report exports),
# 都江堰市委组织部 (the admin's whole cycle drives its open quarter to the end; also the city's
# comparison's second unit and kind). JIXIAO_TEST_ALL_DEMO_YEARS=1 loads every unit's
# (tests/test_demo_year.py).
DEMO_YEAR_UNITS = ("xhjd", "hsz", "gtlg", "djyzzb")


@pytest.fixture(scope="session")
def demo_year(settings: Settings) -> None:
    """The demo's year of history, loaded once for the session (idempotent); browser tests of
    the portal use it as the run command shows it."""
    from jixiao.cli import load_demo

    load_demo(settings, year=True, only=DEMO_YEAR_UNITS)
