"""The application served by a real uvicorn on a free loopback port, in a background thread.

For tests that need real HTTP (chunked bodies, a browser) or concurrent requests against one
event loop (the health endpoint answering while an upload is parsed).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from jixiao.localservers import free_port
from jixiao.settings import Settings


@contextlib.contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """Serves ``create_app(settings)`` until the block ends; yields its base URL."""
    from jixiao.app import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="module")
def live_url(settings: Settings) -> Iterator[str]:
    with serving(settings) as url:
        yield url
