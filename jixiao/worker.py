"""The worker process's entry: ``python -m dramatiq jixiao.worker``.

Reads the settings once (``JIXIAO_REDIS_URL``, ``JIXIAO_DATABASE_URL``: the application role,
jobs run under row-level security; the worker knobs in jixiao/settings.py), installs the broker
declares every actor on it, and runs the job sweeper (workers/sweeper.py) beside the actors.
"""

from __future__ import annotations

from jixiao.settings import Settings
from workers.actors import declare_actors
from workers.broker import setup_broker
from workers.sweeper import JobSweeper

settings = Settings.from_env().worker()
broker = setup_broker(settings)
broker.add_middleware(JobSweeper(settings))
actors = declare_actors(broker, settings)

__all__ = ["actors", "broker", "settings"]
