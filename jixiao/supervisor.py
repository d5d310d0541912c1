"""The run command's child processes (API, worker): one that stops is started again.

Each child runs in a process group of its own, so a crashed ``dramatiq`` parent leaves no
worker process behind (its group is killed before the restart), and Ctrl-C reaches the children
only through ``stop``. A child that keeps dying right after its start is given up on.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

# A child that dies within this many seconds of its start counts as a failed start.
QUICK_EXIT_SECONDS = 10.0
MAX_QUICK_EXITS = 5


class GaveUpError(RuntimeError):
    pass


@dataclass
class Child:
    label: str  # shown to people: Chinese
    command: list[str]
    env: dict[str, str]
    cwd: Path
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    quick_exits: int = field(default=0)

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, env=self.env, cwd=self.cwd,
                                        start_new_session=True)
        self.started_at = time.monotonic()
        print(f"{self.label}已启动（进程号 {self.process.pid}）", flush=True)

    def check(self) -> None:
        """Starts the child again if it stopped; raises GaveUpError after repeated quick exits."""
        assert self.process is not None
        code = self.process.poll()
        if code is None:
            return
        _kill_group(self.process.pid)
        quick = time.monotonic() - self.started_at < QUICK_EXIT_SECONDS
        self.quick_exits = self.quick_exits + 1 if quick else 0
        if self.quick_exits >= MAX_QUICK_EXITS:
            raise GaveUpError(f"{self.label}连续启动失败（退出码 {code}），已停止重启")
        print(f"{self.label}已退出（退出码 {code}），正在重新启动", file=sys.stderr, flush=True)
        time.sleep(min(2 ** self.quick_exits, 30) if quick else 0.5)
        self.start()

    def stop(self, timeout: float = 20) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        _kill_group(self.process.pid)


def _kill_group(pgid: int) -> None:
    # What is left of the child's own group (a dead dramatiq parent's worker processes).
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def supervise(children: list[Child], stopped: list[bool]) -> None:
    """Keeps the children running until ``stopped[0]`` is set (by a signal handler)."""
    try:
        while not stopped[0]:
            for child in children:
                child.check()
            time.sleep(0.5)
    except GaveUpError as exc:
        print(str(exc), file=sys.stderr, flush=True)
    finally:
        for child in children:
            child.stop()
