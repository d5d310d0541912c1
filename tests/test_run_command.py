"""The README's run command (after set-up): local servers, migrations, demo, API and worker.

Starts ``python -m jixiao local`` with its own data folder and free ports, reads the printed
demo logins, and asks ``me`` with one of them over real HTTP.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx

from jixiao.localservers import free_port

ROOT = Path(__file__).resolve().parent.parent


def test_run_command_serves_the_api_and_a_printed_login_answers_me() -> None:
    data = Path(tempfile.mkdtemp(prefix="jixiao-run-"))
    os.chmod(data, 0o755)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_")}
    env.update(JIXIAO_DATA_DIR=str(data), JIXIAO_PORT=str(port),
               JIXIAO_LOCAL_PG_PORT=str(free_port()), JIXIAO_LOCAL_REDIS_PORT=str(free_port()))
    process = subprocess.Popen([sys.executable, "-m", "jixiao", "local"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output: list[str] = []
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            output.append(line)
            if line.startswith("登录示例"):
                break
        text = "".join(output)
        url = re.search(r"GraphQL 接口 (http://\S+)/graphql", text)
        password = re.search(r"密码均为 (\S+?)）", text)
        login = re.search(r"^\s+成都市纪委监委\s+(\w+)\s+(ganbu)\s+staff", text, re.M)
        assert url, text
        assert password, text
        assert login, text
        with httpx.Client(base_url=url.group(1), timeout=30) as http:
            answer = http.post("/graphql", json={
                "query": "mutation($t:String!,$u:String!,$p:String!){login(tenantCode:$t,"
                         "username:$u,password:$p){token}}",
                "variables": {"t": login.group(1), "u": login.group(2),
                              "p": password.group(1)}}).json()
            token = answer["data"]["login"]["token"]
            me = http.post("/graphql", json={"query": "{ me { tenant { name } roles } }"},
                           headers={"authorization": f"Bearer {token}"}).json()
        assert me["data"]["me"] == {"tenant": {"name": "成都市纪委监委"}, "roles": ["staff"]}
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
        shutil.rmtree(data, ignore_errors=True)
