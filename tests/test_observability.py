"""Operators' view (issue 18): /metrics, JSON request logs with a request id, tenant and
operation, client mistakes without tracebacks, the worker's job metrics."""

from __future__ import annotations

import json
import logging
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jixiao.localservers import free_port
from jixiao.observability import configure_logging
from jixiao.settings import Settings
from tests.appraisal_data import seed_results
from tests.conftest import Api
from tests.test_worker_redelivery import start_bonus_job, start_worker, wait_for, worker_env

__all__ = ["start_worker"]  # the fixture, imported for this module's tests

WHO = "query Who { me { account { username } } }"


@pytest.fixture
def json_logs(capsys: pytest.CaptureFixture[str]) -> Iterator[Any]:
    """Yields ``start``: turns JSON logging on (in the test's body, where stderr is captured)
    and returns a reader of the lines written since the last read."""
    root = logging.getLogger()
    level = root.level

    def lines() -> list[dict[str, Any]]:
        return [json.loads(line) for line in capsys.readouterr().err.splitlines()
                if line.startswith("{")]

    def start() -> Any:
        configure_logging()
        lines()
        return lines

    yield start
    for handler in [h for h in root.handlers if getattr(h, "jixiao", False)]:
        root.removeHandler(handler)
    root.setLevel(level)
    logging.getLogger("uvicorn.access").disabled = False


def _metric(text: str, name: str, **labels: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
            if all(found.get(k) == v for k, v in labels.items()):
                return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} {labels} not in /metrics")


def test_metrics_count_requests_by_operation_and_outcome(api: Api, make_tenant: Any) -> None:
    code = make_tenant()
    client = api.client
    before = client.get("/metrics").text
    try:
        base = _metric(before, "jixiao_graphql_requests_total", operation="Who", outcome="ok")
    except AssertionError:
        base = 0.0
    for _ in range(3):
        assert api.as_(code, "admin", WHO)["data"]["me"]["account"]["username"] == "admin"
    api.call("query Broken { me { ")
    api.call(WHO, token="not-a-token")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert _metric(text, "jixiao_graphql_requests_total", operation="Who",
                   outcome="ok") == base + 3
    assert _metric(text, "jixiao_graphql_requests_total", outcome="request_error") >= 1
    assert _metric(text, "jixiao_graphql_requests_total", outcome="unauthenticated") >= 1
    assert _metric(text, "jixiao_graphql_request_duration_seconds_count", operation="Who") >= 3
    assert _metric(text, "jixiao_db_pool_size") >= 1
    assert _metric(text, "jixiao_db_pool_connections_in_use") >= 0
    assert _metric(text, "jixiao_http_requests_total", route="graphql", status="2xx") >= 3


def test_a_request_logs_one_json_line_with_its_id_tenant_and_operation(
        api: Api, make_tenant: Any, json_logs: Any) -> None:
    code = make_tenant()
    token = api.login(code, "admin")
    read = json_logs()
    response = api.client.post("/graphql", json={"query": WHO}, headers={
        "authorization": f"Bearer {token}", "x-request-id": "req-20261202-0001"})
    assert response.headers["x-request-id"] == "req-20261202-0001"
    lines = read()
    access = [line for line in lines if line["logger"] == "jixiao.access"]
    assert len(access) == 1, lines
    assert access[0]["request_id"] == "req-20261202-0001"
    assert access[0]["tenant"] == code
    assert access[0]["operation"] == "Who"
    assert (access[0]["status"], access[0]["outcome"], access[0]["path"]) == (200, "ok",
                                                                              "/graphql")
    # no id given, or a malformed one: the server makes one and returns it
    made = api.client.post("/graphql", json={"query": WHO}, headers={
        "authorization": f"Bearer {token}", "x-request-id": "bad id\nwith a line break"})
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["x-request-id"])


def test_a_syntax_error_logs_one_line_without_a_traceback(api: Api, json_logs: Any) -> None:
    read = json_logs()
    api.call("query Broken { me { ")
    lines = [line for line in read() if not line["logger"].startswith("httpx")]  # the client's
    assert len(lines) == 2, lines  # the client error and the access line
    client_error = next(line for line in lines if line["logger"] == "jixiao.graphql")
    assert client_error["level"] == "INFO"
    assert "exc_info" not in client_error
    assert "Traceback" not in json.dumps(lines)
    access = next(line for line in lines if line["logger"] == "jixiao.access")
    assert access["outcome"] == "request_error"
    assert client_error["request_id"] == access["request_id"]


def test_the_worker_serves_job_metrics(settings: Settings, make_tenant: Any, tmp_path: Path,
                                       start_worker: Any) -> None:
    from starlette.testclient import TestClient

    from jixiao.app import create_app

    own = settings.replace(redis_url=settings.redis_url.rsplit("/", 1)[0] + "/3")
    code = make_tenant(people=12, kind="subdistrict")
    grades = {f"P{i:03d}": ("excellent", "competent")[i % 2] for i in range(1, 13)}
    period = seed_results(settings, code, grades, {"ldbz": "A", "d1": "A", "d2": "B"})
    port = free_port()
    (tmp_path / "prom").mkdir()
    start_worker(worker_env(own, JIXIAO_WORKER_METRICS="1", dramatiq_prom_port=str(port),
                            dramatiq_prom_db=str(tmp_path / "prom"),
                            dramatiq_prom_host="127.0.0.1"))
    with TestClient(create_app(own)) as client:
        _, job = start_bonus_job(Api(client), code, period)
        done = wait_for("the bonus job", lambda: (
            j if (j := job())["status"] in ("done", "failed") else None), 120)
    assert done["status"] == "done", done

    def scraped() -> dict[str, Any] | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                text = answer.read().decode()
        except OSError:
            return None
        return {"text": text} if "dramatiq_messages_total{" in text else None

    text = wait_for("the worker's metrics", scraped, 30)["text"]
    assert re.search(r'dramatiq_messages_total\{[^}]*actor_name="[a-z_]*bonus[a-z_]*"', text), text
    assert "dramatiq_message_duration_milliseconds_bucket" in text
