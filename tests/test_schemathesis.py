"""A bounded schemathesis run (GraphQL mode) over every query and mutation finds no internal error.

Generated from the checked-in SDL, sent over real HTTP to the app (a uvicorn on the test
database) as a tenant administrator, so the resolvers run past the permission checks. A fixed
seed and a small number of examples per operation keep it deterministic and within a minute or
so on a 2-core machine. Any 5xx, "服务器内部错误" or INTERNAL_SERVER_ERROR fails the test; every
finding is listed (not shrunk), so one run shows all that is left to fix.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from tests.conftest import Api
from tests.live_server import live_url

__all__ = ["live_url"]  # the fixture, imported to be used here

SDL = Path(__file__).resolve().parent.parent / "schema" / "schema.graphql"
EXAMPLES = 4  # per operation: ~200 operations stay well under the time budget
SEED = 20261202
INTERNAL = ("服务器内部错误", "INTERNAL_SERVER_ERROR")

# Strategies for the schema's own scalars (schemathesis knows Date and DateTime).
schemathesis.graphql.scalar("Cents", st.integers(min_value=-(2**40), max_value=2**40).map(
    nodes.Int))
schemathesis.graphql.scalar("Decimal", st.decimals(allow_nan=False, allow_infinity=False,
                                                   places=2).map(str).map(nodes.String))
schemathesis.graphql.scalar("JSON", st.text(max_size=20).map(nodes.String))
# A file sent as a plain JSON value instead of a multipart part must still be a user error.
schemathesis.graphql.scalar("Upload", st.text(max_size=20).map(nodes.String))

# Mutations that end the caller's session: run them, but log in again afterwards.
ENDS_SESSION = {"logout"}


def _internal(response: requests.Response) -> str | None:
    """Why this answer is an internal error, or None."""
    if response.status_code >= 500:
        return f"HTTP {response.status_code}"
    try:  # parsed, since the JSON may carry Chinese as \u escapes
        text = json.dumps(response.json(), ensure_ascii=False)
    except ValueError:
        return f"not JSON (HTTP {response.status_code})"
    return next((f"answer contains {marker}" for marker in INTERNAL if marker in text), None)


def _outcome(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"not JSON {response.status_code}"
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    return "executed" if isinstance(body, dict) and body.get("data") is not None else "refused"


@pytest.mark.slow
def test_no_operation_answers_an_internal_error(api: Api, make_tenant: Any,
                                                live_url: str) -> None:
    schema = schemathesis.graphql.from_file(SDL.read_text(encoding="utf-8"))
    tenant = make_tenant(people=6)
    session = requests.Session()
    token = {"value": api.login(tenant, "admin")}
    findings: list[str] = []
    answered: Counter[str] = Counter()
    reached: set[str] = set()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100, "every query and mutation of the SDL"

    for operation in operations:
        @hypothesis.seed(SEED)
        @hypothesis.settings(max_examples=EXAMPLES, deadline=None, database=None,
                             derandomize=False, phases=[hypothesis.Phase.generate],
                             suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            response = case.call(base_url=f"{live_url}/graphql", session=session,
                                 headers={"authorization": f"Bearer {token['value']}"})
            why = _internal(response)
            outcome = _outcome(response)
            answered[outcome] += 1
            if outcome == "executed":
                reached.add(case.operation.label)
            if why is not None:
                findings.append(f"{case.operation.label}: {why}\n  query: "
                                f"{json.dumps(case.body, ensure_ascii=False)[:600]}\n  answer: "
                                f"{response.text[:400]}")
            if response.status_code == 401 or case.operation.label.split(".")[-1] in ENDS_SESSION:
                api.tokens.pop((tenant, "admin"), None)
                token["value"] = api.login(tenant, "admin")

        run()

    print(dict(answered))
    # The run reached the resolvers: most operations were executed at least once, not only
    # refused by the input checks (random text is often refused for its control characters).
    assert len(reached) > len(operations) // 2, (len(reached), len(operations), answered)
    assert not findings, f"{len(findings)} internal errors:\n" + "\n".join(findings)
