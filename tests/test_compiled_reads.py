"""The compiled path (issue 16, item 3): a covered people query is built as JSON by PostgreSQL
in one statement, and answers byte for byte what the ordinary, field-by-field path answers
(an app with ``compiled_reads`` off), for any covered selection, arguments and caller."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from bench.reads import seed
from jixiao.settings import Settings
from tests.conftest import Api

# The portal's 人员管理 page (portal/src/views/people.graphql, AdminPeoplePage)
PORTAL_PAGE = """query AdminPeoplePage($first: Int!, $after: String, $filter: PeopleFilter) {
  people(first: $first, after: $after, filter: $filter) { totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id employeeNo name gender rankTitle comparisonGroup appraised status unitId postId
            unit { name } post { name } } } }"""
USERS = ("admin", "kezhang", "fenguan", "leader", "ganbu", "xitong")

PERSON = ("id", "employeeNo", "name", "gender", "rankTitle", "comparisonGroup", "appraised",
          "status", "unitId", "postId", "__typename")
UNIT = ("id", "code", "name", "kind", "sortOrder", "parentId", "__typename")
POST = ("id", "code", "name", "description", "unitId", "__typename")
# Fields with resolvers of their own: a selection holding one runs the ordinary way.
UNCOVERED = ("managers { kind personId }", "unit { parent { name } }", "post { unit { name } }",
             "unit { children { id } }")


@pytest.fixture(scope="module")
def ordinary(settings: Settings) -> Iterator[Api]:
    from jixiao.app import create_app

    with TestClient(create_app(settings.replace(compiled_reads=False))) as client:
        yield Api(client)


@pytest.fixture(scope="module")
def tenant(make_tenant: Any, settings: Settings) -> dict[str, Any]:
    code = make_tenant(people=23)
    seed(settings, code, 30)  # ten more departments, each person with a post
    return {"code": code}


def raw(api: Api, code: str, username: str, query: str, variables: dict[str, Any]) -> str:
    """The response's exact text: the same text means the same JSON in the same order."""
    response = api.client.post("/graphql", json={"query": query, "variables": variables},
                               headers={"authorization": f"Bearer {api.login(code, username)}"})
    return f"{response.status_code} {response.text}"


def aliased(draw: st.DrawFn, names: tuple[str, ...]) -> list[str]:
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names),
                           unique=True))
    return [f"a{n}: {name}" if draw(st.booleans()) else name for n, name in enumerate(chosen)]


@st.composite
def person_selection(draw: st.DrawFn) -> str:
    parts = aliased(draw, PERSON)
    for name, fields in (("unit", UNIT), ("post", POST)):
        if draw(st.booleans()):
            parts.insert(draw(st.integers(0, len(parts))),
                         f"{name} {{ {' '.join(aliased(draw, fields))} }}")
    if draw(st.integers(0, 9)) == 0:
        parts.append(draw(st.sampled_from(UNCOVERED)))
    return " ".join(parts)


@st.composite
def connection_selection(draw: st.DrawFn) -> str:
    node = draw(person_selection())
    parts = []
    if draw(st.booleans()):
        parts.append("totalCount")
    if draw(st.booleans()):
        info = aliased(draw, ("hasNextPage", "endCursor", "__typename"))
        parts.append(f"pageInfo {{ {' '.join(info)} }}")
    if draw(st.booleans()) or not parts:
        parts.append(f"nodes {{ {node} }}")
    if draw(st.booleans()):
        edge = draw(st.lists(st.sampled_from(("cursor", "node", "__typename")), min_size=1,
                             max_size=3, unique=True))
        parts.append("edges { " + " ".join(f"node {{ {node} }}" if e == "node" else e
                                           for e in edge) + " }")
    if draw(st.booleans()):
        parts.append("__typename")
    draw(st.randoms()).shuffle(parts)
    return " ".join(parts)


FILTERS = st.fixed_dictionaries({}, optional={
    "search": st.sampled_from(["P00", "干部", "p01", " ", "无此人"]),
    "comparisonGroup": st.sampled_from(["leader", "staff"]),
    "appraised": st.booleans(),
    "status": st.sampled_from(["active", "left"]),
    "includeSubunits": st.booleans(),
})


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(selection=connection_selection(), user=st.sampled_from(USERS),
       first=st.sampled_from([1, 3, 7, 50, 200, 0, 201]),
       after=st.sampled_from([None, "", "P0005", "E00012", "zzz"]),
       flt=st.one_of(st.none(), FILTERS), by_unit=st.booleans(), alias=st.booleans())
def test_both_paths_answer_the_same(api: Api, ordinary: Api, tenant: dict[str, Any],
                                    selection: str, user: str, first: int, after: str | None,
                                    flt: dict[str, Any] | None, by_unit: bool,
                                    alias: bool) -> None:
    code = tenant["code"]
    if by_unit and flt is not None:
        units = api.as_(code, "admin", "{ orgUnits { id code } }")["data"]["orgUnits"]
        flt = {**flt, "unitId": next(u["id"] for u in units if u["code"] == "d1")}
    query = ("query($first: Int!, $after: String, $filter: PeopleFilter) { "
             f"{'list: ' if alias else ''}people(first: $first, after: $after, filter: $filter)"
             f" {{ {selection} }} }}")
    variables = {"first": first, "after": after, "filter": flt}
    assert raw(api, code, user, query, variables) == raw(ordinary, code, user, query, variables)


def test_the_portal_page_is_one_statement_building_json(api: Api, ordinary: Api,
                                                        tenant: dict[str, Any],
                                                        count_statements: list[str]) -> None:
    code = tenant["code"]
    variables = {"first": 20, "after": "P0003", "filter": {"search": "P0"}}
    api.login(code, "admin")
    count_statements.clear()
    compiled = raw(api, code, "admin", PORTAL_PAGE, variables)
    own = [s for s in count_statements if "FROM people" in s]
    assert len(own) == 1, count_statements
    assert "json_build_object" in own[0], own
    assert compiled == raw(ordinary, code, "admin", PORTAL_PAGE, variables)
    assert '"totalCount":' in compiled
    assert '"unit":{"name":' in compiled


def test_an_uncovered_selection_runs_the_ordinary_way(api: Api, tenant: dict[str, Any],
                                                      count_statements: list[str]) -> None:
    code = tenant["code"]
    api.login(code, "admin")
    count_statements.clear()
    body = api.as_(code, "admin", "{ people(first: 5) { nodes { name managers { kind } } } }")
    assert "errors" not in body, body
    assert not any("json_build_object" in s for s in count_statements), count_statements
    # Beside another field, or with a fragment, the page is read field by field too.
    for query in ("{ people(first: 5) { totalCount } tenant { name } }",
                  "{ people(first: 5) { nodes { ...P } } } fragment P on Person { name }",
                  "{ people(first: 5) { nodes { name @include(if: true) } } }"):
        count_statements.clear()
        assert "errors" not in api.as_(code, "admin", query)
        assert not any("json_build_object" in s for s in count_statements), query


def test_a_refused_call_gets_the_ordinary_error(api: Api, ordinary: Api,
                                                tenant: dict[str, Any]) -> None:
    code = tenant["code"]
    for variables in ({"first": 500}, {"first": 5, "filter": {"search": "a\x00b"}},
                      {"first": "x"}):
        compiled = raw(api, code, "admin", PORTAL_PAGE, variables)
        assert compiled == raw(ordinary, code, "admin", PORTAL_PAGE, variables)
        assert '"errors"' in compiled
