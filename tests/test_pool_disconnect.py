"""The pool checks its connections without a round trip, yet a connection the server dropped
(a restart, a terminated backend) is never handed to a request."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import event, text
from starlette.testclient import TestClient

from jixiao.settings import Settings
from tests.conftest import Api


@pytest.fixture
def own_client(settings: Settings) -> Iterator[TestClient]:
    """An application of its own: its pool's connections are the only ones this test ends."""
    from jixiao.app import create_app

    with TestClient(create_app(settings)) as client:
        yield client


def backend_pids(client: TestClient) -> set[int]:
    """The server processes of the connections the application's pool holds."""
    engine = client.app.state.engine  # type: ignore[attr-defined]

    async def pids() -> set[int]:
        # Holding as many connections as the pool keeps idle: exactly those.
        async with contextlib.AsyncExitStack() as stack:
            connections = [await stack.enter_async_context(engine.connect())
                           for _ in range(max(engine.sync_engine.pool.checkedin(), 1))]
            return {int(await c.scalar(text("SELECT pg_backend_pid()"))) for c in connections}

    found: set[int] = client.portal.call(pids)  # type: ignore[union-attr]
    return found


def terminate(settings: Settings, pids: set[int]) -> None:
    # As the application role: a role may end its own backends.
    url = settings.database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as owner:
        for pid in pids:
            owner.execute("SELECT pg_terminate_backend(%s)", (pid,))
        deadline = time.monotonic() + 10
        while owner.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)",
                            (list(pids),)).fetchone() != (0,):
            assert time.monotonic() < deadline, "the backends did not end"
            time.sleep(0.05)


def test_no_ping_before_a_request(api: Api, own_client: TestClient, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    token = api.login(code, "admin")
    statements: list[str] = []
    engine = own_client.app.state.engine.sync_engine  # type: ignore[attr-defined]

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        response = own_client.post("/graphql", json={"query": "{ __typename }"},
                                   headers={"authorization": f"Bearer {token}"})
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert response.status_code == 200, response.text
    assert not [s for s in statements if s.strip().upper() == "SELECT 1"], statements
    assert engine.pool._pre_ping is False


def test_a_connection_the_server_dropped_is_replaced(
        api: Api, own_client: TestClient, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    token = api.login(code, "admin")
    headers = {"authorization": f"Bearer {token}"}
    query = {"query": "{ tenant { name } }"}
    assert own_client.post("/graphql", json=query, headers=headers).status_code == 200
    pids = backend_pids(own_client)
    terminate(settings, pids)
    response = own_client.post("/graphql", json=query, headers=headers)
    assert response.status_code == 200, response.text
    assert "errors" not in response.json(), response.json()
    assert not backend_pids(own_client) & pids
