"""The Dramatiq broker: Redis in production and in the integration tests."""

from __future__ import annotations

import os

import dramatiq
from dramatiq.brokers.redis import RedisBroker

from jixiao.settings import LOCAL_REDIS_URL


def setup_broker(url: str | None = None) -> dramatiq.Broker:
    broker = RedisBroker(  # type: ignore[no-untyped-call]
        url=url or os.environ.get("JIXIAO_REDIS_URL", LOCAL_REDIS_URL))
    dramatiq.set_broker(broker)
    return broker


broker = setup_broker()
