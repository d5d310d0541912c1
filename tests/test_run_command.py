"""The README's run command (after set-up): local servers, migrations, demo, API and worker.

Starts ``python -m jixiao local`` once for the module, with its own data folder and free ports,
reads its output in a thread (the printed demo logins, the processes it starts), asks ``me``
with one of the logins over real HTTP, then kills the worker and sees a new one started while
the API keeps answering. All waits are bounded.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx
import pytest

from jixiao.localservers import free_port

ROOT = Path(__file__).resolve().parent.parent
WORKER_STARTED = re.compile(r"^后台任务进程已启动（进程号 (\d+)）")


@dataclass
class Running:
    process: subprocess.Popen[str]
    lines: queue.Queue[str]
    output: list[str] = field(default_factory=list)

    def until(self, pattern: re.Pattern[str], timeout: float) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            self.output.append(line)
            if found := pattern.search(line):
                return found
        raise AssertionError(f"timed out waiting for {pattern.pattern}:\n{''.join(self.output)}")


@pytest.fixture(scope="module")
def running() -> Iterator[Running]:
    data = Path(tempfile.mkdtemp(prefix="jixiao-run-"))
    os.chmod(data, 0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_")}
    env.update(JIXIAO_DATA_DIR=str(data), JIXIAO_PORT=str(free_port()),
               JIXIAO_LOCAL_PG_PORT=str(free_port()), JIXIAO_LOCAL_REDIS_PORT=str(free_port()),
               PYTHONUNBUFFERED="1")
    # Without the demo's year: loading it is the demo_year fixture's work (the same
    # jixiao.cli.load_demo), and it would run a second time here, in this module's cluster.
    process = subprocess.Popen([sys.executable, "-m", "jixiao", "local", "--no-demo-year"],
                               cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        yield Running(process, lines)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
        shutil.rmtree(data, ignore_errors=True)


def login_and_me(url: str, code: str, username: str, password: str) -> dict[str, object]:
    with httpx.Client(base_url=url, timeout=30) as http:
        answer = http.post("/graphql", json={
            "query": "mutation($t:String!,$u:String!,$p:String!){login(tenantCode:$t,"
                     "username:$u,password:$p){token}}",
            "variables": {"t": code, "u": username, "p": password}}).json()
        token = answer["data"]["login"]["token"]
        me = http.post("/graphql", json={"query": "{ me { tenant { name } roles } }"},
                       headers={"authorization": f"Bearer {token}"}).json()
    return me["data"]["me"]  # type: ignore[no-any-return]


def test_run_command_serves_the_api_and_a_printed_login_answers_me(running: Running) -> None:
    running.until(re.compile(r"^登录示例"), 240)
    text = "".join(running.output)
    url = re.search(r"GraphQL 接口 (http://\S+)/graphql", text)
    password = re.search(r"密码均为 (\S+?)）", text)
    login = re.search(r"^\s+成都市纪委监委\s+(\w+)\s+(ganbu)\s+staff", text, re.M)
    assert url, text
    assert password, text
    assert login, text
    assert login_and_me(url.group(1), login.group(1), login.group(2), password.group(1)) == {
        "tenant": {"name": "成都市纪委监委"}, "roles": ["staff"]}
    portal = re.search(r"门户 (http://\S+/) ", text)
    assert portal, text
    page = httpx.get(portal.group(1), timeout=30)
    assert page.status_code == 200
    assert '<div id="app">' in page.text


def test_a_killed_worker_is_started_again_and_the_api_keeps_answering(
        running: Running) -> None:
    if not any(line.startswith("登录示例") for line in running.output):
        running.until(re.compile(r"^登录示例"), 240)
    text = "".join(running.output)
    worker = re.search(WORKER_STARTED.pattern, text, re.M)
    assert worker, text
    url = re.search(r"GraphQL 接口 (http://\S+)/graphql", text)
    assert url, text
    os.kill(int(worker.group(1)), signal.SIGKILL)
    again = running.until(WORKER_STARTED, 60)
    assert again.group(1) != worker.group(1)
    assert running.process.poll() is None  # the run command, API included, still runs
    os.kill(int(again.group(1)), 0)  # the new worker runs
    with httpx.Client(base_url=url.group(1), timeout=30) as http:
        assert http.get("/healthz").status_code == 200
        assert http.get("/readyz").json() == {"status": "ok"}
