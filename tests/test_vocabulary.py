"""One vocabulary: every grade label is written once, every label set is complete, and vocab/
stays a leaf that imports nothing of the project."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

import pytest

import vocab
from vocab.grades import AnnualGrade, QuarterlyGrade
from vocab.labelled import LabelledEnum

ROOT = Path(__file__).resolve().parent.parent
GRADE_LABELS = ("好", "较好", "一般", "较差", "优秀", "称职", "基本称职", "不称职", "不定等次")
GRADES_MODULE = Path("vocab/grades.py")
PROJECT = {"jixiao", "demo", "rules", "models", "tenants", "schema", "resolvers", "authz",
           "workers", "bench", "reports", "vocab", "tests"}


def project_modules() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        parts = relative.parts
        if parts[0] in {"tests", ".venv", "portal", "node_modules"} or parts[0].startswith("."):
            continue
        if parts[:2] == ("models", "migrations"):
            continue
        yield relative


def grade_label_literals(path: Path) -> list[tuple[str, int]]:
    """String constants exactly equal to a grade label: dict values, enum member values, tuple
    items, anything; f-strings and longer sentences that merely contain one do not count."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    in_fstrings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
                   for part in node.values}
    return [(node.value, node.lineno) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value in GRADE_LABELS
            and id(node) not in in_fstrings]


def test_the_labels_are_the_vocabularys() -> None:
    assert tuple(g.label for g in (*QuarterlyGrade, *AnnualGrade)) == GRADE_LABELS


def test_each_grade_label_is_written_in_one_module() -> None:
    found: dict[str, set[Path]] = {label: set() for label in GRADE_LABELS}
    for path in project_modules():
        for label, _ in grade_label_literals(path):
            found[label].add(path)
    assert {label: paths for label, paths in found.items() if paths != {GRADES_MODULE}} == {}


def test_the_grade_check_catches_a_copy(tmp_path: Path) -> None:
    copy = tmp_path / "copy.py"
    copy.write_text('LABELS = {"good": "好"}\nclass G:\n    poor = "poor", "较差"\n'
                    'TEXT = f"{1}好" + "评为好"\n', encoding="utf-8")
    assert grade_label_literals(copy) == [("好", 1), ("较差", 3)]


def vocabularies() -> list[type[StrEnum]]:
    found: list[type[StrEnum]] = []
    for info in pkgutil.iter_modules(vocab.__path__, "vocab."):
        module = importlib.import_module(info.name)
        found += [value for value in vars(module).values()
                  if isinstance(value, type) and issubclass(value, StrEnum)
                  and value.__module__ == info.name]
    return found


@pytest.mark.parametrize("enum", [e for e in vocabularies() if issubclass(e, LabelledEnum)],
                         ids=lambda e: e.__name__)
def test_every_member_of_a_labelled_vocabulary_has_its_own_label(enum: type[LabelledEnum]
                                                                 ) -> None:
    labels = [member.label for member in enum]
    assert all(isinstance(label, str) and label.strip() for label in labels), enum
    assert len(set(labels)) == len(labels), enum


def test_stored_values_are_the_member_names() -> None:
    # The tables store the value, GraphQL lists the name: they must stay the same text.
    for enum in vocabularies():
        assert [m.name for m in enum] == [m.value for m in enum], enum


def test_vocab_imports_nothing_of_the_project() -> None:
    imported: set[str] = set()
    for path in sorted((ROOT / "vocab").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, f"{path}: relative import"
                imported.add(node.module or "")
    assert {name for name in imported
            if name.split(".")[0] in PROJECT - {"vocab"}} == set()
