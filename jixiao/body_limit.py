"""A limit on every request body by the bytes actually received.

A Content-Length header can be absent (chunked transfer) or false, so the body is counted while
it is read from the ASGI receive stream. It is read in full (up to the limit) before the
application sees the request: a slow or oversized upload never holds a database connection, and
the application reads the body from memory as before.
"""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jixiao.responses import error_json


def too_large(max_bytes: int) -> JSONResponse:
    megabytes = max_bytes / (1024 * 1024)
    return error_json(413, f"请求内容过大，不能超过{megabytes:g} MB", "PAYLOAD_TOO_LARGE",
                      headers={"connection": "close"})


class BodyLimit:
    """ASGI middleware: answers 413 as soon as a request body passes ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await too_large(self.max_bytes)(scope, receive, send)
            return
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client went away: nobody to answer
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                await too_large(self.max_bytes)(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:  # later reads wait for the disconnect, as the server's own receive
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)
