"""One pagination convention for every list that can grow (issue 14, point 5): ``first`` and
``after`` arguments, ``totalCount``, ``pageInfo { hasNextPage endCursor }``, ``edges { cursor
node }`` and ``nodes``; a plain list that can grow has a paginated ``…Page`` sibling."""

from __future__ import annotations

import asyncio
from typing import Any

from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType, build_schema

from jixiao.settings import Settings
from schema import export_sdl
from tests.conftest import Api
from tests.factories import seed_plan

# Plain lists that stay small whatever the unit's size (a unit's departments, posts, schemes,
# periods, one rater's forms, one person's history, a city's figure definitions, the kinds of
# unit, …) or that
# are paginated otherwise (declarations, periodResults: offset; jobs: the newest few).
BOUNDED = {
    "periodStages", "reviewQuotas",  # the stages of a period; one counter per ranking group
    "notificationSecretsSet",  # at most one per notification channel (three)
    "orgTree", "orgUnits", "posts", "managementRelations", "apiTokens", "platformTenants",
    "periods", "supervisionSummary", "jobs", "bonusRuns", "indicatorSchemes",
    "indicatorsInEffect", "responsibilityLetters", "myTasks", "personPointTotals",
    "interviewCompletion", "careActions", "trainingNeeds", "resultsUse", "postHistory",
    "myRatingAssignments", "myRatingForms", "oversightFigureDefinitions", "experienceReports",
    "cityExperienceReports", "reportShares", "citySharedReports", "departmentResults",
    "tenantKinds", "pushRules",  # a unit's rules on pushed data: a handful the admin edits
    "democraticVotes",  # the few democratic evaluations of one year period
}


def _unwrap(t: Any) -> Any:
    while isinstance(t, GraphQLNonNull):
        t = t.of_type
    return t


def test_every_growing_list_has_a_paginated_sibling_of_one_shape() -> None:
    schema = build_schema(export_sdl())
    query = schema.query_type
    assert query is not None
    lists = {name for name, f in query.fields.items() if isinstance(_unwrap(f.type), GraphQLList)}
    unpaged = sorted(n for n in lists - BOUNDED if f"{n}Page" not in query.fields)
    assert not unpaged, f"add a paginated …Page sibling (or list it in BOUNDED): {unpaged}"
    connections = {name: f for name, f in query.fields.items()
                   if getattr(_unwrap(f.type), "name", "").endswith("Connection")}
    assert {"people", "tasksPage", "auditLogPage", "overdueItemsPage",
            "pendingCreditClaims"} <= set(connections)
    for name, field in connections.items():
        if name == "declarations":  # offset-paginated before this convention
            continue
        assert {"first", "after"} <= set(field.args), name
        shape = _unwrap(field.type)
        assert isinstance(shape, GraphQLObjectType)
        assert {"edges", "nodes", "pageInfo", "totalCount"} <= set(shape.fields), name
        page_info = _unwrap(shape.fields["pageInfo"].type)
        assert set(page_info.fields) == {"hasNextPage", "endCursor"}, name


def walk(api: Api, code: str, field: str, args: str, selection: str, first: int = 2
         ) -> tuple[list[Any], int]:
    """Every node of a connection, page by page, and the total it reported."""
    nodes: list[Any] = []
    after: str | None = None
    while True:
        query = (f"query($a:String){{ {field}({args}first:{first}, after:$a) {{ totalCount "
                 f"pageInfo {{ hasNextPage endCursor }} edges {{ cursor }} nodes {{ {selection} "
                 "} } }")
        body = api.as_(code, "admin", query, {"a": after})
        assert "errors" not in body, body
        page = body["data"][field]
        assert [e["cursor"] for e in page["edges"]][-1:] == (
            [page["pageInfo"]["endCursor"]] if page["nodes"] else [])
        nodes += page["nodes"]
        assert len(page["nodes"]) <= first
        if not page["pageInfo"]["hasNextPage"]:
            return nodes, page["totalCount"]
        after = page["pageInfo"]["endCursor"]


def test_paginated_siblings_walk_the_same_rows_as_the_lists(
        api: Api, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=12)
    asyncio.run(seed_plan(settings, code, 2026))
    tasks, total = walk(api, code, "tasksPage", "filter:{year:2026}, ", "id")
    plain = api.as_(code, "admin", "{ tasks(filter:{year:2026}) { id } }")["data"]["tasks"]
    assert tasks == plain
    assert total == len(plain)
    assert len(plain) > 2  # more than one page
    accounts, total = walk(api, code, "accountsPage", "", "username", first=3)
    plain = api.as_(code, "admin", "{ accounts { username } }")["data"]["accounts"]
    assert accounts == plain
    assert total == len(plain)
    people, total = walk(api, code, "people", "", "employeeNo", first=5)
    assert total == 12
    assert len({p["employeeNo"] for p in people}) == 12


def test_the_audit_log_pages_newest_first(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=12)
    for n in range(3):
        body = api.as_(code, "admin", "mutation($s:JSON!){ updateTenantSettings(settings:$s, "
                       "reason:\"分页\") { userErrors { code } } }",
                       {"s": {"declarations": {"max_items": 3 + n}}})
        assert body["data"]["updateTenantSettings"]["userErrors"] == []
    entries, total = walk(api, code, "auditLogPage", "entity:\"tenant\", ", "id")
    assert total == len(entries)
    assert total >= 4  # provisioning, then the three changes: more than one page of two
    ids = [int(e["id"]) for e in entries]
    assert ids == sorted(ids, reverse=True)
    plain = api.as_(code, "admin", "{ auditLog(entity:\"tenant\") { id } }")["data"]["auditLog"]
    assert entries == plain


def test_bad_page_arguments_are_user_errors(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=12)
    for query in ("{ accountsPage(after:\"no-such-row\") { totalCount } }",
                  "{ auditLogPage(after:\"not-a-number\") { totalCount } }",
                  "{ tasksPage(first:0) { totalCount } }",
                  "{ accountsPage(first:100000) { totalCount } }"):
        body = api.as_(code, "admin", query)
        assert body["errors"][0]["extensions"]["code"] == "INVALID", query
        assert "服务器内部错误" not in body["errors"][0]["message"]


def test_pages_are_refused_to_strangers(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=12)
    for query in ("{ accountsPage { totalCount } }", "{ auditLogPage { totalCount } }"):
        assert api.call(query)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert api.as_(code, "ganbu", query)["errors"][0]["extensions"]["code"] == "FORBIDDEN"
