"""The wiring's settings hand each layer its own small part, read once from the environment."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from jixiao.settings import Settings
from resolvers.errors import UserFacingError
from resolvers.pagination import Page, check_page_size


def test_worker_settings_come_from_the_environment() -> None:
    worker = Settings.from_env({
        "JIXIAO_DATABASE_URL": "postgresql+psycopg://a:b@db/x", "JIXIAO_REDIS_URL": "redis://r/2",
        "JIXIAO_WORKER_HEARTBEAT_TIMEOUT_MS": "1500",
        "JIXIAO_WORKER_MAINTENANCE_CHANCE": "1000000", "JIXIAO_BONUS_WRITE_CHUNK": "5",
        "JIXIAO_REPORT_CHUNK_ROWS": " ", "JIXIAO_JOB_TEST_DELAY_SECONDS": "0.4",
        "JIXIAO_SECRET_KEY": "s" * 40, "JIXIAO_TOKEN_TTL_SECONDS": "60"}).worker()
    assert (worker.database_url, worker.redis_url) == ("postgresql+psycopg://a:b@db/x",
                                                       "redis://r/2")
    assert (worker.heartbeat_timeout_ms, worker.maintenance_chance) == (1500, 1_000_000)
    assert (worker.bonus_write_chunk, worker.report_chunk_rows) == (5, None)
    assert worker.job_test_delay_seconds == 0.4
    assert (worker.use_cases.secret_key, worker.use_cases.token_ttl_seconds) == ("s" * 40, 60)
    assert worker.use_cases.redis_url == "redis://r/2"


def test_worker_defaults() -> None:
    worker = Settings.from_env({}).worker()
    assert (worker.heartbeat_timeout_ms, worker.maintenance_chance) == (60_000, 1_000)
    assert (worker.bonus_write_chunk, worker.report_chunk_rows) == (None, None)
    assert worker.job_test_delay_seconds == 0


def test_a_page_names_its_cursors_by_the_key() -> None:
    rows = [SimpleNamespace(employee_no="P001"), SimpleNamespace(employee_no="P002")]
    page = Page(rows, 5, True, "employee_no")
    assert [page.cursor(r) for r in rows] == ["P001", "P002"]
    assert page.end_cursor == "P002"
    assert Page([], 0, False, "employee_no").end_cursor is None


@pytest.mark.parametrize("first", [0, 201])
def test_page_size_is_bounded(first: int) -> None:
    with pytest.raises(UserFacingError):
        check_page_size(first, 200)
    check_page_size(200, 200)
