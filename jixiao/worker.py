"""The worker process's entry: ``python -m dramatiq jixiao.worker``.

Reads the settings once (``JIXIAO_REDIS_URL``, ``JIXIAO_DATABASE_URL``: the application role,
jobs run under row-level security; the worker knobs in jixiao/settings.py), installs the broker
declares every actor on it (the jobs' and the notifications' delivery), and runs the job
sweeper (workers/sweeper.py) and the reminder scheduler (workers/scheduler.py) beside them.
With ``JIXIAO_WORKER_METRICS=1``, Dramatiq's Prometheus middleware counts the jobs by actor and
outcome with their durations, served by a process the CLI forks on ``dramatiq_prom_port``
(Dramatiq's own variables, read by the CLI's main process: 9191 by default).
With ``JIXIAO_OTEL_ENDPOINT``, a span per job is exported as ``jixiao-worker`` (jixiao/tracing.py).
"""

from __future__ import annotations

from jixiao.collector import TunedCollector
from jixiao.settings import Settings
from workers.actors import declare_actors
from workers.broker import setup_broker
from workers.exports import LayoutPoolWarmer
from workers.notifications import declare_delivery_actor
from workers.push_rules import declare_pass_actor
from workers.scheduler import ReminderScheduler
from workers.sweeper import JobSweeper

configured = Settings.from_env()
settings = configured.worker()
broker = setup_broker(settings)
broker.add_middleware(TunedCollector())
# The layout processes of long PDF reports, warm from the start (reports/layout_pool.py).
broker.add_middleware(LayoutPoolWarmer(settings))
broker.add_middleware(JobSweeper(settings))
# The deadline reminders (workers/scheduler.py): APScheduler beside the actors.
broker.add_middleware(ReminderScheduler(settings))
if configured.worker_metrics:
    # Needs the dramatiq CLI: it forks the exposition server and runs the process-boot hook
    # the middleware sets its metrics up in.
    from dramatiq.middleware.prometheus import Prometheus

    broker.add_middleware(Prometheus())
if configured.otel_endpoint:
    from jixiao.tracing import WORKER_SERVICE, JobSpans, make_provider

    broker.add_middleware(JobSpans(make_provider(configured.otel_endpoint, WORKER_SERVICE)))
actors = declare_actors(broker, settings)
push_rules_pass = declare_pass_actor(broker, settings)
deliver_notification = declare_delivery_actor(broker, settings)

__all__ = ["actors", "broker", "deliver_notification", "push_rules_pass", "settings"]
