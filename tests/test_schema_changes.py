"""Schema change control (issue 18): a breaking change fails unless the changelog lists it."""

from __future__ import annotations

import subprocess
import sys

from schema.changes import ROOT, breaking_changes, check, unlisted

OLD = '''
"""A query root."""
type Query {
  """A person."""
  person(id: ID!): Person
  """Everyone."""
  people(first: Int): [Person!]!
}
"""A person."""
type Person { """Name.""" name: String! """Employee number.""" employeeNo: String }
'''


def test_a_removed_field_is_breaking_and_fails_unless_listed() -> None:
    new = OLD.replace('  """A person."""\n  person(id: ID!): Person\n', "")
    changes = breaking_changes(OLD, new)
    assert changes == ["Field Query.person was removed."]
    assert unlisted(changes, "## Breaking changes\n\n(none)\n") == changes
    listed = "## Breaking changes\n\n- 2026-12-02 `Field Query.person was removed.` use `people`\n"
    assert unlisted(changes, listed) == []


def test_other_breaking_changes_are_found_and_additions_are_not() -> None:
    required = OLD.replace("people(first: Int)", "people(first: Int!)")
    retyped = OLD.replace("employeeNo: String", "employeeNo: Int")
    added = OLD.replace("employeeNo: String }", 'employeeNo: String """Unit.""" unit: String }')
    assert breaking_changes(OLD, required) == [
        "Argument Query.people(first:) has changed type from Int to Int!."]
    assert breaking_changes(OLD, retyped) == [
        "Field Person.employeeNo changed type from String to Int."]
    assert breaking_changes(OLD, added) == []


def test_the_checked_in_sdl_breaks_nothing_unlisted() -> None:
    verdict = check()
    assert verdict.unlisted == [], verdict.unlisted


def test_the_cli_runs_the_check() -> None:
    done = subprocess.run([sys.executable, "-m", "jixiao", "check-schema"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "check-schema:" in done.stdout
