"""The process's layout processes: one pool, spawned once and kept warm for every report after.

Starting a layout process costs about a second (WeasyPrint imported, the fonts loaded), as much
as laying out a hundred rows; a pool started per report would spend that on every download. The
worker warms the pool when it boots (``workers.exports.LayoutPoolWarmer``); elsewhere the first
long report starts it. The worker stops it when it stops; elsewhere it ends with the process
(``concurrent.futures`` joins it at exit), and a layout process whose parent was killed sees it
within a second and ends. Each process holds about 55 MB when idle.

The processes are ``spawn``ed, not forked from the job's process, which runs threads and an
event loop. (Forked from a fork server that preloaded WeasyPrint, they laid out slower than one
process alone: 37 s against 22 s for 2,000 rows.) A pool whose process died (killed, out of
memory) is dropped and the next report starts a new one.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_size = 0
_FONTS: Any = None


def _orphaned(parent: int) -> None:
    """In a layout process: ends it once its parent is gone. A parent killed outright (a
    worker the supervisor starts again) leaves its queue open to no one."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def _warm_up() -> None:
    """In a layout process, when it starts: WeasyPrint imported, fonts ready."""
    from weasyprint.text.fonts import FontConfiguration

    global _FONTS
    if _FONTS is None:
        threading.Thread(target=_orphaned, args=(os.getppid(),), daemon=True).start()
        _FONTS = FontConfiguration()


def _ready() -> int:
    """A task that keeps its process busy a moment, so that each process of a pool being
    started gets one (each warms up before it takes a task)."""
    time.sleep(0.5)
    return os.getpid()


def rows_on(page: Any) -> list[int]:
    """The table rows (``id="r<index>"``) laid out on a page."""
    return [int(a[1:]) for a in page.anchors if a.startswith("r") and a[1:].isdigit()]


def lay_out(html: str) -> tuple[bytes, list[int], tuple[int, float, float]]:
    """In a layout process: one run of pages as PDF, the row anchors (``r<index>``) on each
    page, and (pid, CPU seconds of this run, peak RSS in MB) for the benchmark."""
    from weasyprint import HTML

    _warm_up()
    cpu = time.process_time()
    rendered = HTML(string=html).render(font_config=_FONTS)
    data, rows = rendered.write_pdf(), [len(rows_on(page)) for page in rendered.pages]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return data, rows, (os.getpid(), time.process_time() - cpu, peak)


def layout_pool(processes: int) -> ProcessPoolExecutor:
    """The process's pool of ``processes`` layout processes (started now if there is none)."""
    global _pool, _size
    with _lock:
        if _pool is None or _size != processes:
            if _pool is not None:
                _pool.shutdown(wait=False, cancel_futures=True)
            _pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_warm_up)
            _size = processes
        return _pool


def warm(processes: int) -> list[Future[int]]:
    """Starts every process of the pool (each warms up as it starts); the futures end as they
    are ready, with their pids."""
    pool = layout_pool(processes)
    return [pool.submit(_ready) for _ in range(processes)]


def discard(pool: ProcessPoolExecutor) -> None:
    """Drops a broken pool (one of its processes died): the next report starts a new one."""
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)


def shutdown() -> None:
    """Stops the pool's processes and waits for them (the worker stopping, the benchmark
    before reading their usage). A report still being laid out goes on in its own process."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)
