"""An authenticated request costs one statement before its own work: the caller's grants come
from the application's cache while the tenant's grants version is unchanged, and every change
of roles, management relations or org units is seen by the next request."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
import pytest

from authz.grants_cache import Grants, GrantsCache
from authz.relations import ManagedScope
from tests.conftest import Api
from vocab.org import Role

SET_TENANT = "SELECT set_config('app.tenant_id'"
ME_ROLES = "{ me { roles } }"
PEOPLE = "{ people(first: 100) { edges { node { employeeNo } } } }"
GRANT = ("mutation($a:ID!,$r:Role!){ grantRole(accountId:$a, role:$r) "
         "{ userErrors { code message } } }")
REVOKE = ("mutation($a:ID!,$r:Role!){ revokeRole(accountId:$a, role:$r) "
          "{ userErrors { code message } } }")
ADD_RELATION = ("mutation($m:ID!,$u:ID!){ addManagementRelation(managerId:$m, "
                "kind:department_head, unitId:$u) { relation { id } "
                "userErrors { code message } } }")
REMOVE_RELATION = ("mutation($i:ID!){ removeManagementRelation(id:$i) "
                   "{ userErrors { code message } } }")
SAVE_UNIT = ("mutation($i:ID!,$in:OrgUnitInput!){ updateOrgUnit(id:$i, input:$in) "
             "{ userErrors { code message } } }")
CREATE_UNIT = ("mutation($in:OrgUnitInput!){ createOrgUnit(input:$in) { unit { id } "
               "userErrors { code message } } }")
CREATE_PERSON = ("mutation($in:PersonInput!){ createPerson(input:$in) { person { id } "
                 "userErrors { code message } } }")


def ok(body: dict[str, Any], field: str) -> dict[str, Any]:
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"][field]
    assert payload["userErrors"] == [], payload
    return payload


def account_id(api: Api, code: str, username: str) -> str:
    accounts = api.as_(code, "admin", "{ accounts { id username } }")["data"]["accounts"]
    return str(next(a["id"] for a in accounts if a["username"] == username))


def units(api: Api, code: str) -> dict[str, dict[str, Any]]:
    body = api.as_(code, "admin", "{ orgUnits { id code name kind sortOrder parent { id } } }")
    return {u["code"]: u for u in body["data"]["orgUnits"]}


def person_id(api: Api, code: str, employee_no: str) -> str:
    edges = api.as_(code, "admin", "{ people(first: 100) { edges { node { id employeeNo } } } }"
                    )["data"]["people"]["edges"]
    return str(next(e["node"]["id"] for e in edges if e["node"]["employeeNo"] == employee_no))


def seen_people(api: Api, code: str, username: str) -> set[str]:
    body = api.as_(code, username, PEOPLE)
    assert "errors" not in body, body
    return {e["node"]["employeeNo"] for e in body["data"]["people"]["edges"]}


def people_of(api: Api, code: str, unit_code: str) -> set[str]:
    unit = units(api, code)[unit_code]["id"]
    body = api.as_(code, "admin", "query($u:ID!){ people(first: 100, filter: {unitId: $u}) "
                   "{ edges { node { employeeNo unit { id } } } } }", {"u": unit})
    return {e["node"]["employeeNo"] for e in body["data"]["people"]["edges"]
            if e["node"]["unit"]["id"] == unit}


@pytest.mark.parametrize("username", ["admin", "kezhang", "leader"])
def test_typename_costs_the_tenant_and_one_statement(
        api: Api, make_tenant: Any, count_statements: list[str], username: str) -> None:
    """Setting the tenant, then one statement for session, account, tenant and grants version;
    the roles, relations and org tree come from the cache (the department head's include a
    tree, the principal leader manages the whole tenant)."""
    code = make_tenant(people=12)
    assert api.as_(code, username, "{ __typename }")["data"] == {"__typename": "Query"}
    count_statements.clear()
    assert api.as_(code, username, "{ __typename }")["data"] == {"__typename": "Query"}
    assert len(count_statements) == 2, count_statements
    assert count_statements[0].startswith(SET_TENANT), count_statements
    assert "FROM accounts JOIN tenants" in count_statements[1], count_statements
    assert "account_sessions" in count_statements[1], count_statements


def test_an_api_token_costs_the_tenant_and_one_statement(
        api: Api, make_tenant: Any, count_statements: list[str]) -> None:
    code = make_tenant(people=9)
    token = api.as_(code, "admin", "mutation{createApiToken(name:\"办公系统\",roles:[office])"
                    "{token userErrors{code}}}")["data"]["createApiToken"]["token"]
    count_statements.clear()
    assert api.call("{ __typename }", token=token)["data"] == {"__typename": "Query"}
    assert len(count_statements) == 2, count_statements


def test_a_cold_cache_reads_the_grants(api: Api, make_tenant: Any,
                                       count_statements: list[str]) -> None:
    """The first request after a change reads the roles, the relations and the tree again."""
    code = make_tenant(people=12)
    api.as_(code, "kezhang", "{ __typename }")
    # A change of a unit's sort order bumps the version (the tree orders siblings by it).
    d2 = units(api, code)["d2"]
    ok(api.as_(code, "admin", SAVE_UNIT, {"i": d2["id"], "in": {
        "name": d2["name"], "code": "d2", "parentId": d2["parent"]["id"], "kind": d2["kind"],
        "sortOrder": d2["sortOrder"] + 1}}), "updateOrgUnit")
    count_statements.clear()
    api.as_(code, "kezhang", "{ __typename }")
    assert any("FROM role_grants" in s for s in count_statements), count_statements
    assert any("FROM management_relations" in s for s in count_statements), count_statements
    assert any("FROM org_units" in s for s in count_statements), count_statements


def test_a_granted_and_a_revoked_role_count_from_the_next_request(
        api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    ganbu = account_id(api, code, "ganbu")
    assert api.as_(code, "ganbu", ME_ROLES)["data"]["me"]["roles"] == ["staff"]
    ok(api.as_(code, "admin", GRANT, {"a": ganbu, "r": "office"}), "grantRole")
    assert set(api.as_(code, "ganbu", ME_ROLES)["data"]["me"]["roles"]) == {"staff", "office"}
    assert len(seen_people(api, code, "ganbu")) == 9  # the office reads everyone
    ok(api.as_(code, "admin", REVOKE, {"a": ganbu, "r": "office"}), "revokeRole")
    assert api.as_(code, "ganbu", ME_ROLES)["data"]["me"]["roles"] == ["staff"]
    assert seen_people(api, code, "ganbu") == {"P006"}


def test_an_added_and_a_removed_relation_count_from_the_next_request(
        api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=12)
    d1, d2 = people_of(api, code, "d1") | people_of(api, code, "d1a"), people_of(api, code, "d2")
    before = seen_people(api, code, "kezhang")  # the head of d1: d1 and d1a, and themselves
    assert before >= d1 - {"P004"}, before
    assert not before & d2, before
    added = ok(api.as_(code, "admin", ADD_RELATION, {
        "m": person_id(api, code, "P004"), "u": units(api, code)["d2"]["id"]}),
        "addManagementRelation")
    assert seen_people(api, code, "kezhang") == before | d2
    ok(api.as_(code, "admin", REMOVE_RELATION, {"i": added["relation"]["id"]}),
       "removeManagementRelation")
    assert seen_people(api, code, "kezhang") == before


def test_a_moved_unit_counts_from_the_next_request(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=12)
    d2_people = people_of(api, code, "d2")
    before = seen_people(api, code, "kezhang")
    assert not before & d2_people, before
    tree = units(api, code)
    d2 = tree["d2"]
    ok(api.as_(code, "admin", SAVE_UNIT, {"i": d2["id"], "in": {
        "name": d2["name"], "code": "d2", "parentId": tree["d1"]["id"], "kind": d2["kind"],
        "sortOrder": d2["sortOrder"]}}), "updateOrgUnit")
    assert seen_people(api, code, "kezhang") == before | d2_people


def test_an_added_unit_counts_from_the_next_request(api: Api, make_tenant: Any) -> None:
    """A new unit under d1 and a person in it: the head of d1 sees them next time (a cached
    tree without the unit would leave the person out of the managed units)."""
    code = make_tenant(people=12)
    before = seen_people(api, code, "kezhang")
    tree = units(api, code)
    unit = ok(api.as_(code, "admin", CREATE_UNIT, {"in": {
        "name": "第一科二组", "code": "d1b", "parentId": tree["d1"]["id"], "kind": "subunit"}}),
        "createOrgUnit")["unit"]["id"]
    posts = api.as_(code, "admin", "{ posts { id code } }")["data"]["posts"]
    ok(api.as_(code, "admin", CREATE_PERSON, {"in": {
        "employeeNo": "N001", "name": "新同志", "gender": "女", "unitId": unit,
        "postId": next(p["id"] for p in posts if p["code"] == "ky"), "rankTitle": "一级科员",
        "comparisonGroup": "staff"}}), "createPerson")
    assert seen_people(api, code, "kezhang") == before | {"N001"}


def test_a_change_written_outside_the_use_cases_counts_too(
        api: Api, make_tenant: Any, raw_app_connection: psycopg.Connection[Any]) -> None:
    """The triggers bump the version whoever writes (roster import, provisioning, the demo,
    a fix by hand): a role granted by plain SQL as the application role."""
    code = make_tenant(people=9)
    ganbu = account_id(api, code, "ganbu")
    assert api.as_(code, "ganbu", ME_ROLES)["data"]["me"]["roles"] == ["staff"]
    with raw_app_connection.transaction():
        raw_app_connection.execute("SELECT set_config('app.tenant_id', tenant_id_for_code(%s)"
                                   "::text, true)", (code,))
        raw_app_connection.execute(
            "INSERT INTO role_grants (tenant_id, id, account_id, role) "
            "SELECT tenant_id, gen_random_uuid(), id, 'office' FROM accounts WHERE id = %s",
            (ganbu,))
    assert set(api.as_(code, "ganbu", ME_ROLES)["data"]["me"]["roles"]) == {"staff", "office"}


def test_every_kind_of_write_bumps_the_version(
        make_tenant: Any, raw_app_connection: psycopg.Connection[Any]) -> None:
    """Insert, update and delete on each table the grants are built from; an unrelated write
    (a person's name) does not bump."""
    code = make_tenant(people=9)
    conn = raw_app_connection

    def version() -> int:
        row = conn.execute("SELECT grants_version FROM tenants").fetchone()
        assert row is not None
        return int(row[0])

    with conn.transaction():
        conn.execute("SELECT set_config('app.tenant_id', tenant_id_for_code(%s)::text, true)",
                     (code,))
        writes = [
            "UPDATE org_units SET sort_order = sort_order + 1 WHERE code = 'd2'",
            "INSERT INTO org_units (tenant_id, id, code, name, kind, sort_order) SELECT "
            "tenant_id, gen_random_uuid(), 'x1', '临时', 'department', 9 FROM org_units "
            "WHERE code = 'd2'",
            "DELETE FROM org_units WHERE code = 'x1'",
            "INSERT INTO management_relations (tenant_id, id, manager_id, kind, unit_id) "
            "SELECT p.tenant_id, gen_random_uuid(), p.id, 'department_head', u.id FROM people p, "
            "org_units u WHERE p.employee_no = 'P005' AND u.code = 'd1a'",
            "UPDATE management_relations SET kind = kind",
            "DELETE FROM management_relations WHERE unit_id = "
            "(SELECT id FROM org_units WHERE code = 'd1a')",
            "INSERT INTO role_grants (tenant_id, id, account_id, role) SELECT tenant_id, "
            "gen_random_uuid(), id, 'office' FROM accounts WHERE username = 'ganbu'",
            "DELETE FROM role_grants WHERE role = 'office' AND account_id = "
            "(SELECT id FROM accounts WHERE username = 'ganbu')",
        ]
        for write in writes:
            before = version()
            conn.execute(write)
            assert version() == before + 1, write
        before = version()
        conn.execute("UPDATE people SET name = name || '' WHERE employee_no = 'P006'")
        assert version() == before


def test_the_cache_answers_for_one_tenant_account_person_and_version() -> None:
    cache = GrantsCache(max_entries=2)
    tenant, other, account, person = (uuid.uuid4() for _ in range(4))
    grants = Grants(frozenset({Role.staff}), ManagedScope(), None)
    cache.put(tenant, account, person, 7, grants)
    assert cache.get(tenant, account, person, 7) is grants
    assert cache.get(other, account, person, 7) is None
    assert cache.get(tenant, account, person, 8) is None
    assert cache.get(tenant, account, None, 7) is None
    cache.put(tenant, uuid.uuid4(), None, 7, grants)
    cache.put(tenant, uuid.uuid4(), None, 7, grants)
    assert len(cache) == 2
    assert cache.get(tenant, account, person, 7) is None  # the least recently used went
