"""The demo catalogue's data files: installed with the package, and checked when read."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from demo.specs import DATA, load_pilot

ROOT = Path(__file__).resolve().parent.parent


def test_every_data_file_is_package_data() -> None:
    with (ROOT / "pyproject.toml").open("rb") as f:
        patterns = tomllib.load(f)["tool"]["setuptools"]["package-data"]["demo"]
    files = [p.relative_to(DATA.parent) for p in DATA.rglob("*") if p.is_file()]
    assert files

    # as setuptools globs: "*" does not cross a "/", so the depth must match too
    def installed(f: Path) -> bool:
        return any(len(f.parts) == p.count("/") + 1 and f.match(p) for p in patterns)

    assert [f for f in files if not installed(f)] == []


def test_every_tenant_file_is_in_the_pilot() -> None:
    codes = [spec.code for spec in load_pilot().tenants]
    assert sorted(codes) == sorted(p.stem for p in (DATA / "tenants").glob("*.toml"))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ("size = 16\n", "size = 16\nsise = 16\n", r"tenants/cdjw.toml: departments\[0\]: unknown"),
        ("size = 16\n", 'size = "16"\n', r"'size' must be a int"),
        ('head_post = "主任"\nsize = 16\n', "size = 16\n", r"'head_post' is missing"),
        ('rank_profile = "city"', 'rank_profile = "town"', r"unknown rank_profile 'town'"),
    ],
)
def test_a_mistake_in_a_data_file_names_the_file_and_key(
    data: Path, old: str, new: str, error: str
) -> None:
    _edit(data / "tenants" / "cdjw.toml", old, new)
    with pytest.raises(ValueError, match=error):
        load_pilot(data)
