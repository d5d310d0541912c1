"""The periodic reminder pass in every worker process (issue 17, part 1), scheduled by
APScheduler (a ``BackgroundScheduler`` started with the worker, one interval job, never two runs
at once in a process). Several workers run it side by side: the reminder ledger's unique key
makes each reminder go out once (resolvers/notifications/reminders.py).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import dramatiq
from apscheduler.schedulers.background import BackgroundScheduler  # type: ignore[import-untyped]

from resolvers.notifications.reminders import PassResult, reminder_pass
from tenants.db import make_engine, make_sessionmaker
from workers.settings import WorkerSettings

log = logging.getLogger("jixiao.workers.scheduler")


def run_reminder_pass(settings: WorkerSettings, now: datetime | None = None) -> PassResult:
    """One pass over every tenant, in its own event loop and connection (a worker thread)."""

    async def run() -> PassResult:
        engine = make_engine(settings.database_url, pooled=False)
        try:
            return await reminder_pass(make_sessionmaker(engine), settings.use_cases,
                                       now or datetime.now(UTC))
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _job(settings: WorkerSettings) -> None:
    try:
        result = run_reminder_pass(settings)
        if result.reminders or result.resent:
            log.info("reminder pass: %s reminders, %s deliveries sent again",
                     result.reminders, result.resent)
    except Exception:  # the database is down: the next run tries again
        log.exception("reminder pass failed")


class ReminderScheduler(dramatiq.Middleware):
    """Starts APScheduler with the worker and stops it with the worker."""

    def __init__(self, settings: WorkerSettings) -> None:
        self.settings = settings
        self.scheduler: BackgroundScheduler | None = None

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        if self.settings.reminder_interval_seconds <= 0:
            return
        self.scheduler = BackgroundScheduler(timezone=UTC)
        self.scheduler.add_job(_job, "interval", args=[self.settings],
                               seconds=self.settings.reminder_interval_seconds,
                               id="reminder_pass", max_instances=1, coalesce=True,
                               next_run_time=datetime.now(UTC))
        self.scheduler.start()

    def before_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=True)
            self.scheduler = None
