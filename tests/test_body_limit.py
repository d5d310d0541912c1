"""Every request body is limited by the bytes actually received, chunked bodies included."""

from __future__ import annotations

from collections.abc import Iterator

import httpx2

from tests.live_server import live_url

__all__ = ["live_url"]

MB = 1024 * 1024


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        chunk = b" " * min(size, total - sent)
        sent += len(chunk)
        yield chunk


def test_chunked_body_over_the_limit_gets_413(live_url: str) -> None:
    # A generator body goes out with Transfer-Encoding: chunked and no Content-Length.
    response = httpx2.post(f"{live_url}/graphql", content=_chunks(25 * MB),
                           headers={"content-type": "application/json"}, timeout=60)
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert error["message"] == "请求内容过大，不能超过20 MB"


def test_chunked_body_under_the_limit_is_served(live_url: str) -> None:
    body = b'{"query": "{ __typename }"}'
    response = httpx2.post(f"{live_url}/graphql", content=iter([body[:10], body[10:]]),
                           headers={"content-type": "application/json"}, timeout=60)
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert response.status_code == 200
    assert response.json()["data"] == {"__typename": "Query"}

