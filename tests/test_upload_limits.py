"""Uploads never block the server: a 100,000-row XLSX and a zip bomb are refused in Chinese,
nothing is written, and /healthz answers every poll made while they are imported."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from types import TracebackType
from typing import Any

import httpx2
import pytest

from bench.upload_files import long_roster, zip_bomb
from tests.live_server import live_url

__all__ = ["live_url"]

IMPORT = ("mutation($f:String!,$c:String!){ importRoster(input:{filename:$f,contentBase64:$c})"
          " { created updated userErrors { code message field } } }")
COUNT = "{ people(first:1, filter:{status:null}) { totalCount } }"
LOGIN = ("mutation($t:String!,$u:String!,$p:String!){login(tenantCode:$t,username:$u,password:$p)"
         "{token}}")
POLL_TIMEOUT = 2.0  # a poll not answered within this counts as a failure (the loop is blocked)


class HealthPoller:
    """Polls /healthz from a thread until closed; counts answers and failures."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.answered = 0
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._first = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx2.Client(timeout=POLL_TIMEOUT) as client:
            while not self._stop.is_set():
                try:
                    response = client.get(f"{self.url}/healthz")
                    if response.status_code == 200 and response.json() == {"status": "ok"}:
                        self.answered += 1
                    else:
                        self.failures.append(f"HTTP {response.status_code}")
                except httpx2.HTTPError as exc:
                    self.failures.append(repr(exc))
                self._first.set()
                self._stop.wait(0.01)

    def __enter__(self) -> HealthPoller:
        self._thread.start()
        self._first.wait()  # polling runs from before the import starts until it ends
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()


@pytest.fixture(scope="module")
def admin(live_url: str, make_tenant: Any) -> Iterator[httpx2.Client]:
    """A client logged in as the admin of a fresh tenant on the live server."""
    code = make_tenant(people=6)
    with httpx2.Client(base_url=live_url, timeout=120) as client:
        body = client.post("/graphql", json={"query": LOGIN, "variables": {
            "t": code, "u": "admin", "p": "Demo@2026"}}).json()
        client.headers["authorization"] = f"Bearer {body['data']['login']['token']}"
        yield client


def _people(client: httpx2.Client) -> int:
    return int(client.post("/graphql", json={"query": COUNT}).json()
               ["data"]["people"]["totalCount"])


def _import_while_polling(client: httpx2.Client, filename: str, content: bytes
                          ) -> dict[str, Any]:
    before = _people(client)
    with HealthPoller(str(client.base_url)) as poller:
        body = client.post("/graphql", json={"query": IMPORT, "variables": {
            "f": filename, "c": base64.b64encode(content).decode()}}).json()
    assert poller.failures == [], poller.failures
    assert poller.answered > 0
    assert _people(client) == before  # nothing written
    payload: dict[str, Any] = body["data"]["importRoster"]
    assert (payload["created"], payload["updated"]) == (0, 0)
    return payload


def test_100000_rows_are_refused_while_health_answers(admin: httpx2.Client) -> None:
    payload = _import_while_polling(admin, "花名册.xlsx", long_roster(100_000))
    assert payload["userErrors"] == [{"code": "INVALID", "field": "contentBase64",
                                      "message": "“花名册”表一次最多导入10000行"}]


def test_zip_bomb_is_refused_while_health_answers(admin: httpx2.Client) -> None:
    bomb = zip_bomb(inflated_mb=125)
    assert len(bomb) < 1024 * 1024
    payload = _import_while_polling(admin, "花名册.xlsx", bomb)
    assert payload["userErrors"] == [{
        "code": "INVALID", "field": "contentBase64",
        "message": "Excel 文件解压后超过64 MB，请删除多余的内容或分批导入"}]


def test_a_roster_within_the_limits_still_imports(admin: httpx2.Client) -> None:
    before = _people(admin)
    content = long_roster(3)
    body = admin.post("/graphql", json={"query": IMPORT, "variables": {
        "f": "花名册.xlsx", "c": base64.b64encode(content).decode()}}).json()
    assert body["data"]["importRoster"]["userErrors"] == []
    assert body["data"]["importRoster"]["created"] == 3
    assert _people(admin) == before + 3
