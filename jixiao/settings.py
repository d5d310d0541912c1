"""Settings read from environment variables (``JIXIAO_*``), with safe local defaults.

Read and validated by pydantic-settings: a malformed value (a TTL of ``8h``) fails at start
with a message naming the variable and what it expects, not with a traceback at first use.
Production (``JIXIAO_PRODUCTION=1``) refuses the default secret, the local database and Redis
URLs, and URLs that are not PostgreSQL/Redis ones, so a forgotten variable fails at start rather
than in front of users. Every field is a variable of the README's configuration table
(``tests/test_settings.py`` checks it).

The one place the environment is read: the layers below get the part they need as a small
frozen dataclass of their own (``use_cases()``, ``worker()``), built here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from resolvers.settings import UseCaseSettings
from workers.settings import WorkerSettings

PREFIX = "JIXIAO_"
DEFAULT_SECRET = "local-development-secret-change-me"
LOCAL_DATABASE_URL = "postgresql+psycopg://jixiao_app:jixiao_app@127.0.0.1:54329/jixiao"
LOCAL_OWNER_DATABASE_URL = "postgresql+psycopg://jixiao_owner:jixiao_owner@127.0.0.1:54329/jixiao"
LOCAL_REDIS_URL = "redis://127.0.0.1:63799/0"
# The built portal (portal/ in the checkout, built by scripts/setup).
DEFAULT_PORTAL_DIR = str(Path(__file__).resolve().parent.parent / "portal" / "dist")
# What a malformed value should have been, by pydantic's error type.
EXPECTED = {"int_parsing": "整数", "int_from_float": "整数", "float_parsing": "数字",
            "bool_parsing": "1/0、true/false、yes/no 或 on/off", "greater_than_equal": "更大的数",
            "greater_than": "更大的数"}


class SettingsError(RuntimeError):
    pass


class Settings(BaseSettings):
    """Every ``JIXIAO_*`` variable the API, the worker and the CLI read (field = name without
    the prefix, lower case)."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, frozen=True, extra="ignore")

    # The application's role: owns no table and cannot bypass row-level security.
    database_url: str = LOCAL_DATABASE_URL
    # A streaming read replica (same roles, same schema: RLS applies there as on the primary)
    # for reports, exports and the city comparison; unset: everything reads the primary. A read
    # waits at most read_max_wait_seconds for the replica to replay the primary's position,
    # then reads the primary (tenants/replica.py).
    read_database_url: str | None = None
    read_max_wait_seconds: float = Field(5.0, ge=0)
    # The owner role: runs migrations and owns the tables; never used to serve requests.
    owner_database_url: str = LOCAL_OWNER_DATABASE_URL
    redis_url: str = LOCAL_REDIS_URL
    secret_key: str = DEFAULT_SECRET
    production: bool = False
    # Off in production unless set (see _introspection_follows_production).
    introspection: bool = True
    # Covered list queries (the people page) answered by one SQL statement that builds their
    # JSON (schema/compiled_reads.py); off: every query runs field by field.
    compiled_reads: bool = True
    token_ttl_seconds: int = Field(8 * 3600, ge=60)
    max_query_depth: int = Field(12, ge=1)
    max_aliases: int = Field(30, ge=1)
    max_tokens: int = Field(4000, ge=10)
    max_body_bytes: int = Field(20 * 1024 * 1024, ge=1024)
    # Login throttling: see resolvers/settings.py.
    login_max_failures: int = 5
    login_base_delay_seconds: int = 30
    login_max_delay_seconds: int = 3600
    login_failure_window_seconds: int = 3600
    login_address_max_failures: int = 30
    # Reverse proxies (addresses or networks) whose X-Forwarded-For names the client; from any
    # other peer the header is ignored, so a client cannot pick its own address.
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = ()
    app_role: str = "jixiao_app"
    data_dir: str = "data"
    # The portal's built files, served at / (GraphiQL at /graphiql outside production).
    portal_dir: str = DEFAULT_PORTAL_DIR
    # Workers (see workers/broker.py): redelivery after a dead worker's heartbeat timeout,
    # queue maintenance per million polls; chunk sizes (None: the code's default).
    worker_heartbeat_timeout_ms: int = Field(60_000, ge=1000)
    worker_maintenance_chance: int = Field(1_000, ge=0)
    # The job sweeper (workers/sweeper.py): a sweep every 10 s finds jobs whose worker died
    # (their lock is free) and jobs still queued 30 s after they were created with nothing on
    # their queue (the send failed), and sends them again.
    job_sweep_interval_seconds: float = Field(10.0, gt=0)
    job_resend_after_seconds: float = Field(30.0, gt=0)
    bonus_write_chunk: int | None = Field(None, ge=1)
    report_chunk_rows: int | None = Field(None, ge=1)
    # Processes that lay out the chunks of a long report side by side (1: in the job's own
    # process, one chunk after the other); None: the code's default (reports/pdf.py).
    report_processes: int | None = Field(None, ge=1)
    # Jobs counted by Dramatiq's Prometheus middleware, served by the worker (its own port:
    # Dramatiq's ``dramatiq_prom_port``, default 9191).
    worker_metrics: bool = False
    # OpenTelemetry (jixiao/tracing.py): an OTLP/HTTP traces endpoint, e.g.
    # http://collector:4318/v1/traces; unset, nothing is traced.
    otel_endpoint: str | None = None
    # Test hook: seconds a job waits between chunks, so a test can kill a worker mid-run.
    job_test_delay_seconds: float = Field(0.0, ge=0)
    # Notifications (workers/notifications.py): a failed delivery is tried again this many
    # times by Dramatiq's Retries middleware, waiting from the minimum backoff, doubling up to
    # the maximum; the reminder pass (workers/scheduler.py) runs this often in each worker
    # (0: not at all).
    notify_max_retries: int = Field(4, ge=0, le=20)
    notify_min_backoff_ms: int = Field(15_000, ge=1)
    notify_max_backoff_ms: int = Field(600_000, ge=1)
    reminder_interval_seconds: float = Field(300.0, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _blank_means_default(cls, data: Any) -> Any:
        """``JIXIAO_X=`` or ``JIXIAO_X=" "`` is unset (a chart renders empty values)."""
        if not isinstance(data, Mapping):
            return data
        values = {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}
        if "introspection" not in values:  # introspection follows production unless set
            production = values.get("production", False)
            values["introspection"] = not (
                production if isinstance(production, bool)
                else str(production).strip().lower() in {"1", "true", "yes", "on"})
        return values

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(p.strip() for p in value.split(",") if p.strip())
        return value

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """The settings from ``env`` (default: the process environment), checked; a malformed
        or, in production, missing value raises SettingsError naming the variable."""
        source = os.environ if env is None else env
        try:  # the process environment through pydantic-settings' own source
            settings = cls() if env is None else cls.model_construct(
                **_Given.model_validate(_fields_of(env)).model_dump())
        except ValidationError as e:
            raise SettingsError(_explain(e, _fields_of(source))) from None
        settings.check()
        return settings

    def check(self) -> None:
        try:  # a nonsense throttle or proxy setting fails at start, not at the first login
            use_cases = self.use_cases()
            _ = (use_cases.account_throttle, use_cases.address_throttle, self.trusted_networks())
        except ValueError as e:
            raise SettingsError(f"登录限制或代理设置无效（login throttling settings）：{e}") from e
        if self.otel_endpoint is not None and not _http_url(self.otel_endpoint):
            raise SettingsError(f"JIXIAO_OTEL_ENDPOINT 不是有效的 http(s) 地址"
                                f"（JIXIAO_OTEL_ENDPOINT is not an http(s) URL: "
                                f"{self.otel_endpoint}）")
        if not self.production:
            return
        if self.secret_key == DEFAULT_SECRET or len(self.secret_key) < 32:
            raise SettingsError("生产环境必须设置 JIXIAO_SECRET_KEY：32 个字符以上的随机值"
                                "（JIXIAO_SECRET_KEY must be set to a random value of 32+ "
                                "characters）")
        for name, url, default, schemes in (
                ("JIXIAO_DATABASE_URL", self.database_url, LOCAL_DATABASE_URL, ("postgresql",)),
                ("JIXIAO_OWNER_DATABASE_URL", self.owner_database_url, LOCAL_OWNER_DATABASE_URL,
                 ("postgresql",)),
                ("JIXIAO_REDIS_URL", self.redis_url, LOCAL_REDIS_URL, ("redis", "rediss")),
                *((("JIXIAO_READ_DATABASE_URL", self.read_database_url, "", ("postgresql",)),)
                  if self.read_database_url else ())):
            if url == default:
                raise SettingsError(f"生产环境必须设置 {name}（{name} must be set in production）")
            if not _url_of(url, schemes):
                raise SettingsError(f"{name} 不是有效的 {schemes[0]} 地址（{name} is not a "
                                    f"{schemes[0]} URL: {_masked(url)}）")

    def trusted_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        return tuple(ip_network(p, strict=False) for p in self.trusted_proxies)

    def use_cases(self) -> UseCaseSettings:
        return UseCaseSettings(
            secret_key=self.secret_key, redis_url=self.redis_url,
            token_ttl_seconds=self.token_ttl_seconds, login_max_failures=self.login_max_failures,
            login_base_delay_seconds=self.login_base_delay_seconds,
            login_max_delay_seconds=self.login_max_delay_seconds,
            login_failure_window_seconds=self.login_failure_window_seconds,
            login_address_max_failures=self.login_address_max_failures)

    def worker(self) -> WorkerSettings:
        return WorkerSettings(
            database_url=self.database_url, redis_url=self.redis_url, use_cases=self.use_cases(),
            heartbeat_timeout_ms=self.worker_heartbeat_timeout_ms,
            maintenance_chance=self.worker_maintenance_chance,
            job_sweep_interval_seconds=self.job_sweep_interval_seconds,
            job_resend_after_seconds=self.job_resend_after_seconds,
            bonus_write_chunk=self.bonus_write_chunk, report_chunk_rows=self.report_chunk_rows,
            report_processes=self.report_processes,
            job_test_delay_seconds=self.job_test_delay_seconds,
            read_database_url=self.read_database_url,
            read_max_wait_seconds=self.read_max_wait_seconds,
            notify_max_retries=self.notify_max_retries,
            notify_min_backoff_ms=self.notify_min_backoff_ms,
            notify_max_backoff_ms=self.notify_max_backoff_ms,
            reminder_interval_seconds=self.reminder_interval_seconds)

    def replace(self, **changes: Any) -> Settings:
        """A copy with some values changed, validated like the environment's."""
        return type(self).model_validate({**self.model_dump(), **changes})


class _Given(Settings):
    """The settings from an explicit mapping alone (``from_env(env)``: tests, tools), without
    the process environment pydantic-settings would otherwise read."""

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings],
                                   init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def _fields_of(env: Mapping[str, str]) -> dict[str, str]:
    fields = Settings.model_fields
    return {k.removeprefix(PREFIX).lower(): v for k, v in env.items()
            if k.upper().startswith(PREFIX) and k.removeprefix(PREFIX).lower() in fields}


def _explain(error: ValidationError, values: Mapping[str, Any]) -> str:
    lines = []
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem["loc"] else ""
        name = PREFIX + field.upper()
        expected = EXPECTED.get(problem["type"], problem["msg"])
        lines.append(f"环境变量 {name} 的值“{values.get(field, '')}”无效：应为{expected}"
                     f"（{name}: {problem['msg']}）")
    return "；".join(lines)


def _url_of(url: str, schemes: tuple[str, ...]) -> bool:
    try:
        parsed = make_url(url)
    except ArgumentError:
        return False
    return parsed.get_backend_name() in schemes if schemes[0] == "postgresql" else (
        parsed.drivername in schemes and bool(parsed.host))


def _http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname) and (
            parts.port is None or parts.port > 0)
    except ValueError:  # a malformed address or port
        return False


def _masked(url: str) -> str:
    """The URL without its password, for a message."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1]
