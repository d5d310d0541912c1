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
