"""The Dramatiq broker: Redis in production and in the integration tests.

Redelivery: a worker holds the messages it fetched in a per-worker "acks" set in Redis and
refreshes its heartbeat on every poll (about once a second, even while busy). A worker that dies
stops beating; the queue maintenance that runs with the other workers' polls moves its unacked
messages back to the queue once its heartbeat is older than ``heartbeat_timeout``. Both knobs
come from the environment (defaults: Dramatiq's 60 s, maintenance on 0.1% of the polls); the
tests shorten them to see a redelivery within seconds.

Retries: expected failures (bad inputs, rules that cannot be met) are not retried: the job row
says ``failed`` with a Chinese message. An exception that could not even be recorded on the job
(the database is down) propagates, and Dramatiq retries it a few times with backoff.
"""

from __future__ import annotations

import os

import dramatiq
from dramatiq.brokers.redis import RedisBroker

from jixiao.settings import LOCAL_REDIS_URL

DEFAULT_HEARTBEAT_TIMEOUT_MS = 60_000
DEFAULT_MAINTENANCE_CHANCE = 1_000  # per million polls


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def setup_broker(url: str | None = None) -> dramatiq.Broker:
    broker = RedisBroker(  # type: ignore[no-untyped-call]
        url=url or os.environ.get("JIXIAO_REDIS_URL", LOCAL_REDIS_URL),
        heartbeat_timeout=_env_int("JIXIAO_WORKER_HEARTBEAT_TIMEOUT_MS",
                                   DEFAULT_HEARTBEAT_TIMEOUT_MS),
        maintenance_chance=_env_int("JIXIAO_WORKER_MAINTENANCE_CHANCE",
                                    DEFAULT_MAINTENANCE_CHANCE))
    dramatiq.set_broker(broker)
    return broker


broker = setup_broker()
