"""Schema change control: a breaking change of ``schema/schema.graphql`` against the version on
main (a field or type removed, an argument made required, a type changed...) fails the check
unless ``schema/CHANGELOG.md`` lists it, so a unit's own portal or office system is never
broken by surprise. graphql-core finds the changes (``find_breaking_changes``); the changelog
lists each by graphql-core's description, e.g. ``Field Query.oldField was removed.``
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from graphql import build_schema
from graphql.utilities import find_breaking_changes

ROOT = Path(__file__).resolve().parent.parent
CHANGELOG_PATH = Path(__file__).resolve().parent / "CHANGELOG.md"
SDL_FILE = "schema/schema.graphql"


@dataclass(frozen=True)
class Verdict:
    base: str | None
    breaking: list[str]
    unlisted: list[str]


def breaking_changes(old_sdl: str, new_sdl: str) -> list[str]:
    """graphql-core's descriptions of what ``new_sdl`` breaks for clients of ``old_sdl``."""
    changes = find_breaking_changes(build_schema(old_sdl), build_schema(new_sdl))
    # a built-in scalar no longer used is not a change a client can notice
    return sorted(change.description for change in changes
                  if not change.description.startswith("Standard scalar"))


def unlisted(changes: list[str], changelog: str) -> list[str]:
    """The changes the changelog does not name (each by its exact description)."""
    return [change for change in changes if change not in changelog]


def _git(*args: str) -> str | None:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", check=False)
    return done.stdout if done.returncode == 0 else None


def base_ref() -> str | None:
    """The version on main this checkout is compared with: the merge base with main on a
    branch, the previous commit on main itself; None without history (a shallow clone)."""
    head = (_git("rev-parse", "HEAD") or "").strip()
    for main in ("main", "origin/main"):
        fork = (_git("merge-base", "HEAD", main) or "").strip()
        if fork and fork != head:
            return fork
        if fork:
            parent = (_git("rev-parse", "HEAD~1") or "").strip()
            return parent or None
    return None


def check(base: str | None = None) -> Verdict:
    ref = base or base_ref()
    old = _git("show", f"{ref}:{SDL_FILE}") if ref else None
    if old is None:
        return Verdict(ref, [], [])
    changes = breaking_changes(old, (ROOT / SDL_FILE).read_text(encoding="utf-8"))
    return Verdict(ref, changes, unlisted(changes, CHANGELOG_PATH.read_text(encoding="utf-8")))
