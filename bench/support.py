"""Shared pieces of the benchmarks: a throwaway PostgreSQL, and measuring time and memory."""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.localservers import LocalPostgres, free_port
from jixiao.settings import Settings


@contextlib.contextmanager
def throwaway_database() -> Iterator[Settings]:
    """A fresh, migrated cluster on a free loopback port, removed afterwards."""
    from jixiao.cli import migrate

    root = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    os.chmod(root, 0o755)
    pg = LocalPostgres(root / "pg", free_port()).start()
    try:
        settings = Settings(database_url=pg.app_url, owner_database_url=pg.owner_url)
        migrate(settings)
        yield settings
    finally:
        pg.stop()
        shutil.rmtree(root, ignore_errors=True)


def max_rss_mb() -> float:
    """The process's peak resident set size so far (Linux: ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Measurement:
    seconds: float = 0.0
    rss_before_mb: float = 0.0
    rss_peak_mb: float = 0.0
    python_peak_mb: float | None = None
    notes: dict[str, object] = field(default_factory=dict)

    def line(self, label: str) -> str:
        parts = [f"{label}: {self.seconds:.2f} s", f"peak RSS {self.rss_peak_mb:.0f} MB "
                 f"(was {self.rss_before_mb:.0f} MB before)"]
        if self.python_peak_mb is not None:
            parts.append(f"peak Python allocations {self.python_peak_mb:.0f} MB (tracemalloc)")
        parts += [f"{k} {v}" for k, v in self.notes.items()]
        return "; ".join(parts)


@contextlib.contextmanager
def measure(trace: bool = False) -> Iterator[Measurement]:
    """Wall time and peak memory of the block. ``trace`` adds tracemalloc (slower)."""
    m = Measurement(rss_before_mb=max_rss_mb())
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    try:
        yield m
    finally:
        m.seconds = time.perf_counter() - start
        if trace:
            m.python_peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        m.rss_peak_mb = max_rss_mb()
