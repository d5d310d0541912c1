"""Entry point of the worker process: importing this module declares every actor."""

from __future__ import annotations

from workers.broker import broker

__all__ = ["broker"]
