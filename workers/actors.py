"""The actors: one per job kind, each running its body through ``run_job``.

Declared on the broker the worker's entry (``jixiao.worker``) installs, with the settings it
read once at start; importing this module declares nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import dramatiq

from models.jobs import JOB_ACTORS
from vocab.jobs import JobKind
from workers.bonus import _body as bonus_body
from workers.exports import _body as export_body
from workers.jobs import Body, execute
from workers.settings import WorkerSettings

BODIES: dict[JobKind, Body] = {JobKind.bonus_run: bonus_body, JobKind.export: export_body}
TIME_LIMIT_MS = 3_600_000


def _message_handler(settings: WorkerSettings, kind: JobKind,
                     body: Body) -> Callable[[str, str], None]:
    def run(tenant_id: str, job_id: str) -> None:
        execute(settings, tenant_id, job_id, kind, body)

    return run


def declare_actors(broker: dramatiq.Broker, settings: WorkerSettings
                   ) -> dict[JobKind, dramatiq.Actor[[str, str], None]]:
    """Every job kind's actor (queue and name from ``models.jobs.JOB_ACTORS``) on ``broker``."""
    actors: dict[JobKind, dramatiq.Actor[[str, str], None]] = {}
    for kind, body in BODIES.items():
        queue, name = JOB_ACTORS[kind]
        declare = dramatiq.actor(queue_name=queue, actor_name=name, max_retries=3,
                                 time_limit=TIME_LIMIT_MS, broker=broker)
        actors[kind] = declare(_message_handler(settings, kind, body))
    return actors
