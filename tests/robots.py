"""A WeCom/DingTalk group robot on loopback, for tests of delivery: a real HTTP receiver that
records every POST (path, query, JSON body); the path ``/fail`` answers 500."""

from __future__ import annotations

import contextlib
import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from jixiao.localservers import free_port


class Robots:
    """Records the POSTs per path; /fail answers 500."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, dict[str, str], dict[str, Any]]] = []
        self.lock = threading.Lock()

    def count(self, path: str, part: str = "") -> int:
        with self.lock:
            return sum(1 for p, _, body in self.posts
                       if p == path and part in body["text"]["content"])


    def texts(self) -> list[str]:
        with self.lock:
            return [body["text"]["content"] for _, _, body in self.posts]


@contextlib.contextmanager
def robot_receiver() -> Iterator[tuple[int, Robots]]:
    """The receiver's port and what it has seen, for the duration of the block."""
    seen = Robots()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            query = dict(urllib.parse.parse_qsl(parts.query))
            with seen.lock:
                seen.posts.append((parts.path, query, body))
            status = 500 if parts.path == "/fail" else 200
            answer = json.dumps({"errcode": 0 if status == 200 else 500,
                                 "errmsg": "ok"}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], seen
    finally:
        server.shutdown()
        server.server_close()
