"""API hardening: query depth, aliases, size, introspection in production, secrets."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from jixiao.settings import Settings, SettingsError
from tests.conftest import Api


def test_query_depth_is_limited(api: Api) -> None:
    deep = "{ orgTree { " + "children { " * 14 + "id" + " }" * 14 + " } }"
    body = api.as_("cdjw", "ganbu", deep)
    assert body["errors"][0]["message"] == "查询嵌套层数超过上限"
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


def test_aliases_are_limited(api: Api) -> None:
    aliases = " ".join(f"a{i}: tenant {{ code }}" for i in range(40))
    body = api.as_("cdjw", "ganbu", "{ " + aliases + " }")
    assert body["data"] is None
    assert body["errors"][0]["message"] == "查询中的别名数量超过上限"


def test_page_size_is_limited(api: Api) -> None:
    body = api.as_("cdjw", "admin", "{ people(first:5000) { totalCount } }")
    assert body["errors"][0]["message"] == "每页数量须在1到200之间"
    assert body["errors"][0]["extensions"]["code"] == "INVALID"


def test_production_refuses_default_secret() -> None:
    with pytest.raises(SettingsError):
        Settings.from_env({"JIXIAO_PRODUCTION": "1"})
    with pytest.raises(SettingsError):
        Settings.from_env({"JIXIAO_PRODUCTION": "1", "JIXIAO_SECRET_KEY": "x" * 40})
    ok = Settings.from_env({"JIXIAO_PRODUCTION": "1", "JIXIAO_SECRET_KEY": "x" * 40,
                            "JIXIAO_DATABASE_URL": "postgresql+psycopg://a:b@db/x",
                            "JIXIAO_OWNER_DATABASE_URL": "postgresql+psycopg://o:p@db/x",
                            "JIXIAO_REDIS_URL": "redis://redis:6379/0"})
    assert ok.introspection is False


def test_introspection_can_be_switched_off(settings: Settings, api: Api) -> None:

    from jixiao.app import create_app

    token = api.login("cdjw", "ganbu")
    query = {"query": "{ __schema { queryType { name } } }"}
    headers = {"authorization": f"Bearer {token}"}
    assert api.client.post("/graphql", json=query, headers=headers).json()["data"]
    with TestClient(create_app(settings.replace(introspection=False))) as closed:
        body = closed.post("/graphql", json=query, headers=headers).json()
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "INTROSPECTION_DISABLED"


def test_oversized_body_is_refused(api: Api) -> None:
    response = api.client.post("/graphql", content=b"x", headers={
        "content-length": str(50 * 1024 * 1024), "content-type": "application/json"})
    assert response.status_code == 413
