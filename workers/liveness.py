"""The worker's liveness: each worker process beats a file, the probe checks the beats.

Every worker process runs the job sweeper (workers/sweeper.py) in a thread that wakes every
``job_sweep_interval_seconds``; each round it touches ``<tmp>/jixiao-worker-alive/<pid>``
(``beat``). The container's probe (``python -m workers.liveness --max-age 120``, the Helm
chart's) passes when at least one worker process is running and every running one beat within
``max_age`` seconds: a process that is wedged or whose loop died stops beating, and the pod is
restarted. A database or Redis outage does not stop the beats (a failed sweep is retried next
round): restarting would not help there. Files of processes that are gone are removed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

BEATS = Path(tempfile.gettempdir()) / "jixiao-worker-alive"


def beat(directory: Path = BEATS) -> None:
    """Marks this process alive now (best effort: a full disk must not stop the sweeper)."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / str(os.getpid())).touch()
    except OSError:
        pass


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True


def _started(pid: int) -> float | None:
    """When the process started (epoch seconds), from /proc; None where there is no /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot = next(line for line in Path("/proc/stat").read_text().splitlines()
                    if line.startswith("btime "))
    except (OSError, StopIteration):
        return None
    ticks = int(stat.rsplit(")", 1)[1].split()[19])  # field 22, after the command's name
    return int(boot.split()[1]) + ticks / os.sysconf("SC_CLK_TCK")


def stale(max_age: float, directory: Path = BEATS, now: float | None = None) -> list[str] | None:
    """The running worker processes that have not beaten within ``max_age`` seconds, or None
    when no running worker process has beaten yet. A file older than its process is an earlier
    process's (the pid came back after a restart, /tmp outlives the container): it is no beat,
    and a process that has not beaten within ``max_age`` of its start is late."""
    now = time.time() if now is None else now
    alive, late = 0, []
    for path in directory.glob("*") if directory.is_dir() else ():
        if not path.name.isdigit():
            continue
        pid = int(path.name)
        if not _running(pid):
            path.unlink(missing_ok=True)
            continue
        try:
            beaten = path.stat().st_mtime
        except FileNotFoundError:
            continue
        started = _started(pid)
        if started is not None and beaten < started - 1:  # not this process's beat
            if now - started > max_age:
                late.append(f"{pid} (no beat since its start)")
            continue
        alive += 1
        if now - beaten > max_age:
            late.append(f"{pid} ({now - beaten:.0f} s)")
    return late if alive or late else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="worker liveness probe")
    parser.add_argument("--max-age", type=float, default=120.0)
    args = parser.parse_args(argv)
    late = stale(args.max_age)
    if late is None:
        print("no worker process has reported alive", file=sys.stderr)
        return 1
    if late:
        print("worker processes not alive: " + ", ".join(late), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
