"""Serving and loading for the benchmarks: a server process on a free loopback port, load
from ``wrk`` at fixed concurrency with the server's CPU time per request, and a SQL statement in
a loop on several connections with ``pgbench``. Figures of one run are a ``Load``."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import make_url

from jixiao.localservers import pg_bin, port_open
from jixiao.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Load:
    """One wrk (or pgbench) run: requests, requests/s, latencies in ms, server CPU ms/request."""

    requests: int
    per_second: float
    p50_ms: float | None
    p95_ms: float | None
    cpu_ms: float | None = None

    def text(self) -> str:
        if not self.requests:
            return "no request finished"
        cpu = f", {self.cpu_ms:.1f} ms CPU/request" if self.cpu_ms is not None else ""
        return f"{self.per_second:.1f}/s, p95 {self.p95_ms:.1f} ms{cpu}"


def median(loads: list[Load], attribute: str) -> float | None:
    values = [getattr(x, attribute) for x in loads if getattr(x, attribute) is not None]
    return statistics.median(values) if values else None


def wait_for(port: int, child: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 120
    while not port_open(port):
        if child.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start")
        time.sleep(0.1)


@contextlib.contextmanager
def server(command: list[str], env: dict[str, str], port: int, what: str
           ) -> Iterator[subprocess.Popen[bytes]]:
    """The server ``command`` (listening on ``port``) until the block ends; what it printed is
    shown if the block fails."""
    with tempfile.TemporaryFile() as output:
        child = subprocess.Popen(command, env=env, cwd=ROOT, stdout=output, stderr=output)
        try:
            wait_for(port, child, what)
            yield child
        except BaseException:
            time.sleep(0.5)
            output.seek(0)
            print(f"{what} said:\n{output.read().decode(errors='replace')[-3000:]}",
                  file=sys.stderr)
            raise
        finally:
            child.terminate()
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def ensure_wrk() -> str:
    """wrk's path; installs Debian's package when missing (as scripts/setup installs its own)."""
    found = shutil.which("wrk")
    if found:
        return found
    print("installing wrk (Debian package) ...", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"],
                   check=True, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    return shutil.which("wrk") or "wrk"


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of a process and its waited-for children (Linux /proc)."""
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in stat[11:15]) / os.sysconf("SC_CLK_TCK")


WRK_SCRIPT = """wrk.method = "POST"
wrk.body = [==[{body}]==]
wrk.headers["Content-Type"] = "application/json"
{auth}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("JIXIAO-WRK %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95),
    e.status + e.connect + e.read + e.write + e.timeout))
end
"""


def wrk(url: str, body: dict[str, Any], token: str | None, connections: int, seconds: float,
        pid: int) -> Load:
    """``connections`` connections for ``seconds`` against ``url`` (two wrk threads); the
    server's CPU per request from its process ``pid``."""
    auth = f'wrk.headers["Authorization"] = "Bearer {token}"' if token else ""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT.format(body=json.dumps(body), auth=auth))
        script.flush()
        cpu = cpu_seconds(pid)
        done = subprocess.run([ensure_wrk(), "-t", str(min(2, connections)), "-c",
                               str(connections), "-d", f"{max(1, round(seconds))}s",
                               "--timeout", "30s", "-s", script.name, url],
                              check=True, capture_output=True, text=True)
        cpu = cpu_seconds(pid) - cpu
    line = next(x for x in done.stdout.splitlines() if x.startswith("JIXIAO-WRK"))
    requests, duration_us, p50_us, p95_us, errors = (int(v) for v in line.split()[1:])
    if errors:
        raise RuntimeError(f"wrk against {url}: {errors} errors of {requests} requests\n"
                           f"{done.stdout}")
    if not requests:  # none finished in time (a very short run on a busy machine)
        return Load(0, 0.0, None, None, None)
    return Load(requests, requests / (duration_us / 1e6), p50_us / 1000, p95_us / 1000,
                1000 * cpu / requests)


def pgbench(settings: Settings, tenant: uuid.UUID, sql: str, clients: int,
            seconds: float) -> Load:
    """``sql`` in a loop on ``clients`` connections as the application role, the tenant set at
    connection start (``PGOPTIONS``) so that row-level security applies as in the API."""
    url = make_url(settings.database_url)
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "floor.sql"
        script.write_text(sql)
        env = dict(os.environ, PGPASSWORD=url.password or "",
                   PGOPTIONS=f"-c app.tenant_id={tenant} -c app.scope=tenant")
        subprocess.run([pg_bin("pgbench"), "-n", "-h", url.host or "127.0.0.1", "-p",
                        str(url.port), "-U", url.username or "", "-c", str(clients), "-j",
                        str(min(2, clients)), "-T", str(max(1, round(seconds))), "-M",
                        "prepared", "-f", str(script), "-l", "--log-prefix",
                        f"{folder}/log", url.database or ""],
                       check=True, capture_output=True, text=True, env=env)
        latencies, starts = [], []
        for log in Path(folder).glob("log.*"):
            for line in log.read_text().splitlines():
                parts = line.split()
                latencies.append(int(parts[2]) / 1000)
                starts.append(int(parts[4]) + int(parts[5]) / 1e6)
    if not latencies:
        return Load(0, 0.0, None, None)
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
    span = max(starts) - min(starts) + statistics.median(latencies) / 1000
    return Load(len(latencies), len(latencies) / span, statistics.median(latencies), p95)
