"""The portal's built files at /: history fallback, cache headers, gzip, GraphiQL outside
production, and a Chinese message (not a 500) when the portal has not been built."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from jixiao.settings import Settings

INDEX = "<!doctype html><title>绩效管理平台</title><div id=app></div>" + " " * 600
ASSET = "console.log('门户');" * 100


def _dist(root: Path) -> Path:
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(INDEX, encoding="utf-8")
    (root / "graphiql.html").write_text("<title>GraphiQL</title>", encoding="utf-8")
    (root / "assets" / "index-abc123.js").write_text(ASSET, encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *", encoding="utf-8")
    return root


def _client(settings: Settings, portal_dir: Path, production: bool = False) -> TestClient:
    from jixiao.app import create_app

    return TestClient(create_app(settings.replace(portal_dir=str(portal_dir),
                                                     production=production)))


@pytest.fixture
def built(settings: Settings, tmp_path: Path) -> Iterator[TestClient]:
    with _client(settings, _dist(tmp_path / "dist")) as c:
        yield c


def test_root_and_any_page_path_serve_index_without_caching(built: TestClient) -> None:
    for path in ("/", "/login", "/my-tasks", "/some/deep/page?x=1"):
        response = built.get(path)
        assert response.status_code == 200, path
        assert "绩效管理平台" in response.text
        assert response.headers["cache-control"] == "no-cache"


def test_hashed_assets_are_cached_for_a_year_and_gzipped(built: TestClient) -> None:
    response = built.get("/assets/index-abc123.js", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-encoding"] == "gzip"
    assert response.text == ASSET


def test_missing_asset_is_404_not_index(built: TestClient) -> None:
    response = built.get("/assets/gone-000.js")
    assert response.status_code == 404
    assert response.json()["errors"][0]["message"] == "请求的文件不存在"


def test_other_files_in_dist_are_served(built: TestClient) -> None:
    assert built.get("/robots.txt").text == "User-agent: *"


def test_paths_outside_dist_are_not_served(built: TestClient) -> None:
    response = built.get("/assets/../../../etc/passwd")
    assert "root:" not in response.text


def test_api_paths_are_never_the_portal(built: TestClient) -> None:
    assert built.get("/healthz").json() == {"status": "ok"}
    for path in ("/reports/", "/reports/a/b", "/shared-reports/x", "/graphql/extra",
                 "/one-time-files/x"):
        response = built.get(path)
        assert response.status_code == 404, path
        assert "绩效管理平台" not in response.text
    assert built.post("/graphql", json={"query": "{ __typename }"}).json()["data"] == {
        "__typename": "Query"}


def test_graphiql_is_local_and_off_in_production(settings: Settings, tmp_path: Path) -> None:
    dist = _dist(tmp_path / "dist")
    with _client(settings, dist) as c:
        assert "GraphiQL" in c.get("/graphiql").text
    with _client(settings, dist, production=True) as c:
        assert c.get("/graphiql").status_code == 404
        assert c.get("/graphiql.html").status_code == 404


def test_a_browser_opening_graphql_gets_the_local_graphiql(built: TestClient) -> None:
    response = built.get("/graphql", headers={"accept": "text/html"})
    assert "cdn.jsdelivr" not in response.text
    assert "unpkg" not in response.text
    assert response.url.path == "/graphiql"
    assert "GraphiQL" in response.text


def test_graphql_get_in_production_is_no_graphiql(settings: Settings, tmp_path: Path) -> None:
    with _client(settings, _dist(tmp_path / "dist"), production=True) as c:
        response = c.get("/graphql", headers={"accept": "text/html"}, follow_redirects=False)
        assert response.status_code != 302
        assert "GraphiQL" not in response.text


def test_portal_not_built_answers_in_chinese(settings: Settings, tmp_path: Path) -> None:
    with _client(settings, tmp_path / "nothing-here") as c:
        response = c.get("/")
        assert response.status_code == 503
        assert "门户尚未构建" in response.text
        assert c.get("/healthz").status_code == 200
