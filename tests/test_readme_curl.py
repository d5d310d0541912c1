"""The README's curl session, run verbatim (but for the port) against the real server with the
demo: it must run without an error and print readable Chinese (issue 18)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from jixiao.settings import Settings
from tests.live_server import serving

README = Path(__file__).resolve().parent.parent / "README.md"


def curl_session() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## A short GraphQL session with curl"):]
    found = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert found, "the README lost its curl session"
    return found.group(1)


@pytest.fixture(scope="module")
def api_url(settings: Settings, demo_year: None) -> Iterator[str]:
    with serving(settings) as url:
        yield url


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_readme_curl_session_runs_verbatim(api_url: str) -> None:
    script = curl_session()
    assert "http://127.0.0.1:8000/graphql" in script
    script = script.replace("http://127.0.0.1:8000", api_url)
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True,
                          text=True, encoding="utf-8", timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "\\u" not in out  # readable Chinese, not escapes
    assert '"name":"成都市纪委监委"' in out
    assert '"totalCount":' in out
    assert '"managers":[{' in out
    assert '"userErrors":[{"code":"FORBIDDEN","message":"无权执行此操作"}]' in out
    assert '"errors"' not in out
