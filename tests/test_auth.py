"""Identity: password login, throttling, tokens, and nothing without a valid token."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api

LOGIN = ("mutation($t:String!,$u:String!,$p:String!){login(tenantCode:$t,username:$u,"
         "password:$p){token expiresAt userErrors{code message retryAfterSeconds}}}")
ME = "{ me { tenant { code } roles account { username } person { name } apiTokenId } }"


def login(api: Api, tenant: str, user: str, password: str) -> dict[str, Any]:
    return api.call(LOGIN, {"t": tenant, "u": user, "p": password})["data"]["login"]


def test_demo_login_answers_me(api: Api) -> None:
    token = login(api, "cdjw", "ganbu", "Demo@2026")["token"]
    me = api.call(ME, token=token)["data"]["me"]
    assert me["tenant"]["code"] == "cdjw"
    assert me["roles"] == ["staff"]
    assert me["account"]["username"] == "ganbu"
    assert me["person"]["name"]


def test_wrong_password_unknown_user_and_unknown_unit_look_the_same(api: Api) -> None:
    answers = [login(api, "cdjw", "ganbu", "wrong-password"),
               login(api, "cdjw", "nobody", "Demo@2026"),
               login(api, "nosuchunit", "ganbu", "Demo@2026")]
    for answer in answers:
        assert answer["token"] is None
        assert answer["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
        assert answer["userErrors"][0]["message"] == "单位代码、用户名或密码不正确"


def test_repeated_failures_slow_down_even_the_right_password(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    for _ in range(5):
        assert login(api, code, "ganbu", "bad")["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    blocked = login(api, code, "ganbu", "Demo@2026")
    assert blocked["token"] is None
    assert blocked["userErrors"][0]["code"] == "TOO_MANY_ATTEMPTS"
    assert blocked["userErrors"][0]["retryAfterSeconds"] >= 1
    assert "秒后再试" in blocked["userErrors"][0]["message"]
    # Other accounts of the unit are not affected.
    assert login(api, code, "ganbu2", "Demo@2026")["token"]


def test_nothing_but_login_without_a_token(api: Api) -> None:
    for query in (ME, "{ people { totalCount } }", "{ orgTree { name } }", "{ posts { name } }",
                  "{ __schema { queryType { name } } }",
                  "mutation { createPost(input:{name:\"x\",code:\"x\"}) { userErrors { code } } }"):
        body = api.call(query)
        assert body["data"] is None, query
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_invalid_or_tampered_token_is_refused_with_401(api: Api) -> None:
    token = api.login("cdjw", "ganbu")
    for bad in ("garbage", token[:-2] + "xx", "jxt.not.a.token"):
        body = api.call(ME, token=bad)
        assert body["_status"] == 401
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_health_endpoints_are_open(api: Api) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok"}
    assert api.client.get("/readyz").json() == {"status": "ok"}


def test_disabled_account_loses_access(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    token = api.login(code, "ganbu2")
    accounts = api.as_(code, "admin", "{ accounts { id username } }")["data"]["accounts"]
    target = next(a["id"] for a in accounts if a["username"] == "ganbu2")
    result = api.as_(code, "admin", "mutation($a:ID!){setAccountDisabled(accountId:$a,"
                     "disabled:true){account{disabled} userErrors{code}}}", {"a": target})
    assert result["data"]["setAccountDisabled"]["account"]["disabled"] is True
    assert api.call(ME, token=token)["_status"] == 401
    assert login(api, code, "ganbu2", "Demo@2026")["token"] is None


def test_api_token_scoped_to_tenant_and_roles_and_revocable(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    created = api.as_(code, "admin", "mutation{createApiToken(name:\"办公系统\",roles:[office])"
                      "{token apiToken{id name roles} userErrors{code}}}")["data"]["createApiToken"]
    token = created["token"]
    assert token.startswith("jxt.")
    me = api.call(ME, token=token)["data"]["me"]
    assert me["roles"] == ["office"]
    assert me["account"] is None
    assert me["apiTokenId"] == created["apiToken"]["id"]
    # The office role reads people but may not manage accounts.
    assert api.call("{ people { totalCount } }", token=token)["data"]["people"]["totalCount"] > 0
    assert api.call("{ accounts { id } }", token=token)["errors"][0]["extensions"]["code"] == (
        "FORBIDDEN")
    api.as_(code, "admin", "mutation($i:ID!){revokeApiToken(id:$i){apiToken{revokedAt}}}",
            {"i": created["apiToken"]["id"]})
    assert api.call(ME, token=token)["_status"] == 401


def test_api_token_cannot_carry_platform_role(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    result = api.as_(code, "admin", "mutation{createApiToken(name:\"x\","
                     "roles:[city_organization_department]){token userErrors{code message}}}")
    assert result["data"]["createApiToken"]["token"] is None
    assert result["data"]["createApiToken"]["userErrors"][0]["code"] == "INVALID"
