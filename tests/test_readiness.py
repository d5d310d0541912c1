"""/readyz answers 200 only while PostgreSQL and Redis both answer; /healthz stays up."""

from __future__ import annotations

from starlette.testclient import TestClient

from jixiao.app import create_app
from jixiao.localservers import free_port
from jixiao.settings import Settings


def test_readyz_is_503_in_chinese_while_redis_is_down(settings: Settings) -> None:
    down = settings.replace(redis_url=f"redis://127.0.0.1:{free_port()}/0")
    with TestClient(create_app(down)) as client:
        answer = client.get("/readyz")
        assert answer.status_code == 503
        assert answer.json() == {"status": "unavailable",
                                 "message": "服务暂不可用：任务队列（Redis）无法连接",
                                 "unavailable": ["任务队列（Redis）"]}
        assert client.get("/healthz").status_code == 200
    with TestClient(create_app(settings)) as client:
        assert client.get("/readyz").status_code == 200


def test_readyz_is_503_while_postgres_is_down(settings: Settings) -> None:
    url = settings.database_url.rsplit("@", 1)[0] + f"@127.0.0.1:{free_port()}/jixiao"
    with TestClient(create_app(settings.replace(database_url=url))) as client:
        answer = client.get("/readyz")
        assert answer.status_code == 503
        assert answer.json()["unavailable"] == ["数据库（PostgreSQL）"]
