"""The portal's operations are checked against the SDL: when an operation no longer matches
schema/schema.graphql, code generation (the first step of ``npm run build``) fails."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PORTAL = ROOT / "portal"
SDL = ROOT / "schema" / "schema.graphql"


def _codegen(sdl: Path, out: Path) -> subprocess.CompletedProcess[str]:
    assert (PORTAL / "node_modules").is_dir(), "run scripts/setup first (npm ci in portal/)"
    npx = shutil.which("npx")
    assert npx, "Node.js is missing: run scripts/setup"
    return subprocess.run([npx, "--no-install", "graphql-codegen", "--config", "codegen.ts"],
                          cwd=PORTAL, capture_output=True, text=True, timeout=300, check=False,
                          env={"PATH": str(Path(npx).parent), "JIXIAO_SDL": str(sdl),
                               "JIXIAO_CODEGEN_OUT": f"{out}/", "CI": "1"})


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("gql")


def test_the_portal_operations_match_the_sdl(out: Path) -> None:
    done = _codegen(SDL, out / "ok")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "LoginDocument" in (out / "ok" / "graphql.ts").read_text(encoding="utf-8")


def test_an_operation_that_no_longer_matches_the_sdl_fails_the_build(
        out: Path, tmp_path: Path) -> None:
    # The SDL without Query.myTasks, which the portal's 首页 and 我的任务 use.
    sdl = SDL.read_text(encoding="utf-8")
    broken, removed = re.subn(r'\n  """我的任务[^"]*"""\n  myTasks\(.*?\): \[Task!\]!\n', "\n",
                              sdl, flags=re.S)
    assert removed == 1
    (tmp_path / "schema.graphql").write_text(broken, encoding="utf-8")
    done = _codegen(tmp_path / "schema.graphql", out / "broken")
    assert done.returncode != 0
    assert "myTasks" in done.stdout + done.stderr
    assert not (out / "broken" / "graphql.ts").exists()
