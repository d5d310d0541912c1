"""Entry point of the worker process: importing this module declares every actor.

Run with ``python -m dramatiq workers.actors``; the worker reads ``JIXIAO_REDIS_URL`` and
``JIXIAO_DATABASE_URL`` (the application role: jobs run under row-level security) from the
environment.
"""

from __future__ import annotations

from workers.bonus import run_bonus
from workers.broker import broker
from workers.exports import export_report

__all__ = ["broker", "export_report", "run_bonus"]
