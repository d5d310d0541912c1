"""The shape of the code (../shared/ARCHITECTURE.md), checked on the import graph.

Imports are read with ``ast`` (nothing is imported): every ``import`` and ``from ... import``
of a project module counts, wherever it stands in the module, except under
``if TYPE_CHECKING:``, which never runs.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("vocab", "rules", "models", "tenants", "authz", "resolvers", "schema", "reports",
            "workers", "demo", "jixiao", "bench")
MAX_LINES = 500

# Which top-level packages each package may import (besides itself): the table of
# ARCHITECTURE.md. ``jixiao`` (the wiring) and ``bench`` may import everything.
MAY_IMPORT: dict[str, frozenset[str]] = {
    "vocab": frozenset(),
    "rules": frozenset({"vocab"}),
    "reports": frozenset(),
    "models": frozenset({"vocab"}),
    "authz": frozenset({"models", "rules", "vocab"}),
    "tenants": frozenset({"models", "vocab", "authz"}),
    "resolvers": frozenset({"authz", "tenants", "models", "rules", "reports", "vocab"}),
    # The schema wraps what the use cases return: model rows and the value types of rules.
    "schema": frozenset({"resolvers", "authz", "models", "rules", "vocab"}),
    "workers": frozenset({"resolvers", "rules", "models", "reports", "tenants", "vocab"}),
    "demo": frozenset({"resolvers", "tenants", "models", "authz", "rules", "vocab"}),
    "jixiao": frozenset(PACKAGES),
    "bench": frozenset(PACKAGES),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts and "versions" in path.parts:
                continue
            found[_module_name(path)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    """Dotted names this module imports (a ``from a import b`` yields ``a.b`` and ``a``)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from (name for child in node.orelse
                        for name in _imports(child, module, is_package))
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                if not is_package:
                    anchor = anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)
        yield from _imports(node, module, is_package)


@cache
def graph() -> dict[str, frozenset[str]]:
    """Module -> the project modules it imports (a name that is not a module is dropped)."""
    known = modules()
    edges: dict[str, frozenset[str]] = {}
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        targets = {t for t in _imports(tree, name, path.name == "__init__.py") if t in known}
        targets.discard(name)
        edges[name] = frozenset(targets)
    return edges


def _package(module: str) -> str:
    return module.split(".", 1)[0]


def test_the_graph_is_read() -> None:
    edges = graph()
    assert "resolvers.context" in edges
    assert "authz" in edges["resolvers.context"]


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_layers_import_only_downwards(package: str) -> None:
    allowed = MAY_IMPORT[package] | {package}
    wrong = sorted(f"{src} -> {dst}" for src, targets in graph().items()
                   if _package(src) == package
                   for dst in targets if _package(dst) not in allowed)
    assert wrong == []


def test_rules_and_vocabulary_are_pure() -> None:
    """rules/ imports only rules and the vocabulary; the vocabulary imports nothing."""
    wrong = sorted(f"{src} -> {dst}" for src, targets in graph().items()
                   for dst in targets
                   if (_package(src) == "vocab" and _package(dst) != "vocab")
                   or (_package(src) == "rules" and _package(dst) not in {"rules", "vocab"}))
    assert wrong == []


def test_nothing_below_the_wiring_imports_the_settings() -> None:
    wrong = sorted(f"{src} -> {dst}" for src, targets in graph().items()
                   if _package(src) not in {"jixiao", "bench"}
                   for dst in targets if _package(dst) == "jixiao")
    assert wrong == []


def test_only_the_wiring_imports_the_schema() -> None:
    wrong = sorted(f"{src} -> {dst}" for src, targets in graph().items()
                   if _package(src) not in {"jixiao", "schema", "bench"}
                   for dst in targets if _package(dst) == "schema")
    assert wrong == []


def _cycles(edges: dict[str, frozenset[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_cycle_finder_finds_a_cycle() -> None:
    edges = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}),
             "d": frozenset({"a"})}
    assert _cycles(edges) == [["a", "b", "c"]]


def test_no_import_cycle() -> None:
    # A package's __init__ that re-exports its modules is not a cycle with them: importing
    # ``a.b`` always runs ``a`` first, so edges from a module to its own ancestors are dropped.
    edges = {src: frozenset(d for d in targets if not src.startswith(d + "."))
             for src, targets in graph().items()}
    assert _cycles(edges) == []


def test_no_module_over_the_size_limit() -> None:
    too_long = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in {".venv", "data", "build"} or "versions" in rel.parts:
            continue
        lines = path.read_text(encoding="utf-8").count("\n")
        if lines > MAX_LINES:
            too_long.append(f"{rel}: {lines}")
    assert too_long == []
