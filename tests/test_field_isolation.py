"""A statement PostgreSQL refuses in one top-level field never breaks its siblings.

The failing field is made to run a real failing statement (a bad cast, a check violation)
on the request's session; the fields beside it, before and after, still read, and the
request answers JSON (never a raw 500).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import text

from resolvers.context import Context
from resolvers.feedback import profile
from tests.conftest import Api

# cadreProfile is nullable, so its error stays in its own field (a non-null root field's
# error nulls the whole of ``data``, as the GraphQL spec says).
QUERY = ('{ before: tenant { name } cadreProfile(personId: "%s") { __typename } '
         'after: tenant { name } me { roles } }')

FAILING = {
    "cast": "SELECT 'not a number'::int",
    "check": "CREATE TEMP TABLE t_check (v int CHECK (v > 0)) ON COMMIT DROP; "
             "INSERT INTO t_check VALUES (-1)",
}


@pytest.fixture(scope="module")
def tenant(make_tenant: Any) -> str:
    code: str = make_tenant(people=3)
    return code


@pytest.mark.parametrize("kind", sorted(FAILING))
def test_database_error_in_one_field_leaves_siblings_answering(
        api: Api, tenant: str, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(ctx: Context, person_id: uuid.UUID) -> Any:
        for statement in FAILING[kind].split("; "):
            await ctx.session.execute(text(statement))

    monkeypatch.setattr(profile, "profile", broken)
    body = api.as_(tenant, "admin", QUERY % uuid.uuid4())
    assert body["_status"] == 200, body
    data = body["data"]
    assert data["before"]["name"], body
    assert data["after"] == data["before"], body
    assert "tenant_admin" in data["me"]["roles"], body
    assert data["cadreProfile"] is None
    errors = body["errors"]
    assert [e["path"] for e in errors] == [["cadreProfile"]], errors
    assert errors[0]["message"].startswith("服务器内部错误"), errors  # masked, not leaked
    # The session is usable again for the next request of the same caller.
    assert api.as_(tenant, "admin", "{ tenant { name } }")["data"]["tenant"]["name"]


def test_single_field_request_runs_no_savepoint(api: Api, tenant: str,
                                                count_statements: list[str]) -> None:
    api.as_(tenant, "admin", "{ tenant { name } }")
    assert not [s for s in count_statements if "SAVEPOINT" in s.upper()], count_statements


def test_sibling_fields_each_run_in_a_savepoint(api: Api, tenant: str,
                                                count_statements: list[str]) -> None:
    body = api.as_(tenant, "admin", "{ a: tenant { name } b: tenant { name } }")
    assert body["data"]["a"] == body["data"]["b"], body
    savepoints = [s for s in count_statements if s.upper().startswith("SAVEPOINT")]
    assert len(savepoints) == 2, count_statements
