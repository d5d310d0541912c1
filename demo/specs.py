"""Reads the demo catalogue's data files (demo/data/*.toml) into typed specs.

The files are the catalogue; ``demo.catalog`` turns the specs into people with seeded random
names. Every key is checked here (type, presence, no unknown key), so a typo in a data file
fails at load time with the file and key named, instead of changing the demo silently.

``pilot.toml``
    ``tenants``: the tenant codes in order; ``ranks.<profile>``: ``head`` and ``deputy`` rank
    lists and a ``staff`` table of rank = weight.
``posts.toml``
    ``codes``: post name = ASCII code; ``deputy_of``: head post = deputy post.
``names.toml``
    ``reserved`` names, weighted ``surnames`` groups, ``given.male`` / ``given.female``
    character pools (``first``, ``second``).
``tenants/<code>.toml``
    ``name``, ``kind``, ``appraised`` (default true), ``employee_prefix``, ``rank_profile``,
    ``principal_rank``, ``leadership`` (name of the 领导班子), ``principal_post``,
    ``office_unit`` (where "bangong" sits), ``admin_unit`` (where "admin" sits); then
    ``[[supervising]]`` (``post``, ``rank``, ``units``), ``[[departments]]`` (``code``,
    ``name``, ``head_post``, ``size`` = people with the head, ``staff_posts``, ``kind``
    default "department", nested ``[[departments.children]]``) and ``[[villages]]``
    (``code``, ``name``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

__all__ = ["DATA", "DeptSpec", "NamePool", "PilotData", "RankProfile", "TenantSpec", "load_pilot"]

DATA: Final = Path(__file__).parent / "data"


@dataclass(frozen=True)
class RankProfile:
    head: tuple[str, ...]
    deputy: tuple[str, ...]
    staff: tuple[tuple[str, int], ...]  # (rank, weight)


@dataclass(frozen=True)
class DeptSpec:
    code: str
    name: str
    head_post: str
    size: int  # people, head included
    staff_posts: tuple[str, ...]
    kind: str = "department"
    children: tuple[DeptSpec, ...] = ()


@dataclass(frozen=True)
class TenantSpec:
    code: str
    name: str
    kind: str
    prefix: str  # of employee numbers
    principal_rank: str
    ranks: RankProfile
    leadership_name: str
    principal_post: str
    supervising: tuple[tuple[str, str, tuple[str, ...]], ...]  # (post, rank, unit codes)
    departments: tuple[DeptSpec, ...]
    office_unit: str  # 办公室 / 党政办: where "bangong" sits
    admin_unit: str  # 组织人事: where "admin" sits
    villages: tuple[tuple[str, str], ...] = ()  # (code, name) of 村（社区）
    appraised: bool = True


@dataclass(frozen=True)
class NamePool:
    surnames: str
    surname_weights: tuple[int, ...]  # one per character of ``surnames``
    male: tuple[str, str]  # (first, second) given-name characters
    female: tuple[str, str]
    reserved: frozenset[str]


@dataclass(frozen=True)
class PilotData:
    tenants: tuple[TenantSpec, ...]
    post_codes: Mapping[str, str]
    deputy_of: Mapping[str, str]
    names: NamePool


class _Table:
    """A TOML table read key by key with its type checked; ``close`` rejects unknown keys."""

    def __init__(self, raw: object, where: str) -> None:
        if not isinstance(raw, dict):
            raise ValueError(f"{where}: expected a table")
        self.raw: dict[str, object] = raw
        self.where = where
        self.read: set[str] = set()

    def _get(self, key: str, kind: type, default: object = None) -> object:
        self.read.add(key)
        if key not in self.raw and default is None:
            raise ValueError(f"{self.where}: {key!r} is missing")
        value = self.raw.get(key, default)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ValueError(f"{self.where}: {key!r} must be a {kind.__name__}, not {value!r}")
        return value

    def text(self, key: str, default: str | None = None) -> str:
        return str(self._get(key, str, default))

    def flag(self, key: str, default: bool) -> bool:
        return bool(self._get(key, bool, default))

    def number(self, key: str) -> int:
        value = self._get(key, int)
        assert isinstance(value, int)
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        values = self._get(key, list)
        assert isinstance(values, list)
        if not all(isinstance(v, str) for v in values):
            raise ValueError(f"{self.where}: {key!r} must be a list of strings")
        return tuple(values)

    def table(self, key: str) -> _Table:
        return _Table(self._get(key, dict), f"{self.where}: {key}")

    def tables(self, key: str) -> list[_Table]:
        values = self._get(key, list, [])
        assert isinstance(values, list)
        return [_Table(v, f"{self.where}: {key}[{i}]") for i, v in enumerate(values)]

    def close(self) -> None:
        unknown = sorted(set(self.raw) - self.read)
        if unknown:
            raise ValueError(f"{self.where}: unknown keys {unknown}")


def _file(data: Path, name: str) -> _Table:
    with (data / name).open("rb") as f:
        return _Table(tomllib.load(f), name)


def _texts_by_key(table: _Table) -> dict[str, str]:
    mapping = {key: table.text(key) for key in table.raw}
    table.close()
    return mapping


def _rank_profile(table: _Table) -> RankProfile:
    staff = table.table("staff")
    profile = RankProfile(
        head=table.texts("head"),
        deputy=table.texts("deputy"),
        staff=tuple((rank, staff.number(rank)) for rank in staff.raw),
    )
    staff.close()
    table.close()
    return profile


def _dept(table: _Table) -> DeptSpec:
    dept = DeptSpec(
        code=table.text("code"),
        name=table.text("name"),
        head_post=table.text("head_post"),
        size=table.number("size"),
        staff_posts=table.texts("staff_posts"),
        kind=table.text("kind", "department"),
        children=tuple(_dept(child) for child in table.tables("children")),
    )
    table.close()
    return dept


def _pair(table: _Table, *keys: str) -> tuple[str, ...]:
    values = tuple(table.text(key) for key in keys)
    table.close()
    return values


def _tenant(data: Path, code: str, profiles: Mapping[str, RankProfile]) -> TenantSpec:
    t = _file(data, f"tenants/{code}.toml")
    profile = t.text("rank_profile")
    if profile not in profiles:
        raise ValueError(f"{t.where}: unknown rank_profile {profile!r}")
    supervising = []
    for s in t.tables("supervising"):
        supervising.append((s.text("post"), s.text("rank"), s.texts("units")))
        s.close()
    villages = []
    for v in t.tables("villages"):
        code_, name = _pair(v, "code", "name")
        villages.append((code_, name))
    spec = TenantSpec(
        code=code,
        name=t.text("name"),
        kind=t.text("kind"),
        prefix=t.text("employee_prefix"),
        principal_rank=t.text("principal_rank"),
        ranks=profiles[profile],
        leadership_name=t.text("leadership"),
        principal_post=t.text("principal_post"),
        supervising=tuple(supervising),
        departments=tuple(_dept(d) for d in t.tables("departments")),
        office_unit=t.text("office_unit"),
        admin_unit=t.text("admin_unit"),
        villages=tuple(villages),
        appraised=t.flag("appraised", True),
    )
    t.close()
    return spec


def _names(data: Path) -> NamePool:
    n = _file(data, "names.toml")
    surnames, weights = "", list[int]()
    for group in n.tables("surnames"):
        chars = group.text("chars")
        surnames += chars
        weights += [group.number("weight")] * len(chars)
        group.close()
    given = n.table("given")
    male, female = (_pair(given.table(g), "first", "second") for g in ("male", "female"))
    given.close()
    pool = NamePool(
        surnames=surnames,
        surname_weights=tuple(weights),
        male=(male[0], male[1]),
        female=(female[0], female[1]),
        reserved=frozenset(n.texts("reserved")),
    )
    n.close()
    return pool


def load_pilot(data: Path = DATA) -> PilotData:
    """Everything the catalogue is built from, read and checked from ``data``."""
    pilot = _file(data, "pilot.toml")
    ranks = pilot.table("ranks")
    profiles = {name: _rank_profile(ranks.table(name)) for name in ranks.raw}
    ranks.close()
    codes = pilot.texts("tenants")
    pilot.close()
    posts = _file(data, "posts.toml")
    post_codes = _texts_by_key(posts.table("codes"))
    deputy_of = _texts_by_key(posts.table("deputy_of"))
    posts.close()
    return PilotData(
        tenants=tuple(_tenant(data, code, profiles) for code in codes),
        post_codes=post_codes,
        deputy_of=deputy_of,
        names=_names(data),
    )
