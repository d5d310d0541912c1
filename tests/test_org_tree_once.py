"""The org tree is read at most once per request, however many fields walk it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api

# people filtered by unit (subtree), their managers (ancestors), the units with children.
WALKS = """query($unit:ID!){ people(first:50, filter:{unitId:$unit}) { edges { node { name
  managers { kind name } } } }
  orgTree { id children { id children { id } } } }"""
TREE_READ = "SELECT org_units.id, org_units.parent_id, org_units.sort_order, org_units.code"


@pytest.mark.parametrize("username", ["admin", "kezhang"])
def test_one_tree_statement_for_every_walk_of_a_request(
        api: Api, make_tenant: Any, count_statements: list[str], username: str) -> None:
    """Also for a department head, whose managed units are found from the tree while the
    request is authenticated: the request reuses that tree, which comes with the caller's
    cached grants (authz.grants_cache) while the tenant's grants version holds: no read."""
    code = make_tenant(people=12)
    units = api.as_(code, "admin", "{ orgUnits { id parent { id } } }")["data"]["orgUnits"]
    root = next(u["id"] for u in units if u["parent"] is None)
    api.as_(code, username, WALKS, {"unit": root})  # warm the token cache
    count_statements.clear()
    body = api.as_(code, username, WALKS, {"unit": root})
    assert "errors" not in body, body
    assert body["data"]["people"]["edges"]
    reads = [s for s in count_statements if s.startswith(TREE_READ)]
    assert len(reads) == (1 if username == "admin" else 0), reads
