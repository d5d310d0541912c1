"""Every action the project records in the audit log, and every object it names, has its words
in ``vocab.audit`` (the portal, the API and the XLSX export read them from there)."""

from __future__ import annotations

import ast
from pathlib import Path

from vocab.audit import ACTIONS, ENTITIES, action_label, entity_label

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for folder in ("resolvers", "jixiao", "workers", "tenants", "demo", "authz", "rules")
           for p in (ROOT / folder).rglob("*.py")]


def _strings(node: ast.AST, constants: dict[str, str]) -> set[str]:
    """The string literals of an argument, and module constants it names."""
    found = {c.value for c in ast.walk(node) if isinstance(c, ast.Constant)
             and isinstance(c.value, str)}
    return found | {constants[n.id] for n in ast.walk(node)
                    if isinstance(n, ast.Name) and n.id in constants}


def recorded_codes() -> tuple[set[str], set[str]]:
    """(actions, entities) passed to ``audit.record`` or to ``AuditEntry(...)`` in the code."""
    actions: set[str] = set()
    entities: set[str] = set()
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {t.id: n.value.value for n in ast.walk(tree)
                     if isinstance(n, ast.Assign | ast.AnnAssign)
                     for t in ([n.target] if isinstance(n, ast.AnnAssign) else n.targets)
                     if isinstance(t, ast.Name) and isinstance(n.value, ast.Constant)
                     and isinstance(n.value.value, str)}
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            func = call.func
            if (isinstance(func, ast.Attribute) and func.attr == "record"
                    and isinstance(func.value, ast.Name) and func.value.id == "audit"):
                actions |= _strings(call.args[1], constants)
                entities |= _strings(call.args[2], constants)
            elif isinstance(func, ast.Name) and func.id == "AuditEntry":
                for keyword in call.keywords:
                    if keyword.arg == "action" and path.name != "audit.py":
                        actions |= _strings(keyword.value, constants)
                    if keyword.arg == "entity" and path.name != "audit.py":
                        entities |= _strings(keyword.value, constants)
    return actions, entities


def test_every_recorded_action_and_object_has_its_words() -> None:
    actions, entities = recorded_codes()
    assert len(actions) > 60  # the scan found the calls
    assert actions - set(ACTIONS) == set()
    assert entities - set(ENTITIES) == set()


def test_the_vocabulary_holds_only_what_is_recorded() -> None:
    actions, entities = recorded_codes()
    assert set(ACTIONS) - actions == set()
    assert set(ENTITIES) - entities == set()


def test_labels_are_chinese_and_unknown_codes_shown_as_they_are() -> None:
    assert action_label("period.advance") == "推进考核阶段"
    assert entity_label("org_unit") == "部门"
    assert action_label("legacy.thing") == "legacy.thing"
    for code, label in (*ACTIONS.items(), *ENTITIES.items()):
        assert not label.isascii(), code  # Chinese, and not empty
