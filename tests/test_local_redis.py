"""The run command's Redis keeps its data across a restart (append-only file)."""

from __future__ import annotations

from pathlib import Path

import redis

from jixiao.localservers import LocalRedis, free_port


def test_local_redis_keeps_queued_messages_across_a_restart(tmp_path: Path) -> None:
    server = LocalRedis(tmp_path / "redis", free_port()).start()
    try:
        client = redis.Redis.from_url(server.url)
        client.rpush("dramatiq:exports", "message-1")
        client.close()
        server.stop()
        server.process = None
        server.start()
        client = redis.Redis.from_url(server.url)
        assert client.lrange("dramatiq:exports", 0, -1) == [b"message-1"]
        client.close()
    finally:
        server.stop()
