"""The Dramatiq broker: Redis in production and in the integration tests.

Redelivery: a worker holds the messages it fetched in a per-worker "acks" set in Redis and
refreshes its heartbeat on every poll (about once a second, even while busy). A worker that dies
stops beating; the queue maintenance that runs with the other workers' polls moves its unacked
messages back to the queue once its heartbeat is older than ``heartbeat_timeout``. Both knobs
come from the worker's settings (defaults: Dramatiq's 60 s, maintenance on 0.1% of the polls);
the tests shorten them to see a redelivery within seconds. This path is slow and chancy (minutes
with the defaults); what guarantees redelivery is the job sweeper (workers/sweeper.py), which
sends a dead worker's job again within a sweep interval (10 s) and a message Redis never got
once Redis answers. A job sent twice runs once (``run_job``).

Retries: expected failures (bad inputs, rules that cannot be met) are not retried: the job row
says ``failed`` with a Chinese message. An exception that could not even be recorded on the job
(the database is down) propagates, and Dramatiq retries it a few times with backoff.
"""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.redis import RedisBroker

from workers.settings import WorkerSettings


def setup_broker(settings: WorkerSettings) -> dramatiq.Broker:
    """Installs the process's global broker (the one ``dramatiq`` runs)."""
    broker = RedisBroker(  # type: ignore[no-untyped-call]
        url=settings.redis_url, heartbeat_timeout=settings.heartbeat_timeout_ms,
        maintenance_chance=settings.maintenance_chance)
    dramatiq.set_broker(broker)
    return broker
