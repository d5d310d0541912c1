"""People: the paginated connection, filters, read scopes through the API, and no N+1."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api

PEOPLE_WITH_UNIT_AND_MANAGERS = """query($first:Int!){ people(first:$first) { totalCount
  edges { node { id name employeeNo unit { id name parent { name } } post { name }
                 managers { kind name unit { name } } } } } }"""


def test_statement_count_does_not_grow_with_people(api: Api, make_tenant: Any,
                                                   count_statements: list[str]) -> None:
    small, large = make_tenant(people=10), make_tenant(people=200)
    counts = []
    for code in (small, large):
        api.login(code, "admin")
        count_statements.clear()
        body = api.as_(code, "admin", PEOPLE_WITH_UNIT_AND_MANAGERS, {"first": 200})
        assert "errors" not in body, body
        edges = body["data"]["people"]["edges"]
        # Everyone but the principal leader has managers (nobody manages themselves).
        without = [e["node"]["name"] for e in edges if not e["node"]["managers"]]
        assert len(without) == 1, without
        counts.append((len(edges), len(count_statements)))
    (n_small, q_small), (n_large, q_large) = counts
    assert (n_small, n_large) == (10, 200)
    assert q_small == q_large, counts


def test_pagination_walks_every_person_once(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=25)
    seen: list[str] = []
    after = None
    while True:
        body = api.as_(code, "admin", "query($a:String){ people(first:10, after:$a) { totalCount "
                       "pageInfo { hasNextPage endCursor } edges { node { employeeNo } } } }",
                       {"a": after})["data"]["people"]
        assert body["totalCount"] == 25
        seen += [e["node"]["employeeNo"] for e in body["edges"]]
        if not body["pageInfo"]["hasNextPage"]:
            break
        after = body["pageInfo"]["endCursor"]
    assert seen == sorted(seen)
    assert len(set(seen)) == 25


def test_filters(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=30)
    units = {u["code"]: u["id"] for u in api.as_(code, "admin", "{ orgUnits { id code } }")[
        "data"]["orgUnits"]}
    query = "query($f:PeopleFilter){ people(first:100, filter:$f) { totalCount } }"

    def count(flt: dict[str, Any]) -> int:
        return int(api.as_(code, "admin", query, {"f": flt})["data"]["people"]["totalCount"])

    with_sub = count({"unitId": units["d1"]})
    without_sub = count({"unitId": units["d1"], "includeSubunits": False})
    assert with_sub > without_sub > 0
    assert count({"unitId": units["d1"]}) == without_sub + count({"unitId": units["d1a"]})
    assert count({"comparisonGroup": "leader"}) == 5
    assert count({"search": "P001"}) == 1
    assert count({"search": "王"}) >= 1
    assert count({}) == 30


def test_staff_member_reads_self_but_not_a_colleague(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=12)
    people = api.as_(code, "admin", "{ people(first:50) { edges { node { id employeeNo } } } }")
    ids = {e["node"]["employeeNo"]: e["node"]["id"] for e in people["data"]["people"]["edges"]}
    listed = api.as_(code, "ganbu", "{ people { totalCount edges { node { employeeNo } } } }")
    assert listed["data"]["people"]["totalCount"] == 1
    assert listed["data"]["people"]["edges"][0]["node"]["employeeNo"] == "P006"
    colleague = api.as_(code, "ganbu", "query($id:ID!){ person(id:$id) { name } }",
                        {"id": ids["P007"]})
    assert colleague["data"]["person"] is None
    me = api.as_(code, "ganbu", "query($id:ID!){ person(id:$id) { name managers { kind } } }",
                 {"id": ids["P006"]})
    assert {m["kind"] for m in me["data"]["person"]["managers"]} == {
        "department_head", "supervising_leader", "principal_leader"}


def test_supervising_leader_of_one_department_cannot_reach_another(api: Api,
                                                                   make_tenant: Any) -> None:
    code = make_tenant(people=20)
    people = api.as_(code, "admin", "{ people(first:50) { edges { node { id employeeNo "
                     "unit { code } } } } }")["data"]["people"]["edges"]
    by_no = {e["node"]["employeeNo"]: e["node"] for e in people}
    visible = api.as_(code, "fenguan", "{ people(first:100) { edges { node { employeeNo "
                      "unit { code } } } } }")["data"]["people"]["edges"]
    units = {e["node"]["unit"]["code"] for e in visible if e["node"]["employeeNo"] != "P002"}
    assert units == {"d1", "d1a"}
    outsider = api.as_(code, "fenguan", "query($id:ID!){ person(id:$id) { id } }",
                       {"id": by_no["P008"]["id"]})
    assert outsider["data"]["person"] is None
    # Nor may a supervising leader change anyone: master data belongs to the tenant admin.
    change = api.as_(code, "fenguan", "mutation($id:ID!,$u:ID!){ updatePerson(id:$id, input:"
                     "{employeeNo:\"P006\",name:\"改名\",unitId:$u}) { userErrors { code } } }",
                     {"id": by_no["P006"]["id"], "u": by_no["P006"]["unit"]["code"]})
    assert change["data"]["updatePerson"]["userErrors"][0]["code"] in ("FORBIDDEN", "NOT_FOUND")


def test_department_head_sees_own_unit_and_subunits(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=20)
    visible = api.as_(code, "kezhang", "{ people(first:100) { edges { node { employeeNo "
                      "unit { code } } } } }")["data"]["people"]["edges"]
    assert {e["node"]["unit"]["code"] for e in visible} == {"d1", "d1a"}
    principal = api.as_(code, "leader", "{ people(first:100) { totalCount } }")
    assert principal["data"]["people"]["totalCount"] == 20
