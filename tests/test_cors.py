"""CORS for units' own portals: a per-tenant allowlist of origins (issue 14, point 5)."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.testclient import TestClient

from tests.conftest import Api

SETTINGS = ("mutation($s:JSON!){ updateTenantSettings(settings:$s, reason:\"门户上线\") "
            "{ userErrors { code message field } } }")
ME = "{ me { username } }"
LOGIN = ("mutation($t:String!){ login(tenantCode:$t, username:\"admin\", password:\"Demo@2026\")"
         " { token userErrors { code } } }")


def origin(name: str) -> str:
    # A fresh origin per test: the allowlists are one cache for the whole process.
    return f"https://{name}-{uuid.uuid4().hex[:8]}.example.gov.cn"


def allow(api: Api, code: str, *origins: str) -> None:
    body = api.as_(code, "admin", SETTINGS, {"s": {"portal": {"allowed_origins": list(origins)}}})
    assert body["data"]["updateTenantSettings"]["userErrors"] == [], body


def preflight(client: TestClient, from_origin: str) -> Any:
    return client.options("/graphql", headers={
        "Origin": from_origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})


def cors_headers(response: Any) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.startswith("access-control-")}


def test_a_preflight_from_an_allowed_origin_gets_the_headers(
        api: Api, client: TestClient, make_tenant: Any) -> None:
    code, portal, stranger = make_tenant(people=12), origin("portal"), origin("stranger")
    allow(api, code, portal)
    ok = preflight(client, portal)
    assert ok.status_code == 204
    assert ok.headers["access-control-allow-origin"] == portal
    assert "POST" in ok.headers["access-control-allow-methods"]
    allowed = {h.strip() for h in ok.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type"} <= allowed
    assert "Origin" in ok.headers["vary"]
    refused = preflight(client, stranger)
    assert refused.status_code == 400
    assert cors_headers(refused) == {}


def test_the_actual_request_is_shared_only_with_the_callers_tenants_origins(
        api: Api, client: TestClient, make_tenant: Any) -> None:
    a, b = make_tenant(people=12), make_tenant(people=12)
    portal_a, portal_b = origin("a"), origin("b")
    allow(api, a, portal_a)
    allow(api, b, portal_b)
    token = api.login(a, "admin")

    def post(query: str, from_origin: str | None, variables: dict[str, Any] | None = None,
             auth: str | None = token) -> Any:
        headers = {"Origin": from_origin} if from_origin else {}
        if auth:
            headers["Authorization"] = f"Bearer {auth}"
        return client.post("/graphql", json={"query": query, "variables": variables or {}},
                           headers=headers)

    mine = post(ME, portal_a)
    assert mine.headers["access-control-allow-origin"] == portal_a
    assert "Origin" in mine.headers["vary"]
    # Tenant b's origin passes a preflight (some tenant allows it) but reads nothing of a.
    assert preflight(client, portal_b).status_code == 204
    assert cors_headers(post(ME, portal_b)) == {}
    assert cors_headers(post(ME, None)) == {}
    # Login: the tenant it names decides.
    login_a = post(LOGIN, portal_a, {"t": a}, auth=None)
    assert login_a.json()["data"]["login"]["token"]
    assert login_a.headers["access-control-allow-origin"] == portal_a
    assert cors_headers(post(LOGIN, portal_b, {"t": a}, auth=None)) == {}
    # An expired or forged token holds no tenant's data: an allowed origin may read the 401.
    rejected = post(ME, portal_b, auth="forged")
    assert rejected.status_code == 401
    assert rejected.headers["access-control-allow-origin"] == portal_b


def test_bad_origins_are_refused_in_chinese(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=12)
    for bad in ("https://portal.example.gov.cn/app", "https://*.example.gov.cn",
                "portal.example.gov.cn", "https://portal.example.gov.cn/", "ftp://x.cn",
                "https://Portal.example.gov.cn", "https://x.cn:443"):
        body = api.as_(code, "admin", SETTINGS, {"s": {"portal": {"allowed_origins": [bad]}}})
        error = body["data"]["updateTenantSettings"]["userErrors"][0]
        assert error["code"] == "INVALID", bad
        assert f"门户允许的来源「{bad}」无效" in error["message"]
    body = api.as_(code, "admin", SETTINGS, {"s": {"portal": {"allowed_origins": "x"}}})
    assert "门户允许的来源须为列表" in body["data"]["updateTenantSettings"]["userErrors"][0][
        "message"]


def test_the_allowlists_are_cached_and_reloaded_after_a_change(
        api: Api, client: TestClient, make_tenant: Any, count_statements: list[str]) -> None:
    code, first, second = make_tenant(people=12), origin("first"), origin("second")
    allow(api, code, first)
    count_statements.clear()
    assert preflight(client, first).status_code == 204
    assert preflight(client, first).status_code == 204
    assert preflight(client, second).status_code == 400
    assert len([s for s in count_statements if "FROM tenants" in s]) == 1, count_statements
    allow(api, code, first, second)
    assert preflight(client, second).status_code == 204
