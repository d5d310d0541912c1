"""What a worker process needs of the deployment's settings.

The worker's entry (``jixiao.worker``) builds it once at start from the wiring's settings and
hands it to the broker and the actors; nothing in ``workers/`` reads the environment. The
defaults live with the other settings, in the wiring.
"""

from __future__ import annotations

from dataclasses import dataclass

from resolvers.settings import UseCaseSettings


@dataclass(frozen=True)
class WorkerSettings:
    # The application role: jobs run under row-level security.
    database_url: str
    redis_url: str
    use_cases: UseCaseSettings
    # Redelivery: a worker whose heartbeat is older than this loses its unacked messages to
    # the queue maintenance, which runs on this many polls per million.
    heartbeat_timeout_ms: int
    maintenance_chance: int
    # The sweeper (workers/sweeper.py): seconds between sweeps (0: none), and how long a job
    # may stay queued before its message is sent again.
    job_sweep_interval_seconds: float
    job_resend_after_seconds: float
    # Rows per write of a bonus run and per PDF chunk of an export; None: the code's default.
    bonus_write_chunk: int | None
    report_chunk_rows: int | None
    # Test hook: seconds to wait between chunks, so a test can kill a worker mid-run.
    job_test_delay_seconds: float
    # A streaming read replica for the exports' reads (tenants/replica.py), None: the primary;
    # how long a job waits for it to replay the primary's position before reading the primary.
    read_database_url: str | None = None
    read_max_wait_seconds: float = 5.0
    # Processes laying out a long report's chunks in parallel; None: the code's default.
    report_processes: int | None = None
    # Notifications: Dramatiq's retries of a failed delivery and their backoff; seconds
    # between reminder passes (0: none). Defaults in jixiao/settings.py.
    notify_max_retries: int = 4
    notify_min_backoff_ms: int = 15_000
    notify_max_backoff_ms: int = 600_000
    reminder_interval_seconds: float = 300.0
