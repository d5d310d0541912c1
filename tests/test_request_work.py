"""The Python work of a request that does not depend on its rows: a document is validated once
(not on every request), the extensions' per-field hooks run only around fields with a resolver,
and a person's unit and post read with a list are answered without an awaitable."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLError
from strawberry.schema.schema import validate_document

from schema.extensions import SettledFields
from schema.input_checks import InputChecks
from tests.conftest import Api

PAGE = "{ people(first: 20) { nodes { id name unit { name } post { name } } } }"
# The same read field by field: a fragment is not covered by the compiled path
# (schema/compiled_reads.py), which answers PAGE without running these hooks at all.
ORDINARY_PAGE = ("{ people(first: 20) { nodes { ... on Person { id name unit { name } "
                 "post { name } } } } }")


def test_a_document_is_validated_once(api: Api, make_tenant: Any,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    code = make_tenant(people=6)
    api.login(code, "admin")
    seen: list[str] = []

    def counted(schema: Any, document: Any, rules: Any) -> list[GraphQLError]:
        seen.append(document.loc.source.body)
        return validate_document(schema, document, rules)

    monkeypatch.setattr("schema.validate_document", counted)
    query = PAGE.replace("20", "19")  # a text no other test sent
    for _ in range(3):
        assert "errors" not in api.as_(code, "admin", query)
    assert seen == [query]
    # an invalid document is validated once too, and answered the same each time
    bad = "{ people(first: 3) { nodes { nosuchfield } } }"
    answers = [api.as_(code, "admin", bad)["errors"] for _ in range(2)]
    assert answers[0] == answers[1]
    assert answers[0][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert seen == [query, bad]


def test_the_limits_still_refuse_a_cached_document(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=6)
    deep = "{ orgTree { " + "children { " * 20 + "id" + " }" * 20 + " } }"
    for _ in range(2):
        errors = api.as_(code, "admin", deep)["errors"]
        assert errors[0]["extensions"]["code"] == "QUERY_TOO_COMPLEX", errors


def test_field_hooks_wrap_only_fields_with_a_resolver(
        api: Api, make_tenant: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """people, unit and post per person: the hooks run there, not on id, name and the names."""
    code = make_tenant(people=6)
    api.as_(code, "admin", ORDINARY_PAGE)
    calls: dict[str, list[str]] = {"checks": [], "settled": [], "awaitables": []}

    def hook(kind: str, original: Any) -> Any:
        def resolve(self: Any, _next: Any, root: Any, info: Any, *args: Any,
                    **kwargs: Any) -> Any:
            calls[kind].append(info.field_name)
            result = original(self, _next, root, info, *args, **kwargs)
            if kind == "settled" and hasattr(result, "__await__"):
                calls["awaitables"].append(info.field_name)
            return result
        return resolve

    monkeypatch.setattr(InputChecks, "resolve", hook("checks", InputChecks.resolve))
    monkeypatch.setattr(SettledFields, "resolve", hook("settled", SettledFields.resolve))
    body = api.as_(code, "admin", ORDINARY_PAGE)
    people = body["data"]["people"]["nodes"]
    assert people, body
    assert all(p["unit"]["name"] for p in people), body
    expected = ["people"] + ["unit", "post"] * len(people)
    assert sorted(calls["checks"]) == sorted(expected)
    assert sorted(calls["settled"]) == sorted(expected)
    # the unit and post came with the list: only the top-level field awaited anything
    assert calls["awaitables"] == ["people"]


def test_a_person_alone_still_loads_its_unit_and_post(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=6)
    nodes = api.as_(code, "admin", PAGE)["data"]["people"]["nodes"]
    for node in nodes[:3]:
        one = api.as_(code, "admin", "query($i:ID!){ person(id:$i) { unit { name } "
                      "post { name } } }", {"i": node["id"]})
        assert "errors" not in one, one
        assert one["data"]["person"] == {"unit": node["unit"], "post": node["post"]}
