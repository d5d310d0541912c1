"""The wiring's settings hand each layer its own small part, read once from the environment."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from pydantic import ValidationError

from jixiao.settings import LOCAL_REDIS_URL, PREFIX, Settings, SettingsError
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
    assert (worker.read_database_url, worker.read_max_wait_seconds) == (None, 5.0)


def test_the_read_replica_is_optional_and_reaches_the_worker() -> None:
    replica = "postgresql+psycopg://jixiao_app:b@replica/jixiao"
    assert Settings.from_env(PRODUCTION).read_database_url is None  # unset: the primary
    worker = Settings.from_env({**PRODUCTION, "JIXIAO_READ_DATABASE_URL": replica,
                                "JIXIAO_READ_MAX_WAIT_SECONDS": "2.5"}).worker()
    assert (worker.read_database_url, worker.read_max_wait_seconds) == (replica, 2.5)


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


README = Path(__file__).resolve().parent.parent / "README.md"
PRODUCTION = {"JIXIAO_PRODUCTION": "1", "JIXIAO_SECRET_KEY": "s" * 40,
              "JIXIAO_DATABASE_URL": "postgresql+psycopg://app:pw@db/jixiao",
              "JIXIAO_OWNER_DATABASE_URL": "postgresql+psycopg://owner:pw@db/jixiao",
              "JIXIAO_REDIS_URL": "redis://redis:6379/0"}


def test_every_variable_is_in_the_readme_table() -> None:
    documented = set(re.findall(r"`(JIXIAO_[A-Z_]+)`", README.read_text(encoding="utf-8")))
    variables = {PREFIX + name.upper() for name in Settings.model_fields}
    assert variables - documented == set()


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("JIXIAO_TOKEN_TTL_SECONDS", "8h", "应为整数"),
    ("JIXIAO_PRODUCTION", "maybe", "应为1/0"),
    ("JIXIAO_JOB_SWEEP_INTERVAL_SECONDS", "ten", "应为数字"),
    ("JIXIAO_WORKER_HEARTBEAT_TIMEOUT_MS", "5", "应为更大的数"),
])
def test_a_malformed_value_names_the_variable(name: str, value: str, expected: str) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({name: value})
    assert f"环境变量 {name} 的值“{value}”无效：{expected}" in str(raised.value)


def test_the_process_environment_is_read_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.1")
    monkeypatch.setenv("JIXIAO_REPORT_CHUNK_ROWS", " ")
    monkeypatch.setenv("JIXIAO_MAX_TOKENS", "500")
    settings = Settings.from_env()
    assert settings.trusted_proxies == ("10.0.0.0/8", "192.168.1.1")
    assert (settings.report_chunk_rows, settings.max_tokens) == (None, 500)
    monkeypatch.setenv("JIXIAO_TOKEN_TTL_SECONDS", "8h")
    with pytest.raises(SettingsError, match="JIXIAO_TOKEN_TTL_SECONDS"):
        Settings.from_env()


def test_production_refuses_missing_or_malformed_urls() -> None:
    settings = Settings.from_env(PRODUCTION)
    assert settings.production
    assert not settings.introspection
    assert Settings.from_env({**PRODUCTION, "JIXIAO_INTROSPECTION": "1"}).introspection
    for name in ("JIXIAO_REDIS_URL", "JIXIAO_DATABASE_URL", "JIXIAO_OWNER_DATABASE_URL"):
        missing = {k: v for k, v in PRODUCTION.items() if k != name}
        with pytest.raises(SettingsError, match=f"生产环境必须设置 {name}"):
            Settings.from_env(missing)
    for name, bad in (("JIXIAO_DATABASE_URL", "mysql://app:secret@db/jixiao"),
                      ("JIXIAO_DATABASE_URL", "not a url"),
                      ("JIXIAO_REDIS_URL", "http://redis:6379/0"),
                      ("JIXIAO_READ_DATABASE_URL", "mysql://app:secret@replica/jixiao")):
        with pytest.raises(SettingsError, match=f"{name} 不是有效的") as raised:
            Settings.from_env({**PRODUCTION, name: bad})
        assert "secret" not in str(raised.value)
    # outside production the local defaults are the point
    assert Settings.from_env({}).redis_url == LOCAL_REDIS_URL


def test_replace_validates_like_the_environment() -> None:
    settings = Settings.from_env({})
    assert settings.replace(introspection=False).introspection is False
    with pytest.raises(ValidationError):
        settings.replace(token_ttl_seconds="8h")


def test_an_explicit_mapping_ignores_the_process_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_REDIS_URL", "redis://elsewhere:6379/0")
    assert Settings.from_env({}).redis_url == LOCAL_REDIS_URL
    assert Settings.from_env().redis_url == "redis://elsewhere:6379/0"
