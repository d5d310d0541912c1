"""The city organization department: provisions and lists tenants, sees no person."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api, unique_code

PROVISION = ("mutation($i:ProvisionTenantInput!){ provisionTenant(input:$i) { tenant { id code "
             "kind kindLabel } userErrors { code message field } } }")


def test_provision_list_and_login(api: Api) -> None:
    code = unique_code("p")
    result = api.as_("cdzzb", "shiwei", PROVISION, {"i": {
        "code": code, "name": "新都区某街道", "kind": "subdistrict", "adminUsername": "admin",
        "adminPassword": "Start@2026"}})
    tenant = result["data"]["provisionTenant"]["tenant"]
    assert tenant["kindLabel"] == "街道"
    listed = api.as_("cdzzb", "shiwei", "{ platformTenants { code name } }")["data"][
        "platformTenants"]
    codes = {t["code"] for t in listed}
    assert {code, "cdjw", "wjgx", "gtlg", "qlsfj", "djyzzb", "hsz", "xhjd"} <= codes
    token = api.login(code, "admin", "Start@2026")
    # The provisioned admin's password is an initial one: changed before anything else.
    blocked = api.call("{ orgTree { name } }", token=token)
    assert blocked["errors"][0]["extensions"]["code"] == "PASSWORD_CHANGE_REQUIRED"
    changed = api.call("mutation{ changePassword(currentPassword:\"Start@2026\", newPassword:"
                       "\"Xindu#2026new\") { token } }", token=token)
    token = changed["data"]["changePassword"]["token"]
    me = api.call("{ me { tenant { code } roles } orgTree { name } }", token=token)["data"]
    assert me["me"]["roles"] == ["tenant_admin"]
    assert me["orgTree"][0]["name"] == "新都区某街道"
    again = api.as_("cdzzb", "shiwei", PROVISION, {"i": {
        "code": code, "name": "重复", "kind": "subdistrict", "adminUsername": "admin",
        "adminPassword": "Start@2026"}})
    assert again["data"]["provisionTenant"]["userErrors"][0]["field"] == "code"


def test_platform_role_sees_no_person(api: Api) -> None:
    body = api.as_("cdzzb", "shiwei", "{ people(first:200) { totalCount } }")
    assert body["data"]["people"]["totalCount"] == 0
    cdjw_person = api.as_("cdjw", "admin", "{ people(first:1) { edges { node { id } } } }")[
        "data"]["people"]["edges"][0]["node"]["id"]
    found = api.as_("cdzzb", "shiwei", "query($id:ID!){ person(id:$id) { id } }",
                    {"id": cdjw_person})
    assert found["data"]["person"] is None


def test_tenant_users_cannot_provision_or_list(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    result = api.as_(code, "admin", PROVISION, {"i": {
        "code": unique_code("q"), "name": "x", "kind": "township", "adminUsername": "admin",
        "adminPassword": "Start@2026"}})
    assert result["data"]["provisionTenant"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert api.as_(code, "admin", "{ platformTenants { code } }")["data"][
        "platformTenants"] == []


RESET = ("mutation($t:ID!,$u:String){ resetTenantAdminPassword(tenantId:$t, username:$u) { "
         "tenant { code } username initialPassword userErrors { code message field } } }")


def test_the_city_resets_a_unit_admins_password_once(api: Api) -> None:
    code = unique_code("r")
    created = api.as_("cdzzb", "shiwei", PROVISION, {"i": {
        "code": code, "name": "新津区某镇", "kind": "township", "adminUsername": "admin",
        "adminPassword": "Start@2026"}})["data"]["provisionTenant"]["tenant"]
    old = api.login(code, "admin", "Start@2026")
    reset = api.as_("cdzzb", "shiwei", RESET, {"t": created["id"], "u": None})[
        "data"]["resetTenantAdminPassword"]
    assert reset["userErrors"] == []
    assert reset["tenant"]["code"] == code
    assert reset["username"] == "admin"
    assert len(reset["initialPassword"]) >= 12
    # The old session ends; the new password works and must be changed first.
    assert api.call("{ me { roles } }", token=old)["errors"][0]["extensions"]["code"] == (
        "UNAUTHENTICATED")
    api.tokens.pop((code, "admin"), None)
    token = api.login(code, "admin", reset["initialPassword"])
    blocked = api.call("{ orgTree { name } }", token=token)
    assert blocked["errors"][0]["extensions"]["code"] == "PASSWORD_CHANGE_REQUIRED"
    # Audited in the unit's own log.
    changed = api.call("mutation($c:String!){ changePassword(currentPassword:$c, newPassword:"
                       "\"Xinjin#2026new\") { token } }", {"c": reset["initialPassword"]},
                       token=token)["data"]["changePassword"]["token"]
    log = api.call("{ auditLog(action:\"account.password_reset\") { actor action } }",
                   token=changed)
    assert "errors" not in log, log
    assert [e["action"] for e in log["data"]["auditLog"]] == ["account.password_reset"]
    unknown = api.as_("cdzzb", "shiwei", RESET, {"t": created["id"], "u": "nobody"})[
        "data"]["resetTenantAdminPassword"]
    assert unknown["userErrors"][0]["code"] == "NOT_FOUND"
    assert unknown["initialPassword"] is None


def test_only_the_city_resets_unit_admins(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    own_id = api.as_(code, "admin", "{ tenant { id } }")["data"]["tenant"]["id"]
    refused = api.as_(code, "admin", RESET, {"t": own_id, "u": None})[
        "data"]["resetTenantAdminPassword"]
    assert refused["userErrors"][0]["code"] == "FORBIDDEN"
    assert refused["initialPassword"] is None
    listed = api.as_("cdzzb", "shiwei", "{ platformTenants { id code } }")["data"]
    city_id = next(t["id"] for t in listed["platformTenants"] if t["code"] == "cdzzb")
    own = api.as_("cdzzb", "shiwei", RESET, {"t": city_id, "u": None})[
        "data"]["resetTenantAdminPassword"]
    assert own["userErrors"][0]["code"] == "NOT_FOUND"
