"""Deep reads without per-field cost (issue 16, item 2): the people page reads its rows, units
and posts in one statement; the results board (``resultsBoard``) is built as JSON in one
statement; both answer exactly what the typed lists answer, and their statement counts do not
grow with the rows they return."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest

from bench.reads import seed
from jixiao.settings import Settings
from tests.conftest import Api

UNIT = "xhjd"  # read-only: its current quarter is the staff tests'

# The portal's 人员管理 page (portal/src/views/people.graphql, AdminPeoplePage)
PEOPLE_PAGE = """query($first:Int!){ people(first:$first) { totalCount
  pageInfo { hasNextPage endCursor }
  nodes { id employeeNo name gender rankTitle comparisonGroup appraised status unitId postId
          unit { name } post { name } } } }"""
PEOPLE_FULL = """query($first:Int!, $after:String){ people(first:$first, after:$after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { employeeNo } }
  nodes { id employeeNo name unitId postId
          unit { id code name kind sortOrder parentId } post { id code name description unitId }
  } } }"""

RESULT_FIELDS = """id periodId personId unitId comparisonGroup score rank groupRank proposedGrade
  proposedGradeLabel grade gradeLabel confirmedAt seriousConductBreach tieReview reasons status
  statusLabel explanation { kind source delta text } dimensionScores { code name score }
  person { name employeeNo } unit { name }"""
DECLARATION_FIELDS = """id periodId personId status submittedAt updatedAt
  person { name employeeNo }
  items { position title content selfAssessment taskId indicatorId }"""
TYPED = f"""query($p:ID!, $first:Int!){{
  periodResults(periodId:$p, first:$first) {{ totalCount nodes {{ {RESULT_FIELDS}
    explanationJson dimensionScoresJson }} }}
  declarations(periodId:$p, first:$first) {{ totalCount nodes {{ {DECLARATION_FIELDS} }} }} }}"""
BOARD = "query($p:ID!, $first:Int!){ resultsBoard(periodId:$p, first:$first) }"
TRIVIAL = "{ __typename }"


INSTANT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$")


def instants(value: Any) -> Any:
    """Timestamps as instants: PostgreSQL's JSON drops a fraction's trailing zeros
    ("…33.97207+00:00") where Python's isoformat keeps six digits ("…33.972070+00:00")."""
    if isinstance(value, dict):
        return {k: instants(v) for k, v in value.items()}
    if isinstance(value, list):
        return [instants(v) for v in value]
    if isinstance(value, str) and INSTANT.match(value):
        return datetime.fromisoformat(value)
    return value


def typed_board(api: Api, code: str, username: str, period_id: str,
                first: int = 200) -> dict[str, Any]:
    body = api.as_(code, username, TYPED, {"p": period_id, "first": first})
    assert "errors" not in body, body
    results = body["data"]["periodResults"]
    for node in results["nodes"]:  # the JSON siblings hold what the typed fields hold
        assert node.pop("explanationJson") == node["explanation"]
        assert node.pop("dimensionScoresJson") == node["dimensionScores"]
    return instants({"results": results, "declarations": body["data"]["declarations"]})  # type: ignore[no-any-return]


def board(api: Api, code: str, username: str, period_id: str, first: int = 200
          ) -> dict[str, Any]:
    body = api.as_(code, username, BOARD, {"p": period_id, "first": first})
    assert "errors" not in body, body
    return instants(body["data"]["resultsBoard"])  # type: ignore[no-any-return]


def own_statements(api: Api, code: str, username: str, query: str, variables: dict[str, Any],
                   count_statements: list[str]) -> list[str]:
    """The statements of ``query`` beyond those of a trivial authenticated request."""
    api.as_(code, username, TRIVIAL)
    count_statements.clear()
    api.as_(code, username, TRIVIAL)
    baseline = len(count_statements)
    count_statements.clear()
    body = api.as_(code, username, query, variables)
    assert "errors" not in body, body
    return count_statements[baseline:]


@pytest.fixture(scope="module")
def demo_periods(api: Api, demo_year: None) -> list[dict[str, Any]]:
    body = api.as_(UNIT, "admin", "{ periods { id name kind state } }")
    return [p for p in body["data"]["periods"] if p["state"] != "planning"]


@pytest.mark.parametrize("username", ["admin", "leader", "fenguan", "kezhang", "ganbu"])
def test_board_equals_the_typed_lists_on_the_demo_data(
        api: Api, demo_periods: list[dict[str, Any]], username: str) -> None:
    compared = 0
    for period in demo_periods:
        expected = typed_board(api, UNIT, username, period["id"])
        assert board(api, UNIT, username, period["id"]) == expected, period["name"]
        compared += len(expected["results"]["nodes"]) + len(expected["declarations"]["nodes"])
    if username == "admin":  # the demo has results with explanations and declarations
        assert compared > 100, compared


def test_board_pages_and_refuses_like_the_lists(api: Api, make_tenant: Any,
                                                settings: Settings) -> None:
    code = make_tenant(people=12)
    ids = seed(settings, code, 30)
    first = board(api, code, "admin", ids["p"], first=7)
    assert first == typed_board(api, code, "admin", ids["p"], first=7)
    # the seed gives every person a result: the tenant's 12 and the 30 added
    assert first["results"]["totalCount"] == 42
    assert len(first["results"]["nodes"]) == 7
    for username in ("kezhang", "ganbu"):  # nobody they may read in departments b0..b9
        assert board(api, code, username, ids["p"]) == typed_board(api, code, username,
                                                                   ids["p"])
    bad = api.as_(code, "admin", BOARD, {"p": ids["p"], "first": 201})
    assert bad["errors"][0]["extensions"]["code"] == "INVALID", bad
    other = api.as_(make_tenant(people=9), "admin", BOARD, {"p": ids["p"], "first": 10})
    assert other["errors"][0]["extensions"]["code"] == "NOT_FOUND", other
    anonymous = api.call(BOARD, {"p": ids["p"], "first": 10})
    assert anonymous.get("data") is None or anonymous["data"].get("resultsBoard") is None


def test_board_is_a_statement_per_list_whatever_the_rows(api: Api, make_tenant: Any,
                                                  settings: Settings,
                                                  count_statements: list[str]) -> None:
    counts = []
    for people in (10, 50):
        code = make_tenant(people=9)
        ids = seed(settings, code, people)
        statements = own_statements(api, code, "admin", BOARD, {"p": ids["p"], "first": 200},
                                    count_statements)
        nodes = board(api, code, "admin", ids["p"])["results"]["nodes"]
        assert len(nodes) == people + 9  # the tenant's own 9 have results too
        counts.append(len(statements))
        # for each list the period, then the list: everything else is the request's fixed cost
        assert len(statements) == 4, statements
        assert "json_agg" in statements[1]
        assert "json_agg" in statements[3]
    assert counts[0] == counts[1]


def test_people_page_is_one_statement_whatever_the_rows(api: Api, make_tenant: Any,
                                                        settings: Settings,
                                                        count_statements: list[str]) -> None:
    counts = []
    for people in (10, 50):
        code = make_tenant(people=9)
        seed(settings, code, people)  # people in ten more departments, each with a post
        statements = own_statements(api, code, "admin", PEOPLE_PAGE, {"first": 50},
                                    count_statements)
        body = api.as_(code, "admin", PEOPLE_PAGE, {"first": 50})["data"]["people"]
        assert len(body["nodes"]) == min(50, people + 9)
        assert all(n["unit"]["name"] and n["post"]["name"] for n in body["nodes"])
        counts.append(len(statements))
        # the page, its total, units and posts in one statement
        assert len(statements) == 1, statements
    assert counts[0] == counts[1]


def test_people_page_equals_what_the_loaders_answer(api: Api, make_tenant: Any,
                                                    settings: Settings) -> None:
    """The unit and post read with each row are those ``orgUnit``/``post`` loaders answer; the
    total rides on the page, and an empty last page still has it."""
    code = make_tenant(people=14)
    seen: list[str] = []
    after = None
    units = {u["id"]: u for u in api.as_(
        code, "admin", "{ orgUnits { id code name kind sortOrder parentId } }")[
        "data"]["orgUnits"]}
    posts = {p["id"]: p for p in api.as_(
        code, "admin", "{ posts { id code name description unitId } }")["data"]["posts"]}
    while True:
        page = api.as_(code, "admin", PEOPLE_FULL, {"first": 5, "after": after})
        assert "errors" not in page, page
        people = page["data"]["people"]
        assert people["totalCount"] == 14
        for node in people["nodes"]:
            assert node["unit"] == units[node["unitId"]]
            assert node["post"] == (posts[node["postId"]] if node["postId"] else None)
        seen += [n["employeeNo"] for n in people["nodes"]]
        if not people["pageInfo"]["hasNextPage"]:
            break
        after = people["pageInfo"]["endCursor"]
    assert seen == sorted(seen)
    assert len(set(seen)) == 14
    last = api.as_(code, "admin", PEOPLE_FULL, {"first": 5, "after": seen[-1]})
    assert last["data"]["people"]["totalCount"] == 14
    assert last["data"]["people"]["nodes"] == []
