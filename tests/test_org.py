"""Org tree, posts, people and management relations through the API, with the audit log."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api

CREATE_UNIT = ("mutation($i:OrgUnitInput!){ createOrgUnit(input:$i) { unit { id name parent "
               "{ code } } userErrors { code message field } } }")
UPDATE_UNIT = ("mutation($id:ID!,$i:OrgUnitInput!){ updateOrgUnit(id:$id,input:$i) { unit "
               "{ id } userErrors { code message field } } }")


def units(api: Api, code: str) -> dict[str, str]:
    rows = api.as_(code, "admin", "{ orgUnits { id code } }")["data"]["orgUnits"]
    return {u["code"]: u["id"] for u in rows}


def test_units_tree_validation_and_audit(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    ids = units(api, code)
    created = api.as_(code, "admin", CREATE_UNIT, {"i": {"name": "第三科", "code": "d3",
                                                         "parentId": ids["root"]}})
    unit = created["data"]["createOrgUnit"]["unit"]
    assert unit["parent"]["code"] == "root"
    duplicate = api.as_(code, "admin", CREATE_UNIT, {"i": {"name": "重复", "code": "d3"}})
    assert duplicate["data"]["createOrgUnit"]["userErrors"][0] == {
        "code": "DUPLICATE", "message": "部门代码“d3”已存在", "field": "code"}
    empty = api.as_(code, "admin", CREATE_UNIT, {"i": {"name": " ", "code": ""}})
    assert {e["field"] for e in empty["data"]["createOrgUnit"]["userErrors"]} == {"name", "code"}
    # A unit cannot move under its own sub-unit.
    cycle = api.as_(code, "admin", UPDATE_UNIT, {"id": ids["d1"], "i": {
        "name": "第一科", "code": "d1", "parentId": ids["d1a"]}})
    assert cycle["data"]["updateOrgUnit"]["userErrors"][0]["message"] == (
        "上级部门不能是本部门或其下级部门")
    busy = api.as_(code, "admin", "mutation($id:ID!){ deleteOrgUnit(id:$id) { deletedId "
                   "userErrors { code message } } }", {"id": ids["d1"]})
    assert busy["data"]["deleteOrgUnit"]["userErrors"][0]["code"] == "CONFLICT"
    gone = api.as_(code, "admin", "mutation($id:ID!){ deleteOrgUnit(id:$id) { deletedId "
                   "userErrors { code } } }", {"id": unit["id"]})
    assert gone["data"]["deleteOrgUnit"]["deletedId"] == unit["id"]
    log = api.as_(code, "admin", "query($e:String!){ auditLog(entityId:$e) { action actor "
                  "before after } }", {"e": unit["id"]})["data"]["auditLog"]
    assert [e["action"] for e in log] == ["unit.delete", "unit.create"]
    assert log[0]["before"]["code"] == "d3"
    assert log[0]["actor"].startswith("account:")


def test_tree_reads_back_nested(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    tree = api.as_(code, "ganbu", "{ orgTree { code children { code children { code } } } }")
    root = tree["data"]["orgTree"][0]
    assert root["code"] == "root"
    d1 = next(c for c in root["children"] if c["code"] == "d1")
    assert d1["children"] == [{"code": "d1a"}]


def test_people_and_posts_lifecycle(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    ids = units(api, code)
    post = api.as_(code, "admin", "mutation{ createPost(input:{name:\"人民调解岗\",code:\"rmtj\"})"
                   " { post { id name } userErrors { code } } }")["data"]["createPost"]["post"]
    person = api.as_(code, "admin", "mutation($i:PersonInput!){ createPerson(input:$i) { person "
                     "{ id name post { name } unit { code } } userErrors { code message } } }",
                     {"i": {"employeeNo": "N100", "name": "新人员", "unitId": ids["d2"],
                            "postId": post["id"], "gender": "女"}})
    created = person["data"]["createPerson"]["person"]
    assert created["post"]["name"] == "人民调解岗"
    bad = api.as_(code, "admin", "mutation($i:PersonInput!){ createPerson(input:$i) { person "
                  "{ id } userErrors { code message field } } }",
                  {"i": {"employeeNo": "N100", "name": "重名", "unitId": ids["d2"],
                         "gender": "未知"}})
    assert bad["data"]["createPerson"]["userErrors"] == [
        {"code": "INVALID", "message": "性别只能是“男”或“女”", "field": "gender"}]
    left = api.as_(code, "admin", "mutation($id:ID!,$i:PersonInput!){ updatePerson(id:$id,"
                   "input:$i) { person { status } userErrors { code } } }",
                   {"id": created["id"], "i": {"employeeNo": "N100", "name": "新人员",
                                               "unitId": ids["d2"], "status": "left"}})
    assert left["data"]["updatePerson"]["person"]["status"] == "left"
    active = api.as_(code, "admin", "{ people(filter:{search:\"N100\"}) { totalCount } }")
    assert active["data"]["people"]["totalCount"] == 0  # left people are kept, not listed
    everyone = api.as_(code, "admin", "{ people(filter:{search:\"N100\",status:null}) "
                       "{ totalCount } }")
    assert everyone["data"]["people"]["totalCount"] == 1


def test_management_relations_change_who_manages(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=12)
    ids = units(api, code)
    people = api.as_(code, "admin", "{ people(first:50) { edges { node { id employeeNo } } } }")
    by_no = {e["node"]["employeeNo"]: e["node"]["id"] for e in people["data"]["people"]["edges"]}
    # kezhang (P004) heads d1; make them head of d2 as well.
    added = api.as_(code, "admin", "mutation($m:ID!,$u:ID!){ addManagementRelation(managerId:$m,"
                    "kind:department_head,unitId:$u) { relation { id } userErrors { code } } }",
                    {"m": by_no["P004"], "u": ids["d2"]})
    relation = added["data"]["addManagementRelation"]["relation"]["id"]
    api.tokens.pop((code, "kezhang"), None)
    seen = api.as_(code, "kezhang", "query($id:ID!){ person(id:$id) { employeeNo } }",
                   {"id": by_no["P008"]})
    assert seen["data"]["person"]["employeeNo"] == "P008"
    principal_without_unit = api.as_(
        code, "admin", "mutation($m:ID!,$u:ID!){ addManagementRelation(managerId:$m,"
        "kind:principal_leader,unitId:$u) { userErrors { code field } } }",
        {"m": by_no["P004"], "u": ids["d2"]})
    assert principal_without_unit["data"]["addManagementRelation"]["userErrors"][0][
        "field"] == "unitId"
    api.as_(code, "admin", "mutation($id:ID!){ removeManagementRelation(id:$id) { deletedId } }",
            {"id": relation})
    unseen = api.as_(code, "kezhang", "query($id:ID!){ person(id:$id) { employeeNo } }",
                     {"id": by_no["P008"]})
    assert unseen["data"]["person"] is None


def test_accounts_and_role_grants(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    people = api.as_(code, "admin", "{ people(first:50) { edges { node { id employeeNo } } } }")
    p9 = next(e["node"]["id"] for e in people["data"]["people"]["edges"]
              if e["node"]["employeeNo"] == "P009")
    created = api.as_(code, "admin", "mutation($p:ID!){ createAccount(input:{username:\"p9\","
                      "password:\"Secret@123\",personId:$p,roles:[staff]}) { account { id roles "
                      "person { employeeNo } } userErrors { code message } } }", {"p": p9})
    account = created["data"]["createAccount"]["account"]
    assert account["roles"] == ["staff"]
    short = api.as_(code, "admin", "mutation{ createAccount(input:{username:\"x\",password:\"1\"})"
                    " { userErrors { code message } } }")
    assert short["data"]["createAccount"]["userErrors"][0]["code"] == "WEAK_PASSWORD"
    assert "密码长度至少8位" in short["data"]["createAccount"]["userErrors"][0]["message"]
    api.as_(code, "admin", "mutation($a:ID!){ grantRole(accountId:$a, role:office) { account "
            "{ roles } } }", {"a": account["id"]})
    token = api.login(code, "p9", "Secret@123")
    me = api.call("{ me { roles person { employeeNo } } }", token=token)["data"]["me"]
    assert sorted(me["roles"]) == ["office", "staff"]
    refused = api.as_(code, "ganbu", "mutation($a:ID!){ grantRole(accountId:$a, role:"
                      "tenant_admin) { userErrors { code } } }", {"a": account["id"]})
    assert refused["data"]["grantRole"]["userErrors"][0]["code"] == "FORBIDDEN"
