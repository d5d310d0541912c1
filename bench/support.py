"""Shared pieces of the benchmarks: a throwaway PostgreSQL, and measuring time and memory."""

from __future__ import annotations

import contextlib
import itertools
import os
import resource
import shutil
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.localservers import LocalPostgres, free_port
from jixiao.settings import Settings

# A benchmark's database: a context manager giving the settings of a fresh, migrated database.
Database = Callable[[], contextlib.AbstractContextManager[Settings]]


@contextlib.contextmanager
def _cluster() -> Iterator[tuple[LocalPostgres, Settings]]:
    """A fresh cluster on a free loopback port with the migrated database, removed afterwards."""
    from jixiao.cli import migrate

    root = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    os.chmod(root, 0o755)
    pg = LocalPostgres(root / "pg", free_port()).start()
    try:
        settings = Settings(database_url=pg.app_url, owner_database_url=pg.owner_url)
        migrate(settings)
        yield pg, settings
    finally:
        pg.stop()
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def throwaway_database() -> Iterator[Settings]:
    """A fresh, migrated cluster on a free loopback port, removed afterwards."""
    with _cluster() as (_, settings):
        yield settings


@contextlib.contextmanager
def shared_cluster() -> Iterator[Database]:
    """One throwaway cluster, migrated once, for several benchmarks in a row: each use of the
    yielded factory gives a fresh copy of the migrated database (``CREATE DATABASE ... TEMPLATE``,
    a file copy), dropped afterwards, so the benchmarks neither see each other's rows nor pay
    for a cluster and a migration each."""
    with _cluster() as (pg, template):
        serial = itertools.count(1)

        @contextlib.contextmanager
        def database() -> Iterator[Settings]:
            name = f"{pg.database}_{next(serial)}"
            pg.sql(f"CREATE DATABASE {name} TEMPLATE {pg.database} OWNER {pg.owner}")
            try:
                yield template.replace(
                    database_url=template.database_url.rsplit("/", 1)[0] + "/" + name,
                    owner_database_url=(template.owner_database_url.rsplit("/", 1)[0]
                                        + "/" + name))
            finally:
                pg.sql(f"DROP DATABASE {name} WITH (FORCE)")

        yield database


def max_rss_mb() -> float:
    """The process's peak resident set size so far. On Linux the high-water mark of its own
    memory (VmHWM), since ru_maxrss carries over the parent's peak through fork and exec (a
    report rendered in a child of a big benchmark process would show the parent's peak)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
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
