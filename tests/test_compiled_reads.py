"""The compiled path (issue 16, items 2 and 3): a covered query (the people page, a period's
results and declarations) is built as JSON by PostgreSQL, one statement per list, and answers
what the ordinary, field-by-field path answers (an app with ``compiled_reads`` off): the same
JSON with its keys in the same order, for any covered selection, arguments and caller."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from bench.reads import seed
from jixiao.settings import Settings
from tests.conftest import Api

ROOT = Path(__file__).resolve().parent.parent

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


def raw(api: Api, code: str, username: str, query: str,
        variables: dict[str, Any]) -> tuple[int, Any]:
    """The status and the JSON answer with every object as its (key, value) pairs in order:
    equal means the same JSON, keys in the same order (the spaces PostgreSQL writes in a
    list it built aside)."""
    response = api.client.post("/graphql", json={"query": query, "variables": variables},
                               headers={"authorization": f"Bearer {api.login(code, username)}"})
    return response.status_code, json.loads(response.text, object_pairs_hook=list)


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
    people = dict(dict(dict(compiled[1])["data"])["people"])
    assert people["totalCount"] == 23  # the filter matches every P0…
    assert len(people["nodes"]) == 20


def test_one_built_statement_serves_every_page_of_a_caller_and_filter(
        api: Api, ordinary: Api, tenant: dict[str, Any]) -> None:
    """The JSON page's statement is kept by what it is built from: the next pages and the next
    requests reuse it, and a caller of another read scope gets a statement of their own."""
    from resolvers import pagination

    code = tenant["code"]
    pagination._kept.clear()
    for user, kept in (("admin", 2), ("leader", 4), ("admin", 4)):
        after, seen = None, []
        while True:
            variables = {"first": 5, "after": after, "filter": {"search": "P0"}}
            answer = raw(api, code, user, PORTAL_PAGE, variables)
            assert answer == raw(ordinary, code, user, PORTAL_PAGE, variables)
            page = dict(dict(dict(answer[1])["data"])["people"])
            seen += [dict(node)["employeeNo"] for node in page["nodes"]]
            info = dict(page["pageInfo"])
            if not info["hasNextPage"]:
                break
            after = info["endCursor"]
        assert seen == sorted(seen)
        assert len(seen) == page["totalCount"]
        assert len(pagination._kept) == kept, user  # the first page's and the next pages'


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
        assert "errors" in dict(compiled[1]), compiled


# --- a period's results and declarations (the dashboards) ----------------------------------

DEMO = "xhjd"
DEMO_USERS = ("admin", "leader", "fenguan", "kezhang", "ganbu")
RESULT = ("id", "periodId", "personId", "unitId", "comparisonGroup", "score", "rank",
          "groupRank", "proposedGrade", "proposedGradeLabel", "grade", "gradeLabel",
          "confirmedAt", "seriousConductBreach", "tieReview", "reasons", "status",
          "statusLabel", "__typename")
LINE = ("kind", "source", "delta", "text", "__typename")
DECLARATION = ("id", "periodId", "personId", "status", "submittedAt", "updatedAt",
               "__typename")
ITEM = ("position", "title", "content", "selfAssessment", "taskId", "indicatorId",
        "__typename")
PERSON_BRIEF = ("id", "name", "employeeNo", "status", "__typename")
UNCOVERED_ROWS = ("dimensionScoresJson", "explanationJson", "objections { id }",
                  "person { unit { name } }")


@st.composite
def row_selection(draw: st.DrawFn, fields: tuple[str, ...],
                  nested: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    parts = aliased(draw, fields)
    for name, inner in nested:
        if draw(st.booleans()):
            parts.insert(draw(st.integers(0, len(parts))),
                         f"{name} {{ {' '.join(aliased(draw, inner))} }}")
    if draw(st.integers(0, 9)) == 0:
        parts.append(draw(st.sampled_from(UNCOVERED_ROWS[:3] if "score" in fields
                                          else UNCOVERED_ROWS[3:])))
    return " ".join(parts)


def listing(draw: st.DrawFn, rows: str) -> str:
    parts = [f"nodes {{ {rows} }}", "totalCount", "__typename"]
    return " ".join(draw(st.permutations(parts))[:draw(st.integers(1, 3))])


@st.composite
def dashboard(draw: st.DrawFn) -> str:
    results = draw(row_selection(RESULT, (("explanation", LINE), ("person", PERSON_BRIEF),
                                          ("dimensionScores", ("code", "name", "score")),
                                          ("unit", ("id", "name", "kind", "__typename")))))
    declared = draw(row_selection(DECLARATION, (("items", ITEM), ("person", PERSON_BRIEF))))
    fields = []
    if draw(st.booleans()):
        fields.append("periodResults(periodId: $p, first: $first, offset: $offset) { "
                      f"{listing(draw, results)} }}")
    if draw(st.booleans()) or not fields:
        fields.append("declarations(periodId: $p, first: $first, offset: $offset) { "
                      f"{listing(draw, declared)} }}")
    draw(st.randoms()).shuffle(fields)
    return ("query($p: ID!, $first: Int!, $offset: Int!) { " + " ".join(fields) + " }")


@pytest.fixture(scope="module")
def demo_periods(api: Api, demo_year: None) -> list[str]:
    body = api.as_(DEMO, "admin", "{ periods { id state } }")
    return [p["id"] for p in body["data"]["periods"] if p["state"] != "planning"]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(query=dashboard(), user=st.sampled_from(DEMO_USERS), period=st.integers(0, 20),
       first=st.sampled_from([1, 5, 200, 0, 501]), offset=st.sampled_from([0, 3, 40, -1]))
def test_a_dashboard_is_answered_the_same_both_ways(api: Api, ordinary: Api,
                                                    demo_periods: list[str], query: str,
                                                    user: str, period: int, first: int,
                                                    offset: int) -> None:
    variables = {"p": demo_periods[period % len(demo_periods)], "first": first,
                 "offset": offset}
    assert raw(api, DEMO, user, query, variables) == raw(ordinary, DEMO, user, query,
                                                         variables)


def test_the_dashboard_is_one_statement_per_list(api: Api, ordinary: Api,
                                                 demo_periods: list[str],
                                                 count_statements: list[str]) -> None:
    from bench.api_load import DASHBOARD

    api.login(DEMO, "admin")
    for period in demo_periods:
        variables = {"periodId": period}
        count_statements.clear()
        compiled = raw(api, DEMO, "admin", DASHBOARD, variables)
        assert compiled == raw(ordinary, DEMO, "admin", DASHBOARD, variables)
        built = [s for s in count_statements if "json_agg" in s]
        assert len(built) == 2, count_statements  # one per list, whatever the rows
        # the period is looked up once for each list, and nothing else is read
        assert len(count_statements) == 2 + 2 + 2, count_statements
    # the demo's closed quarters have results with explanations, written as PostgreSQL wrote them
    texts = [api.client.post("/graphql", json={"query": DASHBOARD, "variables": {
        "periodId": period}}, headers={"authorization": f"Bearer {api.login(DEMO, 'admin')}"}
        ).text for period in demo_periods]
    assert any('"explanation" : [{"kind" : ' in text for text in texts)


def test_the_portals_list_queries_are_covered() -> None:
    """Each portal operation made only of compiled lists is read whole: no field in it makes
    the server fall back to the field-by-field path (a new field with a resolver would)."""
    from graphql import OperationDefinitionNode, parse

    from schema import schema_shape
    from schema.compiled_reads import COMPILED, compiled_lists

    schema = schema_shape()
    covered = []
    for path in sorted((ROOT / "portal" / "src").rglob("*.graphql")):
        for operation in parse(path.read_text(encoding="utf-8")).definitions:
            if not isinstance(operation, OperationDefinitionNode) or (
                    operation.operation.value != "query"):
                continue
            names = {getattr(s, "name", None) and s.name.value  # type: ignore[attr-defined]
                     for s in operation.selection_set.selections}
            if names <= COMPILED.keys():
                assert compiled_lists(schema, operation), (path.name, operation.name)
                covered.append(operation.name.value if operation.name else "?")
    # the people page, the head's people, the searches, the review and sign-off results
    assert {"AdminPeoplePage", "ReviewResults", "SignoffResults"} <= set(covered), covered
